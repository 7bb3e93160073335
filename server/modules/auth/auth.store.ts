import type { Conn } from '../../db/database.js';
import type { Role } from '../../../common/roles.js';
import type { ActorGrant } from '../../http/actor.js';

export async function findUserByUsername(db: Conn, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Conn, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user's grants over live units, with each unit's path: the actor's whole scope. */
export async function grantsOfUser(db: Conn, userId: number): Promise<ActorGrant[]> {
  const rows = await db
    .selectFrom('grants')
    .innerJoin('units', 'units.id', 'grants.unit_id')
    .select(['grants.role', 'grants.unit_id', 'units.name', 'units.path'])
    .where('grants.user_id', '=', userId)
    .where('units.archived_at', 'is', null)
    .orderBy('units.path')
    .execute();
  return rows.map((r) => ({ role: r.role as Role, unitId: r.unit_id, unitName: r.name, path: r.path }));
}

export async function insertSession(
  tx: Conn,
  s: { id: string; userId: number; now: number; expiresAt: number; ip: string | null; userAgent: string | null },
): Promise<void> {
  await tx
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent })
    .execute();
}

export async function findSession(db: Conn, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Conn, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteSession(db: Conn, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Conn, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function purgeSessions(db: Conn, now: number, idleMs: number): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - idleMs)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function findApiToken(db: Conn, tokenHash: string) {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchApiToken(db: Conn, id: number, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function getThrottle(db: Conn, key: string) {
  return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function putThrottle(db: Conn, row: { key: string; failures: number; window_started_at: number; blocked_until: number }): Promise<void> {
  await db
    .insertInto('login_throttle')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: row.failures, window_started_at: row.window_started_at, blocked_until: row.blocked_until }))
    .execute();
}

export async function clearThrottle(db: Conn, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

export async function purgeThrottle(db: Conn, before: number): Promise<void> {
  await db.deleteFrom('login_throttle').where('window_started_at', '<', before).where('blocked_until', '<', before).execute();
}
