/**
 * The 09:00 reminder of a whole 100,000-person organisation (5,000 units, half the people with an
 * account, one robot), and the cut-off report to each unit's head (a unit head on every third unit).
 * The reminder goes in batches of REMIND_BATCH people, each its own transaction: what matters is
 * how long one batch holds SQLite's only writer while the morning's check-ins wait behind it.
 *
 *   npx tsx bench/reminders.bench.ts          (SQLite file, WAL, synchronous=FULL; BENCH_PEOPLE to change the size)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { pathOf } from '../server/db/tree.js';
import type { Deps } from '../server/deps.js';
import { REMIND_BATCH, remindOrganisation } from '../server/modules/health/reminders.service.js';
import { reportMissingAtCutoff } from '../server/modules/health/cutoff.report.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const UNITS = 5000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-reminders-'));
const handle = openDatabase({ sqlitePath: path.join(dir, 'bench.db') });
await migrateToLatest(handle);
const clock = new ManualClock(Date.parse('2026-11-24T09:00:00+08:00'));
const deps: Deps = { db: handle.db, dialect: handle.dialect, handle, clock, config: { ...loadConfig({}), sqlitePath: path.join(dir, 'bench.db') } };
const s = handle.sqlite!;
const now = clock.now();

const insUnit = s.prepare('insert into units (id, parent_id, name, kind, code, sort_order, path, depth, archived_at, created_at, updated_at) values (?, ?, ?, ?, null, 0, ?, ?, null, ?, ?)');
const insPerson = s.prepare("insert into people (unit_id, name, employee_no, phone, title, status, left_on, created_at, updated_at) values (?, ?, ?, '13800000000', null, 'active', null, ?, ?)");
const insUser = s.prepare('insert into users (username, password_hash, person_id, unit_id, display_name, disabled_at, password_changed_at, created_at) values (?, ?, ?, ?, null, null, ?, ?)');
const insGrant = s.prepare('insert into grants (user_id, role, unit_id, created_at, created_by) values (?, ?, ?, ?, null)');
const paths = new Map<number, string>();
s.transaction(() => {
  for (let id = 1; id <= UNITS; id++) {
    // A root, 49 subsidiaries, and departments spread under them.
    const parent = id === 1 ? null : id <= 50 ? 1 : 2 + ((id * 7) % 49);
    const p = pathOf(parent === null ? null : paths.get(parent)!, id);
    paths.set(id, p);
    insUnit.run(id, parent, `单位${id}`, id === 1 ? 'group' : 'department', p, p.split('/').length - 3, now, now);
  }
  for (let i = 1; i <= PEOPLE; i++) {
    const unit = 2 + (i % (UNITS - 1));
    const personId = Number(insPerson.run(unit, `员工${i}`, `E${i}`, now, now).lastInsertRowid);
    if (i % 2 === 0) insUser.run(`user${i}`, 'x', personId, unit, now, now);
  }
  for (let u = 2; u <= UNITS; u += 3) insGrant.run(1 + (u % 1000), 'unit_head', u, now);
})();
s.prepare("insert into unit_channels (unit_id, kind, name, url, secret, enabled, created_at, updated_at) values (2, 'generic', 'g', 'http://127.0.0.1:9/', 'x', 1, ?, ?)").run(now, now);

// Time each transaction the reminder opens: the longest is how long a check-in could wait.
const spans: number[] = [];
const transaction = handle.db.transaction.bind(handle.db);
(handle.db as { transaction: typeof transaction }).transaction = () => {
  const builder = transaction();
  const execute = builder.execute.bind(builder);
  return Object.assign(Object.create(builder) as typeof builder, {
    execute: async <T>(fn: Parameters<typeof execute<T>>[0]) => {
      const t = performance.now();
      try {
        return await execute(fn);
      } finally {
        spans.push(performance.now() - t);
      }
    },
  });
};

let t = performance.now();
const reminded = await remindOrganisation(deps, '2026-11-24', '09:00');
const total = performance.now() - t;
const longest = Math.max(...spans);
console.log(`reminder: ${reminded} people in ${Math.round(total)} ms, ${spans.length} transactions of ${REMIND_BATCH}, the longest ${Math.round(longest)} ms`);
spans.length = 0;
// The report covers the units whose cut-off has come: the default cut-off is 24:00.
clock.set(Date.parse('2026-11-25T00:00:00+08:00'));
t = performance.now();
const reported = await reportMissingAtCutoff(deps, '2026-11-24');
console.log(`cut-off report: ${reported} notifications in ${Math.round(performance.now() - t)} ms (one transaction)`);
console.log(`rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
await handle.close();
fs.rmSync(dir, { recursive: true, force: true });
