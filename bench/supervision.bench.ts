/**
 * Supervision (issue 7) on the 100,000-person demo organisation (5,001 units): the responsibility
 * matrix of the whole tree (first page of 50 and of 200, and "only empty posts") and the overdue view
 * of the whole tree, through the services as the routes call them; then each overdue reader alone
 * (what the scorecard's drill-down reuses). At 09:00 and at 23:00 of the demo's day (more overdue).
 * Median of 5 runs after one warm-up.
 *
 *   npx tsx bench/supervision.bench.ts                                  (SQLite file)
 *   DATABASE_URL=postgres://… npx tsx bench/supervision.bench.ts        (also PostgreSQL)
 */
import { performance } from 'node:perf_hooks';
import { dayOf, startOfDay } from '../common/day.js';
import type { DbHandle } from '../server/db/database.js';
import type { ManualClock } from '../server/clock.js';
import { responsibilityMatrix } from '../server/modules/supervision/matrix.service.js';
import { listOverdue } from '../server/modules/supervision/overdue.service.js';
import { dutyGaps, overdueTasks, skippedLevels, uninspectedPlaces } from '../server/modules/supervision/overdue.store.js';
import { demoDeps } from './demo-deps.js';
import { onBenchDatabases } from './databases.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; max: number; out: T }> {
  let out = await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    out = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), max: Math.max(...times), out };
}

/**
 * The demo has no tasks, incidents or unit-post grants; add what the views read: a directive to
 * every unit (one task each, due 12:00, one in five done), a head and a liaison grant at every second
 * unit, and 200 incidents with a skipped first level (one in ten a drill).
 */
async function addLoad(handle: DbHandle, now: number, noon: number) {
  const { db } = handle;
  const units = await db.selectFrom('units').select(['id']).orderBy('id').execute();
  const firstPerson = new Map((await db.selectFrom('people').select(['unit_id', (eb) => eb.fn.min<number>('id').as('id')]).groupBy('unit_id').execute()).map((r) => [r.unit_id, Number(r.id)]));
  const anyPerson = [...firstPerson.values()][0]!;
  const d = await db
    .insertInto('directives')
    .values({ unit_id: units[0]!.id, source: 'group', document_no: null, title: '全员核酸检测', body: '正文', received_at: now, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tasks = units.map((u, i) => ({
    directive_id: d.id, parent_id: null, unit_id: u.id, title: '组织全员核酸检测', instructions: null, responsible_person_id: firstPerson.get(u.id) ?? anyPerson,
    deadline: noon, evidence: 'report', status: i % 5 === 0 ? 'done' : 'assigned', assigned_by_user_id: null, assigned_at: now, acknowledged_at: null,
    completed_at: i % 5 === 0 ? now : null, report: null, photo_ids: '[]', file_ids: '[]', verified_at: null, return_reason: null, overdue_at: null, reminded_at: null, updated_at: now,
  }));
  for (let i = 0; i < tasks.length; i += 400) await db.insertInto('tasks').values(tasks.slice(i, i + 400)).execute();
  const posts = units.filter((_, i) => i % 2 === 0);
  for (let i = 0; i < posts.length; i += 200) {
    const part = posts.slice(i, i + 200);
    const users = await db
      .insertInto('users')
      .values(part.map((u) => ({ username: `bench.head.${u.id}`, password_hash: 'x', person_id: firstPerson.get(u.id) ?? null, unit_id: u.id, display_name: null, disabled_at: null, password_changed_at: now, created_at: now })))
      .returning(['id', 'unit_id'])
      .execute();
    await db
      .insertInto('grants')
      .values(users.flatMap((us) => [
        { user_id: us.id, role: 'unit_head', unit_id: us.unit_id!, created_at: now, created_by: null },
        { user_id: us.id, role: 'liaison', unit_id: us.unit_id!, created_at: now, created_by: null },
      ]))
      .execute();
  }
  for (let k = 0; k < 200; k++) {
    const u = units[(k * 25) % units.length]!;
    const inc = await db
      .insertInto('incidents')
      .values({ unit_id: u.id, kind: 'other', severity: 'major', title: '事项', description: '', occurred_at: now - 7_200_000, place: null, status: 'open', top_position: 0, current_position: 0, filed_by_user_id: null, filed_at: now - 7_200_000, resolution: null, resolved_at: null, resolved_by_user_id: null, review: null, closed_at: null, closed_by_user_id: null, updated_at: now, drill: k % 10 === 0 ? 1 : 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('incident_levels')
      .values({ incident_id: inc.id, position: 0, unit_id: u.id, state: 'skipped', limit_minutes: 30, arrived_at: now - 7_200_000, deadline: now - 5_400_000, acknowledged_at: null, acknowledged_by_user_id: null, ack_note: null, alerted_at: null, skipped_at: now - 5_400_000, realerted_at: null })
      .execute();
  }
}

async function run(handle: DbHandle, label: string) {
  const { deps, ctx } = await demoDeps(handle);
  const root = await handle.db.selectFrom('units').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  {
    const tz0 = deps.config.timeZone;
    const day0 = startOfDay(dayOf(deps.clock.now(), tz0), tz0);
    await addLoad(handle, deps.clock.now(), day0 + 12 * 3_600_000);
  }
  const tz = deps.config.timeZone;
  const clock = deps.clock as ManualClock;
  const fmt = (r: { ms: number; max: number }) => `median ${r.ms.toFixed(1)} ms (max ${r.max.toFixed(1)})`;
  for (const hour of [9, 23]) {
    clock.set(startOfDay(dayOf(clock.now(), tz), tz) + hour * 3_600_000);
    const now = clock.now();
    const m50 = await time(() => responsibilityMatrix(deps, ctx, { unitId: root.id, page: 1, pageSize: 50 }));
    const m200 = await time(() => responsibilityMatrix(deps, ctx, { unitId: root.id, page: 1, pageSize: 200 }));
    const empty = await time(() => responsibilityMatrix(deps, ctx, { unitId: root.id, emptyOnly: true, page: 1, pageSize: 50 }));
    const od = await time(() => listOverdue(deps, ctx, { unitId: root.id, page: 1, pageSize: 50 }));
    const tasks = await time(() => overdueTasks(deps.db, root.path, now));
    const levels = await time(() => skippedLevels(deps.db, root.path, now));
    const gaps = await time(() => dutyGaps(deps.db, root.path, now, startOfDay(dayOf(now, tz), tz)));
    const places = await time(() => uninspectedPlaces(deps.db, root.path, now, tz));
    console.log(`${label} @${hour}:00`);
    console.log(`  matrix, whole tree, page of 50: ${fmt(m50)}; units ${m50.out.unitsTotal}, empty posts ${JSON.stringify(m50.out.emptyPosts)}`);
    console.log(`  matrix, whole tree, page of 200: ${fmt(m200)}`);
    console.log(`  matrix, only empty posts, page of 50: ${fmt(empty)}; ${empty.out.total} units with an empty post`);
    console.log(`  overdue view, whole tree, page of 50: ${fmt(od)}; ${od.out.total} items ${JSON.stringify(od.out.byKind)} unavailable ${JSON.stringify(od.out.unavailable)}`);
    console.log(`  readers: tasks ${fmt(tasks)} (${tasks.out.length}); skipped levels ${fmt(levels)} (${levels.out.length}); duty gaps ${fmt(gaps)} (${gaps.out.length}); places ${fmt(places)} (${places.out.length})`);
  }
}

await onBenchDatabases('supervision', run);
