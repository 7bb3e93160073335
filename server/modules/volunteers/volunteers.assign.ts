import { localDateTime } from '../../../common/day.js';
import type { AssignmentCreate, RequestStatus, Shift } from '../../../common/schemas/volunteers.js';
import type { Conn } from '../../db/database.js';
import { isUniqueViolation } from '../../db/sql.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyPeople, notifyUsers } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { presentShifts } from './posts.service.js';
import { canAnswerRequest, canReadVolunteers, canWriteVolunteers } from './volunteers.policy.js';
import * as store from './volunteers.store.js';

/**
 * Volunteers on shifts. One volunteer is never on two overlapping shifts (409 naming the other
 * one). An assignment may answer a unit's request to the pool; the request's state follows the
 * number of distinct volunteers assigned under it, and its asker is told.
 */

/** A shift and its post, both visible to the actor, or not_found. */
async function visibleShift(db: Conn, deps: Deps, actor: Actor, shiftId: number): Promise<{ shift: store.ShiftRow; post: store.PostView }> {
  const shift = await store.findShift(db, shiftId);
  const post = shift && (await store.findPost(db, shift.post_id, deps.clock.now()));
  if (!shift || !post || !canReadVolunteers(actor, post.unit_path)) throw errors.notFound('shift');
  return { shift, post };
}

/** The state a request is in with `filled` distinct people assigned under it. */
export function requestStatusOf(count: number, filled: number): RequestStatus {
  if (filled >= count) return 'filled';
  return filled > 0 ? 'partly_filled' : 'open';
}

/** Bring a (not cancelled) request's state in line with its assignments; returns the new state when it changed. */
export async function refreshRequest(tx: Conn, deps: Deps, requestId: number): Promise<{ before: RequestStatus; after: RequestStatus; r: store.RequestView } | null> {
  const r = await store.findRequest(tx, requestId);
  if (!r || r.status === 'cancelled') return null;
  const after = requestStatusOf(r.count, r.filled);
  if (after === r.status) return null;
  await store.updateRequest(tx, r.id, { status: after, closed_at: after === 'filled' ? deps.clock.now() : null });
  return { before: r.status as RequestStatus, after, r };
}

/** Assign a volunteer to a shift (answering a request when `requestId` is given). */
export async function assign(deps: Deps, ctx: Ctx, shiftId: number, input: AssignmentCreate): Promise<Shift> {
  const actor = requireActor(ctx.actor);
  const { shift, post } = await visibleShift(deps.db, deps, actor, shiftId);
  const tz = deps.config.timeZone;
  let request: store.RequestView | undefined;
  if (input.requestId !== undefined) {
    request = await store.findRequest(deps.db, input.requestId);
    if (!request || request.post_id !== post.id) throw errors.validation({ requestId: 'no such request of this post' });
    if (!canAnswerRequest(actor, post.unit_path)) throw errors.forbidden('Only the pool’s keeper above the unit answers its requests');
    if (request.status === 'cancelled' || request.status === 'filled') throw errors.conflict(`The request is ${request.status}`, { status: request.status });
    if (shift.starts_at >= Number(request.to_at) || shift.ends_at <= Number(request.from_at)) throw errors.validation({ requestId: 'the shift lies outside the request’s period' });
  } else if (!canWriteVolunteers(actor, post.unit_path)) throw errors.forbidden('You may not assign volunteers at this unit');
  const v = await store.findVolunteer(deps.db, input.volunteerId);
  if (!v || !canReadVolunteers(actor, v.unit_path)) throw errors.validation({ volunteerId: 'no such volunteer' });
  if (v.left_at !== null) throw errors.validation({ volunteerId: 'has left the volunteer pool' });
  return transact(deps, ctx, async (tx) => {
    await store.lockForAssignment(tx, shift.id, v.id);
    if (await store.findAssignment(tx, shift.id, v.id)) throw errors.conflict(`${v.name} is already on this shift`, { volunteerId: 'already on this shift' });
    const clash = await store.overlappingAssignment(tx, v.id, shift.id, shift.starts_at, shift.ends_at);
    if (clash) {
      const when = `${localDateTime(clash.starts_at, tz)}–${localDateTime(clash.ends_at, tz)}`;
      throw errors.conflict(`${v.name} is already on shift ${clash.shift_id} of 「${clash.title}」 ${when}`, { volunteerId: `on shift ${clash.shift_id} (${clash.title}, ${when})`, shiftId: String(clash.shift_id) });
    }
    const people = (await store.assigneesOf(tx, [shift.id])).get(shift.id) ?? [];
    if (people.length >= shift.needed) throw errors.conflict(`The shift already has the ${shift.needed} people it needs`, { shift: 'full' });
    const now = deps.clock.now();
    try {
      await store.insertAssignment(tx, { shift_id: shift.id, volunteer_id: v.id, request_id: request?.id ?? null, assigned_by_user_id: actor.userId, assigned_at: now });
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.conflict(`${v.name} is already on this shift`, { volunteerId: 'already on this shift' });
      throw err;
    }
    await recordAudit(tx, deps, ctx, { action: 'volunteer.assigned', entity: 'volunteer_shift', entityId: shift.id, unitId: post.unit_id, after: { volunteerId: v.id, requestId: request?.id ?? null } });
    const start = localDateTime(shift.starts_at, tz);
    await notifyPeople(tx, deps, [v.person_id], { kind: 'volunteers.assigned', params: { post: post.title, unit: post.unit_name, start }, unitId: null, entity: 'volunteer_shift', entityId: String(shift.id), link: '/m/volunteer' });
    if (request) {
      const moved = await refreshRequest(tx, deps, request.id);
      const r = moved?.r ?? request;
      const filled = (await store.findRequest(tx, request.id))!.filled;
      if (r.asked_by_user_id !== null)
        await notifyUsers(tx, deps, [r.asked_by_user_id], {
          kind: 'volunteers.request_answered',
          params: { post: post.title, unit: post.unit_name, filled, count: r.count, person: v.name, start },
          unitId: null,
          entity: 'volunteer_request',
          entityId: String(r.id),
          link: '/duty/volunteers?tab=requests',
        });
    }
    return (await presentShifts(tx, [shift]))[0]!;
  });
}

/** Take a volunteer off a shift; a request it answered goes back to partly filled / open. */
export async function unassign(deps: Deps, ctx: Ctx, shiftId: number, volunteerId: number): Promise<Shift> {
  const actor = requireActor(ctx.actor);
  const { shift, post } = await visibleShift(deps.db, deps, actor, shiftId);
  if (!canWriteVolunteers(actor, post.unit_path)) throw errors.forbidden('You may not assign volunteers at this unit');
  const a = await store.findAssignment(deps.db, shift.id, volunteerId);
  if (!a) throw errors.notFound('assignment');
  return transact(deps, ctx, async (tx) => {
    await store.deleteAssignment(tx, a.id);
    if (a.request_id !== null) await refreshRequest(tx, deps, a.request_id);
    await recordAudit(tx, deps, ctx, { action: 'volunteer.unassigned', entity: 'volunteer_shift', entityId: shift.id, unitId: post.unit_id, before: { volunteerId, requestId: a.request_id } });
    return (await presentShifts(tx, [shift]))[0]!;
  });
}

/** Drop a volunteer's assignments on shifts not yet started (leaving the pool); returns how many. */
export async function dropFutureAssignments(tx: Conn, deps: Deps, volunteerId: number, now: number): Promise<number> {
  const rows = await store.futureAssignments(tx, volunteerId, now);
  for (const a of rows) await store.deleteAssignment(tx, a.id);
  for (const requestId of new Set(rows.map((a) => a.request_id).filter((id): id is number => id !== null))) await refreshRequest(tx, deps, requestId);
  return rows.length;
}
