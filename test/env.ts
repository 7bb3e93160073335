import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type App } from '../server/app.js';
import { ManualClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { openDatabase, type Dialect } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Deps } from '../server/deps.js';

/** The dialects this run covers: SQLite always, PostgreSQL when global setup reached it. */
export function testDialects(): Dialect[] {
  return inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestEnv {
  deps: Deps;
  clock: ManualClock;
  app(): Promise<App>;
  close(): Promise<void>;
}

/**
 * A fresh database for one test file: SQLite in memory, or a PostgreSQL schema of its own that is
 * dropped afterwards. Tests inside the file build their own units and never share rows by accident.
 */
export async function testEnv(dialect: Dialect, opts: { sqliteFile?: boolean } = {}): Promise<TestEnv> {
  const clock = new ManualClock();
  // A file when a test needs what only a file has (a second connection: the check-in writer's thread).
  const sqlitePath = opts.sqliteFile ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-test-')), 'test.db') : ':memory:';
  const config = { ...loadConfig({}), sqlitePath, secureCookies: false };
  const pgUrl = inject('pgUrl');
  let schema: string | null = null;
  if (dialect === 'postgres') {
    if (!pgUrl) throw new Error('PostgreSQL not available');
    schema = `t_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const handle =
    dialect === 'postgres' ? openDatabase({ databaseUrl: pgUrl, pgSchema: schema!, poolSize: 4 }) : openDatabase({ sqlitePath });
  await migrateToLatest(handle);
  const deps: Deps = { db: handle.db, dialect, handle, clock, config: { ...config, databaseUrl: dialect === 'postgres' ? pgUrl : null } };
  let app: App | null = null;
  return {
    deps,
    clock,
    async app() {
      app ??= await buildApp(deps, { webRoot: null });
      return app;
    },
    async close() {
      if (app) await app.close();
      await handle.close();
      if (sqlitePath !== ':memory:') fs.rmSync(path.dirname(sqlitePath), { recursive: true, force: true });
      if (schema && pgUrl) {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      }
    },
  };
}
