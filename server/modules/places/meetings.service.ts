import { localDateTime } from '../../../common/day.js';
import type {
  MeetingBreach,
  MeetingCheck,
  MeetingRegistration,
  MeetingRegistrationCreate,
  MeetingRegistrationListQuery,
  MeetingRegistrationPatch,
} from '../../../common/schemas/meetings.js';
import type { Conn } from '../../db/database.js';
import type { UnitRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import { isWithin, topmostPaths } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRole, notifyUsers, type NotificationInput } from '../notify/notify.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import { checkMeeting } from './meetings.check.js';
import { canSeeMeeting, meetingAbilities, roomUsableBy } from './meetings.policy.js';
import { presentMeeting } from './meetings.present.js';
import * as store from './meetings.store.js';
import { findRoom, type RoomWithUnit } from './rooms.store.js';

/**
 * Meeting registrations (会议报备): register, check without saving, change, approve or refuse, cancel,
 * list. Every change is checked against the measures in force for the organising unit on the
 * meeting's day (meetings.check.ts); over a limit it needs a reason and the unit head's approval.
 */

const MINUTE = 60_000;

/** What a registration resolves to before it is checked: every id looked up and allowed. */
interface Resolved {
  unit: UnitRow;
  room: RoomWithUnit | null;
  place: string | null;
  startAt: number;
  minutes: number;
  attendees: number;
  ventilated: boolean;
  attendeeIds: number[];
}

/** The organising unit: meetings.register over it, or it reads as absent (a field of the body). */
async function organisingUnit(db: Conn, actor: Actor, unitId: number): Promise<UnitRow> {
  const unit = await findUnit(db, unitId);
  if (!unit || !can(actor, 'meetings.register', unit.path)) throw errors.validation({ unitId: 'no such unit' });
  if (unit.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  return unit;
}

/** A room of the unit or of an ancestor's, not archived (unless it is the one the meeting already has). */
async function usableRoom(db: Conn, unit: UnitRow, roomId: number, currentRoomId: number | null): Promise<RoomWithUnit> {
  const room = await findRoom(db, roomId);
  if (!room || !roomUsableBy(room.unit_path, unit.path)) throw errors.validation({ roomId: "no such room of the unit or of a unit above it" });
  if (room.archived_at !== null && room.id !== currentRoomId) throw errors.validation({ roomId: 'the room is archived' });
  return room;
}

/** The attendee list: active people within the registrar's scope (any of their grants' subtrees). */
async function checkAttendees(db: Conn, actor: Actor, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = new Map((await store.peopleWithPaths(db, ids)).map((p) => [p.id, p]));
  const scope = actor.grants.map((g) => g.path);
  ids.forEach((id, i) => {
    const p = found.get(id);
    // Out of scope reads as absent: the same answer as an id that does not exist.
    if (!p || !scope.some((s) => isWithin(p.path, s))) throw errors.validation({ [`attendeeIds.${i}`]: 'no such person' });
    if (p.status !== 'active') throw errors.validation({ [`attendeeIds.${i}`]: 'the person has left' });
  });
  return [...ids];
}

async function resolveCreate(db: Conn, actor: Actor, input: MeetingRegistrationCreate): Promise<Resolved> {
  const unit = await organisingUnit(db, actor, input.unitId);
  const room = input.roomId === null ? null : await usableRoom(db, unit, input.roomId, null);
  const ventilated = input.ventilated ?? (room ? room.ventilated === 1 : undefined);
  if (ventilated === undefined) throw errors.validation({ ventilated: 'required without a room' });
  return {
    unit,
    room,
    place: room ? null : (input.place ?? null),
    startAt: input.startAt,
    minutes: input.minutes,
    attendees: input.attendees,
    ventilated,
    attendeeIds: await checkAttendees(db, actor, input.attendeeIds),
  };
}

const checkedOf = (r: Resolved) => ({ unitId: r.unit.id, startAt: r.startAt, minutes: r.minutes, attendees: r.attendees, ventilated: r.ventilated, room: r.room });

/** Another live meeting in the same room at an overlapping time. */
async function conflictOf(db: Conn, r: Resolved, exceptId: number | null) {
  if (!r.room) return null;
  const o = await store.overlapping(db, r.room.id, r.startAt, r.startAt + r.minutes * MINUTE, exceptId);
  return o ? { id: o.id, title: o.title, startAt: Number(o.start_at), endAt: Number(o.end_at) } : null;
}

function refuseConflict(deps: Deps, c: { id: number; title: string; startAt: number; endAt: number }): never {
  const when = `${localDateTime(c.startAt, deps.config.timeZone)}–${localDateTime(c.endAt, deps.config.timeZone).slice(11)}`;
  throw errors.conflict(`the room is taken by meeting #${c.id} "${c.title}" (${when})`, { roomId: `taken by meeting #${c.id} "${c.title}" (${when})` });
}

const breachText = (b: MeetingBreach) => (b.kind === 'unventilated' ? 'unventilated' : `${b.kind} ${b.value} > ${b.limit}`);

/** Over a limit without a reason: a validation error naming `reason` and listing the breaches. */
function requireReason(breaches: readonly MeetingBreach[], reason: string | null | undefined): void {
  if (breaches.length && !reason) throw errors.validation({ reason: `required: over ${breaches.map(breachText).join('; ')}` }, `Over the meeting measures: ${breaches.map(breachText).join('; ')}`);
}

/** Tell the unit head (meetings.approve by a grant on the unit, else the nearest above) that a meeting waits. */
async function askApproval(tx: Conn, deps: Deps, id: number, r: Resolved, title: string, reason: string, count: number): Promise<void> {
  const n: NotificationInput = {
    kind: 'meeting.pending',
    params: { unit: r.unit.name, title, start: localDateTime(r.startAt, deps.config.timeZone), attendees: r.attendees, minutes: r.minutes, count, reason },
    unitId: r.unit.id,
    entity: 'meeting_registration',
    entityId: String(id),
    // The console's list of meetings waiting for a decision.
    link: '/places/meetings?tab=pending',
  };
  // The unit head answers for the unit; with none up the tree, the command office decides.
  if ((await notifyUnitRole(tx, deps, r.unit.id, ['unit_head'], n)) === 0) await notifyUnitRole(tx, deps, r.unit.id, ['command', 'admin'], n);
}

/** A registration the actor may see, or not_found. */
async function visibleMeeting(db: Conn, actor: Actor, id: number): Promise<store.MeetingRow> {
  const m = await store.findMeeting(db, id);
  if (!m || !canSeeMeeting(actor, m.unit_path, m.registered_by_user_id)) throw errors.notFound('meeting registration');
  return m;
}

async function answer(deps: Deps, actor: Actor, id: number): Promise<MeetingRegistration> {
  const m = (await store.findMeeting(deps.db, id))!;
  return presentMeeting(actor, m, await store.attendeesIn(deps.db, id, scopeFor(actor, 'people.read')));
}

/** The dry run: limits, breaches and a room conflict of a registration, nothing saved. */
export async function checkRegistration(deps: Deps, ctx: Ctx, input: MeetingRegistrationCreate): Promise<MeetingCheck> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'meetings.register');
  const r = await resolveCreate(deps.db, actor, input);
  const { limits, breaches } = await checkMeeting(deps.db, deps, checkedOf(r));
  return { limits, breaches, needsApproval: breaches.length > 0, conflict: await conflictOf(deps.db, r, null) };
}

/**
 * Register a meeting: within limits it is registered at once; over a limit it needs `reason`, goes
 * to pending and the unit head is told. A room taken at an overlapping time refuses it (409).
 */
export async function registerMeeting(deps: Deps, ctx: Ctx, input: MeetingRegistrationCreate): Promise<MeetingRegistration> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'meetings.register');
  const now = deps.clock.now();
  const id = await transact(deps, ctx, async (tx) => {
    const r = await resolveCreate(tx, actor, input);
    if (r.room) await store.lockRoom(tx, r.room.id);
    const conflict = await conflictOf(tx, r, null);
    if (conflict) refuseConflict(deps, conflict);
    const { limits, breaches } = await checkMeeting(tx, deps, checkedOf(r));
    requireReason(breaches, input.reason);
    const status = breaches.length ? 'pending' : 'registered';
    const id = await store.insertMeeting(tx, {
      unit_id: r.unit.id,
      title: input.title,
      room_id: r.room?.id ?? null,
      place: r.place,
      start_at: r.startAt,
      end_at: r.startAt + r.minutes * MINUTE,
      minutes: r.minutes,
      day: limits.day,
      attendees: r.attendees,
      ventilated: r.ventilated ? 1 : 0,
      note: input.note ?? null,
      reason: input.reason ?? null,
      breaches: JSON.stringify(breaches),
      over_limit: breaches.length ? 1 : 0,
      status,
      registered_by_user_id: actor.userId,
      registered_at: now,
      decided_by_user_id: null,
      decided_at: null,
      decision_note: null,
      cancelled_by_user_id: null,
      cancelled_at: null,
      cancel_note: null,
      updated_at: now,
    });
    await store.replaceAttendees(tx, id, r.attendeeIds);
    await recordAudit(tx, deps, ctx, {
      action: 'meeting_registration.created',
      entity: 'meeting_registration',
      entityId: id,
      unitId: r.unit.id,
      after: { title: input.title, roomId: r.room?.id ?? null, place: r.place, startAt: r.startAt, minutes: r.minutes, attendees: r.attendees, ventilated: r.ventilated, listed: r.attendeeIds.length, status, breaches },
    });
    if (status === 'pending') await askApproval(tx, deps, id, r, input.title, input.reason!, breaches.length);
    return id;
  });
  return answer(deps, actor, id);
}

/** One registration with its attendees in the reader's people.read scope. */
export async function getMeeting(deps: Deps, ctx: Ctx, id: number): Promise<MeetingRegistration> {
  const actor = requireActor(ctx.actor);
  await visibleMeeting(deps.db, actor, id);
  return answer(deps, actor, id);
}

/** A day's meetings per unit and building, or the over-limit ones over a period. */
export async function listMeetings(deps: Deps, ctx: Ctx, q: MeetingRegistrationListQuery) {
  const actor = requireActor(ctx.actor);
  const paths = topmostPaths([...scopeFor(actor, 'places.read'), ...scopeFor(actor, 'meetings.register'), ...scopeFor(actor, 'meetings.approve')]);
  let within: string | undefined;
  if (q.unitId !== undefined) {
    const unit = await findUnit(deps.db, q.unitId);
    if (!unit || !paths.some((p) => isWithin(unit.path, p))) throw errors.validation({ unitId: 'no such unit' });
    within = unit.path;
  }
  if (q.from && q.to && q.to < q.from) throw errors.validation({ to: 'must not be before from' });
  const { rows, total } = await store.listMeetings(
    deps.db,
    {
      paths,
      registeredBy: actor.userId,
      ...(within ? { within } : {}),
      ...(q.day ? { day: q.day } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(q.building !== undefined ? { building: q.building } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.overLimit ? { overLimit: q.overLimit === 'true' } : {}),
    },
    (q.page - 1) * q.pageSize,
    q.pageSize,
  );
  return { items: rows.map((m) => presentMeeting(actor, m, [])), total, page: q.page, pageSize: q.pageSize };
}

/** The fields whose change means the meeting must be checked again. */
const CHECKED_FIELDS = ['roomId', 'place', 'startAt', 'minutes', 'attendees', 'ventilated'] as const;

/**
 * Change a registration (meetings.register or meetings.approve over its unit). A change of time, room,
 * size, length or ventilation is checked again: over a limit it needs a reason and goes back to
 * pending (the unit head is told again), within limits it is registered. Other changes keep its status.
 */
export async function changeMeeting(deps: Deps, ctx: Ctx, id: number, input: MeetingRegistrationPatch): Promise<MeetingRegistration> {
  const actor = requireActor(ctx.actor);
  const now = deps.clock.now();
  await transact(deps, ctx, async (tx) => {
    await store.lockMeeting(tx, id);
    const m = await visibleMeeting(tx, actor, id);
    if (!meetingAbilities(actor, m.unit_path, m.registered_by_user_id, m.status).edit) {
      if (m.status === 'refused' || m.status === 'cancelled') throw errors.conflict(`the meeting is ${m.status}`);
      throw errors.forbidden();
    }
    const unit = (await findUnit(tx, m.unit_id))!;
    const roomId = input.roomId !== undefined ? input.roomId : m.room_id;
    const room = roomId === null ? null : await usableRoom(tx, unit, roomId, m.room_id);
    if (room && input.place != null) throw errors.validation({ place: 'the meeting has a room: give roomId null with a place' });
    const place = room ? null : input.place !== undefined ? input.place : m.place;
    if (!room && !place) throw errors.validation({ place: 'required without a room' });
    const roomChanged = (room?.id ?? null) !== m.room_id;
    // A new room brings its own ventilation unless the change says otherwise.
    const ventilated = input.ventilated ?? (roomChanged && room ? room.ventilated === 1 : m.ventilated === 1);
    const attendeeIds = input.attendeeIds === undefined ? await store.attendeeIdsOf(tx, id) : await checkAttendees(tx, actor, input.attendeeIds);
    const r: Resolved = { unit, room, place, startAt: input.startAt ?? Number(m.start_at), minutes: input.minutes ?? m.minutes, attendees: input.attendees ?? m.attendees, ventilated, attendeeIds };
    if (r.attendees < attendeeIds.length) throw errors.validation({ attendees: 'must be at least the number of people listed in attendeeIds' });
    const recheck = CHECKED_FIELDS.some((f) => input[f] !== undefined);
    const reason = input.reason ?? m.reason;
    let status = m.status;
    let breaches = JSON.parse(m.breaches) as MeetingBreach[];
    let day = m.day;
    if (recheck) {
      if (room) await store.lockRoom(tx, room.id);
      const conflict = await conflictOf(tx, r, id);
      if (conflict) refuseConflict(deps, conflict);
      const checked = await checkMeeting(tx, deps, checkedOf(r));
      breaches = checked.breaches;
      day = checked.limits.day;
      requireReason(breaches, reason);
      status = breaches.length ? 'pending' : 'registered';
    }
    const title = input.title ?? m.title;
    const back = recheck && status === 'pending';
    await store.updateMeeting(tx, id, {
      title,
      room_id: room?.id ?? null,
      place,
      start_at: r.startAt,
      end_at: r.startAt + r.minutes * MINUTE,
      minutes: r.minutes,
      day,
      attendees: r.attendees,
      ventilated: r.ventilated ? 1 : 0,
      note: input.note !== undefined ? input.note : m.note,
      reason,
      breaches: JSON.stringify(breaches),
      over_limit: breaches.length ? 1 : 0,
      status,
      // A decision was about the meeting as it was: a re-check clears it.
      ...(recheck ? { decided_by_user_id: null, decided_at: null, decision_note: null } : {}),
      updated_at: now,
    });
    if (input.attendeeIds !== undefined) await store.replaceAttendees(tx, id, attendeeIds);
    await recordAudit(tx, deps, ctx, {
      action: 'meeting_registration.changed',
      entity: 'meeting_registration',
      entityId: id,
      unitId: m.unit_id,
      before: { title: m.title, roomId: m.room_id, place: m.place, startAt: Number(m.start_at), minutes: m.minutes, attendees: m.attendees, ventilated: m.ventilated === 1, status: m.status },
      after: { title, roomId: room?.id ?? null, place, startAt: r.startAt, minutes: r.minutes, attendees: r.attendees, ventilated: r.ventilated, status, breaches, ...(input.attendeeIds !== undefined ? { listed: attendeeIds.length } : {}) },
    });
    if (back) await askApproval(tx, deps, id, r, title, reason!, breaches.length);
  });
  return answer(deps, actor, id);
}

type Decision = 'approve' | 'refuse';

/** Approve or refuse a pending registration (meetings.approve over its unit); the organiser is told. */
export async function decideMeeting(deps: Deps, ctx: Ctx, id: number, decision: Decision, note: string | undefined): Promise<MeetingRegistration> {
  const actor = requireActor(ctx.actor);
  const now = deps.clock.now();
  await transact(deps, ctx, async (tx) => {
    await store.lockMeeting(tx, id);
    const m = await visibleMeeting(tx, actor, id);
    if (!can(actor, 'meetings.approve', m.unit_path)) throw errors.forbidden();
    if (m.status !== 'pending') throw errors.conflict(`the meeting is ${m.status}, not pending`);
    const status = decision === 'approve' ? 'approved' : 'refused';
    await store.updateMeeting(tx, id, { status, decided_by_user_id: actor.userId, decided_at: now, decision_note: note ?? null, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: `meeting_registration.${status}`, entity: 'meeting_registration', entityId: id, unitId: m.unit_id, before: { status: m.status }, after: { status, note: note ?? null } });
    if (m.registered_by_user_id !== null && m.registered_by_user_id !== actor.userId)
      await notifyUsers(tx, deps, [m.registered_by_user_id], {
        kind: `meeting.${status}`,
        params: { title: m.title, start: localDateTime(Number(m.start_at), deps.config.timeZone), note: note ?? '' },
        unitId: null,
        entity: 'meeting_registration',
        entityId: String(id),
        link: '/places/meetings',
      });
  });
  return answer(deps, actor, id);
}

/** Cancel a registration (its organiser, or meetings.approve over its unit); its room is free again. */
export async function cancelMeeting(deps: Deps, ctx: Ctx, id: number, note: string | undefined): Promise<MeetingRegistration> {
  const actor = requireActor(ctx.actor);
  const now = deps.clock.now();
  await transact(deps, ctx, async (tx) => {
    await store.lockMeeting(tx, id);
    const m = await visibleMeeting(tx, actor, id);
    if (m.status === 'refused' || m.status === 'cancelled') throw errors.conflict(`the meeting is ${m.status}`);
    if (!meetingAbilities(actor, m.unit_path, m.registered_by_user_id, m.status).cancel) throw errors.forbidden();
    await store.updateMeeting(tx, id, { status: 'cancelled', cancelled_by_user_id: actor.userId, cancelled_at: now, cancel_note: note ?? null, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'meeting_registration.cancelled', entity: 'meeting_registration', entityId: id, unitId: m.unit_id, before: { status: m.status }, after: { status: 'cancelled', note: note ?? null } });
    if (m.registered_by_user_id !== null && m.registered_by_user_id !== actor.userId)
      await notifyUsers(tx, deps, [m.registered_by_user_id], {
        kind: 'meeting.cancelled',
        params: { title: m.title, start: localDateTime(Number(m.start_at), deps.config.timeZone), note: note ?? '' },
        unitId: null,
        entity: 'meeting_registration',
        entityId: String(id),
        link: '/places/meetings',
      });
  });
  return answer(deps, actor, id);
}
