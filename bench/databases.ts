import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../server/db/database.js';

/**
 * Run a benchmark on a fresh SQLite file (a file, not memory: WAL and fsync as in production) and,
 * when DATABASE_URL is set, on PostgreSQL in a schema of its own; both are removed afterwards.
 * BENCH_PG_ONLY=1 skips SQLite; BENCH_KEEP=1 keeps the PostgreSQL schema to look at.
 */
export async function onBenchDatabases(name: string, run: (handle: DbHandle, label: 'SQLite' | 'PostgreSQL') => Promise<void>): Promise<void> {
  if (!process.env.BENCH_PG_ONLY) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bulwark-${name}-`));
    const sqlite = openDatabase({ sqlitePath: path.join(dir, 'bench.db') });
    try {
      await run(sqlite, 'SQLite');
    } finally {
      await sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`create schema ${schema}`);
  const handle = openDatabase({ databaseUrl: url, pgSchema: schema, poolSize: 4 });
  try {
    await run(handle, 'PostgreSQL');
  } finally {
    await handle.close();
    if (process.env.BENCH_KEEP) console.log(`kept schema ${schema}`);
    else await c.query(`drop schema ${schema} cascade`);
    await c.end();
  }
}
