/**
 * Issue 7's figure: the scorecard of the whole 100,000-person demo organisation (5,000 units) over
 * 30 days loads in under 1 s; and the command office's overview of the root.
 *
 *   npx tsx bench/scorecard.bench.ts                              (SQLite file, WAL)
 *   DATABASE_URL=postgres://… npx tsx bench/scorecard.bench.ts    (also PostgreSQL, in a schema of its own)
 *
 * The demo has rosters and key places with inspections but no history of check-ins, tasks,
 * incidents or exceptions, so 60 days of them (this period and the previous one) are added first,
 * in bulk SQL: a headcount snapshot and check-in counts for every unit and day (~300,000 rows each),
 * a directive to every unit every third day (~100,000 tasks, a fifth missed, a fifth late, plus a
 * drill's), 300 incidents with two levels each, 200 exceptions. Then, as the command office on the
 * root: the scorecard (5 runs), each metric's pass alone, a page of misses, and the overview.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { DbHandle } from '../server/db/database.js';
import { checkinFiguresByUnitAndDay } from '../server/modules/health/dashboard.service.js';
import { overview } from '../server/modules/supervision/overview.service.js';
import { scorecard, scorecardMisses, windowOf, inspectionDuties, dutyCoverage } from '../server/modules/supervision/scorecard.service.js';
import * as store from '../server/modules/supervision/scorecard.store.js';
import { onBenchDatabases } from './databases.js';
import { seedScorecardHistory } from './scorecard-history.js';
import { demoDeps } from './demo-deps.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

async function run(handle: DbHandle, label: string) {
  const { deps, ctx } = await demoDeps(handle);
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  await seedScorecardHistory(handle, now, tz);
  if (handle.dialect === 'postgres') await sql`analyze`.execute(handle.db);
  const root = await handle.db.selectFrom('units').select(['id', 'name', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  const units = (await handle.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  const times: number[] = [];
  let card: Awaited<ReturnType<typeof scorecard>> | undefined;
  for (let i = 0; i < 5; i++) {
    const [t, c] = await time(() => scorecard(deps, ctx, { unitId: root.id }));
    times.push(t);
    card = c;
  }
  const f = card!.unit.figures;
  console.log(
    `${label}: scorecard of the root (${units} units), 30 days + the previous 30: median ${ms(median(times))}, runs ${times.map((x) => x.toFixed(0)).join(' / ')} ms; ` +
      `children ${card!.children.length}; tasks ${f.tasks_on_time.numerator}/${f.tasks_on_time.denominator}, check-ins ${f.checkin_completeness.numerator}/${f.checkin_completeness.denominator}, ` +
      `levels ${f.incidents_acknowledged.numerator}/${f.incidents_acknowledged.denominator}, inspections ${f.inspections_on_schedule.numerator}/${f.inspections_on_schedule.denominator}, ` +
      `duty hours ${f.duty_hours_covered.numerator}/${f.duty_hours_covered.denominator}, exceptions ${f.measure_exceptions.numerator}/${f.measure_exceptions.denominator}; score ${card!.unit.score?.toFixed(3)}`,
  );

  // Where the time goes: each pass alone over the same window.
  const w = windowOf(deps, undefined, undefined, now);
  const parts: [string, () => Promise<unknown>][] = [
    ['check-ins (per unit and period, per day of the period)', () => checkinFiguresByUnitAndDay(deps, root.path, w.prevFrom, w.from, w.to)],
    ['tasks', () => store.taskBuckets(deps.db, root.path, w.base, w.cap)],
    ['incident levels', () => store.incidentLevelBuckets(deps.db, root.path, w.base, w.cap, now)],
    ['exceptions', () => store.exceptionBuckets(deps.db, root.path, w.base, w.cap)],
    ['inspections', () => inspectionDuties(deps, root.path, w, now)],
    ['duty coverage', () => dutyCoverage(deps, root.path, w)],
    ['units of the subtree', () => store.unitsOf(deps.db, root.path)],
  ];
  const breakdown: string[] = [];
  for (const [name, f] of parts) {
    const ts: number[] = [];
    for (let i = 0; i < 3; i++) ts.push((await time(f))[0]);
    breakdown.push(`${name} ${ms(median(ts))}`);
  }
  console.log(`${label}: passes alone (median of 3): ${breakdown.join('; ')}`);

  for (const metric of ['tasks_on_time', 'checkin_completeness', 'inspections_on_schedule', 'duty_hours_covered', 'incidents_acknowledged'] as const) {
    const ts: number[] = [];
    let total = 0;
    for (let i = 0; i < 3; i++) {
      const [t, page] = await time(() => scorecardMisses(deps, ctx, { unitId: root.id, metric, page: 1, pageSize: 50 }));
      ts.push(t);
      total = page.total;
    }
    console.log(`${label}: misses ${metric}, first page of 50 (of ${total}): median ${ms(median(ts))}`);
  }

  const ots: number[] = [];
  for (let i = 0; i < 5; i++) ots.push((await time(() => overview(deps, ctx, { unitId: root.id })))[0]);
  console.log(`${label}: overview of the root (all sections; the worst units from a 7-day scorecard): median ${ms(median(ots))}, runs ${ots.map((x) => x.toFixed(0)).join(' / ')} ms`);
}

await onBenchDatabases('scorecard', run);
