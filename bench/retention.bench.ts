/**
 * The nightly retention purge on 100,000 check-ins: how long it takes, and how long one batch holds
 * the writer (on SQLite, with one connection, also the event loop).
 *
 *   npx tsx bench/retention.bench.ts            (SQLite file, WAL, synchronous=FULL)
 *   DATABASE_URL=postgres://… npx tsx bench/retention.bench.ts   (also PostgreSQL, in a schema of its own)
 */
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import type { DbHandle } from '../server/db/database.js';
import { onBenchDatabases } from './databases.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Deps } from '../server/deps.js';
import { addDays } from '../common/day.js';
import { PURGE_BATCH, purgeOldCheckins } from '../server/modules/health/retention.service.js';
import { deleteCheckinsBefore } from '../server/modules/health/retention.store.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PEOPLE = 10_000;

async function run(handle: DbHandle, label: string) {
  await migrateToLatest(handle);
  const clock = new ManualClock(Date.parse('2026-11-24T04:00:00Z'));
  const deps: Deps = { db: handle.db, dialect: handle.dialect, handle, clock, config: { ...loadConfig({}), sqlitePath: ':memory:' } };
  const now = clock.now();
  const unit = await handle.db.insertInto('units').values({ parent_id: null, name: 'bench', kind: 'group', code: null, sort_order: 0, path: '/x/', depth: 0, archived_at: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  await handle.db.updateTable('units').set({ path: `/${unit.id}/` }).where('id', '=', unit.id).execute();
  const people: number[] = [];
  for (let i = 0; i < PEOPLE; i += 1000) {
    const rows = await handle.db
      .insertInto('people')
      .values(Array.from({ length: 1000 }, (_, j) => ({ unit_id: unit.id, name: `p${i + j}`, employee_no: `B${i + j}`, phone: null, title: null, status: 'active', left_on: null, created_at: now, updated_at: now })))
      .returning('id')
      .execute();
    people.push(...rows.map((r) => r.id));
  }
  // ROWS old check-ins over ROWS / PEOPLE days long past the retention period, plus one recent day.
  const oldDays = Math.ceil(ROWS / PEOPLE);
  for (let d = 0; d <= oldDays; d++) {
    const day = d < oldDays ? addDays('2026-01-01', d) : '2026-11-23';
    for (let i = 0; i < PEOPLE; i += 1000) {
      await handle.db
        .insertInto('checkins')
        .values(people.slice(i, i + 1000).map((p) => ({ person_id: p, unit_id: unit.id, day, temperature: 365, symptoms: '[]', location: 'at_work', city: '青岛', note: null, abnormal: 0, on_time: 1, on_behalf_of_user_id: null, created_at: now, updated_at: now })))
        .execute();
    }
  }
  // One batch alone, timed: the longest the writer is held.
  const t0 = performance.now();
  await handle.db.transaction().execute((tx) => deleteCheckinsBefore(tx, '2026-08-27', PURGE_BATCH));
  const oneBatch = performance.now() - t0;
  const t1 = performance.now();
  const out = await purgeOldCheckins(deps);
  const total = performance.now() - t1;
  console.log(`${label}: ${out.deleted + PURGE_BATCH} rows purged in ${(total + oneBatch).toFixed(0)} ms (${out.batches + 1} batches of ${PURGE_BATCH}); one batch ${oneBatch.toFixed(1)} ms; ${(((out.deleted + PURGE_BATCH) / (total + oneBatch)) * 1000).toFixed(0)} rows/s`);
}

await onBenchDatabases('retention', run);
