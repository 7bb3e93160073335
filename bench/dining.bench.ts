/**
 * The staggered dining planner (错峰就餐) and the contact search, on their own and on the
 * 100,000-person demo organisation.
 *
 *   npx tsx bench/dining.bench.ts            (SQLite file)
 *   DATABASE_URL=postgres://… npx tsx bench/dining.bench.ts   (also PostgreSQL, in a schema of its own)
 *
 * 1. The planner alone (a pure function): 5,000 people in 200 units (10–40 each), one meal of six
 *    20-minute slots, 1,000 seats a slot; median of 200 runs.
 * 2. The demo's largest canteen (by people): running a plan through the service (headcounts of the
 *    subtree with the nearest-diner rule, the planner for three meals, the draft's rows, the audit
 *    row), median of 5; and publishing it.
 */
import { performance } from 'node:perf_hooks';
import type { DbHandle } from '../server/db/database.js';
import { planMeal } from '../server/modules/places/dining.planner.js';
import { publishPlan, runPlan } from '../server/modules/places/dining.service.js';
import { onBenchDatabases } from './databases.js';
import { demoDeps } from './demo-deps.js';


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

function plannerAlone() {
  const window = { from: 11 * 60, to: 13 * 60 };
  const units = Array.from({ length: 200 }, (_, i) => ({ unitId: i + 1, headcount: 10 + ((i * 37) % 31), window: i % 5 === 0 ? { from: 11 * 60, to: 12 * 60 } : window }));
  const people = units.reduce((n, u) => n + u.headcount, 0);
  const times: number[] = [];
  let unplaced = 0;
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const p = planMeal({ window, slotMinutes: 20, seats: 1000, units });
    times.push(performance.now() - t0);
    unplaced = p.unplaced.length;
  }
  console.log(`planner alone: ${people} people in ${units.length} units, 6 slots: median ${ms(median(times))}, max ${ms(Math.max(...times))}, unplaced ${unplaced}`);
}

async function run(handle: DbHandle, label: string) {
  const { deps, ctx } = await demoDeps(handle);
  const db = handle.db;
  const canteens = await db.selectFrom('canteens').select(['id', 'name']).execute();
  const sizes = await db.selectFrom('dining_plan_units').innerJoin('dining_plans', 'dining_plans.id', 'dining_plan_units.plan_id').select(['dining_plans.canteen_id', 'dining_plan_units.headcount', 'dining_plan_units.meal']).where('dining_plan_units.meal', '=', 'lunch').execute();
  const people = new Map<number, { people: number; units: number }>();
  for (const s of sizes) {
    const x = people.get(s.canteen_id) ?? { people: 0, units: 0 };
    x.people += s.headcount;
    x.units += 1;
    people.set(s.canteen_id, x);
  }
  const largest = canteens.sort((a, b) => (people.get(b.id)?.people ?? 0) - (people.get(a.id)?.people ?? 0))[0]!;
  const size = people.get(largest.id)!;
  const times: number[] = [];
  let planId = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const plan = await runPlan(deps, ctx, largest.id, {});
    times.push(performance.now() - t0);
    planId = plan.id;
  }
  const t1 = performance.now();
  await publishPlan(deps, ctx, largest.id, planId, {});
  const publish = performance.now() - t1;
  console.log(`${label}: largest canteen "${largest.name}" (${size.people} people in ${size.units} diner units, 3 meals): run a plan median ${ms(median(times))} (runs ${times.map((x) => x.toFixed(0)).join(', ')} ms), publish ${ms(publish)}`);
}

plannerAlone();
if (!process.env.BENCH_PLANNER_ONLY) await onBenchDatabases('dining', run);
