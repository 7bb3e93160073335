import type { Room, RoomCreate, RoomListQuery, RoomPatch } from '../../../common/schemas/meetings.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertAllowed, assertVisible, requireActor, requireScope } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import { roomAbilities } from './meetings.policy.js';
import * as store from './rooms.store.js';

/** Rooms (会议室): a unit's meeting rooms with capacity and ventilation; kept, changed, archived. */

export function presentRoom(actor: Actor, r: store.RoomWithUnit): Room {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    name: r.name,
    building: r.building,
    capacity: r.capacity,
    ventilated: r.ventilated === 1,
    archivedAt: r.archived_at === null ? null : Number(r.archived_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    abilities: roomAbilities(actor, r.unit_path, r.archived_at !== null),
  };
}

/** A room the actor may read (places.read over its unit), or not_found. */
async function visibleRoom(deps: Deps, actor: Actor, id: number): Promise<store.RoomWithUnit> {
  const r = await store.findRoom(deps.db, id);
  assertVisible(actor, 'places.read', r?.unit_path, 'room');
  return r!;
}

const auditView = (r: { name: string; building: string; capacity: number; ventilated: number | boolean }) => ({
  name: r.name,
  building: r.building,
  capacity: r.capacity,
  ventilated: Boolean(r.ventilated),
});

/** Keep a room at a unit (places.write over it); its name is unique among the unit's live rooms. */
export async function createRoom(deps: Deps, ctx: Ctx, input: RoomCreate): Promise<Room> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'places.write');
  const unit = await findUnit(deps.db, input.unitId);
  if (!unit || !can(actor, 'places.read', unit.path)) throw errors.validation({ unitId: 'no such unit' });
  assertAllowed(actor, 'places.write', unit.path);
  if (unit.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  const now = deps.clock.now();
  const id = await transact(deps, ctx, async (tx) => {
    if (await store.roomNameTaken(tx, unit.id, input.name, null)) throw errors.conflict('the unit already has a room of this name', { name: 'taken' });
    const id = await store.insertRoom(tx, {
      unit_id: unit.id,
      name: input.name,
      building: input.building,
      capacity: input.capacity,
      ventilated: input.ventilated ? 1 : 0,
      archived_at: null,
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(tx, deps, ctx, { action: 'room.created', entity: 'room', entityId: id, unitId: unit.id, after: auditView(input) });
    return id;
  });
  return presentRoom(actor, (await store.findRoom(deps.db, id))!);
}

/** Rooms in the actor's places.read scope, or the rooms a meeting of `forUnitId` may use. */
export async function listRooms(deps: Deps, ctx: Ctx, q: RoomListQuery) {
  const actor = requireActor(ctx.actor);
  const archived = q.archived === 'true';
  const offset = (q.page - 1) * q.pageSize;
  let found;
  if (q.forUnitId !== undefined) {
    // The register form: its organiser needs the rooms up the tree too, outside their places.read scope.
    const unit = await findUnit(deps.db, q.forUnitId);
    if (!unit || !(can(actor, 'meetings.register', unit.path) || can(actor, 'meetings.approve', unit.path))) throw errors.validation({ forUnitId: 'no such unit' });
    found = await store.listRooms(deps.db, { unitIds: store.chainOf(unit.path), archived }, offset, q.pageSize);
  } else {
    const scope = requireScope(actor, 'places.read');
    let paths = scope;
    if (q.unitId !== undefined) {
      const unit = await findUnit(deps.db, q.unitId);
      if (!unit || !can(actor, 'places.read', unit.path)) throw errors.validation({ unitId: 'no such unit' });
      paths = [unit.path];
    }
    found = await store.listRooms(deps.db, { paths, archived }, offset, q.pageSize);
  }
  return { items: found.rows.map((r) => presentRoom(actor, r)), total: found.total, page: q.page, pageSize: q.pageSize };
}

export async function getRoom(deps: Deps, ctx: Ctx, id: number): Promise<Room> {
  const actor = requireActor(ctx.actor);
  return presentRoom(actor, await visibleRoom(deps, actor, id));
}

/**
 * Change a room (places.write). Meetings already registered keep the check they had: a smaller
 * capacity is seen by the next change of each of them, and by the docs' advice to re-check.
 */
export async function updateRoom(deps: Deps, ctx: Ctx, id: number, input: RoomPatch): Promise<Room> {
  const actor = requireActor(ctx.actor);
  const before = await visibleRoom(deps, actor, id);
  assertAllowed(actor, 'places.write', before.unit_path);
  if (before.archived_at !== null) throw errors.conflict('the room is archived');
  const next = {
    name: input.name ?? before.name,
    building: input.building ?? before.building,
    capacity: input.capacity ?? before.capacity,
    ventilated: input.ventilated === undefined ? before.ventilated : input.ventilated ? 1 : 0,
  };
  await transact(deps, ctx, async (tx) => {
    if (next.name !== before.name && (await store.roomNameTaken(tx, before.unit_id, next.name, id))) throw errors.conflict('the unit already has a room of this name', { name: 'taken' });
    await store.updateRoom(tx, id, { ...next, updated_at: deps.clock.now() });
    await recordAudit(tx, deps, ctx, { action: 'room.updated', entity: 'room', entityId: id, unitId: before.unit_id, before: auditView(before), after: auditView(next) });
  });
  return presentRoom(actor, (await store.findRoom(deps.db, id))!);
}

/** Archive a room (places.write): no new meeting can use it; those registered keep it. */
export async function archiveRoom(deps: Deps, ctx: Ctx, id: number): Promise<Room> {
  const actor = requireActor(ctx.actor);
  const before = await visibleRoom(deps, actor, id);
  assertAllowed(actor, 'places.write', before.unit_path);
  if (before.archived_at !== null) throw errors.conflict('the room is already archived');
  await transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await store.updateRoom(tx, id, { archived_at: now, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'room.archived', entity: 'room', entityId: id, unitId: before.unit_id, before: auditView(before) });
  });
  return presentRoom(actor, (await store.findRoom(deps.db, id))!);
}
