import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: stores accept both so services choose the boundary. */
export type Conn = Kysely<Database>;

/** Which database a connection speaks, for the few queries that must be written differently. */
export function dialectOf(db: Conn): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** The raw SQLite connection, for online backup and the hottest prepared statements. */
  sqlite: SQLite.Database | null;
  /** The PostgreSQL pool under Kysely, for the hottest reads as named prepared statements (db/hot.ts). */
  pool: pg.Pool | null;
  /** The PostgreSQL schema in use when not the default (tests isolate each file in one). */
  pgSchema: string | null;
  close(): Promise<void>;
}

// int8 (COUNT(*), bigint columns) would arrive as strings; our values fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface OpenOptions {
  sqlitePath?: string; // ':memory:' for tests
  databaseUrl?: string | null;
  /** PostgreSQL schema to use (tests isolate each file in its own). */
  pgSchema?: string;
  poolSize?: number;
}

/** Open the configured database: PostgreSQL when a URL is given, else the embedded SQLite file. */
export function openDatabase(opts: OpenOptions): DbHandle {
  if (opts.databaseUrl) {
    // JIT planning adds 60-120 ms to roll-up queries and buys nothing at our row counts.
    const options = ['-c jit=off', opts.pgSchema ? `-c search_path=${opts.pgSchema}` : ''].filter(Boolean).join(' ');
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, options });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', sqlite: null, pool, pgSchema: opts.pgSchema ?? null, close: () => db.destroy() };
  }
  const file = opts.sqlitePath ?? './data/bulwark.db';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not just a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', sqlite, pool: null, pgSchema: null, close: () => db.destroy() };
}
