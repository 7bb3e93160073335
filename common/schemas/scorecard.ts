import { z } from 'zod';
import { Day } from './health.js';
import { Id, Page } from './shared.js';

/**
 * The unit scorecard (监督考核 · 考核评分, issue 7): for a unit and each child's subtree over a period,
 * how many duties fell due and how many were met in time. Figures only: no health or care details.
 */

/** The longest period a scorecard covers (its previous period is as long again). */
export const MAX_SCORECARD_DAYS = 92;

/**
 * The metrics, in display order:
 *  - checkin_completeness: check-ins ÷ (headcount × days with a headcount snapshot);
 *  - checkin_timeliness: on-time check-ins ÷ check-ins;
 *  - tasks_on_time: tasks (not of a drill directive) with a deadline in the period, done or verified by it ÷ all of them;
 *  - incidents_acknowledged: incident levels (not of drills) at the subtree's units whose deadline fell in
 *    the period, acknowledged by the deadline ÷ all of them (skipped, late or still waiting count as misses);
 *  - inspections_on_schedule: inspection duties of key places whose due day fell in the period, inspected
 *    by the end of the due day ÷ all of them;
 *  - duty_hours_covered: hours of the period (up to now) with a leader and a duty officer on shift ÷ all
 *    hours, over the units that keep a roster;
 *  - care_contacts_in_time: care contacts that fell due in the period, made by the due time ÷ all of them;
 *  - measure_exceptions: stricter-than-parent exceptions asked in the period: refused ÷ asked. The only
 *    metric where lower is better: it counts in the score as 1 − rate.
 */
export const SCORECARD_METRICS = [
  'checkin_completeness',
  'checkin_timeliness',
  'tasks_on_time',
  'incidents_acknowledged',
  'inspections_on_schedule',
  'duty_hours_covered',
  'care_contacts_in_time',
  'measure_exceptions',
] as const;
export const ScorecardMetric = z.enum(SCORECARD_METRICS);
export type ScorecardMetric = z.infer<typeof ScorecardMetric>;

/** Metrics where a higher rate is worse (counted in the score as 1 − rate). */
export const LOWER_IS_BETTER: readonly ScorecardMetric[] = ['measure_exceptions'];

/** A unit and a period (days in the deployment's zone; default: the 30 days up to today). */
export const ScorecardQuery = z.strictObject({ unitId: Id, from: Day.optional(), to: Day.optional() });
export type ScorecardQuery = z.infer<typeof ScorecardQuery>;

/** One metric's figures: `rate` = numerator ÷ denominator, null when nothing fell due (denominator 0). */
export const MetricFigures = z.object({ numerator: z.number().int(), denominator: z.number().int(), rate: z.number().nullable() });
export type MetricFigures = z.infer<typeof MetricFigures>;

/** Every metric's figures, keyed by metric. */
export const ScorecardFigures = z.object(Object.fromEntries(SCORECARD_METRICS.map((m) => [m, MetricFigures])) as Record<ScorecardMetric, typeof MetricFigures>);
export type ScorecardFigures = z.infer<typeof ScorecardFigures>;

/**
 * A unit's card: its figures over the period (a child's cover its whole subtree), the score (the
 * plain mean, 0..1, of the rates of the metrics that had anything due, lower-is-better ones as
 * 1 − rate; null when nothing was due at all), the same for the previous period of equal length, and
 * `change` = score − previous score (null when either is null).
 */
export const ScorecardRow = z.object({
  unitId: z.number().int(),
  name: z.string(),
  hasChildren: z.boolean(),
  figures: ScorecardFigures,
  score: z.number().nullable(),
  /** 1 = best among the siblings (the asked unit's children); null for the unit itself and for a child with no score. Ties share a rank. */
  rank: z.number().int().nullable(),
  previous: z.object({ figures: ScorecardFigures, score: z.number().nullable() }),
  change: z.number().nullable(),
});
export type ScorecardRow = z.infer<typeof ScorecardRow>;

/** One day of the whole subtree's score: the sparkline. */
export const ScorecardDay = z.object({ day: z.string(), score: z.number().nullable() });

/** The scorecard: the unit's whole subtree, each child ranked (best first, unscored last), and the subtree's daily score. */
export const Scorecard = z.object({
  from: z.string(),
  to: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  unit: ScorecardRow,
  children: z.array(ScorecardRow),
  series: z.array(ScorecardDay),
});
export type Scorecard = z.infer<typeof Scorecard>;

/** The drill-down: the misses of one metric in a unit's subtree over a period. */
export const ScorecardMissesQuery = z.strictObject({ unitId: Id, metric: ScorecardMetric, from: Day.optional(), to: Day.optional(), ...Page });
export type ScorecardMissesQuery = z.infer<typeof ScorecardMissesQuery>;

/** A person answerable for a miss, and in which capacity. */
export const MissPerson = z.object({
  personId: z.number().int().nullable(),
  userId: z.number().int().nullable(),
  name: z.string(),
  /** responsible (task, place) · unit_head · liaison · duty (on shift at the level) · care_officer · requester (an exception) */
  as: z.enum(['responsible', 'unit_head', 'liaison', 'duty', 'care_officer', 'requester']),
});
export type MissPerson = z.infer<typeof MissPerson>;

/**
 * One miss. `entity`/`entityId` say what was missed (a task, an incident level, a place's due day, a
 * roster's uncovered stretch, a care case's contact, an exception, or a unit's check-ins — counts
 * only: `missing` check-ins and `late` ones, never who); `dueAt` when it fell due, `metAt` when it
 * was met late (null: not met); `link` the console path to open. No health or care details.
 */
export const ScorecardMiss = z.object({
  metric: ScorecardMetric,
  entity: z.enum(['checkins', 'task', 'incident_level', 'place', 'duty_gap', 'care_contact', 'measure_exception']),
  entityId: z.number().int().nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  title: z.string().nullable(),
  dueAt: z.number().int().nullable(),
  metAt: z.number().int().nullable(),
  /** duty_gap: the uncovered stretch's end (dueAt is its start); checkins: null */
  endsAt: z.number().int().nullable(),
  missing: z.number().int().nullable(),
  late: z.number().int().nullable(),
  people: z.array(MissPerson),
  link: z.string().nullable(),
});
export type ScorecardMiss = z.infer<typeof ScorecardMiss>;

export const ScorecardMissPage = z.object({
  metric: ScorecardMetric,
  from: z.string(),
  to: z.string(),
  items: z.array(ScorecardMiss),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ScorecardMissPage = z.infer<typeof ScorecardMissPage>;
