import { addDays, startOfDay, type Day } from '../../../common/day.js';
import { FEVER_FROM, type LOCATIONS } from '../../../common/schemas/health.js';
import { can, type Actor } from '../../http/actor.js';
import type { JobSpec } from '../../jobs/jobs.js';

/**
 * The rules of a check-in, as pure functions: what is abnormal, when a day is locked, and how one
 * check-in moves the per-(day, unit) counts. Both write paths (SQLite's group commit, PostgreSQL's
 * transaction per request) apply the same deltas, so the counts cannot drift apart between them.
 */

export type Location = (typeof LOCATIONS)[number];

export interface CheckinAnswers {
  temperature: number; // tenths of a degree Celsius
  symptoms: string[];
  location: Location;
  city: string;
  note: string | null;
}

/** Degrees as typed (36.6) to the stored tenths (366); 37.25 rounds up to 37.3. */
export const toTenths = (degrees: number): number => Math.round(degrees * 10);
export const fromTenths = (tenths: number): number => tenths / 10;

/** Temperature from 37.3 °C, any symptom, or in quarantine. */
export function isAbnormal(a: Pick<CheckinAnswers, 'temperature' | 'symptoms' | 'location'>): boolean {
  return a.temperature >= toTenths(FEVER_FROM) || a.symptoms.length > 0 || a.location === 'quarantine';
}

/**
 * Whether a check-in opens a health watch: a temperature from 37.3 °C, any symptom, or being in
 * quarantine newly (the person's previous check-in, if any, was not in quarantine): someone in
 * quarantine for two weeks is followed by their first watch, not a new one every morning.
 */
export function opensHealthWatch(c: Pick<CheckinAnswers, 'temperature' | 'symptoms' | 'location'>, previous: { location: string } | null): boolean {
  if (c.temperature >= toTenths(FEVER_FROM) || c.symptoms.length > 0) return true;
  return c.location === 'quarantine' && previous?.location !== 'quarantine';
}

/** How long a health watch runs unless its cause says otherwise (the 'watch days' health setting). */
export const WATCH_DAYS_SETTING = 'health.watch_days';
export const DEFAULT_WATCH_DAYS = 14;

export const CHECKIN_ABNORMAL_JOB = 'health.checkin_abnormal';

/**
 * The job both write paths enqueue with an abnormal check-in (in its transaction); its handler
 * applies opensHealthWatch to the check-in as it is then. Keyed by the check-in and the write, so a
 * correction (quarantine again, then a fever) is looked at again; the handler does nothing once the
 * check-in has opened or joined a watch.
 */
export function abnormalCheckinJob(checkinId: number, now: number): JobSpec {
  return { kind: CHECKIN_ABNORMAL_JOB, key: `${CHECKIN_ABNORMAL_JOB}:${checkinId}:${now}`, payload: { checkinId }, runAt: now };
}

// ── the day's cut-off ────────────────────────────────────────────────────────────────────────────

/** The check-in cut-off: a measure (common/measures.catalogue.ts), set at the root and tightened below by approved exception. */
export const CUTOFF_MEASURE = 'checkin.cutoff';
/** The instant a day's check-ins lock, in the deployment's time zone. */
export function lockedFrom(day: Day, minutes: number, timeZone: string): number {
  // Counted from the next midnight back when the cut-off is 24:00, so a 23- or 25-hour day still ends at midnight.
  if (minutes >= 24 * 60) return startOfDay(addDays(day, 1), timeZone);
  return startOfDay(day, timeZone) + minutes * 60_000;
}

// ── counts ───────────────────────────────────────────────────────────────────────────────────────

export const COUNT_COLUMNS = ['checked_in', 'normal', 'abnormal', 'at_work', 'remote', 'leave', 'trip', 'quarantine', 'on_time'] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];
export type CountVector = Record<CountColumn, number>;

/** What one stored check-in contributes to its unit's counts. */
export interface CountedCheckin {
  unit_id: number;
  abnormal: number | boolean;
  location: string;
  on_time: number | boolean;
}

const noCounts = (): CountVector => ({ checked_in: 0, normal: 0, abnormal: 0, at_work: 0, remote: 0, leave: 0, trip: 0, quarantine: 0, on_time: 0 });
const COUNTED_LOCATIONS: ReadonlySet<string> = new Set(COUNT_COLUMNS);

export function contributionOf(c: CountedCheckin): CountVector {
  const v = noCounts();
  v.checked_in = 1;
  if (c.abnormal) v.abnormal = 1;
  else v.normal = 1;
  if (COUNTED_LOCATIONS.has(c.location)) v[c.location as CountColumn] = 1;
  if (c.on_time) v.on_time = 1;
  return v;
}

/**
 * The changes to the counts when a check-in goes from `before` (null: none yet) to `after`: an
 * insert adds one, an update moves it between columns (or units, after a transfer). Units whose
 * counts do not change are left out. (Plain loops: every check-in runs this inside the writer's
 * transaction.)
 */
export function countDeltas(before: CountedCheckin | null, after: CountedCheckin): { unitId: number; delta: CountVector }[] {
  const plus = contributionOf(after);
  if (!before) return [{ unitId: after.unit_id, delta: plus }];
  const minus = contributionOf(before);
  if (before.unit_id !== after.unit_id) {
    for (const k of COUNT_COLUMNS) minus[k] = -minus[k];
    return [
      { unitId: before.unit_id, delta: minus },
      { unitId: after.unit_id, delta: plus },
    ];
  }
  let changed = false;
  for (const k of COUNT_COLUMNS) {
    plus[k] -= minus[k];
    if (plus[k] !== 0) changed = true;
  }
  return changed ? [{ unitId: after.unit_id, delta: plus }] : [];
}

// ── who may do what ──────────────────────────────────────────────────────────────────────────────

export function checkinAbilities(actor: Actor, unitPath: string) {
  return { read: can(actor, 'health.read', unitPath), checkInFor: can(actor, 'health.write', unitPath) };
}
