/**
 * The server's own memory after the foundation's heavy work, measured on the server as it runs in
 * production: the compiled build (`node bin/bulwark.js serve`) in a process of its own, driven
 * over HTTP only. The foundation benchmark runs server, load generator and demo loader in one
 * process, so its resident figure counts all three; this one reads the server's VmRSS and VmHWM
 * from /proc.
 *
 *   npm run build && npx tsx bench/memory.bench.ts          (BENCH_PEOPLE, default 100,000)
 *
 * Steps: `bulwark demo --people N` into a fresh SQLite file (its own process: a loader, not the
 * server), then the server; sign in as the demo administrator; 300 pages of the people list and
 * 300 whole-tree searches; the export of the biggest subsidiary; a branch move; a new unit, and
 * under it the import of an N-row .xlsx through POST /api/v1/import: dry run, real, re-import.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'bin', 'bulwark.js');

/** VmRSS and VmHWM (the peak) of a process, in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'bulwark.js'))) throw new Error('build first: npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-mem-'));
  const env = { ...process.env, BULWARK_DB: path.join(dir, 'bulwark.db'), DATABASE_URL: '', LOG_LEVEL: 'warn' };
  console.log(`Bulwark server memory benchmark: ${PEOPLE} people, Node ${process.version}, ${new Date().toISOString()}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const demo = spawnSync(process.execPath, [cli, 'demo', '--people', String(PEOPLE)], { env, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  const password = /demo\.admin\s+(\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(`no demo admin in: ${demo.stdout}`);

  // The roster, written by the foundation benchmark's own generator in a child process.
  const rosterFile = path.join(dir, 'roster.xlsx');
  const gen = spawnSync(process.execPath, [...process.execArgv, path.join(root, 'bench', 'foundation.bench.ts'), '--roster', String(PEOPLE), rosterFile], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('could not write the roster');

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [cli, 'serve'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const show = async (label: string) => {
    const m = memoryOf(server.pid!);
    // The server's own view (GET /metrics): V8's heap in use and reserved, and memory outside it.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const mb = (name: string) => Math.round(Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576);
    console.log(`  ${label.padEnd(58)} rss ${String(m.rss).padStart(4)} MB   peak ${String(m.peak).padStart(4)} MB   heap ${mb('nodejs_heap_size_used_bytes')}/${mb('nodejs_heap_size_total_bytes')} MB   external ${mb('nodejs_external_memory_bytes')} MB`);
    return m;
  };
  try {
    await waitForHealth(base, server);
    await show('started, idle');
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.admin', password }) });
    if (login.status !== 200) throw new Error(`login: ${login.status}`);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const headers = { cookie, origin: base };
    const json = async (url: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${url}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
      const body = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return body;
    };

    const units = (await json('/api/v1/units')).items as { id: number; parentId: number | null; depth: number; headcount: number; kind: string }[];
    const subsidiaries = units.filter((u) => u.depth === 1).sort((a, b) => b.headcount - a.headcount);
    const big = subsidiaries[0]!;
    for (let i = 0; i < 300; i++) await json(`/api/v1/people?unitId=${big.id}&page=${1 + (i % 100)}&pageSize=50`);
    for (let i = 0; i < 300; i++) await json(`/api/v1/people?q=${encodeURIComponent('伟')}&page=1&pageSize=50`);
    await show('after 600 list and search requests');
    const xlsx = await fetch(`${base}/api/v1/units/${big.id}/people.xlsx`, { headers });
    await xlsx.arrayBuffer();
    await show(`after the export of ${big.headcount} people`);
    await json(`/api/v1/units/${subsidiaries[1]!.id}/move`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parentId: big.id }) });
    await show('after a branch move');

    const rootUnit = units.find((u) => u.parentId === null)!;
    const target = (await json('/api/v1/units', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '导入测试', parentId: rootUnit.id }) })).id as number;
    const data = fs.readFileSync(rosterFile);
    const upload = async (dryRun: boolean) => {
      const form = new FormData();
      form.append('file', new Blob([data]), 'roster.xlsx');
      const t0 = performance.now();
      const plan = await json(`/api/v1/import?unitId=${target}&dryRun=${dryRun}`, { method: 'POST', body: form });
      return { ms: performance.now() - t0, summary: plan.summary as Record<string, number> };
    };
    const dry = await upload(true);
    await show(`after the dry run of ${PEOPLE} rows (${(dry.ms / 1000).toFixed(2)} s)`);
    const real = await upload(false);
    await show(`after the import (${(real.ms / 1000).toFixed(2)} s, ${real.summary.peopleCreate} created)`);
    const again = await upload(false);
    const end = await show(`after the re-import (${(again.ms / 1000).toFixed(2)} s, ${again.summary.peopleUnchanged} unchanged)`);
    await new Promise((r) => setTimeout(r, 30_000));
    const settled = await show('30 s later, idle');
    console.log(`\nserver resident memory after all of it: ${end.rss} MB (${settled.rss} MB once idle; peak ${settled.peak} MB); target < 300 MB`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
