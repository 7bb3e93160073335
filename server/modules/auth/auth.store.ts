import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { dialectOf, type Conn, type DbHandle } from '../../db/database.js';
import { hotQuery } from '../../db/hot.js';
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

/**
 * One row per grant of the session's user (null grant columns when none; null unit columns when its
 * unit is archived), each with the user's own person, if any: its status and unit.
 */
export interface SessionActorRow {
  user_id: number;
  expires_at: number;
  last_seen_at: number;
  username: string;
  display_name: string | null;
  person_id: number | null;
  disabled_at: number | null;
  person_status: string | null;
  person_unit_id: number | null;
  person_unit_path: string | null;
  role: string | null;
  unit_id: number | null;
  unit_name: string | null;
  path: string | null;
}

function sessionActorQuery(db: Conn, sessionId: string) {
  // Plain left joins, not a joined subquery of live grants: SQLite would materialise that subquery
  // (every grant of every user) on each request. A grant over an archived unit comes back with no
  // unit and is dropped by the caller, which also orders the grants (an ORDER BY here cost a sorter
  // on every request). The user's own person comes along: a check-in, the morning's commonest
  // request, needs its status and unit, and a statement of its own cost it twice as much.
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('people as p', 'p.id', 'users.person_id')
    .leftJoin('units as pu', 'pu.id', 'p.unit_id')
    .leftJoin('grants as g', 'g.user_id', 'users.id')
    .leftJoin('units as gu', (j) => j.onRef('gu.id', '=', 'g.unit_id').on('gu.archived_at', 'is', null))
    .select([
      'sessions.user_id',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.username',
      'users.display_name',
      'users.person_id',
      'users.disabled_at',
      'p.status as person_status',
      'p.unit_id as person_unit_id',
      'pu.path as person_unit_path',
      'g.role',
      'gu.id as unit_id',
      'gu.name as unit_name',
      'gu.path',
    ])
    .where('sessions.id', '=', sessionId);
}

/**
 * A session, its user and the user's grants over live units, in one query (a cached prepared
 * statement on SQLite): what every request signed in by cookie needs, read afresh each time so a
 * logout, a disabled account or a changed grant holds from the very next request, in any process.
 */
const sessionActor = hotQuery(sessionActorQuery);

export async function findSessionActor(handle: DbHandle, sessionId: string): Promise<SessionActorRow[]> {
  return (await sessionActor(handle, sessionId)) as SessionActorRow[];
}

const touchStatements = new WeakMap<object, SQLite.Statement<[number, string, number]>>();

/**
 * Move sessions' last-seen times forward on a raw SQLite connection, inside the caller's
 * transaction: the event loop's batch below, or the check-in writer thread's batch (which carries
 * the touches of the sessions that just checked in, checkin.writer.ts).
 */
export function touchSessionRows(sqlite: SQLite.Database, seen: Iterable<readonly [string, number]>): void {
  let stmt = touchStatements.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare<[number, string, number]>('update sessions set last_seen_at = ? where id = ? and last_seen_at < ?');
    touchStatements.set(sqlite, stmt);
  }
  for (const [id, at] of seen) stmt.run(at, id, at);
}

/** Sliding expiry of many sessions in one transaction: each id to the time it was last seen. */
export async function touchSessions(handle: DbHandle, seen: ReadonlyMap<string, number>): Promise<void> {
  if (dialectOf(handle.db) === 'postgres') {
    // One statement over arrays: thousands of round trips a second would hold a pooled connection.
    const ids = [...seen.keys()];
    const ats = [...seen.values()];
    await sql`update sessions set last_seen_at = v.at from unnest(${ids}::text[], ${ats}::bigint[]) as v(id, at)
      where sessions.id = v.id and sessions.last_seen_at < v.at`.execute(handle.db);
    return;
  }
  // Through Kysely each row was a round of its own (tens of microseconds) while the transaction held
  // the one connection; a cached statement in one synchronous transaction writes them in a few
  // microseconds each.
  const sqlite = handle.sqlite!;
  await handle.db.connection().execute(async () => {
    sqlite.transaction(() => touchSessionRows(sqlite, seen))();
  });
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
