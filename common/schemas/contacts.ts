import { z } from 'zod';
import { Meal } from './dining.js';
import { Id, IdParams, Name, Timestamp } from './shared.js';

/**
 * Contact candidates (密接排查): for a person whose test is positive or whose health watch turned
 * severe, the people who shared with them, over the last N days (default: the measure
 * `contact.lookback_days` at the person's unit), their lowest unit, a registered meeting, a canteen
 * slot (same canteen, meal and slot in a plan in force that day) or a duty shift (overlapping
 * shifts of one roster). Only people inside the actor's health.read scope are listed; the others
 * do not exist for the actor. Every read is an audited read of health data.
 *
 * Score (ranked highest first; ties by name then id):
 *   1 point per minute of meetings shared, 1 point per minute of duty shifts overlapping,
 *   30 points per slot-day (one meal at the same canteen slot on one day), 10 points for the unit.
 *
 * Routes (all under /api/v1; permission over the person's unit in brackets):
 *
 *   GET  /people/:id/contact-candidates?days=          ranked candidates                  [health.read]  → ContactCandidates
 *   POST /people/:id/contact-candidates/actions         watch them or notify their units   [health.read over the person and each candidate] ContactAction → ContactActionResult
 */

export const CONTACT_SCORE = { meetingMinute: 1, shiftMinute: 1, slotDay: 30, unit: 10 } as const;
/** The most candidates one answer lists (the rest are counted in `total`). */
export const MAX_CANDIDATES = 2_000;
export const MAX_LOOKBACK_DAYS = 30;

export const ContactParams = IdParams;
export const ContactQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(MAX_LOOKBACK_DAYS).optional() });
export type ContactQuery = z.infer<typeof ContactQuery>;

/** Meetings both were listed attendees of (sharedMeetings of the meetings module): how many, and their minutes. */
export const SharedMeetings = z.object({
  count: z.number().int(),
  /** Their total length in minutes. */
  minutes: z.number().int(),
});
export const SharedSlot = z.object({
  canteenId: z.number().int(),
  canteenName: z.string(),
  meal: Meal,
  start: z.string(),
  end: z.string(),
  /** Days within the look-back on which both were assigned that slot. */
  days: z.number().int(),
});
export const SharedShift = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  /** The overlap of their shifts, [from, to). */
  from: Timestamp,
  to: Timestamp,
  minutes: z.number().int(),
});

export const ContactCandidate = z.object({
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  score: z.number().int(),
  /** Same lowest unit as the person. */
  sameUnit: z.boolean(),
  /** Registered meetings shared ({count: 0, minutes: 0} with none). */
  meetings: SharedMeetings,
  slots: z.array(SharedSlot),
  shifts: z.array(SharedShift),
  /** Already under an open health watch. */
  underWatch: z.boolean(),
});
export type ContactCandidate = z.infer<typeof ContactCandidate>;

export const ContactCandidates = z.object({
  personId: z.number().int(),
  personName: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  /** The look-back: the days [fromDay, toDay] (toDay is today). */
  days: z.number().int(),
  fromDay: z.string(),
  toDay: z.string(),
  /** Candidates in the actor's scope, all of them; `items` holds the first MAX_CANDIDATES. */
  total: z.number().int(),
  items: z.array(ContactCandidate),
  abilities: z.object({ act: z.boolean() }),
});
export type ContactCandidates = z.infer<typeof ContactCandidates>;

export const CONTACT_ACTIONS = ['watch', 'notify_units'] as const;
export const ContactActionKind = z.enum(CONTACT_ACTIONS);

/**
 * Act on some candidates in one transaction: `watch` opens a health watch (reason `contact`) for
 * each (or joins their open one); `notify_units` tells each candidate's unit liaison and head
 * (in-app), one message per unit. A person id outside the actor's scope is refused naming
 * `personIds.<i>` and nothing changes.
 */
export const ContactAction = z.strictObject({
  personIds: z
    .array(Id)
    .min(1)
    .max(MAX_CANDIDATES)
    .refine((a) => new Set(a).size === a.length, 'must not repeat an id'),
  action: ContactActionKind,
  note: Name(500).optional(),
});
export type ContactAction = z.infer<typeof ContactAction>;

export const ContactActionResult = z.object({
  action: ContactActionKind,
  /** watch: watches newly opened; notify_units: units told. */
  done: z.number().int(),
  /** watch: people whose open watch took the new cause instead. */
  joined: z.number().int(),
});
export type ContactActionResult = z.infer<typeof ContactActionResult>;
