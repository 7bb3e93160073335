import fs from 'node:fs';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import pg from 'pg';
import { openSqliteFile } from './sqlite.js';
import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver, type QueryCompiler, type Transaction } from 'kysely';
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
  const sqlite = openSqliteFile(file);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', sqlite, pool: null, pgSchema: null, close: () => db.destroy() };
}

/**
 * Kysely's SQLite transactions, begun IMMEDIATE: the write lock is taken at BEGIN, waiting (busy
 * timeout) while another connection holds it. A deferred BEGIN reads first and asks for the lock
 * at its first write, and if another connection committed in between (the check-in writer's
 * thread does, many times a second in the morning) SQLite refuses the write at once with
 * SQLITE_BUSY_SNAPSHOT instead of waiting.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new ImmediateTransactions(super.createDriver());
  }
}

class ImmediateTransactions implements Driver {
  constructor(private readonly inner: Driver) {}
  init(): Promise<void> {
    return this.inner.init();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    return this.inner.acquireConnection();
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }
  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(connection, name, compile);
  }
  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }
  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
