import type { Config } from './config.js';
import type { Clock } from './clock.js';
import type { Db, Dialect, DbHandle } from './db/database.js';

/** What services need from the outside world, passed by name (no service locator). */
export interface Deps {
  db: Db;
  dialect: Dialect;
  handle: DbHandle;
  clock: Clock;
  config: Config;
}
