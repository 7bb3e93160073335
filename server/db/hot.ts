import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type { Compilable } from 'kysely';
import type { Conn, DbHandle } from './database.js';

type Query<R> = Compilable<R> & { execute(): Promise<R[]> };

/**
 * A read on the hottest paths (the session of every request, the person checking in, the
 * roll-up) as a cached prepared statement on the raw SQLite connection. Through Kysely each query
 * waits its turn on the one connection's mutex and is rebuilt, recompiled and re-prepared on every
 * call (a tenth of a check-in's CPU); here it costs a few microseconds, synchronously.
 *
 * For a query whose SQL never changes and whose parameters are exactly the arguments, in order:
 * Kysely builds and compiles it once per connection (the parameters are checked against the
 * arguments then), so the text and the rows are exactly what Kysely would have used.
 *
 * On PostgreSQL the same compiled text runs as a named prepared statement on the pool: each
 * connection parses and plans it once, not on every request. On SQLite it falls back to Kysely
 * while a transaction is open on the connection (an async Kysely transaction between two of its
 * statements): the raw read would otherwise see that transaction's uncommitted writes.
 */
export function hotQuery<A extends unknown[], R>(build: (db: Conn, ...args: A) => Query<R>): (handle: DbHandle, ...args: A) => Promise<R[]> {
  const prepared = new WeakMap<SQLite.Database, SQLite.Statement>();
  const named = new WeakMap<object, { name: string; text: string }>();
  const sqlOf = (handle: DbHandle, args: A): string => {
    const compiled = build(handle.db, ...args).compile();
    if (compiled.parameters.length !== args.length || compiled.parameters.some((p, i) => p !== args[i])) {
      throw new Error(`hotQuery: the parameters of ${compiled.sql} are not the arguments in order`);
    }
    return compiled.sql;
  };
  return async (handle, ...args) => {
    if (handle.pool) {
      let q = named.get(handle.pool);
      if (!q) {
        const text = sqlOf(handle, args);
        q = { name: `hot_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
        named.set(handle.pool, q);
      }
      return (await handle.pool.query({ name: q.name, text: q.text, values: args as unknown[] })).rows as R[];
    }
    const sqlite = handle.sqlite;
    if (!sqlite || sqlite.inTransaction) return build(handle.db, ...args).execute();
    let stmt = prepared.get(sqlite);
    if (!stmt) {
      stmt = sqlite.prepare(sqlOf(handle, args));
      prepared.set(sqlite, stmt);
    }
    return stmt.all(...args) as R[];
  };
}
