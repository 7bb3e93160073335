import SQLite from 'better-sqlite3';

/** A connection to the SQLite file with the settings every connection of ours uses (the app's, the check-in writer thread's). */
export function openSqliteFile(file: string, opts: { cacheKiB?: number } = {}): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not just a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`cache_size = -${opts.cacheKiB ?? 32_000}`);
  return sqlite;
}
