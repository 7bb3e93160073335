import type SQLite from 'better-sqlite3';
import type { Compilable } from 'kysely';
import type { DbHandle } from './database.js';

const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * Run a read on the hottest paths (the session of every request, the person checking in) as a
 * cached prepared statement on the raw SQLite connection. Through Kysely each query waits its turn
 * on the one connection's mutex and is rebuilt and re-prepared on every call; here it costs a few
 * microseconds, synchronously. The SQL is Kysely's own compilation of the query, so the text, its
 * parameters and the result rows are exactly what Kysely would have used.
 *
 * Falls back to Kysely on PostgreSQL, and on SQLite while a transaction is open on the connection
 * (an async Kysely transaction between two of its statements): the raw read would otherwise see
 * that transaction's uncommitted writes. Only for queries of a fixed shape (no IN list of varying
 * length): each distinct SQL text stays prepared for the life of the connection.
 */
export async function hotAll<R>(handle: DbHandle, query: Compilable<R> & { execute(): Promise<R[]> }): Promise<R[]> {
  const sqlite = handle.sqlite;
  if (!sqlite || sqlite.inTransaction) return query.execute();
  const compiled = query.compile();
  let cache = statements.get(sqlite);
  if (!cache) {
    cache = new Map();
    statements.set(sqlite, cache);
  }
  let stmt = cache.get(compiled.sql);
  if (!stmt) {
    stmt = sqlite.prepare(compiled.sql);
    cache.set(compiled.sql, stmt);
  }
  return stmt.all(...compiled.parameters) as R[];
}

/** The first row of `hotAll`, or undefined. */
export async function hotFirst<R>(handle: DbHandle, query: Compilable<R> & { execute(): Promise<R[]> }): Promise<R | undefined> {
  return (await hotAll(handle, query))[0];
}
