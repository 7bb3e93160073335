import { performance } from 'node:perf_hooks';
import { startOfDay } from '../common/day.js';
import { ManualClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import type { DbHandle } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Deps } from '../server/deps.js';
import type { Ctx } from '../server/http/actor.js';
import { loadDemoOrganisation } from '../server/modules/org/demo.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const TODAY = '2026-11-24';
const TZ = 'Asia/Shanghai';

/** The demo organisation (BENCH_PEOPLE, default 100,000) loaded at 09:00 on TODAY, and a command office on the root to act as. */
export async function demoDeps(handle: DbHandle): Promise<{ deps: Deps; ctx: Ctx }> {
  await migrateToLatest(handle);
  const clock = new ManualClock(startOfDay(TODAY, TZ) + 9 * 3600_000);
  const deps: Deps = { db: handle.db, dialect: handle.dialect, handle, clock, config: { ...loadConfig({}), sqlitePath: ':memory:' } };
  const t0 = performance.now();
  await loadDemoOrganisation(deps, { people: PEOPLE, seed: 1 });
  console.log(`demo load (${PEOPLE} people, with rosters, meetings, places, canteens): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const root = await handle.db.selectFrom('units').select(['id', 'name', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  const user = await handle.db.selectFrom('users').select(['id', 'username']).where('username', '=', 'demo.command').executeTakeFirstOrThrow();
  const ctx: Ctx = { actor: { userId: user.id, username: user.username, displayName: null, personId: null, grants: [{ role: 'command', unitId: root.id, unitName: root.name, path: root.path }], via: 'session', sessionId: null }, ip: null };
  return { deps, ctx };
}

