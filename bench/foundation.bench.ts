/**
 * Foundation benchmark: demo load, spreadsheet import, list and search latency over real HTTP,
 * a branch move, and the process's memory after all of it. Runs on SQLite (a file, WAL, as in
 * production) and, when DATABASE_URL is set, on PostgreSQL too (in a schema of its own, dropped
 * afterwards). `npx tsx bench/foundation.bench.ts` — it stops by itself and prints its figures;
 * bench/RESULTS.md records them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { systemClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { openDatabase, type Dialect, type DbHandle } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Deps } from '../server/deps.js';
import { systemCtx } from '../server/http/actor.js';
import { recordAudit } from '../server/modules/audit/audit.service.js';
import { generateDemoOrganisation, loadDemoOrganisation } from '../server/modules/org/demo.js';
import { importFile } from '../server/modules/org/import.service.js';
import { parseImportFile } from '../server/modules/org/import.parse.js';
import { insertUnit } from '../server/modules/org/units.store.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const results: Record<string, Record<string, string>> = {};

function mem(label: string) {
  if (process.env.BENCH_MEM === 'gc') (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  if (process.env.BENCH_MEM) console.log(`    [mem ${label}] rss ${(m.rss / 1048576).toFixed(0)} MB, heap ${(m.heapUsed / 1048576).toFixed(0)}/${(m.heapTotal / 1048576).toFixed(0)} MB, external ${(m.external / 1048576).toFixed(0)} MB, buffers ${(m.arrayBuffers / 1048576).toFixed(0)} MB`);
}

function note(dialect: string, key: string, value: string) {
  mem(key.slice(0, 30));
  (results[dialect] ??= {})[key] = value;
  console.log(`  ${key.padEnd(46)} ${value}`);
}
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const msText = (ms: number) => `${ms.toFixed(1)} ms`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/** A fresh database of either kind, migrated; `drop` removes it afterwards. */
async function freshDatabase(dialect: Dialect, label: string): Promise<{ deps: Deps; drop(): Promise<void> }> {
  const config = { ...loadConfig({}), secureCookies: false };
  let handle: DbHandle;
  let drop: () => Promise<void>;
  if (dialect === 'postgres') {
    const url = process.env.DATABASE_URL!;
    const schema = `bench_${label}_${randomBytes(4).toString('hex')}`;
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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bulwark-bench-${label}-`));
    handle = openDatabase({ sqlitePath: path.join(dir, 'bench.db') });
    drop = async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  await migrateToLatest(handle);
  const deps: Deps = { db: handle.db, dialect, handle, clock: systemClock, config: { ...config, databaseUrl: dialect === 'postgres' ? process.env.DATABASE_URL! : null } };
  return { deps, drop };
}

/**
 * A 100,000-row roster as a user would hand it over: the demo's people, with unit paths. Written
 * by a child process, so that exceljs's own memory does not count in the server's figures.
 */
function rosterXlsx(people: number): Buffer {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-roster-')), 'roster.xlsx');
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--roster', String(people), file], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not generate the roster');
  const data = fs.readFileSync(file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return data;
}

async function writeRoster(people: number, file: string): Promise<void> {
  const org = generateDemoOrganisation(people, 2);
  const rel: string[] = org.units.map(() => '');
  org.units.forEach((u, i) => {
    if (u.parent !== null) rel[i] = u.parent === 0 ? u.name : `${rel[u.parent]}/${u.name}`;
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: true });
  const ws = wb.addWorksheet('人员');
  ws.addRow(['姓名', '工号', '单位', '手机', '职务', '标签', '状态']).commit();
  for (const p of org.people) {
    ws.addRow([p.name, p.employeeNo, rel[p.unit], p.phone, p.title, p.tags.map((t) => ({ front_line: '一线', overseas: '海外', key_group: '重点人群' })[t] ?? t).join('、'), p.left === null ? '在职' : '离职']).commit();
  }
  ws.commit();
  await wb.commit();
}

/** The same file through exceljs's streaming reader, which import.xlsx.ts replaces: why it does. */
async function benchReaders(file: Buffer) {
  let t0 = performance.now();
  const parsed = await parseImportFile('roster.xlsx', file);
  note('parse', `our reader (import.xlsx.ts): ${parsed.people?.rows.length} rows`, secs(performance.now() - t0));
  t0 = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), { sharedStrings: 'cache', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore' });
  let n = 0;
  for await (const sheet of reader) for await (const row of sheet) if (row.values) n++;
  note('parse', `exceljs streaming WorkbookReader: ${n - 1} rows`, secs(performance.now() - t0));
}

/** Import into a fresh database; answers the measurement of per-row audit rows, to run after the memory figure. */
async function benchImport(dialect: Dialect, file: Buffer): Promise<() => Promise<void>> {
  const { deps, drop } = await freshDatabase(dialect, 'import');
  let root = 0;
  try {
    const now = Date.now();
    root = (await insertUnit(deps.db, { parent_id: null, name: '青岛城投集团', kind: 'group', code: null, sort_order: 0, depth: 0, archived_at: null, created_at: now, updated_at: now }, null)).id;
    const input = { unitId: root, fileName: 'roster.xlsx', data: file, dryRun: true };
    let t0 = performance.now();
    const dry = await importFile(deps, systemCtx, input);
    const dryMs = performance.now() - t0;
    note(dialect, `import dry run, ${PEOPLE} rows`, `${secs(dryMs)} (${Math.round(PEOPLE / (dryMs / 1000))} rows/s)`);
    t0 = performance.now();
    const done = await importFile(deps, systemCtx, { ...input, dryRun: false });
    const ms = performance.now() - t0;
    note(dialect, `import, ${PEOPLE} rows, ${done.summary.unitsCreate} new units`, `${secs(ms)} (${Math.round(PEOPLE / (ms / 1000))} rows/s)`);
    if (dry.summary.rejected > 0 || done.summary.peopleCreate !== PEOPLE) throw new Error(`import did not create every person: ${JSON.stringify(done.summary)}`);
    t0 = performance.now();
    const again = await importFile(deps, systemCtx, { ...input, dryRun: false });
    const againMs = performance.now() - t0;
    note(dialect, 're-import of the same file (all unchanged)', `${secs(againMs)} (${again.summary.peopleUnchanged} unchanged)`);
  } catch (err) {
    await drop();
    throw err;
  }
  return async () => {
    try {
      await benchPerRowAudit(dialect, deps, root);
    } finally {
      await drop();
    }
  };
}

/** What one chained audit row per created person would cost on top of the import (rolled back). */
async function benchPerRowAudit(dialect: Dialect, deps: Deps, rootId: number) {
  const n = PEOPLE;
  const t0 = performance.now();
  await deps.db
    .transaction()
    .execute(async (tx) => {
      for (let i = 0; i < n; i++) {
        await recordAudit(tx, deps, systemCtx, {
          action: 'person.created',
          entity: 'person',
          entityId: i + 1,
          unitId: rootId,
          after: { name: '张伟', employeeNo: `JF${String(i).padStart(6, '0')}`, phone: '138****5678', title: '驾驶员', unitId: rootId, status: 'active', tags: ['front_line'] },
        });
      }
      throw new Error('rollback');
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error) || e.message !== 'rollback') throw e;
    });
  note(dialect, `per-row audit: ${n} chained rows (rolled back)`, secs(performance.now() - t0));
}

async function benchOrganisation(dialect: Dialect) {
  const { deps, drop } = await freshDatabase(dialect, 'demo');
  try {
    let t0 = performance.now();
    const demo = await loadDemoOrganisation(deps, { people: PEOPLE, seed: 1, rosters: false });
    note(dialect, `demo load: ${demo.people} people, ${demo.units} units`, secs(performance.now() - t0));

    const app = await buildApp(deps, { webRoot: null });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const admin = demo.logins.find((l) => l.username.startsWith('demo.admin'))!;
      const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: admin.password }) });
      if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const get = async (url: string) => {
        const t = performance.now();
        const res = await fetch(`${base}${url}`, { headers: { cookie } });
        const body = (await res.json()) as Record<string, unknown>;
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
        return { ms: performance.now() - t, body };
      };

      // Subtrees by headcount, from the API itself.
      const units = (await get('/api/v1/units')).body.items as { id: number; name: string; kind: string; depth: number; headcount: number }[];
      const closest = (n: number, depth: number) => units.filter((u) => u.depth === depth).sort((a, b) => Math.abs(a.headcount - n) - Math.abs(b.headcount - n))[0]!;
      const big = closest(20_000, 1);
      const measure = async (label: string, url: string) => {
        for (let i = 0; i < 10; i++) await get(url); // warm-up
        const times: number[] = [];
        let total = 0;
        for (let i = 0; i < REQUESTS; i++) {
          const r = await get(url);
          times.push(r.ms);
          total = Number(r.body.total);
        }
        note(dialect, `${label}: median / p99 (${REQUESTS} requests)`, `${msText(quantile(times, 0.5))} / ${msText(quantile(times, 0.99))}  (${total} matches)`);
      };
      await measure(`people list, ${big.name} (${big.headcount} people)`, `/api/v1/people?unitId=${big.id}&page=1&pageSize=50`);
      await measure('people search q=伟, whole tree', `/api/v1/people?q=${encodeURIComponent('伟')}&page=1&pageSize=50`);
      await measure(`people list, ${big.name}, page 100`, `/api/v1/people?unitId=${big.id}&page=100&pageSize=50`);

      // The export of the same big subtree, streamed.
      t0 = performance.now();
      const xlsx = await fetch(`${base}/api/v1/units/${big.id}/people.xlsx`, { headers: { cookie } });
      const bytes = (await xlsx.arrayBuffer()).byteLength;
      if (xlsx.status !== 200) throw new Error(`export failed: ${xlsx.status}`);
      note(dialect, `export of ${big.name} (${big.headcount} people) as .xlsx`, `${msText(performance.now() - t0)} (${(bytes / 1e6).toFixed(1)} MB)`);

      // A subsidiary of about 10,000 people moves under another one.
      const branch = closest(10_000, 1);
      const target = units.find((u) => u.depth === 1 && u.kind === 'subsidiary' && u.id !== branch.id) ?? big;
      t0 = performance.now();
      const moved = await fetch(`${base}/api/v1/units/${branch.id}/move`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ parentId: target.id }),
      });
      const moveMs = performance.now() - t0;
      if (moved.status !== 200) throw new Error(`move failed: ${moved.status} ${await moved.text()}`);
      note(dialect, `branch move: ${branch.name} (${branch.headcount} people) under ${target.name}`, msText(moveMs));
    } finally {
      await app.close();
    }
  } finally {
    await drop();
  }
}

async function main() {
  const dialects: Dialect[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  console.log(`Bulwark foundation benchmark: ${PEOPLE} people, ${os.cpus().length} CPUs, Node ${process.version}, ${new Date().toISOString()}`);
  console.log(`  resident memory at the start (runtime and modules loaded): ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
  let t0 = performance.now();
  const file = rosterXlsx(PEOPLE);
  console.log(`  generated a ${PEOPLE}-row .xlsx (${(file.length / 1e6).toFixed(1)} MB) in ${secs(performance.now() - t0)}`);
  const later: (() => Promise<void>)[] = [];
  for (const dialect of dialects) {
    console.log(`\n${dialect}`);
    t0 = performance.now();
    await benchOrganisation(dialect);
    later.push(await benchImport(dialect, file));
  }
  const rss = process.memoryUsage().rss;
  console.log(`\nresident memory after all of it: ${(rss / 1024 / 1024).toFixed(0)} MB (heap in use ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB)`);
  results.process = { rssMB: (rss / 1024 / 1024).toFixed(0) };
  // With `npx tsx --expose-gc bench/foundation.bench.ts`: what stays once the garbage is collected.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const after = process.memoryUsage();
    console.log(`after a full garbage collection: ${(after.rss / 1048576).toFixed(0)} MB (heap in use ${(after.heapUsed / 1048576).toFixed(0)} MB)`);
    results.process.rssAfterGcMB = (after.rss / 1048576).toFixed(0);
  }
  // Last, so that what they allocate does not count in the figure above: they measure alternatives.
  console.log('\nthe alternative of one audit row per created person');
  for (const run of later) await run();
  console.log('\nparse only (the same file)');
  await benchReaders(file);
  const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'out');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'foundation.json'), `${JSON.stringify({ at: new Date().toISOString(), people: PEOPLE, results }, null, 2)}\n`);
}

const roster = process.argv.indexOf('--roster');
(roster > 0 ? writeRoster(Number(process.argv[roster + 1]), process.argv[roster + 2]!) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
