import { dayOf, startOfDay } from '../../../common/day.js';
import { OVERDUE_KINDS, SKIPPED_LEVEL_WINDOW_DAYS, type OverdueItem, type OverdueKind, type OverduePage, type OverdueRef } from '../../../common/schemas/supervision.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { uncontactedCases } from '../care/care.figures.js';
import { requireActor } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import * as store from './overdue.store.js';
import { canReadSupervision, scopeRoots } from './supervision.policy.js';

/**
 * The overdue view (逾期事项) across a subtree: overdue tasks, skipped escalation levels, today's
 * uncovered duty hours, uninspected places and uncontacted care cases, each with who answers for
 * it and since when. Titles name the duty only: no incident title or kind (they may carry health
 * details), no care case kind or cared person. Drills are left out by the readers.
 */

const DAY = 86_400_000;
const ROLE_LABEL = { leader: '带班领导', officer: '值班员' } as const;

/** Care's reader (care.figures uncontactedCases: no person, no kind); replaceable so that a deployment without care lists that kind as "unavailable". */
type CareReader = (db: Conn, rootPath: string, now: number) => Promise<{ caseId: number; unitId: number; unitName: string; careOfficerUserId: number | null; careOfficerName: string | null; lastContactAt: number | null; dueAt: number }[]>;
let careReader: CareReader | null = uncontactedCases;
/** Replace (or remove, with null) the care reader. */
export function useCareReader(r: CareReader | null): void {
  careReader = r;
}

async function careItems(deps: Deps, rootPath: string, now: number, onlyCaseId?: number): Promise<OverdueItem[]> {
  if (!careReader) return [];
  const rows = (await careReader(deps.db, rootPath, now)).filter((c) => onlyCaseId === undefined || c.caseId === onlyCaseId);
  const people = await officerPeople(
    deps.db,
    rows.flatMap((r) => (r.careOfficerUserId === null ? [] : [r.careOfficerUserId])),
  );
  return rows.map((c) => ({
    kind: 'uncontacted_care',
    ref: { kind: 'uncontacted_care', id: String(c.caseId) },
    unitId: c.unitId,
    unitName: c.unitName,
    title: `关爱个案 #${c.caseId} 未按期联系`,
    since: c.dueAt,
    until: null,
    responsible: c.careOfficerUserId === null ? [] : [{ userId: c.careOfficerUserId, personId: people.get(c.careOfficerUserId) ?? null, name: c.careOfficerName ?? '' }],
  }));
}

async function officerPeople(db: Conn, userIds: readonly number[]): Promise<Map<number, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'person_id'])
    .where('id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.flatMap((r) => (r.person_id === null ? [] : [[r.id, r.person_id] as const])));
}

const taskItem = (t: store.OverdueTaskRow): OverdueItem => ({
  kind: 'task',
  ref: { kind: 'task', id: String(t.taskId) },
  unitId: t.unitId,
  unitName: t.unitName,
  title: t.title,
  since: t.deadline,
  until: null,
  responsible: [t.responsible],
});

const levelItem = (l: store.SkippedLevelRow): OverdueItem => ({
  kind: 'skipped_level',
  ref: { kind: 'skipped_level', id: String(l.levelId) },
  unitId: l.unitId,
  unitName: l.unitName,
  title: `紧急事项 #${l.incidentId} 第 ${l.position + 1} 级（${l.unitName}）未在时限内接报`,
  since: l.deadline,
  until: null,
  responsible: l.responsible,
});

const gapItem = (g: store.DutyGapRow): OverdueItem => ({
  kind: 'duty_gap',
  ref: { kind: 'duty_gap', id: `${g.unitId}:${g.role}:${g.startsAt}` },
  unitId: g.unitId,
  unitName: g.unitName,
  title: `${g.unitName} 值班无${ROLE_LABEL[g.role]}`,
  since: g.startsAt,
  until: g.endsAt,
  responsible: g.responsible,
});

const placeItem = (p: store.UninspectedPlaceRow): OverdueItem => ({
  kind: 'uninspected_place',
  ref: { kind: 'uninspected_place', id: String(p.placeId) },
  unitId: p.unitId,
  unitName: p.unitName,
  title: `重点场所「${p.placeName}」${p.neverInspected ? '从未检查' : '逾期未检查'}`,
  since: p.overdueSince,
  until: null,
  responsible: p.responsible === null ? [] : [p.responsible],
});

/** Everything overdue in one subtree at `now`, per kind (or one kind). */
export async function overdueIn(deps: Deps, rootPath: string, now: number, kinds: readonly OverdueKind[] = OVERDUE_KINDS): Promise<OverdueItem[]> {
  const { db } = deps;
  const tz = deps.config.timeZone;
  const want = new Set(kinds);
  const parts = await Promise.all([
    want.has('task') ? store.overdueTasks(db, rootPath, now).then((r) => r.map(taskItem)) : [],
    want.has('skipped_level') ? store.skippedLevels(db, rootPath, now, now - SKIPPED_LEVEL_WINDOW_DAYS * DAY).then((r) => r.map(levelItem)) : [],
    want.has('duty_gap') ? store.dutyGaps(db, rootPath, now, startOfDay(dayOf(now, tz), tz)).then((r) => r.map(gapItem)) : [],
    want.has('uninspected_place') ? store.uninspectedPlaces(db, rootPath, now, tz).then((r) => r.map(placeItem)) : [],
    want.has('uncontacted_care') ? careItems(deps, rootPath, now) : [],
  ]);
  return parts.flat();
}

type Query = { unitId?: number | undefined; kind?: OverdueKind | undefined; page: number; pageSize: number };

/** GET /supervision/overdue: longest overdue first; counts per kind over the whole subtree. */
export async function listOverdue(deps: Deps, ctx: Ctx, q: Query): Promise<OverduePage> {
  const actor = requireActor(ctx.actor);
  const roots = await scopeRoots(deps, actor, 'supervision.read', q.unitId);
  const now = deps.clock.now();
  const all: OverdueItem[] = [];
  for (const r of roots) all.push(...(await overdueIn(deps, r.path, now)));
  const byKind = Object.fromEntries(OVERDUE_KINDS.map((k) => [k, 0])) as Record<OverdueKind, number>;
  for (const i of all) byKind[i.kind] += 1;
  const listed = (q.kind ? all.filter((i) => i.kind === q.kind) : all).sort((a, b) => a.since - b.since || a.kind.localeCompare(b.kind) || a.ref.id.localeCompare(b.ref.id, 'en', { numeric: true }));
  return {
    items: listed.slice((q.page - 1) * q.pageSize, q.page * q.pageSize),
    total: listed.length,
    page: q.page,
    pageSize: q.pageSize,
    byKind,
    unavailable: careReader ? [] : ['uncontacted_care'],
  };
}

/**
 * The overdue item a reference names, as the overdue view shows it now, if it is overdue now and
 * its unit is within the actor's supervision.read scope; else null. Used to snapshot evidence.
 */
export async function resolveOverdue(deps: Deps, actor: Actor, ref: OverdueRef): Promise<OverdueItem | null> {
  const { db } = deps;
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const num = (s: string) => (/^[1-9][0-9]{0,9}$/.test(s) ? Number(s) : null);
  const unitPathOf = async (unitId: number) => {
    const u = await findUnit(db, unitId);
    return u && canReadSupervision(actor, u.path) ? u.path : null;
  };
  switch (ref.kind) {
    case 'task': {
      const id = num(ref.id);
      if (id === null) return null;
      const t = await db.selectFrom('tasks').select('unit_id').where('id', '=', id).executeTakeFirst();
      const path = t && (await unitPathOf(t.unit_id));
      if (!path) return null;
      const [row] = await store.overdueTasks(db, path, now, id);
      return row ? taskItem(row) : null;
    }
    case 'skipped_level': {
      const id = num(ref.id);
      if (id === null) return null;
      const l = await db.selectFrom('incident_levels').select('unit_id').where('id', '=', id).executeTakeFirst();
      const path = l && (await unitPathOf(l.unit_id));
      if (!path) return null;
      const [row] = await store.skippedLevels(db, path, now, now - SKIPPED_LEVEL_WINDOW_DAYS * DAY, id);
      return row ? levelItem(row) : null;
    }
    case 'duty_gap': {
      const m = /^([1-9][0-9]{0,9}):(leader|officer):([0-9]{1,15})$/.exec(ref.id);
      if (!m) return null;
      const unitId = Number(m[1]);
      const path = await unitPathOf(unitId);
      if (!path) return null;
      const rows = await store.dutyGaps(db, path, now, startOfDay(dayOf(now, tz), tz));
      const row = rows.find((g) => g.unitId === unitId && g.role === m[2] && g.startsAt === Number(m[3]));
      return row ? gapItem(row) : null;
    }
    case 'uninspected_place': {
      const id = num(ref.id);
      if (id === null) return null;
      const p = await db.selectFrom('places').select('unit_id').where('id', '=', id).executeTakeFirst();
      const path = p && (await unitPathOf(p.unit_id));
      if (!path) return null;
      const row = (await store.uninspectedPlaces(db, path, now, tz)).find((x) => x.placeId === id);
      return row ? placeItem(row) : null;
    }
    case 'uncontacted_care': {
      const id = num(ref.id);
      if (id === null || !careReader) return null;
      // Care's reader is per subtree: look in the actor's whole scope (never the care tables themselves).
      for (const path of scopeFor(actor, 'supervision.read')) {
        const [row] = await careItems(deps, path, now, id);
        if (row) return row;
      }
      return null;
    }
  }
}
