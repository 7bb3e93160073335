/**
 * Trips on a 100,000-person organisation with about 100,000 trips over 90 days (one in twenty
 * people away today): who is away now (whole tree and one unit), the trip list by status, trips by
 * destination, and putting a risk area on the list that reaches back over a city's recent returns.
 *
 *   npx tsx bench/trips.bench.ts            (SQLite file)
 *   DATABASE_URL=postgres://… npx tsx bench/trips.bench.ts   (also PostgreSQL, in a schema of its own)
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
import type { Actor, Ctx } from '../server/http/actor.js';
import { createRiskArea } from '../server/modules/health/risk-areas.service.js';
import { AREA_REACH_BACK_JOB, reachBackFromArea } from '../server/modules/health/trip-watch.service.js';
import { listAway, listTrips, tripsByDestination } from '../server/modules/health/trips.service.js';
import type { NewTrip } from '../server/modules/health/trips.store.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const UNITS = 100;
const TODAY = '2026-11-24';
const TZ = 'Asia/Shanghai';
const CITIES = ['北京', '上海', '广州', '深圳', '武汉', '成都', '西安', '郑州', '济南', '烟台', '潍坊', '南京', '杭州', '天津', '沈阳', '大连', '长沙', '重庆', '昆明', '兰州'];

async function run(handle: DbHandle, label: string) {
  await migrateToLatest(handle);
  const clock = new ManualClock(startOfDay(TODAY, TZ) + 12 * 3600_000);
  const deps: Deps = { db: handle.db, dialect: handle.dialect, handle, clock, config: { ...loadConfig({}), sqlitePath: ':memory:' } };
  const now = clock.now();
  const db = handle.db;
  const root = await db.insertInto('units').values({ parent_id: null, name: 'bench', kind: 'group', code: null, sort_order: 0, path: '/x/', depth: 0, archived_at: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  await db.updateTable('units').set({ path: `/${root.id}/` }).where('id', '=', root.id).execute();
  const units: { id: number; path: string }[] = [];
  for (let i = 0; i < UNITS; i++) {
    const u = await db.insertInto('units').values({ parent_id: root.id, name: `u${i}`, kind: 'department', code: null, sort_order: i, path: '/x/', depth: 1, archived_at: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const p = `/${root.id}/${u.id}/`;
    await db.updateTable('units').set({ path: p }).where('id', '=', u.id).execute();
    units.push({ id: u.id, path: p });
  }
  const people: { id: number; unit: number }[] = [];
  for (let i = 0; i < PEOPLE; i += 1000) {
    const rows = await db
      .insertInto('people')
      .values(Array.from({ length: 1000 }, (_, j) => ({ unit_id: units[(i + j) % UNITS]!.id, name: `p${i + j}`, employee_no: `T${i + j}`, phone: '13812345678', title: null, status: 'active', left_on: null, created_at: now, updated_at: now })))
      .returning(['id', 'unit_id'])
      .execute();
    people.push(...rows.map((r) => ({ id: r.id, unit: r.unit_id })));
  }
  // One trip per person in the last 90 days (returned), and one in twenty away today.
  let trips = 0;
  for (let i = 0; i < PEOPLE; i += 1000) {
    const rows = people.slice(i, i + 1000).flatMap((p, j) => {
      const n = i + j;
      const city = CITIES[n % CITIES.length]!;
      const start = addDays(TODAY, -(5 + (n % 85)));
      const back = addDays(start, 1 + (n % 4));
      const base = { person_id: p.id, unit_id: p.unit, destination_district: null, purpose: '出差', watch_area_id: null, reported_by_user_id: null, created_at: now, updated_at: now };
      const out: NewTrip[] = [{ ...base, destination_city: city, start_on: start, end_on: back, status: 'returned', returned_on: back }];
      if (n % 20 === 0) out.push({ ...base, destination_city: CITIES[(n + 7) % CITIES.length]!, start_on: addDays(TODAY, -2), end_on: addDays(TODAY, 3), status: 'away', returned_on: null });
      return out;
    });
    trips += rows.length;
    await db.insertInto('trips').values(rows).execute();
  }
  // Production's autovacuum keeps the planner's statistics; a bench that just loaded its rows asks for them.
  if (handle.dialect === 'postgres') await sql`analyze`.execute(db);
  const actor: Actor = { userId: 1, username: 'bench', displayName: null, personId: null, grants: [{ role: 'admin', unitId: root.id, unitName: 'bench', path: `/${root.id}/` }], via: 'session', sessionId: null };
  await db.insertInto('users').values({ id: 1, username: 'bench', password_hash: 'x', person_id: null, unit_id: root.id, display_name: null, disabled_at: null, password_changed_at: now, created_at: now } as never).execute();
  const ctx: Ctx = { actor, ip: null };

  const time = async (what: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      await what();
      xs.push(performance.now() - t0);
    }
    xs.sort((a, b) => a - b);
    return `${xs[3]!.toFixed(1)} ms`;
  };
  const one = units[0]!.id;
  console.log(`${label}: ${PEOPLE} people, ${trips} trips`);
  console.log(`  away today, whole tree (page of 50): ${await time(() => listAway(deps, ctx, { unitId: root.id, page: 1, pageSize: 50 }))}; one unit: ${await time(() => listAway(deps, ctx, { unitId: one, page: 1, pageSize: 50 }))}`);
  console.log(`  away on a past day, whole tree: ${await time(() => listAway(deps, ctx, { unitId: root.id, day: addDays(TODAY, -30), page: 1, pageSize: 50 }))}`);
  console.log(`  trips with status away, whole tree: ${await time(() => listTrips(deps, ctx, { unitId: root.id, status: 'away', page: 1, pageSize: 50 }))}; to one city: ${await time(() => listTrips(deps, ctx, { unitId: root.id, destination: '武汉', page: 1, pageSize: 50 }))}`);
  console.log(`  by destination, last 30 days, whole tree: ${await time(() => tripsByDestination(deps, ctx, { unitId: root.id }))}; one unit: ${await time(() => tripsByDestination(deps, ctx, { unitId: one }))}`);
  const t0 = performance.now();
  const area = await createRiskArea(deps, ctx, { city: '武汉', level: 'high', validFrom: addDays(TODAY, -60) });
  const t1 = performance.now();
  const job = await db.selectFrom('jobs').select('payload').where('kind', '=', AREA_REACH_BACK_JOB).executeTakeFirstOrThrow();
  const opened = await reachBackFromArea(deps, JSON.parse(job.payload));
  const t2 = performance.now();
  console.log(`  a risk area reaching back over 14 days of returns: the area ${(t1 - t0).toFixed(0)} ms (${area.returnsToWatch} returns queued); the job ${(t2 - t1).toFixed(0)} ms, ${opened} watches, ${((t2 - t1) / Math.max(1, opened)).toFixed(1)} ms each in batches of 50`);
  if (handle.sqlite) {
    const plan = handle.sqlite
      .prepare(`explain query plan select trips.id from trips join people on people.id = trips.person_id join units on units.id = people.unit_id where trips.status in ('planned','away') and trips.start_on <= ? and units.path >= ? and units.path < ?`)
      .all(TODAY, `/${root.id}/`, `/${root.id}0`);
    console.log('  SQLite plan (away today):', plan.map((p) => (p as { detail: string }).detail).join(' | '));
  }
}

await onBenchDatabases('trips', run);
