import { DEFAULT_CHECKLIST, type PlaceKind, type RiskLevel } from '../../../common/schemas/places.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { defaultRectifyBy, writeInspection } from './inspections.service.js';
import { dueAtOf } from './places.service.js';
import * as store from './places.store.js';

/**
 * The demo organisation's key places (called inside the demo's own transaction): every site-level
 * unit at home gets 1–3 places fitting its kind — a depot, a terminal, a station, a construction
 * site, with a canteen at every other site and a dormitory at construction sites — each with the
 * default checklist and the site's head as responsible person (one in seventeen has none: a blind
 * spot). Most were inspected within their frequency, one in ten is overdue, one in twenty-three was
 * never inspected; two places have an open finding with its rectification task.
 *
 * Cost: a few multi-row inserts per 400 rows, plus the two real inspections: on the 100,000-person
 * demo (911 sites at home) 1,517 places, 6,068 items and ~1,450 inspections in about 0.2 s (SQLite).
 */

export interface DemoPlacesShape {
  /** Every unit: id, parent index (null: the root), kind and name, in the demo's order. */
  units: readonly { id: number; parent: number | null; kind: string; name: string; overseas: boolean }[];
  /** Every person: id, unit index, whether active (a unit's leaders come first). */
  people: readonly { id: number; unit: number; active: boolean }[];
}

const DAY = 86_400_000;
const SLICE = 400;

/** What a site's name says it is, with its risk and how often it is inspected. */
function primaryOf(name: string): { kind: PlaceKind; risk: RiskLevel; every: number; label: string } {
  if (/停车场|车辆段|车队|维修基地/.test(name)) return { kind: 'depot', risk: 'medium', every: 7, label: '车场' };
  if (/客运站|汽车站|枢纽|首末站|航站楼/.test(name)) return { kind: 'terminal', risk: 'high', every: 3, label: '候车厅' };
  if (/地铁站|服务站|泵站|换热站|门站|营业厅|营业部/.test(name)) return { kind: 'station', risk: 'high', every: 3, label: '服务大厅' };
  if (/工地|项目部/.test(name)) return { kind: 'construction_site', risk: 'high', every: 3, label: '施工现场' };
  return { kind: 'office_building', risk: 'low', every: 14, label: '办公区' };
}

const slices = <T>(xs: readonly T[]) => Array.from({ length: Math.ceil(xs.length / SLICE) }, (_, i) => xs.slice(i * SLICE, (i + 1) * SLICE));

export async function seedDemoPlaces(tx: Conn, deps: Deps, ctx: Ctx, shape: DemoPlacesShape): Promise<{ places: number; inspections: number; findings: number }> {
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const headOf = new Map<number, number>();
  for (const p of shape.people) if (p.active && !headOf.has(p.unit)) headOf.set(p.unit, p.id);

  // The places, in the sites' order: the site's own kind, a canteen at every other one, a dormitory at construction sites.
  type Planned = { unitIdx: number; name: string; kind: PlaceKind; risk: RiskLevel; every: number };
  const planned: Planned[] = [];
  let site = 0;
  shape.units.forEach((u, i) => {
    if (u.kind !== 'site' || u.overseas) return;
    const primary = primaryOf(u.name);
    planned.push({ unitIdx: i, name: `${u.name}${primary.label}`, kind: primary.kind, risk: primary.risk, every: primary.every });
    if (site % 2 === 0) planned.push({ unitIdx: i, name: `${u.name}职工食堂`, kind: 'canteen', risk: 'medium', every: 7 });
    if (primary.kind === 'construction_site') planned.push({ unitIdx: i, name: `${u.name}工人宿舍`, kind: 'dormitory', risk: 'medium', every: 7 });
    site++;
  });
  if (planned.length === 0) return { places: 0, inspections: 0, findings: 0 };

  // When each was last inspected: most within their frequency, one in ten overdue, one in 23 never.
  const lastInspected = (k: number, every: number): number | null => {
    if (k % 23 === 5) return null;
    const daysAgo = k % 10 === 3 ? every + 1 + (k % 4) : k % every;
    return now - daysAgo * DAY - (k % 7) * 3_600_000;
  };
  const registered = now - 60 * DAY;
  const rows = planned.map((p, k) => {
    const last = lastInspected(k, p.every);
    return {
      unit_id: shape.units[p.unitIdx]!.id,
      name: p.name,
      kind: p.kind,
      address: null,
      risk: p.risk,
      responsible_person_id: k % 17 === 8 ? null : (headOf.get(p.unitIdx) ?? null),
      frequency_days: p.every,
      last_inspected_at: last,
      due_at: dueAtOf(last ?? registered, p.every, tz),
      created_by_user_id: null,
      created_at: registered,
      updated_at: now,
      archived_at: null,
    };
  });
  const ids: number[] = [];
  for (const part of slices(rows)) ids.push(...(await tx.insertInto('places').values(part).returning('id').execute()).map((r) => r.id));
  // Identities are drawn in insertion order: sorted, they line up with `rows`.
  ids.sort((a, b) => a - b);

  const items = ids.flatMap((id) => DEFAULT_CHECKLIST.map((c, i) => ({ place_id: id, position: i + 1, text: c.zh, retired_at: null, created_at: registered, updated_at: registered })));
  for (const part of slices(items)) await store.insertItems(tx, part);
  const itemIds = new Map<number, number[]>();
  for (const part of slices(ids)) {
    for (const r of await tx.selectFrom('place_checklist_items').select(['id', 'place_id']).where('place_id', 'in', part).orderBy('place_id').orderBy('position').execute()) {
      const list = itemIds.get(r.place_id) ?? [];
      list.push(r.id);
      itemIds.set(r.place_id, list);
    }
  }

  // The last inspection of each inspected place: every item passed.
  const inspected = rows.flatMap((r, k) => (r.last_inspected_at === null ? [] : [{ placeId: ids[k]!, unitId: r.unit_id, at: r.last_inspected_at }]));
  const inspectionIds: number[] = [];
  for (const part of slices(inspected)) {
    const made = await tx
      .insertInto('place_inspections')
      .values(part.map((x) => ({ place_id: x.placeId, unit_id: x.unitId, inspector_user_id: null, inspected_at: x.at, note: null, passed: DEFAULT_CHECKLIST.length, failed: 0, not_applicable: 0, photo_ids: '[]', directive_id: null })))
      .returning('id')
      .execute();
    inspectionIds.push(...made.map((r) => r.id));
  }
  inspectionIds.sort((a, b) => a - b);
  const answers = inspected.flatMap((x, k) =>
    (itemIds.get(x.placeId) ?? []).map((itemId, i) => ({ inspection_id: inspectionIds[k]!, item_id: itemId, position: i + 1, text: DEFAULT_CHECKLIST[i]!.zh, result: 'passed', note: null, photo_ids: '[]', finding_id: null })),
  );
  for (const part of slices(answers)) await tx.insertInto('place_inspection_items').values(part).execute();

  // Two open findings, at the first two places with a responsible person: a real inspection each.
  let findings = 0;
  for (const [k, r] of rows.entries()) {
    if (findings >= 2) break;
    if (r.responsible_person_id === null) continue;
    const place = (await store.findPlace(tx, ids[k]!))!;
    const [first, ...rest] = itemIds.get(place.id)!;
    const note = findings === 0 ? '通风记录缺失，门窗紧闭' : '测温点无人值守';
    const failed = findings === 0 ? first! : rest[1]!;
    await writeInspection(
      tx,
      deps,
      ctx,
      null,
      place,
      { items: itemIds.get(place.id)!.map((itemId) => (itemId === failed ? { itemId, result: 'failed' as const, note, photoIds: [] } : { itemId, result: 'passed' as const, photoIds: [] })), photoIds: [], note: '演示检查' },
      defaultRectifyBy(deps),
    );
    findings++;
  }
  return { places: ids.length, inspections: inspected.length + findings, findings };
}
