import { addDays, dayOf, daysFrom, endOfDay, startOfDay } from '../../../common/day.js';
import {
  LOWER_IS_BETTER,
  MAX_SCORECARD_DAYS,
  SCORECARD_METRICS,
  type MetricFigures,
  type Scorecard,
  type ScorecardFigures,
  type ScorecardMetric,
  type ScorecardMissesQuery,
  type ScorecardMissPage,
  type ScorecardQuery,
  type ScorecardRow,
} from '../../../common/schemas/scorecard.js';
import { idOfPath } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { careContactDuties } from '../care/care.figures.js';
import { coverageGaps } from '../duty/duty.gaps.js';
import { checkinFiguresByUnitAndDay } from '../health/dashboard.service.js';
import { assertVisible, requireActor, requireScope } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import { missesOf } from './scorecard.misses.js';
import * as store from './scorecard.store.js';
import { HOUR, type DueBucket } from './scorecard.store.js';

/**
 * The unit scorecard (监督考核, issue 7): for a unit and each child's subtree over a period, each
 * duty that fell due and whether it was met in time. Every metric is one indexed pass over the
 * whole subtree and both periods (this one and the one before), grouped by unit and hour in SQL,
 * then summed up the tree, into periods and into days in memory.
 *
 * The score is the plain mean of the rates of the metrics that had anything due (equal weights;
 * measure exceptions, where lower is better, count as 1 − rate); null when nothing was due at all.
 */

const DAY = 86_400_000;

/** The window the scorecard reads: the previous period's first day to the period's last, in instants. */
export interface Window {
  from: string;
  to: string;
  prevFrom: string;
  prevTo: string;
  /** Every day of both periods, in order (the previous period's first). */
  days: string[];
  /** The instant each of `days` starts, and the end of the last one. */
  starts: number[];
  base: number;
  end: number;
  /** min(end, now): no duty after now has fallen due. */
  cap: number;
  /** Index of `from` in `days`: the current period's first day. */
  split: number;
}

/** The period asked for (default: the 30 days up to today), checked, and the one before it. */
export function windowOf(deps: Deps, from: string | undefined, to: string | undefined, now = deps.clock.now()): Window {
  const tz = deps.config.timeZone;
  const t = to ?? (from ? addDays(from, 29) : dayOf(now, tz));
  const f = from ?? addDays(t, -29);
  if (f > t) throw errors.validation({ to: 'must not be before from' });
  const len = daysFrom(f, t) + 1;
  if (len > MAX_SCORECARD_DAYS) throw errors.validation({ to: `a period covers at most ${MAX_SCORECARD_DAYS} days` });
  const prevFrom = addDays(f, -len);
  const days: string[] = [];
  for (let d = prevFrom; d <= t; d = addDays(d, 1)) days.push(d);
  const starts = days.map((d) => startOfDay(d, tz));
  const base = starts[0]!;
  const end = endOfDay(t, tz) + 1;
  starts.push(end);
  return { from: f, to: t, prevFrom, prevTo: addDays(f, -1), days, starts, base, end, cap: Math.min(end, now), split: len };
}

/** The index of the day an instant falls on (binary search over the day starts). */
export function dayIndex(w: Window, at: number): number {
  let lo = 0;
  let hi = w.days.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (w.starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type Sums = Record<ScorecardMetric, { n: number; d: number }>;
const zero = (): Sums => Object.fromEntries(SCORECARD_METRICS.map((m) => [m, { n: 0, d: 0 }])) as Sums;

/** Figures per metric from sums; a rate is null when nothing fell due. */
export function figuresOf(s: Sums): ScorecardFigures {
  return Object.fromEntries(SCORECARD_METRICS.map((m) => [m, { numerator: s[m].n, denominator: s[m].d, rate: s[m].d > 0 ? s[m].n / s[m].d : null } satisfies MetricFigures])) as ScorecardFigures;
}

/** Equal weights over the metrics that had anything due; lower-is-better ones as 1 − rate. */
export function scoreOf(f: ScorecardFigures): number | null {
  const rates: number[] = [];
  for (const m of SCORECARD_METRICS) {
    const r = f[m].rate;
    if (r !== null) rates.push(LOWER_IS_BETTER.includes(m) ? 1 - r : r);
  }
  return rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
}

/** One duty count for (unit, day) of a metric: what every pass reduces to. */
interface Tally {
  metric: ScorecardMetric;
  unitId: number;
  day: number;
  due: number;
  met: number;
  /**
   * Check-ins come as two tallies of the same counts: per unit and period (on the period's first
   * day), counted in the periods only; and per day for the whole subtree, in the series only.
   */
  only?: 'periods' | 'series';
}

/** The tallies of one metric's hour buckets (an hour's day is looked up once). */
function tallyHours(w: Window, metric: ScorecardMetric, rows: readonly DueBucket[], out: Tally[]): void {
  const dayOfHour = new Map<number, number>();
  for (const r of rows) {
    let d = dayOfHour.get(r.hour);
    if (d === undefined) dayOfHour.set(r.hour, (d = dayIndex(w, w.base + r.hour * HOUR)));
    out.push({ metric, unitId: idOfPath(r.child_path), day: d, due: r.due, met: r.met });
  }
}

/** A place's inspection duties: each falls due `frequency_days` after the previous inspection (or the registration). */
export interface InspectionDuty {
  placeId: number;
  unitId: number;
  /** The start of the due day: the duty is met by an inspection before that day ends. */
  dueDay: string;
  dueAt: number;
  metAt: number | null;
  /** Index (in the window's days) of the day the duty counts on: its due day, or the period's first day when carried over. */
  day: number;
  met: boolean;
}

/**
 * Inspection duties that count in the window: a duty whose due day lies in a period counts there,
 * met when inspected by the end of that day (and counted once the due day has ended, or it was
 * met). A duty still unmet when a period starts counts once more in that period, on its first day:
 * a place left uninspected through a whole period is a miss of that period too.
 */
export async function inspectionDuties(deps: Deps, path: string, w: Window, now: number): Promise<InspectionDuty[]> {
  const tz = deps.config.timeZone;
  const places = await store.placesForSchedule(deps.db, path, w.base);
  if (places.length === 0) return [];
  const times = await store.inspectionTimes(deps.db, path, w.base, w.cap);
  const today = dayOf(now, tz);
  const periodStarts = [0, w.split];
  const duties: InspectionDuty[] = [];
  for (const p of places) {
    const activeUntil = p.archived_at ?? Infinity;
    // Anchors: the last inspection before the window, then every one in it; the registration
    // starts the chain when no inspection came before it.
    const anchors = [...(p.last_before === null ? [] : [p.last_before]), ...(times.get(p.id) ?? [])];
    if (p.last_before === null && (anchors.length === 0 || p.created_at < anchors[0]!)) anchors.unshift(p.created_at);
    for (let i = 0; i < anchors.length; i++) {
      const dueDay = addDays(dayOf(anchors[i]!, tz), p.frequency_days);
      const dueAt = startOfDay(dueDay, tz);
      if (dueAt >= activeUntil) continue;
      const metAt = anchors[i + 1] ?? null;
      const met = metAt !== null && metAt <= endOfDay(dueDay, tz);
      if (dueDay >= w.prevFrom && dueDay <= w.to && (met || dueDay < today)) {
        duties.push({ placeId: p.id, unitId: p.unit_id, dueDay, dueAt, metAt, day: daysFrom(w.prevFrom, dueDay), met });
      }
      if (met) continue;
      // The periods that began after the due day and before it was met: one miss each.
      for (const s of periodStarts) {
        const startsAt = w.starts[s]!;
        if (dueDay >= w.days[s]! || startsAt >= now || startsAt >= activeUntil) continue;
        if (metAt !== null && metAt < startsAt) continue;
        duties.push({ placeId: p.id, unitId: p.unit_id, dueDay, dueAt, metAt, day: s, met: false });
      }
    }
  }
  return duties;
}

/** A roster's uncovered stretch: no leader, or no duty officer, on shift. */
export interface DutyGapStretch {
  unitId: number;
  startsAt: number;
  endsAt: number;
}

/**
 * Per unit that keeps a roster, the hours of the window (from its roster's creation, up to now) and
 * the stretches without a leader and a duty officer on shift (duty.gaps.ts), merged.
 */
export async function dutyCoverage(deps: Deps, path: string, w: Window): Promise<{ units: { id: number; name: string; since: number }[]; gaps: DutyGapStretch[] }> {
  const units = await store.rosterUnits(deps.db, path);
  if (units.length === 0 || w.cap <= w.base) return { units, gaps: [] };
  const raw = await coverageGaps(deps.db, units, w.base, Math.ceil((w.cap - w.base) / DAY));
  const byUnit = new Map<number, { start: number; end: number }[]>();
  for (const g of raw) {
    const list = byUnit.get(g.unitId) ?? [];
    list.push({ start: g.startsAt, end: Math.min(g.endsAt, w.cap) });
    byUnit.set(g.unitId, list);
  }
  const gaps: DutyGapStretch[] = [];
  for (const u of units) {
    const list = (byUnit.get(u.id) ?? []).map((g) => ({ start: Math.max(g.start, u.since), end: g.end })).filter((g) => g.end > g.start).sort((a, b) => a.start - b.start);
    let cur: { start: number; end: number } | null = null;
    for (const g of list) {
      if (cur && g.start <= cur.end) cur.end = Math.max(cur.end, g.end);
      else {
        if (cur) gaps.push({ unitId: u.id, startsAt: cur.start, endsAt: cur.end });
        cur = { ...g };
      }
    }
    if (cur) gaps.push({ unitId: u.id, startsAt: cur.start, endsAt: cur.end });
  }
  return { units, gaps };
}

/** Duty hours as tallies: each whole hour of a roster unit's window (hours from the window's start), covered when no gap touches it. */
function tallyDuty(w: Window, cov: Awaited<ReturnType<typeof dutyCoverage>>, out: Tally[]): void {
  const gapsOf = new Map<number, DutyGapStretch[]>();
  for (const g of cov.gaps) gapsOf.set(g.unitId, [...(gapsOf.get(g.unitId) ?? []), g]);
  const hours = Math.floor((w.cap - w.base) / HOUR);
  for (const u of cov.units) {
    const firstHour = Math.max(0, Math.ceil((u.since - w.base) / HOUR));
    if (firstHour >= hours) continue;
    const uncovered = new Uint8Array(hours);
    for (const g of gapsOf.get(u.id) ?? []) {
      const a = Math.max(0, Math.floor((g.startsAt - w.base) / HOUR));
      const b = Math.min(hours, Math.ceil((g.endsAt - w.base) / HOUR));
      for (let h = a; h < b; h++) uncovered[h] = 1;
    }
    const perDay = new Map<number, { due: number; met: number }>();
    for (let h = firstHour; h < hours; h++) {
      const d = dayIndex(w, w.base + h * HOUR);
      const t = perDay.get(d) ?? { due: 0, met: 0 };
      t.due++;
      if (!uncovered[h]) t.met++;
      perDay.set(d, t);
    }
    for (const [day, t] of perDay) out.push({ metric: 'duty_hours_covered', unitId: u.id, day, due: t.due, met: t.met });
  }
}

/**
 * Every metric's tallies for a subtree over the window: per child of the subtree's unit (or per unit,
 * for places and rosters: few rows) and per day.
 */
export async function tallies(deps: Deps, path: string, w: Window, now: number): Promise<Tally[]> {
  const out: Tally[] = [];
  const [checkins, tasks, levels, exceptions, insp, duty, care] = await Promise.all([
    checkinFiguresByUnitAndDay(deps, path, w.prevFrom, w.from, w.to),
    store.taskBuckets(deps.db, path, w.base, w.cap),
    store.incidentLevelBuckets(deps.db, path, w.base, w.cap, now),
    store.exceptionBuckets(deps.db, path, w.base, w.cap),
    inspectionDuties(deps, path, w, now),
    dutyCoverage(deps, path, w),
    careContactDuties(deps.db, path, w.base, w.end, now, { timeZone: deps.config.timeZone }),
  ]);
  // Check-ins: completeness is capped at the headcount per unit and day (a person who joined after
  // the day's snapshot may check in, but one unit's surplus never hides another's, or another day's, miss).
  for (const r of checkins.units) {
    const day = r.current ? w.split : 0;
    out.push({ metric: 'checkin_completeness', unitId: r.unit_id, day, due: r.headcount_days, met: r.met, only: 'periods' });
    out.push({ metric: 'checkin_timeliness', unitId: r.unit_id, day, due: r.checked_in, met: r.on_time, only: 'periods' });
  }
  const dayIx = new Map(w.days.map((d, i) => [d, i]));
  for (const r of checkins.days) {
    const day = dayIx.get(r.day);
    if (day === undefined) continue;
    out.push({ metric: 'checkin_completeness', unitId: 0, day, due: r.headcount_days, met: r.met, only: 'series' });
    out.push({ metric: 'checkin_timeliness', unitId: 0, day, due: r.checked_in, met: r.on_time, only: 'series' });
  }
  tallyHours(w, 'tasks_on_time', tasks, out);
  tallyHours(w, 'incidents_acknowledged', levels, out);
  tallyHours(w, 'measure_exceptions', exceptions, out);
  const byPlaceDay = new Map<string, Tally>();
  for (const d of insp) {
    const key = `${d.unitId} ${d.day}`;
    const t = byPlaceDay.get(key) ?? { metric: 'inspections_on_schedule' as const, unitId: d.unitId, day: d.day, due: 0, met: 0 };
    t.due++;
    if (d.met) t.met++;
    byPlaceDay.set(key, t);
  }
  out.push(...byPlaceDay.values());
  tallyDuty(w, duty, out);
  // Care contacts: each one that fell due, met when made by its due time (counts only: no person, no kind).
  for (const c of care) out.push({ metric: 'care_contacts_in_time', unitId: c.unitId, day: dayIndex(w, c.dueAt), due: 1, met: c.metAt !== null && c.metAt <= c.dueAt ? 1 : 0 });
  return out;
}

/** The scorecard of a unit the caller has checked the actor may see: the computation itself (the overview calls it too). */
export async function scorecardOf(deps: Deps, unit: { id: number; name: string; path: string }, w: Window, now: number): Promise<Scorecard> {
  const [units, all] = await Promise.all([store.unitsOf(deps.db, unit.path), tallies(deps, unit.path, w, now)]);
  const depth = unit.path.split('/').filter(Boolean).length;
  // Which child of the unit each unit belongs to (0: the unit itself).
  const childOf = new Map<number, number>();
  for (const u of units) {
    const ids = u.path.split('/').filter(Boolean);
    childOf.set(u.id, ids.length > depth ? Number(ids[depth]) : 0);
  }
  const children = units.filter((u) => u.parent_id === unit.id && u.archived_at === null);
  const hasChildren = new Set(units.filter((u) => u.archived_at === null).map((u) => u.parent_id));
  const sums = new Map<number, [Sums, Sums]>([[unit.id, [zero(), zero()]], ...children.map((c) => [c.id, [zero(), zero()]] as [number, [Sums, Sums]])]);
  const perDay = w.days.slice(w.split).map(() => zero());
  for (const t of all) {
    const p = t.day >= w.split ? 1 : 0;
    if (t.only !== 'series') {
      const child = childOf.get(t.unitId);
      if (child === undefined) continue;
      const total = sums.get(unit.id)![p][t.metric];
      total.n += t.met;
      total.d += t.due;
      const c = child ? sums.get(child) : undefined;
      if (c) {
        c[p][t.metric].n += t.met;
        c[p][t.metric].d += t.due;
      }
    }
    if (p === 1 && t.only !== 'periods') {
      const s = perDay[t.day - w.split]![t.metric];
      s.n += t.met;
      s.d += t.due;
    }
  }
  const rowOf = (id: number, name: string): ScorecardRow => {
    const [prev, cur] = sums.get(id)!;
    const figures = figuresOf(cur);
    const previous = figuresOf(prev);
    const score = scoreOf(figures);
    const prevScore = scoreOf(previous);
    return { unitId: id, name, hasChildren: hasChildren.has(id), figures, score, rank: null, previous: { figures: previous, score: prevScore }, change: score !== null && prevScore !== null ? score - prevScore : null };
  };
  const rows = children.map((c) => rowOf(c.id, c.name));
  // Ties share a rank (1, 1, 3); unscored children have none and come last.
  const byName = (a: ScorecardRow, b: ScorecardRow) => a.name.localeCompare(b.name, 'zh-CN') || a.unitId - b.unitId;
  const scored = rows.filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || byName(a, b));
  scored.forEach((r, i) => (r.rank = i > 0 && scored[i - 1]!.score === r.score ? scored[i - 1]!.rank : i + 1));
  const unscored = rows.filter((r) => r.score === null).sort(byName);
  return {
    from: w.from,
    to: w.to,
    previous: { from: w.prevFrom, to: w.prevTo },
    unit: rowOf(unit.id, unit.name),
    children: [...scored, ...unscored],
    series: w.days.slice(w.split).map((day, i) => ({ day, score: scoreOf(figuresOf(perDay[i]!)) })),
  };
}

/** A unit the actor may supervise: 403 with supervision.read nowhere, 404 outside it. */
export async function supervisedUnit(deps: Deps, actor: Actor, unitId: number) {
  requireScope(actor, 'supervision.read');
  const unit = await visibleUnitOrNotFound(deps, actor, unitId);
  assertVisible(actor, 'supervision.read', unit.path, 'unit');
  return unit;
}

async function visibleUnitOrNotFound(deps: Deps, actor: Actor, unitId: number) {
  try {
    return await visibleUnit(deps, actor, unitId);
  } catch {
    throw errors.notFound('unit');
  }
}

/** The scorecard of a unit and its children over a period (supervision.read over the unit). */
export async function scorecard(deps: Deps, ctx: Ctx, q: ScorecardQuery): Promise<Scorecard> {
  const actor = requireActor(ctx.actor);
  const unit = await supervisedUnit(deps, actor, q.unitId);
  const now = deps.clock.now();
  return scorecardOf(deps, unit, windowOf(deps, q.from, q.to, now), now);
}

/** The misses behind one metric, with the people answerable for each (supervision.read over the unit). */
export async function scorecardMisses(deps: Deps, ctx: Ctx, q: ScorecardMissesQuery): Promise<ScorecardMissPage> {
  const actor = requireActor(ctx.actor);
  const unit = await supervisedUnit(deps, actor, q.unitId);
  const now = deps.clock.now();
  const w = windowOf(deps, q.from, q.to, now);
  const all = await missesOf(deps, unit.path, q.metric, w, now);
  const start = (q.page - 1) * q.pageSize;
  return { metric: q.metric, from: w.from, to: w.to, items: await all.present(start, q.pageSize), total: all.total, page: q.page, pageSize: q.pageSize };
}
