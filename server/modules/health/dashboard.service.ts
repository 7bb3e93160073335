import { addDays, dayOf, daysFrom } from '../../../common/day.js';
import { MAX_PERIOD_DAYS, type CheckinPeriod, type CheckinTrend, type PeriodFigures, type PeriodQuery } from '../../../common/schemas/dashboard.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { healthUnit } from './health.access.js';
import * as store from './dashboard.store.js';
import { unitsForRollup } from './health.store.js';

/**
 * The dashboard's figures over time: the 30-day trend of a subtree and each child's completeness
 * and timeliness over a period, read from the per-(day, unit) counts and headcount snapshots.
 */

const todayOf = (deps: Deps): string => dayOf(deps.clock.now(), deps.config.timeZone);

// Days whose snapshot this process has seen exist, per database: after the first check, free.
const snapshotted = new WeakMap<object, Set<string>>();

/**
 * Take the day's headcount snapshot if none exists yet (the hourly job, and the first trend or
 * period read of a day). The first snapshot of a day stands: people who join later that day are
 * not in it, so a past day's completeness never moves.
 */
export async function ensureHeadcountSnapshot(deps: Deps, day: string): Promise<void> {
  let seen = snapshotted.get(deps.handle);
  if (!seen) snapshotted.set(deps.handle, (seen = new Set()));
  if (seen.has(day)) return;
  if (!(await store.hasHeadcountSnapshot(deps.db, day))) await store.snapshotHeadcounts(deps.db, day, deps.clock.now());
  seen.add(day);
}

/** The job's entry: today's snapshot, once. */
export const snapshotTodaysHeadcounts = (deps: Deps): Promise<void> => ensureHeadcountSnapshot(deps, todayOf(deps));

/** No health permission anywhere is a 403; a unit outside it a 404. */
async function healthUnitOrForbidden(deps: Deps, actor: Actor, unitId: number) {
  requireScope(actor, 'health.read');
  return healthUnit(deps, actor, unitId);
}


/** The period asked for (default: the 30 days up to today), checked: from ≤ to, at most 92 days. */
function periodOf(deps: Deps, q: PeriodQuery): { from: string; to: string } {
  const to = q.to ?? (q.from ? addDays(q.from, 29) : todayOf(deps));
  const from = q.from ?? addDays(to, -29);
  if (from > to) throw errors.validation({ to: 'must not be before from' });
  if (daysFrom(from, to) + 1 > MAX_PERIOD_DAYS) throw errors.validation({ to: `a period covers at most ${MAX_PERIOD_DAYS} days` });
  return { from, to };
}

/** Make sure today's snapshot exists when the period reaches today (a trend read early in the day). */
async function snapshotIfToday(deps: Deps, from: string, to: string): Promise<void> {
  const today = todayOf(deps);
  if (from <= today && today <= to) await ensureHeadcountSnapshot(deps, today);
}

/** The path of a unit whose check-ins the actor may watch live (404 out of scope, 403 with no health.read anywhere). */
export async function liveSubtreeOf(deps: Deps, ctx: Ctx, unitId: number): Promise<string> {
  const unit = await healthUnitOrForbidden(deps, requireActor(ctx.actor), unitId);
  return unit.path;
}

/** Per day of the period, the subtree's headcount (snapshot), check-ins, abnormal and on-time check-ins. */
export async function checkinTrend(deps: Deps, ctx: Ctx, q: PeriodQuery): Promise<CheckinTrend> {
  const actor = requireActor(ctx.actor);
  const unit = await healthUnitOrForbidden(deps, actor, q.unitId);
  const { from, to } = periodOf(deps, q);
  await snapshotIfToday(deps, from, to);
  const all: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) all.push(d);
  const [units, snapshots] = await Promise.all([store.unitCountIn(deps.db, unit.path), store.snapshotDays(deps.db, from, to)]);
  const [counts, heads] = await Promise.all([store.countsByDay(deps.db, unit.path, all, units), store.headcountsByDay(deps.db, unit.path, snapshots, units)]);
  // A day with a snapshot but none of it in this subtree has a headcount of 0, not "unknown".
  const daysWithSnapshot = new Set(snapshots);
  const byDay = new Map(counts.map((c) => [c.day, c]));
  const days: CheckinTrend['days'] = [];
  for (const d of all) {
    const c = byDay.get(d);
    days.push({
      day: d,
      headcount: daysWithSnapshot.has(d) ? (heads.get(d) ?? 0) : null,
      checkedIn: c?.checked_in ?? 0,
      abnormal: c?.abnormal ?? 0,
      onTime: c?.on_time ?? 0,
    });
  }
  return { unitId: unit.id, from, to, days };
}

const emptyFigures = () => ({ headcountDays: 0, checkedIn: 0, onTime: 0 });
type Sums = ReturnType<typeof emptyFigures>;

function finish(s: Sums): PeriodFigures {
  return {
    ...s,
    // A person who joined after the day's snapshot may check in: a rate never reads above 100 %.
    completeness: s.headcountDays > 0 ? Math.min(1, s.checkedIn / s.headcountDays) : null,
    timeliness: s.checkedIn > 0 ? s.onTime / s.checkedIn : null,
  };
}

/**
 * Completeness (check-ins ÷ headcount × days) and timeliness (on-time ÷ check-ins) over a period,
 * for the unit's own people, each child's subtree and the whole subtree. Only days with a headcount
 * snapshot count; `days` says how many did.
 */
export async function checkinPeriod(deps: Deps, ctx: Ctx, q: PeriodQuery): Promise<CheckinPeriod> {
  const actor = requireActor(ctx.actor);
  const unit = await healthUnitOrForbidden(deps, actor, q.unitId);
  const { from, to } = periodOf(deps, q);
  await snapshotIfToday(deps, from, to);
  const days = await store.snapshotDays(deps.db, from, to);
  const all = await unitsForRollup(deps.db, unit.path);
  const rows = await store.periodByUnit(deps.db, unit.path, days, all.length);
  const pathOf = new Map(all.map((u) => [u.id, u.path]));
  const units = all.filter((u) => u.archived_at === null);
  const children = units.filter((u) => u.parent_id === unit.id);
  const hasChildren = new Set(units.map((u) => u.parent_id));
  const depth = unit.path.split('/').filter(Boolean).length;
  const own = emptyFigures();
  const total = emptyFigures();
  const byChild = new Map(children.map((c) => [c.id, emptyFigures()]));
  const add = (into: Sums, r: store.UnitPeriodRow) => {
    into.headcountDays += r.headcount_days;
    into.checkedIn += r.checked_in;
    into.onTime += r.on_time;
  };
  for (const r of rows) {
    add(total, r);
    // The child a path belongs to is the id right below the unit in it; the unit's own rows have none.
    const ids = (pathOf.get(r.unit_id) ?? '').split('/').filter(Boolean);
    if (ids.length === depth) add(own, r);
    else {
      const f = byChild.get(Number(ids[depth]));
      if (f) add(f, r);
    }
  }
  return {
    from,
    to,
    days: days.length,
    unit: { id: unit.id, name: unit.name, hasChildren: children.length > 0, ...finish(own) },
    children: children.map((c) => ({ id: c.id, name: c.name, hasChildren: hasChildren.has(c.id), ...finish(byChild.get(c.id)!) })),
    total: finish(total),
  };
}

/** How to read a subtree's per-(day, unit) rows: by its size, and without any filter when it is every unit there is. */
async function reachOf(deps: Deps, path: string): Promise<store.Reach> {
  const [units, all] = await Promise.all([store.unitCountIn(deps.db, path), store.unitCountIn(deps.db, null)]);
  return { path, units, whole: units === all };
}

/**
 * For the supervision scorecard (issue 7), the counts the period card computes completeness and
 * timeliness from: per unit of the subtree and per period (before `from`, from `from`), and per
 * snapshot day of [from, to] for the whole subtree: headcount × days, check-ins, on-time check-ins
 * and check-ins capped at the headcount per (unit, day). Counts only, no person; the caller has
 * checked the actor may see figures of the subtree. Only days with a headcount snapshot count, as
 * on the period card.
 */
export async function checkinFiguresByUnitAndDay(deps: Deps, path: string, prevFrom: string, from: string, to: string): Promise<{ units: store.UnitPeriodSums[]; days: store.DaySums[] }> {
  await snapshotIfToday(deps, prevFrom, to);
  const [days, reach] = await Promise.all([store.snapshotDays(deps.db, prevFrom, to), reachOf(deps, path)]);
  return store.checkinsByUnitAndDay(deps.db, reach, days, from, true);
}

/** The same per unit of the subtree, summed over [from, to] (the scorecard's misses: which units fell short). */
export async function checkinFiguresByUnit(deps: Deps, path: string, from: string, to: string): Promise<store.UnitPeriodSums[]> {
  await snapshotIfToday(deps, from, to);
  const [days, reach] = await Promise.all([store.snapshotDays(deps.db, from, to), reachOf(deps, path)]);
  return (await store.checkinsByUnitAndDay(deps.db, reach, days, from, false)).units;
}
