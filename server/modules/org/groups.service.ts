import type { Group, GroupCreate, GroupListQuery, GroupMemberPage, GroupPatch } from '../../../common/schemas/groups.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import { ancestorIds, isWithin, topmostPaths } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { canSeeGroup, clipToScope, groupAbilities } from './groups.policy.js';
import * as store from './groups.store.js';
import { assertAllowed, requireActor, requireScope } from './org.policy.js';
import { findUnit, findUnitsByIds } from './units.store.js';

/** Key groups (重点人群): saved selections of people by units and tags, resolved live. */

function present(actor: Actor, g: store.GroupRow, units: readonly store.GroupUnit[]): Group {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    ownerUnit: { id: g.owner_unit_id, name: g.owner_name },
    units: units.map((u) => ({ id: u.id, name: u.name })),
    tags: JSON.parse(g.tags) as string[],
    archivedAt: g.archived_at === null ? null : Number(g.archived_at),
    createdAt: Number(g.created_at),
    updatedAt: Number(g.updated_at),
    abilities: groupAbilities(actor, g.owner_path, g.archived_at !== null),
  };
}

async function answer(db: Conn, actor: Actor, id: number): Promise<Group> {
  const g = (await store.findGroup(db, id))!;
  return present(actor, g, (await store.unitsOfGroups(db, [id])).get(id)!);
}

/** A group the actor may see, or not_found. */
async function visibleGroup(db: Conn, actor: Actor, id: number): Promise<store.GroupRow> {
  const g = await store.findGroup(db, id);
  if (!g || !canSeeGroup(actor, g.owner_path)) throw errors.notFound('group');
  return g;
}

/** The group's units: each inside the owner's subtree, not archived; the topmost only (a unit inside another adds nobody). */
async function checkUnits(db: Conn, ownerPath: string, unitIds: readonly number[]): Promise<number[]> {
  const ids = [...new Set(unitIds)];
  const found = new Map((await findUnitsByIds(db, ids)).map((u) => [u.id, u]));
  for (const id of ids) {
    const u = found.get(id);
    if (!u || !isWithin(u.path, ownerPath)) throw errors.validation({ unitIds: `no such unit in the owner's subtree: ${id}` });
    if (u.archived_at !== null) throw errors.validation({ unitIds: `the unit is archived: ${u.name}` });
  }
  const tops = topmostPaths(ids.map((id) => found.get(id)!.path));
  return ids.filter((id) => tops.includes(found.get(id)!.path));
}

const auditView = (g: { name: string; description?: string | null; unitIds: readonly number[]; tags: readonly string[] }) => ({ name: g.name, description: g.description ?? null, unitIds: g.unitIds, tags: g.tags });

/** Keep a group (groups.write over the owner unit); its name is unique among the owner's live groups. */
export async function createGroup(deps: Deps, ctx: Ctx, input: GroupCreate): Promise<Group> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'groups.write');
  const owner = await findUnit(deps.db, input.ownerUnitId);
  if (!owner || !scopeFor(actor, 'people.read').some((p) => isWithin(owner.path, p))) throw errors.validation({ ownerUnitId: 'no such unit' });
  assertAllowed(actor, 'groups.write', owner.path);
  if (owner.archived_at !== null) throw errors.validation({ ownerUnitId: 'the unit is archived' });
  const unitIds = await checkUnits(deps.db, owner.path, input.unitIds);
  const tags = [...new Set(input.tags)];
  const now = deps.clock.now();
  const id = await transact(deps, ctx, async (tx) => {
    if (await store.groupNameTaken(tx, owner.id, input.name, null)) throw errors.conflict('the unit already has a group of this name', { name: 'taken' });
    const id = await store.insertGroup(tx, { owner_unit_id: owner.id, name: input.name, description: input.description || null, tags: JSON.stringify(tags), archived_at: null, created_by_user_id: actor.userId, created_at: now, updated_at: now });
    await store.replaceGroupUnits(tx, id, unitIds);
    await recordAudit(tx, deps, ctx, { action: 'group.created', entity: 'key_group', entityId: id, unitId: owner.id, after: auditView({ ...input, unitIds, tags }) });
    return id;
  });
  return answer(deps.db, actor, id);
}

/** The live groups the actor may see: owned in their people.read scope or above it. */
export async function listGroups(deps: Deps, ctx: Ctx, q: GroupListQuery) {
  const actor = requireActor(ctx.actor);
  let scope = requireScope(actor, 'people.read');
  if (q.unitId !== undefined) {
    const unit = await findUnit(deps.db, q.unitId);
    if (!unit || !scope.some((p) => isWithin(unit.path, p))) throw errors.validation({ unitId: 'no such unit' });
    scope = [unit.path];
  }
  const above = [...new Set(scope.flatMap((p) => ancestorIds(p)))];
  const { rows, total } = await store.listGroups(deps.db, { paths: scope, ownerIds: above, ...(q.q ? { q: q.q } : {}) }, (q.page - 1) * q.pageSize, q.pageSize);
  const units = await store.unitsOfGroups(deps.db, rows.map((r) => r.id));
  return { items: rows.map((g) => present(actor, g, units.get(g.id)!)), total, page: q.page, pageSize: q.pageSize };
}

export async function getGroup(deps: Deps, ctx: Ctx, id: number): Promise<Group> {
  const actor = requireActor(ctx.actor);
  await visibleGroup(deps.db, actor, id);
  return answer(deps.db, actor, id);
}

/** Change a group (groups.write over its owner unit). */
export async function updateGroup(deps: Deps, ctx: Ctx, id: number, input: GroupPatch): Promise<Group> {
  const actor = requireActor(ctx.actor);
  const g = await visibleGroup(deps.db, actor, id);
  assertAllowed(actor, 'groups.write', g.owner_path);
  if (g.archived_at !== null) throw errors.conflict('the group is archived');
  const beforeUnits = (await store.unitsOfGroups(deps.db, [id])).get(id)!.map((u) => u.id);
  const unitIds = input.unitIds === undefined ? beforeUnits : await checkUnits(deps.db, g.owner_path, input.unitIds);
  const tags = input.tags === undefined ? (JSON.parse(g.tags) as string[]) : [...new Set(input.tags)];
  const name = input.name ?? g.name;
  const description = input.description === undefined ? g.description : input.description || null;
  await transact(deps, ctx, async (tx) => {
    if (name !== g.name && (await store.groupNameTaken(tx, g.owner_unit_id, name, id))) throw errors.conflict('the unit already has a group of this name', { name: 'taken' });
    await store.updateGroup(tx, id, { name, description, tags: JSON.stringify(tags), updated_at: deps.clock.now() });
    if (input.unitIds !== undefined) await store.replaceGroupUnits(tx, id, unitIds);
    await recordAudit(tx, deps, ctx, {
      action: 'group.updated',
      entity: 'key_group',
      entityId: id,
      unitId: g.owner_unit_id,
      before: auditView({ name: g.name, description: g.description, unitIds: beforeUnits, tags: JSON.parse(g.tags) as string[] }),
      after: auditView({ name, description, unitIds, tags }),
    });
  });
  return answer(deps.db, actor, id);
}

/** Archive a group (groups.write): it is no longer listed or usable; campaigns and notices keep its name. */
export async function archiveGroup(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const g = await visibleGroup(deps.db, actor, id);
  assertAllowed(actor, 'groups.write', g.owner_path);
  if (g.archived_at !== null) throw errors.conflict('the group is already archived');
  await transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await store.updateGroup(tx, id, { archived_at: now, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'group.archived', entity: 'key_group', entityId: id, unitId: g.owner_unit_id, before: { name: g.name } });
  });
  return { ok: true };
}

/** The group's members now, only those within the reader's people.read scope, by name, with the count. */
export async function groupMembers(deps: Deps, ctx: Ctx, id: number, page: number, pageSize: number): Promise<GroupMemberPage> {
  const actor = requireActor(ctx.actor);
  const g = await visibleGroup(deps.db, actor, id);
  const units = (await store.unitsOfGroups(deps.db, [id])).get(id)!;
  const base = units.length ? units.filter((u) => u.archived_at === null).map((u) => u.path) : [g.owner_path];
  const scope = scopeFor(actor, 'people.read');
  // Both conditions go into SQL; the clipped list only spares it subtrees the reader cannot see.
  const clipped = clipToScope(base, scope);
  const { rows, total } = await store.membersOf(deps.db, clipped, scope, JSON.parse(g.tags) as string[], (page - 1) * pageSize, pageSize);
  return { items: rows, total, page, pageSize };
}
