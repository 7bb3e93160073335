import { z } from 'zod';
import { Id } from './shared.js';

/**
 * The command office's overview (总览, issue 7): the day at a glance for a unit's subtree. Each
 * section is present only when the actor holds the permission its module needs over the unit
 * (health.read, incidents.read, tasks.read, duty.read, care.figures, supervision.read); a user in
 * scope holding none of them gets 200 with no sections. Every figure carries the console path it
 * links to. Drills (incidents.drill, directives.drill) are left out everywhere.
 */

export const OverviewQuery = z.strictObject({ unitId: Id });
export type OverviewQuery = z.infer<typeof OverviewQuery>;

/** A count and the console page that lists what it counts. */
export const LinkedCount = z.object({ count: z.number().int(), link: z.string() });
export type LinkedCount = z.infer<typeof LinkedCount>;

/** Today's check-ins of the subtree (health.read): active headcount now and today's counts. */
export const OverviewCheckins = z.object({
  day: z.string(),
  headcount: z.number().int(),
  checkedIn: z.number().int(),
  onTime: z.number().int(),
  abnormal: z.number().int(),
  /** checkedIn ÷ headcount (at most 1), null with no one active */
  completeness: z.number().nullable(),
  /** onTime ÷ checkedIn, null with no check-in yet */
  timeliness: z.number().nullable(),
  link: z.string(),
});

/** Open health watches of people in the subtree (health.read): a count only. */
export const OverviewWatches = LinkedCount;

/** Incidents open (not resolved or closed, not drills) filed in the subtree (incidents.read), by severity level. */
export const OverviewIncidents = z.object({
  open: z.number().int(),
  bySeverity: z.array(z.object({ severity: z.string(), count: z.number().int() })),
  link: z.string(),
});

/** Tasks of the subtree (tasks.read, not of drill directives): open with a deadline today, and open past their deadline. */
export const OverviewTasks = z.object({ dueToday: LinkedCount, overdue: LinkedCount });

export const OverviewDutyPerson = z.object({ personId: z.number().int(), name: z.string() });
/**
 * Who is on duty now at the group level (duty.read): the roster of the asked unit, else of the
 * nearest unit above it in the actor's scope that keeps one (`rosterUnitId` null: none does).
 */
export const OverviewDuty = z.object({
  rosterUnitId: z.number().int().nullable(),
  rosterUnitName: z.string().nullable(),
  leaders: z.array(OverviewDutyPerson),
  officers: z.array(OverviewDutyPerson),
  link: z.string(),
});

/** Care figures of the subtree (care.figures): counts, never a case. */
export const OverviewCare = z.object({
  openCases: z.number().int(),
  byKind: z.record(z.string(), z.number().int()),
  needsOpen: z.number().int(),
  uncontacted: z.number().int(),
  requestsOpen: z.number().int(),
  link: z.string(),
});

/** The worst units on the scorecard over the last 7 days (supervision.read): the asked unit's children, lowest score first, at most 5. */
export const OverviewWorstUnit = z.object({ unitId: z.number().int(), name: z.string(), score: z.number(), link: z.string() });
export const OverviewScorecard = z.object({ from: z.string(), to: z.string(), worst: z.array(OverviewWorstUnit), link: z.string() });

export const Overview = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  day: z.string(),
  at: z.number().int(),
  checkins: OverviewCheckins.optional(),
  watches: OverviewWatches.optional(),
  incidents: OverviewIncidents.optional(),
  tasks: OverviewTasks.optional(),
  duty: OverviewDuty.optional(),
  care: OverviewCare.optional(),
  scorecard: OverviewScorecard.optional(),
});
export type Overview = z.infer<typeof Overview>;
