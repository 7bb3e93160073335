import { z } from 'zod';
import { Id } from './shared.js';
import { Day } from './health.js';

/** The longest period a trend or a completeness table covers: about a quarter. */
export const MAX_PERIOD_DAYS = 92;

/** A unit and a period (default: the 30 days up to today, in the deployment's time zone). */
export const PeriodQuery = z.strictObject({ unitId: Id, from: Day.optional(), to: Day.optional() });
export type PeriodQuery = z.infer<typeof PeriodQuery>;

/** One day of a subtree's trend. `headcount` is null on a day no headcount snapshot was taken. */
export const TrendDay = z.object({
  day: z.string(),
  headcount: z.number().int().nullable(),
  checkedIn: z.number().int(),
  abnormal: z.number().int(),
  onTime: z.number().int(),
});
export const CheckinTrend = z.object({ unitId: z.number().int(), from: z.string(), to: z.string(), days: z.array(TrendDay) });
export type CheckinTrend = z.infer<typeof CheckinTrend>;

/**
 * A unit's figures over a period, on the days with a headcount snapshot: `headcountDays` is the sum
 * of each day's headcount; completeness = checkedIn / headcountDays (at most 1), timeliness =
 * onTime / checkedIn; null when there is nothing to divide by.
 */
export const PeriodFigures = z.object({
  headcountDays: z.number().int(),
  checkedIn: z.number().int(),
  onTime: z.number().int(),
  completeness: z.number().nullable(),
  timeliness: z.number().nullable(),
});
export type PeriodFigures = z.infer<typeof PeriodFigures>;
export const PeriodUnit = PeriodFigures.extend({ id: z.number().int(), name: z.string(), hasChildren: z.boolean() });
/** Like the roll-up: the unit's own people, each child's subtree, the whole subtree. `days`: days counted. */
export const CheckinPeriod = z.object({ from: z.string(), to: z.string(), days: z.number().int(), unit: PeriodUnit, children: z.array(PeriodUnit), total: PeriodFigures });
export type CheckinPeriod = z.infer<typeof CheckinPeriod>;

/** What the live check-in stream sends: a day's check-ins changed in these units (paths, or subtrees when `prefixes`). */
export const CheckinsChanged = z.object({ day: z.string(), paths: z.array(z.string()), prefixes: z.boolean() });
export type CheckinsChanged = z.infer<typeof CheckinsChanged>;
export const LiveQuery = z.strictObject({ unitId: Id });
