import { addDays, dayOf, endOfDay, startOfDay } from '../../../common/day.js';
import type { Overview } from '../../../common/schemas/overview.js';
import type { OverviewQuery } from '../../../common/schemas/overview.js';
import { chainIds } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import { can, type Ctx } from '../../http/actor.js';
import { careCounts } from '../care/care.figures.js';
import { onDutyAt } from '../duty/duty.onduty.js';
import { checkinRollup } from '../health/checkins.service.js';
import { requireActor } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import * as store from './overview.store.js';
import { scorecardOf, windowOf } from './scorecard.service.js';

/**
 * The command office's overview (总览, issue 7): one read per section, each only when the actor holds
 * that module's permission over the unit. A unit the actor cannot see is 404; one they can see with
 * none of the permissions is 200 with no sections (the page then says there is nothing to show).
 */

/** How many of the worst units the overview lists, and over how many days. */
export const WORST_UNITS = 5;
export const WORST_DAYS = 7;

/** The overview of a unit's subtree today. */
export async function overview(deps: Deps, ctx: Ctx, q: OverviewQuery): Promise<Overview> {
  const actor = requireActor(ctx.actor);
  const unit = await visibleUnit(deps, actor, q.unitId);
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const day = dayOf(now, tz);
  const id = unit.id;
  const may = (p: Parameters<typeof can>[1]) => can(actor, p, unit.path);
  const out: Overview = { unitId: id, unitName: unit.name, day, at: now };
  await Promise.all([
    may('health.read') &&
      (async () => {
        const r = await checkinRollup(deps, ctx, { unitId: id });
        const t = r.total;
        out.checkins = {
          day: r.day,
          headcount: t.headcount,
          checkedIn: t.checkedIn,
          onTime: t.onTime,
          abnormal: t.abnormal,
          completeness: t.headcount > 0 ? Math.min(1, t.checkedIn / t.headcount) : null,
          timeliness: t.checkedIn > 0 ? t.onTime / t.checkedIn : null,
          link: `/health/dashboard?unitId=${id}`,
        };
        out.watches = { count: await store.openWatchCount(deps.db, unit.path), link: `/health/watches?unitId=${id}` };
      })(),
    may('incidents.read') &&
      (async () => {
        const bySeverity = await store.openIncidentsBySeverity(deps.db, unit.path);
        out.incidents = { open: bySeverity.reduce((a, b) => a + b.count, 0), bySeverity, link: `/duty/incidents?unitId=${id}&status=open` };
      })(),
    may('tasks.read') &&
      (async () => {
        const c = await store.taskCounts(deps.db, unit.path, startOfDay(day, tz), endOfDay(day, tz), now);
        out.tasks = { dueToday: { count: c.dueToday, link: `/directives/tasks?unitId=${id}&due=today` }, overdue: { count: c.overdue, link: `/directives/tasks?unitId=${id}&state=overdue` } };
      })(),
    may('duty.read') &&
      (async () => {
        // The group level: the unit's own roster, else the nearest one above it within the actor's duty scope.
        const chain = chainIds(unit.path);
        const rosters = await store.unitsWithRoster(deps.db, chain);
        const paths = chain.map((_, i) => `/${chain.slice(0, i + 1).join('/')}/`);
        const at = chain.findLastIndex((u, i) => rosters.has(u) && can(actor, 'duty.read', paths[i]!));
        const rosterId = at < 0 ? null : chain[at]!;
        const on = rosterId === null ? undefined : (await onDutyAt(deps.db, [rosterId], now)).get(rosterId);
        const person = (p: { personId: number; name: string }) => ({ personId: p.personId, name: p.name });
        out.duty = {
          rosterUnitId: rosterId,
          rosterUnitName: rosterId === null ? null : rosters.get(rosterId)!,
          leaders: (on?.leaders ?? []).map(person),
          officers: (on?.officers ?? []).map(person),
          link: `/duty?unitId=${rosterId ?? id}`,
        };
      })(),
    may('care.figures') &&
      (async () => {
        const c = await careCounts(deps.db, unit.path, now, { timeZone: tz });
        out.care = { ...c, link: `/care/board?unitId=${id}` };
      })(),
    may('supervision.read') &&
      (async () => {
        const w = windowOf(deps, addDays(day, -(WORST_DAYS - 1)), day, now);
        const card = await scorecardOf(deps, unit, w, now);
        const worst = card.children
          .filter((c) => c.score !== null)
          .sort((a, b) => a.score! - b.score!)
          .slice(0, WORST_UNITS)
          .map((c) => ({ unitId: c.unitId, name: c.name, score: c.score!, link: `/supervision/scorecard?unitId=${c.unitId}&from=${w.from}&to=${w.to}` }));
        out.scorecard = { from: w.from, to: w.to, worst, link: `/supervision/scorecard?unitId=${id}&from=${w.from}&to=${w.to}` };
      })(),
  ]);
  return out;
}
