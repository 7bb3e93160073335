import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Deps } from '../deps.js';

/**
 * An online, consistent copy. SQLite: the backup API copies pages while the server keeps writing.
 * PostgreSQL: pg_dump in its custom format (one snapshot), which pg_restore reads back.
 */
export async function backupDatabase(deps: Deps, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (deps.handle.sqlite) {
    await deps.handle.sqlite.backup(file);
    return;
  }
  const url = deps.config.databaseUrl;
  if (!url) throw new Error('no database to back up');
  await new Promise<void>((resolve, reject) => {
    const p = spawn('pg_dump', ['--format=custom', `--file=${file}`, url], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('error', (e) => reject(new Error(`pg_dump could not start (${e.message}); install the PostgreSQL client`)));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump exited with ${code}`))));
  });
}
