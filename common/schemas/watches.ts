import { z } from 'zod';
import { Id, Page, Timestamp, pageOf } from './shared.js';
import { TEMPERATURE_MAX, TEMPERATURE_MIN } from './health.js';

/** Health watches (健康监测): what opens one, how one ends. */
export const WATCH_REASONS = ['checkin_abnormal', 'test_positive', 'trip_return', 'manual', 'contact'] as const;
export const WatchReason = z.enum(WATCH_REASONS);
export type WatchReason = z.infer<typeof WatchReason>;
export const WATCH_OUTCOMES = ['recovered', 'cleared', 'hospitalised', 'other'] as const;
export const WatchOutcome = z.enum(WATCH_OUTCOMES);
export const WATCH_STATUSES = ['open', 'closed'] as const;
export const WatchStatus = z.enum(WATCH_STATUSES);

/** The longest watch a person may be put under by hand; causes use the setting. */
export const WATCH_DAYS_MAX = 90;

const NoteText = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');
const temperatureRange = `must be between ${TEMPERATURE_MIN.toFixed(1)} and ${TEMPERATURE_MAX.toFixed(1)} °C`;

export const WatchListQuery = z.strictObject({ unitId: Id.optional(), status: WatchStatus.optional(), ...Page });

/** Open by hand: a person, for how many days (default: the `watch days` setting), why. */
export const WatchOpen = z.strictObject({
  personId: Id,
  days: z.number().int().min(1).max(WATCH_DAYS_MAX).optional(),
  note: NoteText.optional(),
});
export type WatchOpen = z.infer<typeof WatchOpen>;

/** A daily note: what was seen, and the temperature when one was taken. */
export const WatchNoteInput = z.strictObject({
  note: NoteText,
  temperature: z.number().min(TEMPERATURE_MIN, temperatureRange).max(TEMPERATURE_MAX, temperatureRange).optional(),
});
export type WatchNoteInput = z.infer<typeof WatchNoteInput>;

/** Close with an outcome; 'other' must say what. */
export const WatchClose = z
  .strictObject({ outcome: WatchOutcome, note: NoteText.optional() })
  .superRefine((v, ctx) => {
    if (v.outcome === 'other' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: "required when the outcome is 'other'" });
  });
export type WatchClose = z.infer<typeof WatchClose>;

export const WatchAbilities = z.object({ addNote: z.boolean(), close: z.boolean() });

export const WatchListItem = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  employeeNo: z.string(),
  /** The person's unit today (the watch follows the person). */
  unitId: z.number().int(),
  unitName: z.string(),
  reason: WatchReason,
  startDay: z.string(),
  endDay: z.string(),
  days: z.number().int(),
  /** Days still to run, today included; 0 once the end has passed; null when closed. */
  daysLeft: z.number().int().nullable(),
  status: WatchStatus,
  outcome: WatchOutcome.nullable(),
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
  abilities: WatchAbilities,
});
export type WatchListItem = z.infer<typeof WatchListItem>;
export const WatchPage = pageOf(WatchListItem);

export const WatchNote = z.object({
  id: z.number().int(),
  day: z.string(),
  note: z.string().nullable(),
  temperature: z.number().nullable(),
  /** Set when the note records a cause that opened or joined the watch. */
  reason: WatchReason.nullable(),
  sourceEntity: z.string().nullable(),
  sourceId: z.string().nullable(),
  authorUserId: z.number().int().nullable(),
  authorName: z.string().nullable(),
  createdAt: Timestamp,
});
export type WatchNote = z.infer<typeof WatchNote>;

export const WatchDetail = WatchListItem.extend({
  sourceEntity: z.string(),
  sourceId: z.string(),
  outcomeNote: z.string().nullable(),
  openedByUserId: z.number().int().nullable(),
  closedByUserId: z.number().int().nullable(),
  notes: z.array(WatchNote),
});
export type WatchDetail = z.infer<typeof WatchDetail>;
