import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';
import { likeText } from '../../db/sql.js';

export async function findUserWithUnit(db: Conn, id: number) {
  return db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .selectAll('users')
    .select('units.path as unit_path')
    .where('users.id', '=', id)
    .executeTakeFirst();
}
export type UserWithUnit = NonNullable<Awaited<ReturnType<typeof findUserWithUnit>>>;

function usersIn(db: Conn, paths: readonly string[], q?: string) {
  let query = db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .where((eb) => pathInSubtrees(eb, 'units.path', paths));
  if (q) query = query.where((eb) => eb.or([likeText(db, 'users.username', q, 'contains'), likeText(db, 'users.display_name', q, 'contains')]));
  return query;
}

export async function listUsers(db: Conn, paths: readonly string[], q: string | undefined, offset: number, limit: number) {
  const [rows, count] = await Promise.all([
    usersIn(db, paths, q).selectAll('users').select('units.path as unit_path').orderBy('users.username').offset(offset).limit(limit).execute(),
    usersIn(db, paths, q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertUser(
  tx: Conn,
  u: { username: string; passwordHash: string; personId: number | null; unitId: number; displayName: string | null; now: number },
) {
  return tx
    .insertInto('users')
    .values({
      username: u.username.toLowerCase(),
      password_hash: u.passwordHash,
      person_id: u.personId,
      unit_id: u.unitId,
      display_name: u.displayName,
      disabled_at: null,
      password_changed_at: u.now,
      created_at: u.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUserRow(tx: Conn, id: number, set: { display_name?: string | null; disabled_at?: number | null; password_hash?: string; password_changed_at?: number }) {
  if (Object.keys(set).length === 0) return; // an empty patch changes nothing (and SET needs a column)
  await tx.updateTable('users').set(set).where('id', '=', id).execute();
}

export async function grantsWithUnits(db: Conn, filter: { userIds?: readonly number[]; paths?: readonly string[]; unitId?: number }) {
  let q = db
    .selectFrom('grants')
    .innerJoin('units', 'units.id', 'grants.unit_id')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .selectAll('grants')
    .select(['units.name as unit_name', 'units.path as unit_path', 'users.username']);
  if (filter.userIds) {
    if (filter.userIds.length === 0) return [];
    q = q.where('grants.user_id', 'in', [...filter.userIds]);
  }
  if (filter.paths) {
    const paths = filter.paths;
    q = q.where((eb) => pathInSubtrees(eb, 'units.path', paths));
  }
  if (filter.unitId !== undefined) q = q.where('grants.unit_id', '=', filter.unitId);
  return q.orderBy('grants.user_id').orderBy('units.path').orderBy('grants.role').execute();
}

export async function findGrant(db: Conn, id: number) {
  return db
    .selectFrom('grants')
    .innerJoin('units', 'units.id', 'grants.unit_id')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .selectAll('grants')
    .select(['units.name as unit_name', 'units.path as unit_path', 'users.username'])
    .where('grants.id', '=', id)
    .executeTakeFirst();
}

export async function findGrantByTriple(db: Conn, userId: number, role: string, unitId: number) {
  const r = await db.selectFrom('grants').select('id').where('user_id', '=', userId).where('role', '=', role).where('unit_id', '=', unitId).executeTakeFirst();
  return r?.id;
}

export async function insertGrant(tx: Conn, g: { userId: number; role: string; unitId: number; now: number; createdBy: number | null }) {
  return tx
    .insertInto('grants')
    .values({ user_id: g.userId, role: g.role, unit_id: g.unitId, created_at: g.now, created_by: g.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteGrantRow(tx: Conn, id: number) {
  await tx.deleteFrom('grants').where('id', '=', id).execute();
}

export async function insertApiToken(tx: Conn, t: { userId: number; name: string; tokenHash: string; prefix: string; now: number; createdBy: number | null }) {
  return tx
    .insertInto('api_tokens')
    .values({ user_id: t.userId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix, created_at: t.now, created_by: t.createdBy, last_used_at: null, revoked_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The user's own tokens plus those of accounts homed in the given subtrees. */
export async function listApiTokens(db: Conn, ownUserId: number, paths: readonly string[]) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .selectAll('api_tokens')
    .where((eb) => eb.or([eb('api_tokens.user_id', '=', ownUserId), pathInSubtrees(eb, 'units.path', paths)]))
    .orderBy('api_tokens.id', 'desc')
    .execute();
}

export async function findApiTokenById(db: Conn, id: number) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeApiToken(tx: Conn, id: number, now: number) {
  await tx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function revokeTokensOfUser(tx: Conn, userId: number, now: number) {
  await tx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}
