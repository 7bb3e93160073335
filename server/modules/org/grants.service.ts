import type { z } from 'zod';
import type { GrantCreate, GrantListQuery } from '../../../common/schemas/org.js';
import type { Role } from '../../../common/roles.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { isUniqueViolation } from '../../db/sql.js';
import { can, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertAllowed, requireActor, requireScope } from './org.policy.js';
import { findUnit } from './units.store.js';
import * as store from './users.store.js';

type GrantJoined = NonNullable<Awaited<ReturnType<typeof store.findGrant>>>;
const present = (g: GrantJoined) => ({ id: g.id, userId: g.user_id, username: g.username, role: g.role as Role, unitId: g.unit_id, unitName: g.unit_name, createdAt: Number(g.created_at) });

/** Grants over units in the actor's user-management scope. */
export async function listGrants(deps: Deps, ctx: Ctx, q: z.infer<typeof GrantListQuery>) {
  const actor = requireActor(ctx.actor);
  const paths = requireScope(actor, 'users.read');
  const rows = await store.grantsWithUnits(deps.db, { paths, ...(q.userId !== undefined ? { userIds: [q.userId] } : {}), ...(q.unitId !== undefined ? { unitId: q.unitId } : {}) });
  return { items: rows.map(present) };
}

/** Give a user a role over a unit's subtree; the actor must hold grants.write over that unit. */
export async function createGrant(deps: Deps, ctx: Ctx, input: z.infer<typeof GrantCreate>) {
  const actor = requireActor(ctx.actor);
  const user = await store.findUserWithUnit(deps.db, input.userId);
  if (!user?.unit_path || !can(actor, 'users.read', user.unit_path)) throw errors.validation({ userId: 'no such user' });
  const unit = await findUnit(deps.db, input.unitId);
  if (!unit || !can(actor, 'units.read', unit.path)) throw errors.validation({ unitId: 'no such unit' });
  assertAllowed(actor, 'grants.write', unit.path);
  if (unit.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  if (await store.findGrantByTriple(deps.db, input.userId, input.role, input.unitId)) throw errors.conflict('the user already holds this role on this unit', { role: 'already granted' });
  try {
    return await transact(deps, ctx, async (tx) => {
      const g = await store.insertGrant(tx, { userId: input.userId, role: input.role, unitId: input.unitId, now: deps.clock.now(), createdBy: actor.userId });
      await recordAudit(tx, deps, ctx, { action: 'grant.created', entity: 'grant', entityId: g.id, unitId: unit.id, after: { userId: input.userId, username: user.username, role: input.role, unitId: unit.id } });
      return present({ ...g, unit_name: unit.name, unit_path: unit.path, username: user.username });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.conflict('the user already holds this role on this unit', { role: 'already granted' });
    throw err;
  }
}

/** Withdraw a grant. An administrator cannot withdraw their own admin grant (no self-lockout). */
export async function deleteGrant(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const g = await store.findGrant(deps.db, id);
  if (!g || !can(actor, 'users.read', g.unit_path)) throw errors.notFound('grant');
  assertAllowed(actor, 'grants.write', g.unit_path);
  if (g.user_id === actor.userId && g.role === 'admin') throw errors.validation({ id: 'you cannot withdraw your own admin grant' });
  await transact(deps, ctx, async (tx) => {
    await store.deleteGrantRow(tx, id);
    await recordAudit(tx, deps, ctx, { action: 'grant.deleted', entity: 'grant', entityId: id, unitId: g.unit_id, before: { userId: g.user_id, username: g.username, role: g.role, unitId: g.unit_id } });
  });
  return { ok: true };
}

export async function deleteGrantByTriple(deps: Deps, ctx: Ctx, input: z.infer<typeof GrantCreate>) {
  const id = await store.findGrantByTriple(deps.db, input.userId, input.role, input.unitId);
  if (id === undefined) throw errors.notFound('grant');
  return deleteGrant(deps, ctx, id);
}
