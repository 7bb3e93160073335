import type { z } from 'zod';
import type { ApiTokenCreate, User, UserCreate, UserListQuery, UserPatch } from '../../../common/schemas/org.js';
import type { Role } from '../../../common/roles.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { isUniqueViolation } from '../../db/sql.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.js';
import { newSecret, sha256, TOKEN_PREFIX } from '../auth/auth.service.js';
import { deleteSessionsOfUser } from '../auth/auth.store.js';
import { assertAllowed, assertVisible, requireActor, requireScope, userAbilities } from './org.policy.js';
import { findPerson } from './people.store.js';
import { findUnit } from './units.store.js';
import * as store from './users.store.js';

type GrantJoined = Awaited<ReturnType<typeof store.grantsWithUnits>>[number];

/** Grants are shown only on units the viewer can see: a grant elsewhere would name a unit out of scope. */
function presentUser(actor: Actor, u: store.UserWithUnit, allGrants: GrantJoined[]): User {
  const grants = allGrants.filter((g) => can(actor, 'units.read', g.unit_path));
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    personId: u.person_id,
    unitId: u.unit_id,
    disabled: u.disabled_at !== null,
    createdAt: Number(u.created_at),
    grants: grants.map((g) => ({ id: g.id, role: g.role as Role, unitId: g.unit_id, unitName: g.unit_name })),
    abilities: userAbilities(actor, u.unit_path),
  };
}

/**
 * Administering an account (password, disabling, tokens) is power over everything it holds: the
 * actor needs users.write over its home unit AND over every unit it has a grant on, or an
 * administrator of a branch could take over a root administrator homed in that branch.
 */
async function assertCanAdminister(deps: Deps, actor: Actor, u: store.UserWithUnit): Promise<void> {
  assertAllowed(actor, 'users.write', u.unit_path!);
  const grants = await store.grantsWithUnits(deps.db, { userIds: [u.id] });
  if (grants.some((g) => !can(actor, 'users.write', g.unit_path))) throw errors.forbidden('This account holds grants outside your administration');
}

/** A user whose home unit lies in the actor's user scope, or not_found. */
export async function visibleUser(deps: Deps, actor: Actor, id: number): Promise<store.UserWithUnit> {
  const u = await store.findUserWithUnit(deps.db, id);
  assertVisible(actor, 'users.read', u?.unit_path ?? undefined, 'user');
  return u!;
}

export async function listUsers(deps: Deps, ctx: Ctx, q: z.infer<typeof UserListQuery>) {
  const actor = requireActor(ctx.actor);
  const paths = requireScope(actor, 'users.read');
  const { rows, total } = await store.listUsers(deps.db, paths, q.q, (q.page - 1) * q.pageSize, q.pageSize);
  const grants = await store.grantsWithUnits(deps.db, { userIds: rows.map((r) => r.id) });
  return {
    items: rows.map((u) => presentUser(actor, u, grants.filter((g) => g.user_id === u.id))),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getUser(deps: Deps, ctx: Ctx, id: number): Promise<User> {
  const actor = requireActor(ctx.actor);
  const u = await visibleUser(deps, actor, id);
  return presentUser(actor, u, await store.grantsWithUnits(deps.db, { userIds: [id] }));
}

/**
 * Create an account. Its home unit (which decides who administers it) is the linked person's unit,
 * else the unit given, else the top of the actor's user-management scope.
 */
export async function createUser(deps: Deps, ctx: Ctx, input: z.infer<typeof UserCreate>): Promise<User> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'users.write');
  let unitId = input.unitId;
  if (input.personId != null) {
    const person = await findPerson(deps.db, input.personId);
    if (!person || !can(actor, 'people.read', person.unit_path)) throw errors.validation({ personId: 'no such person' });
    unitId = person.unit_id;
  }
  if (unitId === undefined) unitId = actor.grants.find((g) => scopeFor(actor, 'users.write').includes(g.path))!.unitId;
  const unit = await findUnit(deps.db, unitId);
  if (!unit || !can(actor, 'units.read', unit.path)) throw errors.validation({ unitId: 'no such unit' });
  assertAllowed(actor, 'users.write', unit.path);
  const passwordHash = await hashPassword(input.password);
  try {
    return await transact(deps, ctx, async (tx) => {
      const existing = await tx.selectFrom('users').select('id').where('username', '=', input.username.toLowerCase()).executeTakeFirst();
      if (existing) throw errors.conflict('username already taken', { username: 'already taken' });
      const row = await store.insertUser(tx, { username: input.username, passwordHash, personId: input.personId ?? null, unitId: unit.id, displayName: input.displayName ?? null, now: deps.clock.now() });
      await recordAudit(tx, deps, ctx, { action: 'user.created', entity: 'user', entityId: row.id, unitId: unit.id, after: { username: row.username, personId: row.person_id, unitId: unit.id } });
      return presentUser(actor, { ...row, unit_path: unit.path }, []);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.conflict('username already taken', { username: 'already taken' });
    throw err;
  }
}

/** Rename, disable or enable, or reset the password of an account. Disabling or a reset ends its sessions. */
export async function updateUser(deps: Deps, ctx: Ctx, id: number, patch: z.infer<typeof UserPatch>): Promise<User> {
  const actor = requireActor(ctx.actor);
  const u = await visibleUser(deps, actor, id);
  await assertCanAdminister(deps, actor, u);
  if (patch.disabled === true && id === actor.userId) throw errors.validation({ disabled: 'you cannot disable your own account' });
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  const now = deps.clock.now();
  return transact(deps, ctx, async (tx) => {
    await store.updateUserRow(tx, id, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.disabled !== undefined ? { disabled_at: patch.disabled ? (u.disabled_at ?? now) : null } : {}),
      ...(passwordHash ? { password_hash: passwordHash, password_changed_at: now } : {}),
    });
    if (patch.disabled === true || passwordHash) await deleteSessionsOfUser(tx, id);
    const action = patch.disabled === true ? 'user.disabled' : patch.disabled === false ? 'user.enabled' : passwordHash ? 'user.password_reset' : 'user.updated';
    await recordAudit(tx, deps, ctx, {
      action,
      entity: 'user',
      entityId: id,
      unitId: u.unit_id,
      before: { displayName: u.display_name, disabled: u.disabled_at !== null },
      after: { displayName: patch.displayName ?? u.display_name, disabled: patch.disabled ?? u.disabled_at !== null, passwordReset: Boolean(passwordHash) },
    });
    const next = await store.findUserWithUnit(tx, id);
    return presentUser(actor, next!, await store.grantsWithUnits(tx, { userIds: [id] }));
  });
}

/** Mint an API token for the actor or for an account the actor administers. The secret is returned once. */
export async function createApiToken(deps: Deps, ctx: Ctx, input: z.infer<typeof ApiTokenCreate>) {
  const actor = requireActor(ctx.actor);
  const userId = input.userId ?? actor.userId;
  if (userId !== actor.userId) {
    const u = await store.findUserWithUnit(deps.db, userId);
    if (!u || !u.unit_path || !can(actor, 'users.read', u.unit_path)) throw errors.validation({ userId: 'no such user' });
    await assertCanAdminister(deps, actor, u);
  }
  const secret = `${TOKEN_PREFIX}${newSecret()}`;
  return transact(deps, ctx, async (tx) => {
    const row = await store.insertApiToken(tx, { userId, name: input.name, tokenHash: sha256(secret), prefix: secret.slice(0, 10), now: deps.clock.now(), createdBy: actor.userId });
    await recordAudit(tx, deps, ctx, { action: 'api_token.created', entity: 'api_token', entityId: row.id, note: { userId, name: input.name, prefix: row.prefix } });
    return { ...presentToken(row), token: secret };
  });
}

function presentToken(t: Awaited<ReturnType<typeof store.insertApiToken>>) {
  return { id: t.id, userId: t.user_id, name: t.name, prefix: t.prefix, createdAt: Number(t.created_at), lastUsedAt: t.last_used_at === null ? null : Number(t.last_used_at), revoked: t.revoked_at !== null };
}

/** The actor's own tokens, plus those of accounts the actor administers. */
export async function listApiTokens(deps: Deps, ctx: Ctx) {
  const actor = requireActor(ctx.actor);
  return { items: (await store.listApiTokens(deps.db, actor.userId, scopeFor(actor, 'users.write'))).map(presentToken) };
}

export async function revokeApiToken(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const t = await store.findApiTokenById(deps.db, id);
  if (!t) throw errors.notFound('api token');
  if (t.user_id !== actor.userId) {
    const u = await store.findUserWithUnit(deps.db, t.user_id);
    if (!u?.unit_path || !can(actor, 'users.read', u.unit_path)) throw errors.notFound('api token');
    assertAllowed(actor, 'users.write', u.unit_path);
  }
  await transact(deps, ctx, async (tx) => {
    await store.revokeApiToken(tx, id, deps.clock.now());
    await recordAudit(tx, deps, ctx, { action: 'api_token.revoked', entity: 'api_token', entityId: id, note: { userId: t.user_id, prefix: t.prefix } });
  });
  return { ok: true };
}
