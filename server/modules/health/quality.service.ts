import type { z } from 'zod';
import { addDays, startOfDay } from '../../../common/day.js';
import type { QualityPage, QualityQuery } from '../../../common/schemas/health-reports.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import type { Ctx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { todayOf } from './checkins.service.js';
import { QUALITY_WINDOW_DAYS, qualityReasons, windowDays, type QualitySample } from './quality.policy.js';
import { healthUnit } from './health.access.js';
import * as store from './quality.store.js';

/**
 * The people of a subtree whose check-ins of the last QUALITY_WINDOW_DAYS days (ending on `day`)
 * look unreal, with the reasons, one page at a time. Flags for the liaison, not blocks. An audited
 * read: it says things about people's health answers.
 */
export async function qualityFlags(deps: Deps, ctx: Ctx, q: z.infer<typeof QualityQuery>): Promise<QualityPage> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'health.read');
  const unit = await healthUnit(deps, actor, q.unitId);
  const day = q.day ?? todayOf(deps);
  const fromDay = addDays(day, -(QUALITY_WINDOW_DAYS - 1));
  const tz = deps.config.timeZone;
  const starts = new Map(windowDays(day).map((d) => [d, startOfDay(d, tz)]));

  const candidates = await store.qualityCandidates(deps.db, unit.path, starts);
  const rows = await store.qualityRows(deps.db, unit.path, fromDay, day, candidates);
  const byPerson = new Map<number, store.QualityRow[]>();
  for (const r of rows) {
    const list = byPerson.get(r.person_id);
    if (list) list.push(r);
    else byPerson.set(r.person_id, [r]);
  }
  const flagged = [];
  for (const [personId, list] of byPerson) {
    const samples: QualitySample[] = list.map((r) => ({ day: r.day, temperature: r.temperature, symptoms: JSON.parse(r.symptoms) as string[], location: r.location, city: r.city, createdAt: r.created_at }));
    const reasons = qualityReasons(samples, day, tz);
    if (reasons.length === 0) continue;
    // Shown under the unit of their latest check-in in the window.
    const last = list[list.length - 1]!;
    flagged.push({ personId, name: last.person_name, employeeNo: last.employee_no, unitId: last.unit_id, unitName: last.unit_name, path: last.unit_path, reasons });
  }
  flagged.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : a.personId - b.personId));
  const page = flagged.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);

  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'checkins.quality.read', entity: 'checkins', entityId: day, unitId: unit.id, note: { day, fromDay, flagged: flagged.length, page: q.page, count: page.length } }),
  );
  return {
    day,
    fromDay,
    items: page.map(({ path: _path, ...f }) => f),
    total: flagged.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}
