/**
 * The data-quality flags on a 100,000-person organisation with 30 days of check-ins: the whole
 * tree and one subtree, and SQLite's plan (the window's days of the (day, unit_id) index, never
 * the whole history).
 *
 *   npx tsx bench/quality.bench.ts            (SQLite file)
 *   DATABASE_URL=postgres://… npx tsx bench/quality.bench.ts   (also PostgreSQL, in a schema of its own)
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { addDays, startOfDay } from '../common/day.js';
import { ManualClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import type { DbHandle } from '../server/db/database.js';
import { onBenchDatabases } from './databases.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Deps } from '../server/deps.js';
import type { Actor } from '../server/http/actor.js';
import { qualityFlags } from '../server/modules/health/quality.service.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const UNITS = 100;
const TODAY = '2026-11-24';
const TZ = 'Asia/Shanghai';

async function run(handle: DbHandle, label: string) {
  await migrateToLatest(handle);
  const clock = new ManualClock(startOfDay(TODAY, TZ) + 12 * 3600_000);
  const deps: Deps = { db: handle.db, dialect: handle.dialect, handle, clock, config: { ...loadConfig({}), sqlitePath: ':memory:' } };
  const now = clock.now();
  const root = await handle.db.insertInto('units').values({ parent_id: null, name: 'bench', kind: 'group', code: null, sort_order: 0, path: '/x/', depth: 0, archived_at: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  await handle.db.updateTable('units').set({ path: `/${root.id}/` }).where('id', '=', root.id).execute();
  const units: { id: number; path: string }[] = [];
  for (let i = 0; i < UNITS; i++) {
    const u = await handle.db.insertInto('units').values({ parent_id: root.id, name: `u${i}`, kind: 'department', code: null, sort_order: i, path: '/x/', depth: 1, archived_at: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const p = `/${root.id}/${u.id}/`;
    await handle.db.updateTable('units').set({ path: p }).where('id', '=', u.id).execute();
    units.push({ id: u.id, path: p });
  }
  const people: { id: number; unit: number }[] = [];
  for (let i = 0; i < PEOPLE; i += 1000) {
    const rows = await handle.db
      .insertInto('people')
      .values(Array.from({ length: 1000 }, (_, j) => ({ unit_id: units[(i + j) % UNITS]!.id, name: `p${i + j}`, employee_no: `Q${i + j}`, phone: null, title: null, status: 'active', left_on: null, created_at: now, updated_at: now })))
      .returning(['id', 'unit_id'])
      .execute();
    people.push(...rows.map((r) => ({ id: r.id, unit: r.unit_id })));
  }
  // Most people vary their temperature and minute; one in 500 is a script.
  for (let d = DAYS - 1; d >= 0; d--) {
    const day = addDays(TODAY, -d);
    const start = startOfDay(day, TZ);
    for (let i = 0; i < PEOPLE; i += 2000) {
      await handle.db
        .insertInto('checkins')
        .values(
          people.slice(i, i + 2000).map((p, j) => {
            const bot = (i + j) % 500 === 0;
            const at = start + (bot ? 480 : 420 + ((i + j + d * 7) % 120)) * 60_000;
            return { person_id: p.id, unit_id: p.unit, day, temperature: bot ? 365 : 360 + ((i + j + d) % 9), symptoms: '[]', location: 'at_work', city: '青岛', note: null, abnormal: 0, on_time: 1, on_behalf_of_user_id: null, created_at: at, updated_at: at };
          }),
        )
        .execute();
    }
  }
  // As autovacuum would have by morning: the planner needs the table's statistics.
  if (handle.dialect === 'postgres') await sql`analyze`.execute(handle.db);
  const actor: Actor = { userId: 1, username: 'bench', displayName: null, personId: null, grants: [{ role: 'admin', unitId: root.id, unitName: 'bench', path: `/${root.id}/` }], via: 'session', sessionId: null };
  await handle.db.insertInto('users').values({ id: 1, username: 'bench', password_hash: 'x', person_id: null, unit_id: root.id, display_name: null, disabled_at: null, password_changed_at: now, created_at: now } as never).execute();
  const time = async (unitId: number) => {
    const xs: number[] = [];
    let total = 0;
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      const r = await qualityFlags(deps, { actor, ip: null }, { unitId, page: 1, pageSize: 50 });
      xs.push(performance.now() - t0);
      total = r.total;
    }
    xs.sort((a, b) => a - b);
    return `${xs[2]!.toFixed(0)} ms median (${total} flagged)`;
  };
  console.log(`${label}, ${PEOPLE} people × ${DAYS} days: whole tree ${await time(root.id)}; one unit of ${PEOPLE / UNITS} ${await time(units[0]!.id)}`);
  if (handle.sqlite) {
    const days = Array.from({ length: 7 }, (_, i) => addDays(TODAY, -i));
    const plan = handle.sqlite
      .prepare(`explain query plan select person_id from checkins where day in (${days.map(() => '?').join(',')}) and unit_id in (select id from units where path >= ? and path < ?) group by person_id`)
      .all(...days, units[0]!.path, `${units[0]!.path.slice(0, -1)}0`);
    console.log('SQLite plan (one unit):', plan.map((p) => (p as { detail: string }).detail).join(' | '));
  }
}

await onBenchDatabases('quality', run);
