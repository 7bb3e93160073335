/**
 * Issue 4's figures: a directive sent to every unit of the 100,000-person demo organisation (about
 * 5,000 tasks) is created in under 2 s, and its progress tree loads in under 100 ms.
 *
 *   npx tsx bench/directives.bench.ts                          (SQLite file, WAL)
 *   DATABASE_URL=postgres://… npx tsx bench/directives.bench.ts  (also PostgreSQL, in a schema of its own)
 *
 * The calls go straight to the service functions (createDirective, directiveProgress) as the
 * command office at the root: the figures are the database work and the rules, not HTTP. Every
 * unit gets a unit head linked to a person first (the demo has none), so the default responsible
 * person is resolved the way it is in production, by one query over the grants.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ManualClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { openDatabase, type Dialect, type DbHandle } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Deps } from '../server/deps.js';
import type { Ctx } from '../server/http/actor.js';
import { grantsOfUser } from '../server/modules/auth/auth.store.js';
import { loadDemoOrganisation } from '../server/modules/org/demo.js';
import { directiveProgress } from '../server/modules/directives/boards.service.js';
import { createDirective } from '../server/modules/directives/directives.service.js';
import { handleTaskDeadline } from '../server/modules/directives/tasks.jobs.js';
import { slices } from '../server/modules/directives/tasks.store.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TREE_RUNS = Number(process.env.BENCH_TREE_RUNS ?? 30);

const ms = (x: number) => `${x.toFixed(1)} ms`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

async function freshDatabase(dialect: Dialect, clock: ManualClock): Promise<{ deps: Deps; drop(): Promise<void> }> {
  const config = { ...loadConfig({}), secureCookies: false };
  let handle: DbHandle;
  let drop: () => Promise<void>;
  if (dialect === 'postgres') {
    const url = process.env.DATABASE_URL!;
    const schema = `bench_directives_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    handle = openDatabase({ databaseUrl: url, pgSchema: schema });
    drop = async () => {
      await handle.close();
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      await d.query(`drop schema ${schema} cascade`);
      await d.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-directives-'));
    handle = openDatabase({ sqlitePath: path.join(dir, 'bench.db') });
    drop = async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  await migrateToLatest(handle);
  const deps: Deps = { db: handle.db, dialect, handle, clock, config: { ...config, databaseUrl: dialect === 'postgres' ? process.env.DATABASE_URL! : null } };
  return { deps, drop };
}

/** A unit head on every unit: an account linked to the first active person of the unit's subtree. */
async function grantUnitHeads(deps: Deps): Promise<number> {
  const units = await deps.db.selectFrom('units').select(['id', 'path']).where('archived_at', 'is', null).orderBy('path').execute();
  const people = await deps.db.selectFrom('people').innerJoin('units', 'units.id', 'people.unit_id').select(['people.id', 'units.path']).where('people.status', '=', 'active').orderBy('units.path').orderBy('people.id').execute();
  // In path order, the first person at or after a unit's path lies in its subtree, when any does.
  const heads: { unitId: number; personId: number }[] = [];
  let i = 0;
  for (const u of units) {
    while (i < people.length && people[i]!.path < u.path) i++;
    const p = people[i];
    if (p && p.path.startsWith(u.path)) heads.push({ unitId: u.id, personId: p.id });
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    for (const part of slices(heads, 500)) {
      const users = await tx
        .insertInto('users')
        .values(part.map((h) => ({ username: `bench.head.${h.unitId}`, password_hash: '!', person_id: h.personId, unit_id: h.unitId, display_name: null, disabled_at: null, password_changed_at: now, created_at: now })))
        .returning(['id', 'unit_id'])
        .execute();
      await tx
        .insertInto('grants')
        .values(users.map((u) => ({ user_id: u.id, role: 'unit_head', unit_id: u.unit_id!, created_at: now, created_by: null })))
        .execute();
    }
  });
  return heads.length;
}

async function bench(dialect: Dialect): Promise<void> {
  const clock = new ManualClock(Date.now());
  const { deps, drop } = await freshDatabase(dialect, clock);
  const say = (what: string, value: string) => console.log(`[${dialect}] ${what}: ${value}`);
  try {
    let t0 = performance.now();
    const demo = await loadDemoOrganisation(deps, { people: PEOPLE, seed: 1, rosters: false });
    say(`demo load (${demo.people} people, ${demo.units} units)`, ms(performance.now() - t0));
    say('unit heads granted', String(await grantUnitHeads(deps)));

    const root = await deps.db.selectFrom('units').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const command = await deps.db.selectFrom('users').select(['id', 'username']).where('username', 'like', 'demo.command%').executeTakeFirstOrThrow();
    const ctx: Ctx = {
      actor: { userId: command.id, username: command.username, displayName: null, personId: null, grants: await grantsOfUser(deps.db, command.id), via: 'session', sessionId: null },
      ip: '127.0.0.1',
    };

    const created: { id: number; ms: number; tasks: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      t0 = performance.now();
      const d = await createDirective(deps, ctx, {
        source: 'city',
        documentNo: `青防控〔2026〕${r + 1}号`,
        title: `全员落实第 ${r + 1} 号部署`,
        body: '各单位今日内完成并报送。',
        attachmentIds: [],
        tasks: [{ target: { mode: 'subtree', unitId: root.id }, responsible: [], evidence: ['report'] }],
      });
      const elapsed = performance.now() - t0;
      created.push({ id: d.id, ms: elapsed, tasks: d.progress.total });
      say(`directive to every unit, round ${r + 1} (${d.progress.total} tasks, one transaction)`, ms(elapsed));
    }

    const id = created[0]!.id;
    const times: number[] = [];
    let nodes = 0;
    for (let i = 0; i < TREE_RUNS; i++) {
      t0 = performance.now();
      const p = await directiveProgress(deps, ctx, id, {});
      times.push(performance.now() - t0);
      nodes = p.children.length;
    }
    say(`progress tree at the root (${nodes} child subtrees, ${created[0]!.tasks} tasks), ${TREE_RUNS} runs`, `p50 ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}, max ${ms(Math.max(...times))}`);
    const sub = await directiveProgress(deps, ctx, id, {});
    const child = sub.children.sort((a, b) => b.total - a.total)[0]!;
    const drill: number[] = [];
    for (let i = 0; i < TREE_RUNS; i++) {
      t0 = performance.now();
      await directiveProgress(deps, ctx, id, { unitId: child.unitId });
      drill.push(performance.now() - t0);
    }
    say(`progress tree drilled into the largest subsidiary (${child.total} tasks)`, `p50 ${ms(quantile(drill, 0.5))}, p95 ${ms(quantile(drill, 0.95))}`);

    // The deadline passes with every task of every round still open: the sweep marks them and tells each unit head.
    const deadline = Number((await deps.db.selectFrom('tasks').select('deadline').where('directive_id', '=', id).limit(1).executeTakeFirstOrThrow()).deadline);
    clock.set(deadline + 1);
    t0 = performance.now();
    await handleTaskDeadline(deps, { deadline });
    const marked = await deps.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('overdue_at', 'is not', null).executeTakeFirstOrThrow();
    say(`overdue sweep at the deadline (${Number(marked.n)} tasks marked, unit heads told)`, ms(performance.now() - t0));
  } finally {
    await drop();
  }
}

console.log(`directives bench: ${new Date().toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
await bench('sqlite');
if (process.env.DATABASE_URL) await bench('postgres');
console.log(`load at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
