import { loadConfig, type Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { openDatabase, type DbHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import type { Deps } from './deps.js';

/** Open the configured database, bring it to the latest schema, and assemble the dependencies. */
export async function openDeps(config: Config = loadConfig(), clock: Clock = systemClock): Promise<Deps> {
  const handle: DbHandle = openDatabase({ sqlitePath: config.sqlitePath, databaseUrl: config.databaseUrl, ...(config.pgSchema ? { pgSchema: config.pgSchema } : {}) });
  await migrateToLatest(handle);
  return { db: handle.db, dialect: handle.dialect, handle, clock, config };
}
