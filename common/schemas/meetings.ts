import { z } from 'zod';
import { LongText } from './directives.js';
import { Day } from './health.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Rooms and meeting registrations (会议报备), issue 6. Not the command's own meetings of the
 * directives module (/api/v1/meetings): these are gatherings a unit registers so that they are
 * checked against the meeting measures. Times are epoch milliseconds; days are the deployment's.
 * The rules behind these shapes are in docs/meetings.md.
 *
 * Routes (all under /api/v1):
 *   GET  /rooms?unitId=&forUnitId=&archived=          rooms in the actor's places.read scope (unitId: that subtree);
 *                                                      forUnitId: the rooms a meeting of that unit may use (its own and
 *                                                      its ancestors'; meetings.register over it)         → RoomPage
 *   POST /rooms                                        keep a room (places.write over the unit)           → Room (201)
 *   GET  /rooms/:id                                    one room (places.read over its unit)               → Room
 *   PATCH /rooms/:id                                   change it (places.write)                            → Room
 *   POST /rooms/:id/archive                            archive it (places.write); its meetings stay        → Room
 *   GET  /meeting-registrations?unitId=&day=&building=&status=&overLimit=&from=&to=
 *                                                      a day's meetings per unit (subtree) and building, or the over-limit
 *                                                      ones over a period (places.read, meetings.register or meetings.approve
 *                                                      over the unit)                                       → MeetingRegistrationPage
 *   POST /meeting-registrations/check                  dry run: the limits and breaches of a registration, nothing saved
 *                                                      (meetings.register over the unit)                    → MeetingCheck
 *   POST /meeting-registrations                        register (meetings.register over the unit); within limits: registered,
 *                                                      over: pending (needs `reason`), unit heads told       → MeetingRegistration (201)
 *   GET  /meeting-registrations/:id                    one registration with its attendees in the actor's scope → MeetingRegistration
 *   PATCH /meeting-registrations/:id                   change it (meetings.register or meetings.approve over the unit); re-checked:
 *                                                      a breach sends it back to pending                    → MeetingRegistration
 *   POST /meeting-registrations/:id/approve            approve a pending one (meetings.approve over the unit) → MeetingRegistration
 *   POST /meeting-registrations/:id/refuse             refuse a pending one, with a note (meetings.approve)  → MeetingRegistration
 *   POST /meeting-registrations/:id/cancel             cancel (the organiser, or meetings.approve over the unit) → MeetingRegistration
 *
 * A bad input answers the project's validation error (400, `fields` naming each field); the brief's
 * "422" is that error. Out of scope is 404.
 */

// ── rooms ────────────────────────────────────────────────────────────────────────────────────────

/** Keep a room at a unit. */
export const RoomCreate = z.strictObject({
  unitId: Id,
  name: Name(100),
  /** Free text, used to group a day's meetings; empty when none. */
  building: z.string().trim().max(100).default(''),
  /** How many people it seats. */
  capacity: z.number().int().min(1).max(10_000),
  /** Windows that open or a fresh-air system. */
  ventilated: z.boolean(),
});
export type RoomCreate = z.infer<typeof RoomCreate>;

/** Change a room: any of its fields but the unit. */
export const RoomPatch = z.strictObject({
  name: Name(100).optional(),
  building: z.string().trim().max(100).optional(),
  capacity: z.number().int().min(1).max(10_000).optional(),
  ventilated: z.boolean().optional(),
});
export type RoomPatch = z.infer<typeof RoomPatch>;

/** Rooms list: `unitId` (its subtree) or `forUnitId` (the rooms a meeting of that unit may use), archived ones only on request. */
export const RoomListQuery = z.strictObject({
  unitId: Id.optional(),
  forUnitId: Id.optional(),
  archived: z.enum(['true', 'false']).default('false'),
  ...Page,
});
export type RoomListQuery = z.infer<typeof RoomListQuery>;

export const RoomAbilities = z.object({ edit: z.boolean(), archive: z.boolean() });

/** A room as the console shows it. */
export const Room = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  name: z.string(),
  building: z.string(),
  capacity: z.number().int(),
  ventilated: z.boolean(),
  archivedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  abilities: RoomAbilities,
});
export type Room = z.infer<typeof Room>;
export const RoomPage = pageOf(Room);

// ── meeting registrations ────────────────────────────────────────────────────────────────────────

/**
 * registered (within limits, at once) · pending (over a limit, waiting for the unit head) ·
 * approved · refused · cancelled.
 */
export const MEETING_STATUSES = ['registered', 'pending', 'approved', 'refused', 'cancelled'] as const;
export const MeetingStatus = z.enum(MEETING_STATUSES);
export type MeetingStatus = z.infer<typeof MeetingStatus>;

/**
 * What a breach is of: max_size (meeting.max_size), max_minutes (meeting.max_minutes),
 * room_density (capacity × room.density, floored), unventilated (the order asks for ventilated rooms).
 */
export const BREACH_KINDS = ['max_size', 'max_minutes', 'room_density', 'unventilated'] as const;
export const BreachKind = z.enum(BREACH_KINDS);
export type BreachKind = z.infer<typeof BreachKind>;

/** One limit a meeting goes over. */
export const MeetingBreach = z.object({
  kind: BreachKind,
  /** The measure it comes from; null for unventilated (a rule, not a measure). */
  measureKey: z.string().nullable(),
  /** The largest value allowed (people or minutes); unventilated: 1 (ventilation required). */
  limit: z.number(),
  /** The meeting's value; unventilated: 0. */
  value: z.number(),
  /** The unit whose measure value applies; null: the built-in default (or unventilated). */
  fromUnitId: z.number().int().nullable(),
  fromUnitName: z.string().nullable(),
});
export type MeetingBreach = z.infer<typeof MeetingBreach>;

const AttendeeIds = z
  .array(Id)
  .max(2_000)
  .refine((a) => new Set(a).size === a.length, 'must not repeat a person');

/** A meeting's start: an instant between 2000 and 2100 (a typo of a few digits is refused, not stored). */
const StartAt = Timestamp.min(Date.UTC(2000, 0, 1)).max(Date.UTC(2100, 0, 1));

const registrationFields = {
  title: Name(200),
  /** The organising unit. */
  unitId: Id,
  /** A room of the unit or of an ancestor's; null with `place` for outside rooms. */
  roomId: Id.nullable().default(null),
  /** Where, when not in a registered room. */
  place: Name(200).optional(),
  startAt: StartAt,
  minutes: z.number().int().min(1).max(1_440),
  /** Expected attendees; with an attendee list, at least its length. */
  attendees: z.number().int().min(1).max(100_000),
  /** Defaults to the room's flag; required without a room. */
  ventilated: z.boolean().optional(),
  /** People within the actor's scope; the contact search reads the list. */
  attendeeIds: AttendeeIds.default([]),
  note: LongText(2000).optional(),
  /** Why it must go over a limit: required when it does. */
  reason: LongText(2000).optional(),
};

/** The cross-field rules every registration body follows (the server checks the rest). */
function registrationRules(v: { roomId?: number | null; place?: string; attendees?: number; attendeeIds?: number[] }, ctx: z.RefinementCtx): void {
  if (v.roomId != null && v.place !== undefined) ctx.addIssue({ code: 'custom', path: ['place'], message: 'give roomId or place, not both' });
  if (v.roomId === null && v.place === undefined) ctx.addIssue({ code: 'custom', path: ['place'], message: 'required without a room' });
  if (v.attendees !== undefined && v.attendeeIds && v.attendees < v.attendeeIds.length)
    ctx.addIssue({ code: 'custom', path: ['attendees'], message: 'must be at least the number of people listed in attendeeIds' });
}

/** POST /meeting-registrations and POST /meeting-registrations/check (the same body). */
export const MeetingRegistrationCreate = z.strictObject(registrationFields).superRefine(registrationRules);
export type MeetingRegistrationCreate = z.infer<typeof MeetingRegistrationCreate>;

/**
 * PATCH /meeting-registrations/:id: time, room, size and the rest; re-checked against the measures of
 * the (new) day. The unit does not change. `attendeeIds`, when given, replaces the list.
 */
export const MeetingRegistrationPatch = z
  .strictObject({
    title: Name(200).optional(),
    roomId: Id.nullable().optional(),
    place: Name(200).nullable().optional(),
    startAt: StartAt.optional(),
    minutes: z.number().int().min(1).max(1_440).optional(),
    attendees: z.number().int().min(1).max(100_000).optional(),
    ventilated: z.boolean().optional(),
    attendeeIds: AttendeeIds.optional(),
    note: LongText(2000).nullable().optional(),
    reason: LongText(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.roomId != null && v.place != null) ctx.addIssue({ code: 'custom', path: ['place'], message: 'give roomId or place, not both' });
    if (v.attendees !== undefined && v.attendeeIds && v.attendees < v.attendeeIds.length)
      ctx.addIssue({ code: 'custom', path: ['attendees'], message: 'must be at least the number of people listed in attendeeIds' });
  });
export type MeetingRegistrationPatch = z.infer<typeof MeetingRegistrationPatch>;

/** Approve with an optional note. */
export const MeetingApprove = z.strictObject({ note: LongText(2000).optional() });
/** Refuse: the note says why. */
export const MeetingRefuse = z.strictObject({ note: LongText(2000) });
/** Cancel with an optional note. */
export const MeetingCancel = z.strictObject({ note: LongText(2000).optional() });

/**
 * The list: by default the actor's whole scope. A day's meetings: `day` (+ `unitId`, `building`,
 * `status`), ordered by building then start. The over-limit ones: `overLimit=true` with `from`/`to`
 * (days, inclusive; any status unless `status` is given).
 */
export const MeetingRegistrationListQuery = z.strictObject({
  unitId: Id.optional(),
  day: Day.optional(),
  from: Day.optional(),
  to: Day.optional(),
  building: z.string().trim().max(100).optional(),
  status: MeetingStatus.optional(),
  overLimit: z.enum(['true', 'false']).optional(),
  ...Page,
});
export type MeetingRegistrationListQuery = z.infer<typeof MeetingRegistrationListQuery>;

/** The limits in force for the unit on the meeting's day (what the form shows beside the fields). */
export const MeetingLimits = z.object({
  day: z.string(),
  maxSize: z.number().int(),
  maxSizeFromUnitId: z.number().int().nullable(),
  maxMinutes: z.number().int(),
  maxMinutesFromUnitId: z.number().int().nullable(),
  /** room.density as a share (0.5 = half the seats). */
  density: z.number(),
  densityFromUnitId: z.number().int().nullable(),
  /** floor(capacity × density); null without a room. */
  roomLimit: z.number().int().nullable(),
});
export type MeetingLimits = z.infer<typeof MeetingLimits>;

/** The dry run's answer: would it be registered at once, or need approval (and a reason)? */
export const MeetingCheck = z.object({
  limits: MeetingLimits,
  breaches: z.array(MeetingBreach),
  /** True when any breach: registering needs `reason` and goes to pending. */
  needsApproval: z.boolean(),
  /** Another live meeting in the same room at an overlapping time (registering would be refused), if any. */
  conflict: z.object({ id: z.number().int(), title: z.string(), startAt: Timestamp, endAt: Timestamp }).nullable(),
});
export type MeetingCheck = z.infer<typeof MeetingCheck>;

export const MeetingAbilities = z.object({
  /** Change time, room, size (meetings.register or meetings.approve over the unit; not once refused or cancelled). */
  edit: z.boolean(),
  /** Approve or refuse (pending, meetings.approve over the unit). */
  decide: z.boolean(),
  /** Cancel (the organiser or meetings.approve over the unit; not once refused or cancelled). */
  cancel: z.boolean(),
});

export const MeetingAttendee = z.object({
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
});

/** A registration as the console shows it; `attendeeList` only names people in the reader's scope. */
export const MeetingRegistration = z.object({
  id: z.number().int(),
  title: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  room: z.object({ id: z.number().int(), name: z.string(), building: z.string(), capacity: z.number().int(), ventilated: z.boolean() }).nullable(),
  place: z.string().nullable(),
  /** The room's building ('' without a room): what a day's list groups by. */
  building: z.string(),
  startAt: Timestamp,
  endAt: Timestamp,
  minutes: z.number().int(),
  day: z.string(),
  attendees: z.number().int(),
  ventilated: z.boolean(),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  breaches: z.array(MeetingBreach),
  overLimit: z.boolean(),
  status: MeetingStatus,
  registeredBy: z.string().nullable(),
  registeredByUserId: z.number().int().nullable(),
  registeredAt: Timestamp,
  decidedBy: z.string().nullable(),
  decidedAt: Timestamp.nullable(),
  decisionNote: z.string().nullable(),
  cancelledAt: Timestamp.nullable(),
  cancelNote: z.string().nullable(),
  /** How many people the attendee list holds (all of them, in scope or not). */
  attendeeListSize: z.number().int(),
  /** Detail only (the list answers []): the listed people within the reader's scope. */
  attendeeList: z.array(MeetingAttendee),
  abilities: MeetingAbilities,
});
export type MeetingRegistration = z.infer<typeof MeetingRegistration>;
export const MeetingRegistrationPage = pageOf(MeetingRegistration);
export type MeetingRegistrationPage = z.infer<typeof MeetingRegistrationPage>;
