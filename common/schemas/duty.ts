import { z } from 'zod';
import { LongText } from './directives.js';
import { Day } from './health.js';
import { Id, Name, Timestamp } from './shared.js';

/**
 * Duty rosters (值班表): the 24-hour schedule of shifts of every unit that keeps duty, each shift
 * with a leader on duty (带班领导) and one or more duty officers (值班员); swaps, coverage gaps,
 * who is on duty now (at a unit and each level above), handovers (交接班), the duty log of a day,
 * and each person's own coming shifts with a private iCalendar feed. Times are epoch milliseconds
 * (UTC instants); days are 'YYYY-MM-DD' in the deployment's time zone (Asia/Shanghai by default).
 *
 * Routes (all under /api/v1; permission over the unit in brackets):
 *
 *   GET    /duty/rosters?unitId=                  the units that keep duty in a subtree      [duty.read]      → RosterList
 *   PUT    /duty/rosters/:unitId                  make a unit keep duty / change its note    [duty.write]     RosterPut → Roster
 *   DELETE /duty/rosters/:unitId                  stop keeping duty (no future shifts left)  [duty.write]     → Ok
 *   POST   /duty/rosters/:unitId/generate         fill a range of days from a pattern        [duty.write]     GenerateRequest → GenerateResult
 *   GET    /duty/shifts?unitId=&from=&to=         one unit's shifts overlapping [from, to)   [duty.read]      → ShiftList
 *   POST   /duty/shifts                           add one shift                              [duty.write]     ShiftCreate → Shift
 *   GET    /duty/shifts/:id                       one shift                                  [duty.read, or on it] → Shift
 *   PATCH  /duty/shifts/:id                       change times, people, note                 [duty.write]     ShiftPatch → Shift
 *   DELETE /duty/shifts/:id                       remove a shift that has not started        [duty.write]     → Ok
 *   GET    /duty/shifts/:id/handover              the shift's own handover note (or null)    [duty.read, or on it] → HandoverAnswer
 *   PUT    /duty/shifts/:id/handover              write/rewrite it (the shift's people)      [on it, or duty.write] HandoverPut → Handover
 *   GET    /duty/shifts/:id/previous-handover     the note the previous shift left for it    [duty.read, or on it] → HandoverAnswer
 *   GET    /duty/swaps?unitId=&status=            swaps of a subtree                         [duty.read]      → SwapList
 *   POST   /duty/swaps                            ask a swap for one of my shifts            [on the shift]   SwapCreate → Swap
 *   GET    /duty/swaps/:id                        one swap                                   [a party, or duty.read] → Swap
 *   POST   /duty/swaps/:id/accept                 the other person agrees                    [the counterpart] SwapAnswer → Swap
 *   POST   /duty/swaps/:id/decline                the other person says no                   [the counterpart] SwapAnswer → Swap
 *   POST   /duty/swaps/:id/approve                the unit head approves: applied at once    [duty.write]     SwapDecision → Swap
 *   POST   /duty/swaps/:id/refuse                 the unit head refuses                      [duty.write]     SwapDecision → Swap
 *   POST   /duty/swaps/:id/cancel                 the asker withdraws an undecided swap      [the requester]  → Swap
 *   GET    /duty/gaps?unitId=&days=               hours without a leader or officer, next 7 days, subtree [duty.read] → GapList
 *   GET    /duty/now?unitId=                      who is on duty now at the unit and each level above it [any grant in the unit] → NowAnswer
 *   GET    /duty/log?unitId=&day=                 the duty log of a day: shifts, handovers, other modules' entries [duty.read] → DutyLog
 *   GET    /duty/feed/:token.ics                  the private calendar feed (no session; the token is the credential) → text/calendar
 *   GET    /me/shifts                             my coming shifts (60 days)                 [signed in, linked to a person] → MyShifts
 *   GET    /me/shifts/feed                        whether my feed exists                     [self]           → FeedStatus
 *   POST   /me/shifts/feed                        make or rotate my feed's secret URL        [self]           → FeedCreated
 *   DELETE /me/shifts/feed                        stop my feed                               [self]           → Ok
 *   GET    /me/swaps                              swaps I asked or was asked for             [self]           → SwapList
 */

export const DUTY_ROLES = ['leader', 'officer'] as const;
export const DutyRole = z.enum(DUTY_ROLES);
export type DutyRole = z.infer<typeof DutyRole>;

/** How long a shift may be, in hours; generated shifts tile the day, so their length divides 24. */
export const MAX_SHIFT_HOURS = 72;
export const SHIFT_HOURS = [4, 6, 8, 12, 24] as const;
/** The most days one generation may cover. */
export const MAX_GENERATE_DAYS = 92;
/** The widest range one list of shifts may ask for. */
export const MAX_SHIFT_RANGE_DAYS = 93;
/** How far ahead the coverage check looks, in days (the gaps list may ask for fewer). */
export const GAP_HORIZON_DAYS = 7;
/** How far ahead "my shifts" and the calendar feed look, in days. */
export const MY_SHIFTS_DAYS = 60;
/** The most people on one shift in one role. */
export const MAX_PER_ROLE = 20;

const uniqueIds = (max: number) =>
  z
    .array(Id)
    .max(max)
    .refine((a) => new Set(a).size === a.length, 'must not repeat an id');

/** A query-string instant (ms). */
const QueryTimestamp = z.coerce.number().int().min(0).max(8_640_000_000_000_000);

// ── people on a shift ──────────────────────────────────────────────────────────────────────────

export const ShiftPerson = z.object({
  personId: z.number().int(),
  name: z.string(),
  /** Whole for an actor with people.phone over the person's unit, masked (138****5678) otherwise. */
  phone: z.string().nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
});
export type ShiftPerson = z.infer<typeof ShiftPerson>;

// ── rosters ────────────────────────────────────────────────────────────────────────────────────

/**
 * A rotation over lists of people. Each day from `from` has 24 / shiftHours shifts ("slots"),
 * the first starting at `handoverHour` o'clock local time. The rotation steps once per day
 * (`daily`: every slot of a day has the next people) or once per week (`weekly`: the same people
 * every day of the week for the same slot). Officers fill `officersPerShift` places each.
 * `leaderOffset` / `officerOffset` say where in each list the first day begins (to continue last
 * month's rotation).
 */
export const Pattern = z.strictObject({
  leaderIds: uniqueIds(200).min(1),
  officerIds: uniqueIds(500).min(1),
  officersPerShift: z.number().int().min(1).max(MAX_PER_ROLE).default(1),
  rotation: z.enum(['daily', 'weekly']).default('daily'),
  shiftHours: z
    .number()
    .int()
    .refine((h) => (SHIFT_HOURS as readonly number[]).includes(h), `must be one of ${SHIFT_HOURS.join(', ')}`)
    .default(24),
  /** The local hour (0-23) of the daily hand-over, where the first slot of a day starts. */
  handoverHour: z.number().int().min(0).max(23).default(8),
  leaderOffset: z.number().int().min(0).max(10_000).default(0),
  officerOffset: z.number().int().min(0).max(10_000).default(0),
});
export type Pattern = z.infer<typeof Pattern>;
export type PatternInput = z.input<typeof Pattern>;

export const RosterAbilities = z.object({ write: z.boolean() });

export const Roster = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  note: z.string().nullable(),
  /** The last pattern a range was generated from, to offer again. */
  pattern: Pattern.nullable(),
  /** The end of the last shift, null with no shift: how far ahead the roster reaches. */
  coveredUntil: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  abilities: RosterAbilities,
});
export type Roster = z.infer<typeof Roster>;
export const RosterList = z.object({ items: z.array(Roster) });

export const RosterListQuery = z.strictObject({ unitId: Id.optional() });
export const RosterParams = z.strictObject({ unitId: Id });
export const RosterPut = z.strictObject({ note: Name(500).nullable().default(null) });
export type RosterPut = z.infer<typeof RosterPut>;

/**
 * Fill the days [from, to] (inclusive, local days) from a pattern. Shifts already there that have
 * not started and were not changed by a swap are replaced; started or swapped ones are kept, and a
 * generated shift that would overlap a kept one is skipped. `dryRun` answers the same without writing.
 */
export const GenerateRequest = z.strictObject({
  from: Day,
  to: Day,
  pattern: Pattern,
  note: Name(500).optional(),
  dryRun: z.boolean().default(false),
});
export type GenerateRequest = z.infer<typeof GenerateRequest>;

export const GenerateResult = z.object({
  /** New shifts written (or that would be). */
  created: z.number().int(),
  /** Shifts that were there and have been replaced. */
  replaced: z.number().int(),
  /** Shifts kept because they had started or were swapped; the generated ones over them were skipped. */
  kept: z.number().int(),
  skipped: z.number().int(),
  from: Timestamp,
  to: Timestamp,
  dryRun: z.boolean(),
});
export type GenerateResult = z.infer<typeof GenerateResult>;

// ── shifts ─────────────────────────────────────────────────────────────────────────────────────

export const ShiftAbilities = z.object({
  /** Change times, people or note (duty.write over the unit, shift not ended). */
  update: z.boolean(),
  /** Remove (duty.write, shift not started). */
  delete: z.boolean(),
  /** Write its handover note (on the shift, or duty.write; from its start to 12 h after its end). */
  handover: z.boolean(),
  /** Ask a swap for it (the actor is on it and it has not started). */
  swap: z.boolean(),
});
export type ShiftAbilities = z.infer<typeof ShiftAbilities>;

export const Shift = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  note: z.string().nullable(),
  source: z.enum(['generated', 'manual']),
  /** An approved swap changed its people (a later generation leaves it alone). */
  swapped: z.boolean(),
  leaders: z.array(ShiftPerson),
  officers: z.array(ShiftPerson),
  hasHandover: z.boolean(),
  abilities: ShiftAbilities,
});
export type Shift = z.infer<typeof Shift>;
export const ShiftList = z.object({ items: z.array(Shift) });

export const ShiftListQuery = z.strictObject({ unitId: Id, from: QueryTimestamp, to: QueryTimestamp });

/** A shift's people: one or more leaders (usually one) and one or more officers, all different people within the editor's scope. */
export const ShiftCreate = z.strictObject({
  unitId: Id,
  startsAt: Timestamp,
  endsAt: Timestamp,
  leaderIds: uniqueIds(MAX_PER_ROLE).min(1),
  officerIds: uniqueIds(MAX_PER_ROLE).min(1),
  note: Name(500).optional(),
});
export type ShiftCreate = z.infer<typeof ShiftCreate>;

export const ShiftPatch = z
  .strictObject({
    startsAt: Timestamp.optional(),
    endsAt: Timestamp.optional(),
    leaderIds: uniqueIds(MAX_PER_ROLE).min(1).optional(),
    officerIds: uniqueIds(MAX_PER_ROLE).min(1).optional(),
    note: Name(500).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type ShiftPatch = z.infer<typeof ShiftPatch>;

// ── handovers ──────────────────────────────────────────────────────────────────────────────────

export const MAX_HANDOVER = 5000;
export const HandoverPut = z.strictObject({ body: LongText(MAX_HANDOVER) });
export type HandoverPut = z.infer<typeof HandoverPut>;

export const Handover = z.object({
  id: z.number().int(),
  shiftId: z.number().int(),
  unitId: z.number().int(),
  shiftStartsAt: Timestamp,
  shiftEndsAt: Timestamp,
  body: z.string(),
  authorName: z.string().nullable(),
  writtenAt: Timestamp,
  updatedAt: Timestamp,
});
export type Handover = z.infer<typeof Handover>;
export const HandoverAnswer = z.object({ handover: Handover.nullable() });

// ── swaps ──────────────────────────────────────────────────────────────────────────────────────

/** asked → accepted (by the other person) → approved (applied) | refused (by the head); asked → declined (by the other); asked|accepted → cancelled (by the asker). */
export const SWAP_STATUSES = ['asked', 'accepted', 'approved', 'refused', 'declined', 'cancelled'] as const;
export const SwapStatus = z.enum(SWAP_STATUSES);
export type SwapStatus = z.infer<typeof SwapStatus>;

/**
 * Ask to swap my place on `shiftId` with `counterpartPersonId`: with their place on
 * `counterpartShiftId` (an exchange), or without (they just take my place). Both shifts must be of
 * the same unit and not started.
 */
export const SwapCreate = z.strictObject({
  shiftId: Id,
  counterpartPersonId: Id,
  counterpartShiftId: Id.optional(),
  reason: Name(500).optional(),
});
export type SwapCreate = z.infer<typeof SwapCreate>;
export const SwapAnswer = z.strictObject({ note: Name(500).optional() });
export const SwapDecision = z.strictObject({ note: Name(500).optional() });

export const SwapShift = z.object({ id: z.number().int(), startsAt: Timestamp, endsAt: Timestamp, role: DutyRole });

export const SwapAbilities = z.object({
  accept: z.boolean(),
  decline: z.boolean(),
  approve: z.boolean(),
  refuse: z.boolean(),
  cancel: z.boolean(),
});

export const Swap = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  status: SwapStatus,
  requester: z.object({ personId: z.number().int(), name: z.string() }),
  counterpart: z.object({ personId: z.number().int(), name: z.string() }),
  /** The requester's place that the counterpart takes. */
  shift: SwapShift,
  /** The counterpart's place that the requester takes, for an exchange. */
  counterpartShift: SwapShift.nullable(),
  reason: z.string().nullable(),
  requestedAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  decidedAt: Timestamp.nullable(),
  decidedByName: z.string().nullable(),
  decisionNote: z.string().nullable(),
  abilities: SwapAbilities,
});
export type Swap = z.infer<typeof Swap>;
export const SwapList = z.object({ items: z.array(Swap) });
export const SwapListQuery = z.strictObject({ unitId: Id.optional(), status: SwapStatus.optional() });

// ── coverage gaps ──────────────────────────────────────────────────────────────────────────────

/** A stretch of time at a unit that keeps duty with nobody on shift in one role. */
export const Gap = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  role: DutyRole,
  startsAt: Timestamp,
  endsAt: Timestamp,
});
export type Gap = z.infer<typeof Gap>;
export const GapQuery = z.strictObject({
  unitId: Id.optional(),
  days: z.coerce.number().int().min(1).max(GAP_HORIZON_DAYS).default(GAP_HORIZON_DAYS),
});
export const GapList = z.object({
  from: Timestamp,
  to: Timestamp,
  /** How many units that keep duty were checked. */
  units: z.number().int(),
  items: z.array(Gap),
});
export type GapList = z.infer<typeof GapList>;

// ── who is on duty now ────────────────────────────────────────────────────────────────────────

export const NowQuery = z.strictObject({ unitId: Id });

export const NowLevel = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  depth: z.number().int(),
  keepsDuty: z.boolean(),
  /** The shift running now, null when none. */
  shift: z.object({ id: z.number().int(), startsAt: Timestamp, endsAt: Timestamp }).nullable(),
  leaders: z.array(ShiftPerson),
  officers: z.array(ShiftPerson),
});
export type NowLevel = z.infer<typeof NowLevel>;
/** The asked unit first (whether or not it keeps duty), then each ancestor that keeps duty, nearest first. */
export const NowAnswer = z.object({ at: Timestamp, levels: z.array(NowLevel) });
export type NowAnswer = z.infer<typeof NowAnswer>;

// ── duty log ───────────────────────────────────────────────────────────────────────────────────

export const DutyLogQuery = z.strictObject({ unitId: Id, day: Day.optional() });

/**
 * One line of a day's duty log. The duty module writes `shift_start`, `shift_end`, `handover`,
 * `swap`; other modules (incidents) add their own kinds through the log's sources
 * (server/modules/duty/duty.log.ts).
 */
export const DutyLogEntry = z.object({
  at: Timestamp,
  source: z.string(),
  kind: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  /** What the entry is about, for a link: { entity: 'duty_shift', id } etc. */
  ref: z.object({ entity: z.string(), id: z.number().int() }).nullable(),
});
export type DutyLogEntry = z.infer<typeof DutyLogEntry>;

export const DutyLog = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  day: Day,
  from: Timestamp,
  to: Timestamp,
  shifts: z.array(Shift),
  handovers: z.array(Handover),
  entries: z.array(DutyLogEntry),
});
export type DutyLog = z.infer<typeof DutyLog>;

// ── my shifts and the calendar feed ────────────────────────────────────────────────────────────

export const MyShift = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  role: DutyRole,
  note: z.string().nullable(),
  /** Everyone on the shift (me included), phones as the actor may see them. */
  leaders: z.array(ShiftPerson),
  officers: z.array(ShiftPerson),
  abilities: ShiftAbilities,
});
export type MyShift = z.infer<typeof MyShift>;
export const MyShifts = z.object({ items: z.array(MyShift) });

export const FeedStatus = z.object({ exists: z.boolean(), createdAt: Timestamp.nullable(), lastUsedAt: Timestamp.nullable() });
/** The secret URL, shown once: only its hash is kept. Making a new one stops the old. */
export const FeedCreated = z.object({ url: z.string(), path: z.string(), createdAt: Timestamp });
export const FeedParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a feed token') });

// ── params ─────────────────────────────────────────────────────────────────────────────────────

export const ShiftParams = z.strictObject({ id: Id });
export const SwapParams = z.strictObject({ id: Id });
