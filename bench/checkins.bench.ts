/**
 * The morning peak of issue 3: check-ins through the real HTTP endpoint with real sessions,
 * against a bare Fastify "hello" route measured in the same run by the same load generator, and
 * the roll-up's latency for the whole tree and for one subtree while check-ins stream in.
 *
 *   npm run build && npx tsx bench/checkins.bench.ts      (SQLite file, WAL, synchronous=FULL)
 *   DATABASE_URL=postgres://… npx tsx bench/checkins.bench.ts   (also PostgreSQL, in a schema of its own)
 *
 * The server runs the compiled build in a child process (as in production, the load generator
 * does not share its event loop); the load generator is autocannon (BENCH_GENERATOR=node: node's
 * own http client with keep-alive and CONNECTIONS concurrent loops). BENCH_PROFILE=checkins (or me, or hello)
 * records a CPU profile of that phase (read it with bench/profile-summary.ts). BENCH_YARDSTICK=1 also
 * measures a bare durable group commit with the raw driver (what is left of a check-in without the
 * app); BENCH_KEEP=1 keeps the database file for other measurements.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { randomBytes, createHash } from 'node:crypto';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import type * as AppModule from '../server/app.js';
import type * as ClockModule from '../server/clock.js';
import type * as ConfigModule from '../server/config.js';
import type * as DatabaseModule from '../server/db/database.js';
import type * as TouchesModule from '../server/modules/auth/session.touches.js';
import { systemClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { openDatabase, type Dialect, type DbHandle } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Deps } from '../server/deps.js';
import { loadDemoOrganisation } from '../server/modules/org/demo.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const YARDSTICK = process.env.BENCH_YARDSTICK === '1';
const COOKIE = 'bulwark_session';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};

function openFor(dialect: Dialect, where: string): DbHandle {
  return dialect === 'postgres' ? openDatabase({ databaseUrl: process.env.DATABASE_URL!, pgSchema: where, poolSize: 10 }) : openDatabase({ sqlitePath: where });
}

// ── the server (child process) ───────────────────────────────────────────────────────────────────

/** The CPU time of the event loop's thread alone (Linux: its /proc stat, in clock ticks), in µs. */
function mainThreadCpuUs(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1e6) / 100; // utime, stime (fields 14 and 15)
  } catch {
    return NaN;
  }
}

/**
 * The server runs what ships: the compiled build in dist/ (as `npm start` does), not these sources
 * through tsx, whose transform adds work to every closure (esbuild's keepNames) and made a
 * check-in look a fifth dearer than it is.
 */
async function serve(dialect: Dialect, where: string): Promise<void> {
  const built = async <M>(module: string): Promise<M> => (await import(pathToFileURL(path.join(ROOT, 'dist', module)).href)) as M;
  const { buildApp: buildBuilt } = await built<typeof AppModule>('server/app.js');
  const { openDatabase: openBuilt } = await built<typeof DatabaseModule>('server/db/database.js');
  const { loadConfig: configBuilt } = await built<typeof ConfigModule>('server/config.js');
  const { systemClock: clockBuilt } = await built<typeof ClockModule>('server/clock.js');
  const { flushSessionTouches: flushBuilt } = await built<typeof TouchesModule>('server/modules/auth/session.touches.js');
  const handle = dialect === 'postgres' ? openBuilt({ databaseUrl: process.env.DATABASE_URL!, pgSchema: where, poolSize: 10 }) : openBuilt({ sqlitePath: where });
  const config = { ...configBuilt({ BULWARK_CHECKIN_THREAD: process.env.BULWARK_CHECKIN_THREAD }), secureCookies: false };
  const deps: Deps = { db: handle.db, dialect, handle, clock: clockBuilt, config: { ...config, databaseUrl: dialect === 'postgres' ? process.env.DATABASE_URL! : null } };
  const app = await buildBuilt(deps, { webRoot: null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const hello = Fastify();
  hello.get('/', async () => ({ hello: 'world' }));
  // A yardstick: the same durable group commit with the raw driver and nothing else (no session,
  // validation, audit or counts), one row a request in a table of its own file. BENCH_YARDSTICK=1
  // only: its connection and rows would count in the server's memory figure.
  if (YARDSTICK && dialect === 'sqlite') {
    const raw = new Database(path.join(path.dirname(where), 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('create table rows (id integer primary key, person integer not null, day text not null, body text not null, unique (person, day))');
    const insert = raw.prepare('insert into rows (person, day, body) values (?, ?, ?) on conflict do nothing');
    let queued: { person: number; body: string; done(): void }[] = [];
    const commit = () => {
      const batch = queued;
      queued = [];
      raw.transaction(() => batch.forEach((j) => insert.run(j.person, '2026-11-25', j.body)))();
      batch.forEach((j) => j.done());
    };
    hello.post('/raw', (req, reply) => {
      if (queued.length === 0) setImmediate(commit);
      queued.push({ person: Math.floor(Math.random() * 1e9), body: JSON.stringify(req.body), done: () => void reply.send({ ok: true }) });
    });
  }
  await hello.listen({ port: 0, host: '127.0.0.1' });
  const port = (s: { server: http.Server }) => (s.server.address() as { port: number }).port;
  process.send!({ ready: true, app: port(app), hello: port(hello) });
  let profiler: Session | null = null;
  process.on('message', (m: { rss?: boolean; cpu?: boolean; stop?: boolean; flushTouches?: boolean; profile?: 'start' | 'stop' }) => {
    if (m.rss) process.send!({ rss: process.memoryUsage().rss });
    if (m.flushTouches) {
      const t0 = performance.now();
      void flushBuilt(deps).then(() => process.send!({ flushedMs: performance.now() - t0 }));
    }
    if (m.cpu) {
      const u = process.cpuUsage();
      process.send!({ cpu: { all: u.user + u.system, main: mainThreadCpuUs() } });
    }
    if (m.profile === 'start') {
      profiler = new Session();
      profiler.connect();
      void profiler.post('Profiler.enable').then(() => profiler!.post('Profiler.setSamplingInterval', { interval: 200 })).then(() => profiler!.post('Profiler.start')).then(() => process.send!({ profiling: true }));
    }
    if (m.profile === 'stop' && profiler) {
      const file = path.join(fileURLToPath(new URL('./out/', import.meta.url)), `checkins-${dialect}-${Date.now()}.cpuprofile`);
      void profiler.post('Profiler.stop').then(({ profile }) => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(profile));
        profiler!.disconnect();
        process.send!({ profiled: file });
      });
    }
    if (m.stop) void Promise.all([app.close(), hello.close()]).then(() => handle.close()).then(() => process.exit(0));
  });
}

// ── preparation ──────────────────────────────────────────────────────────────────────────────────

interface Prepared {
  cookies: string[];
  adminCookie: string;
  rootId: number;
  subtreeId: number;
  units: number;
}

/** The demo organisation, an account and a session for every person, and an administrator on the root. */
async function prepare(deps: Deps): Promise<Prepared> {
  const t0 = performance.now();
  const demo = await loadDemoOrganisation(deps, { people: PEOPLE, seed: 3, rosters: false });
  console.log(`  demo organisation: ${demo.units} units, ${demo.people} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const people = await deps.db.selectFrom('people').select(['id', 'unit_id']).where('status', '=', 'active').orderBy('id').execute();
  const root = await deps.db.selectFrom('units').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  // A subtree of a few hundred people: a child of the root's largest child.
  const sub = await deps.db.selectFrom('units').select(['id']).where('depth', '=', 2).orderBy('id').executeTakeFirstOrThrow();
  const now = Date.now();
  const expires = now + 12 * 3600_000;
  const cookies: string[] = [];
  const hash = 'x'; // these accounts never sign in with a password: their sessions are made here
  const CHUNK = 1000;
  for (let i = 0; i < people.length; i += CHUNK) {
    const slice = people.slice(i, i + CHUNK);
    await deps.db.transaction().execute(async (tx) => {
      const users = await tx
        .insertInto('users')
        .values(slice.map((p) => ({ username: `bench${p.id}`, password_hash: hash, person_id: p.id, unit_id: p.unit_id, display_name: null, disabled_at: null, password_changed_at: now, created_at: now })))
        .returning('id')
        .execute();
      const tokens = users.map(() => randomBytes(24).toString('base64url'));
      await tx
        .insertInto('sessions')
        .values(users.map((u, j) => ({ id: sha256(tokens[j]!), user_id: u.id, created_at: now, last_seen_at: now, expires_at: expires, ip: null, user_agent: null })))
        .execute();
      for (const tk of tokens) cookies.push(`${COOKIE}=${tk}`);
    });
  }
  const admin = await deps.db.insertInto('users').values({ username: 'bench-admin', password_hash: hash, person_id: null, unit_id: root.id, display_name: null, disabled_at: null, password_changed_at: now, created_at: now }).returning('id').executeTakeFirstOrThrow();
  await deps.db.insertInto('grants').values({ user_id: admin.id, role: 'admin', unit_id: root.id, created_at: now, created_by: null }).execute();
  const token = randomBytes(24).toString('base64url');
  await deps.db.insertInto('sessions').values({ id: sha256(token), user_id: admin.id, created_at: now, last_seen_at: now, expires_at: expires, ip: null, user_agent: null }).execute();
  return { cookies, adminCookie: `${COOKIE}=${token}`, rootId: root.id, subtreeId: sub.id, units: demo.units };
}

// ── the load generator ───────────────────────────────────────────────────────────────────────────

interface Load {
  done: number;
  failed: number;
  statuses: Map<number, number>;
  latencies: number[];
  seconds: number;
  /** Set by autocannon, which keeps its own histogram instead of every latency. */
  p50?: number;
  p99?: number;
}

/** BENCH_GENERATOR=node uses node's own http client; the default is autocannon, as issue 3 asks. */
const GENERATOR = process.env.BENCH_GENERATOR ?? 'autocannon';

function request(agent: http.Agent, port: number, method: string, url: string, headers: Record<string, string>, body: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** CONNECTIONS loops, each sending its next request as soon as the last one is answered, for `seconds`. */
/**
 * The same loads through autocannon: raw sockets and its own HTTP parser, far lighter on the two
 * cores than node's http client, so the server gets more of the machine (hello most of all).
 */
async function driveAutocannon(port: number, seconds: number, next: (i: number) => { method: string; url: string; headers: Record<string, string>; body: string | null } | null, connections = CONNECTIONS): Promise<Load> {
  let counter = 0;
  const t0 = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          const r = next(counter++) ?? next(0)!;
          return { ...req, method: r.method as 'GET' | 'POST', path: r.url, headers: { ...r.headers, ...(r.body !== null && { 'content-type': 'application/json' }) }, ...(r.body !== null && { body: r.body }) };
        },
      },
    ],
  });
  const statuses = new Map<number, number>([[200, result['2xx']], [0, result.non2xx + result.errors + result.timeouts]]);
  return { done: result['2xx'], failed: result.non2xx + result.errors + result.timeouts, statuses, latencies: [], seconds: (performance.now() - t0) / 1000, p50: result.latency.p50, p99: result.latency.p99 };
}

async function drive(port: number, seconds: number, next: (i: number) => { method: string; url: string; headers: Record<string, string>; body: string | null } | null, connections = CONNECTIONS): Promise<Load> {
  if (GENERATOR === 'autocannon') return driveAutocannon(port, seconds, next, connections);
  return driveNode(port, seconds, next, connections);
}

async function driveNode(port: number, seconds: number, next: (i: number) => { method: string; url: string; headers: Record<string, string>; body: string | null } | null, connections = CONNECTIONS): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const load: Load = { done: 0, failed: 0, statuses: new Map(), latencies: [], seconds };
  const end = performance.now() + seconds * 1000;
  let counter = 0;
  const loop = async () => {
    while (performance.now() < end) {
      const r = next(counter++);
      if (!r) return;
      const t0 = performance.now();
      try {
        const status = await request(agent, port, r.method, r.url, r.headers, r.body);
        load.latencies.push(performance.now() - t0);
        load.statuses.set(status, (load.statuses.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) load.done++;
        else load.failed++;
      } catch {
        load.failed++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  load.seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return load;
}

const rate = (l: Load) => l.done / l.seconds;
const describe = (l: Load) =>
  `${Math.round(rate(l))}/s, p50 ${(l.p50 ?? quantile(l.latencies, 0.5)).toFixed(1)} ms, p99 ${(l.p99 ?? quantile(l.latencies, 0.99)).toFixed(1)} ms (${l.done} ok, ${l.failed} failed${l.failed ? `: ${JSON.stringify([...l.statuses])}` : ''})`;

function startServer(dialect: Dialect, where: string): Promise<{ child: ChildProcess; app: number; hello: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', dialect, where], { execArgv: process.execArgv, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { app: number; hello: number }) => resolve({ child, app: m.app, hello: m.hello }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** BENCH_PROFILE=checkins (or me, or hello): the server records a CPU profile of that phase into bench/out/ (its figures then suffer). */
const PROFILE = process.env.BENCH_PROFILE ?? '';

const askChild = (child: ChildProcess, msg: object, answer: string) =>
  new Promise<unknown>((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (answer in m) {
        child.off('message', on);
        resolve(m[answer]);
      }
    };
    child.on('message', on);
    child.send(msg);
  });

const rssOf = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    child.once('message', (m: { rss: number }) => resolve(m.rss));
    child.send({ rss: true });
  });

async function run(dialect: Dialect): Promise<string[]> {
  const lines: string[] = [];
  const say = (s: string) => {
    console.log(`  ${s}`);
    lines.push(s);
  };
  let where: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'postgres') {
    where = `bench_checkins_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await c.connect();
    await c.query(`create schema ${where}`);
    await c.end();
    cleanup = async () => {
      const d = new pg.Client({ connectionString: process.env.DATABASE_URL! });
      await d.connect();
      await d.query(`drop schema ${where} cascade`);
      await d.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-checkins-'));
    where = path.join(dir, 'bench.db');
    cleanup = async () => (process.env.BENCH_KEEP ? console.log(`  kept ${where}`) : fs.rmSync(dir, { recursive: true, force: true }));
  }
  const handle = openFor(dialect, where);
  await migrateToLatest(handle);
  const config = { ...loadConfig({}), secureCookies: false };
  const deps: Deps = { db: handle.db, dialect, handle, clock: systemClock, config: { ...config, databaseUrl: dialect === 'postgres' ? process.env.DATABASE_URL! : null } };
  const prep = await prepare(deps);
  await handle.close();

  const server = await startServer(dialect, where);
  try {
    // The server's CPU time per request (process.cpuUsage over the phase): unlike the rate, it
    // hardly moves when other work shares the machine, so it shows where a change helped.
    type Cpu = { all: number; main: number };
    const cpuOf = async <L extends Load>(phase: () => Promise<L>): Promise<L & { cpuUs: number; mainUs: number }> => {
      const c0 = (await askChild(server.child, { cpu: true }, 'cpu')) as Cpu;
      const l = await phase();
      const c1 = (await askChild(server.child, { cpu: true }, 'cpu')) as Cpu;
      return { ...l, cpuUs: c1.all - c0.all, mainUs: c1.main - c0.main };
    };
    // The event loop's thread alone too: the check-in writer's thread runs beside it (checkin.writer.ts).
    const perRequest = (l: Load & { cpuUs: number; mainUs: number }) => {
      const n = Math.max(1, l.done + l.failed);
      return `${(l.cpuUs / n).toFixed(0)} µs of server CPU a request (${(l.mainUs / n).toFixed(0)} µs on the event loop's thread)`;
    };
    if (PROFILE === 'hello') await askChild(server.child, { profile: 'start' }, 'profiling');
    const hello = await cpuOf(() => drive(server.hello, SECONDS, () => ({ method: 'GET', url: '/', headers: {}, body: null })));
    if (PROFILE === 'hello') say(`CPU profile of the hello phase: ${String(await askChild(server.child, { profile: 'stop' }, 'profiled'))}`);
    say(`hello (bare Fastify, same generator, ${CONNECTIONS} connections): ${describe(hello)}; ${perRequest(hello)}`);
    say(`load average before: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    if (YARDSTICK && dialect === 'sqlite') {
      const body = JSON.stringify({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛' });
      const raw = await cpuOf(() => drive(server.hello, SECONDS, () => ({ method: 'POST', url: '/raw', headers: {}, body })));
      say(`yardstick, one durable row a request by group commit with the raw driver (no session, validation, audit or counts): ${describe(raw)}; ${perRequest(raw)}; ${(rate(raw) / rate(hello)).toFixed(3)} × hello`);
    }
    // Where the time goes: the same generator on a route that resolves the session (one query) and reads two settings.
    if (PROFILE === 'me') await askChild(server.child, { profile: 'start' }, 'profiling');
    const me = await cpuOf(() => drive(server.app, SECONDS, (i) => ({ method: 'GET', url: '/api/v1/me', headers: { cookie: prep.cookies[i % prep.cookies.length]! }, body: null })));
    say(`GET /api/v1/me (session resolution and two settings): ${describe(me)}; ${perRequest(me)}`);
    if (PROFILE === 'me') say(`CPU profile of the /me phase: ${String(await askChild(server.child, { profile: 'stop' }, 'profiled'))}`);
    // Each person checks in once: the morning peak's first check-ins (inserts), in random order.
    const order = prep.cookies.map((_, i) => i).sort(() => Math.random() - 0.5);
    const body = JSON.stringify({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛' });
    // As in a real morning, each person signed in a while before checking in (the mobile page's
    // session), so each check-in also moves its session's last-seen time: the sessions were last
    // seen half an hour ago (BENCH_FRESH_SESSIONS=1 leaves them as /me left them, seconds ago).
    if (!process.env.BENCH_FRESH_SESSIONS) {
      const h = openFor(dialect, where);
      await h.db.updateTable('sessions').set({ last_seen_at: Date.now() - 30 * 60_000 }).execute();
      await h.close();
    }
    if (PROFILE === 'checkins') await askChild(server.child, { profile: 'start' }, 'profiling');
    // The sessions' last-seen times still queued when the load stops (session.touches.ts) are
    // written as part of the phase: their time is added to the phase's, their CPU to the check-ins'.
    let touchesMs = 0;
    const checkins = await cpuOf(async () => {
      const l = await drive(server.app, SECONDS, (i) => (i < order.length ? { method: 'POST', url: '/api/v1/checkins', headers: { cookie: prep.cookies[order[i]!]! }, body } : null));
      touchesMs = (await askChild(server.child, { flushTouches: true }, 'flushedMs')) as number;
      return { ...l, seconds: l.seconds + touchesMs / 1000 };
    });
    if (PROFILE === 'checkins') say(`CPU profile of the check-in phase: ${String(await askChild(server.child, { profile: 'stop' }, 'profiled'))}`);
    say(`POST /api/v1/checkins (durable, real sessions): ${describe(checkins)}; ${perRequest(checkins)}; the sessions' last-seen times written after: ${touchesMs.toFixed(0)} ms, counted in`);
    say(`ratio to hello: ${(rate(checkins) / rate(hello)).toFixed(3)} × (by server CPU a request: ${(hello.cpuUs / (hello.done + hello.failed) / (checkins.cpuUs / (checkins.done + checkins.failed))).toFixed(3)} ×; by the event loop's: ${(hello.mainUs / (hello.done + hello.failed) / (checkins.mainUs / (checkins.done + checkins.failed))).toFixed(3)} ×)`);

    // Roll-ups alone, then while check-ins stream in (corrections of the same people: updates).
    const rollup = (unitId: number) => ({ method: 'GET', url: `/api/v1/rollups/checkins?unitId=${unitId}`, headers: { cookie: prep.adminCookie }, body: null });
    const whole = await driveNode(server.app, 3, () => rollup(prep.rootId), 1);
    say(`roll-up, whole tree (${prep.units} units), idle: p50 ${quantile(whole.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(whole.latencies, 0.99).toFixed(1)} ms`);
    const sub = await driveNode(server.app, 3, () => rollup(prep.subtreeId), 1);
    say(`roll-up, one subtree, idle: p50 ${quantile(sub.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(sub.latencies, 0.99).toFixed(1)} ms`);
    const [streaming, wholeBusy] = await Promise.all([
      drive(server.app, 5, (i) => ({ method: 'POST', url: '/api/v1/checkins', headers: { cookie: prep.cookies[order[i % order.length]!]! }, body }), CONNECTIONS - 1),
      driveNode(server.app, 5, () => rollup(prep.rootId), 1),
    ]);
    say(`roll-up, whole tree, while check-ins stream in (${Math.round(rate(streaming))}/s): p50 ${quantile(wholeBusy.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(wholeBusy.latencies, 0.99).toFixed(1)} ms`);
    say(`server RSS after all of it: ${((await rssOf(server.child)) / 1048576).toFixed(0)} MB`);
    say(`load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    server.child.send({ stop: true });
    await new Promise((r) => server.child.once('exit', r));
    await cleanup();
  }
  return lines;
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as Dialect, process.argv[4]!);
} else {
  console.log(`check-in bench: ${PEOPLE} people, ${CONNECTIONS} connections (${GENERATOR}), ${SECONDS} s per run, ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}`);
  const dialects = (process.env.BENCH_DIALECTS?.split(',') ?? ['sqlite', ...(process.env.DATABASE_URL ? ['postgres'] : [])]) as Dialect[];
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server', 'app.js'))) throw new Error('the server runs the compiled build: npm run build first');
  for (const dialect of dialects) {
    console.log(`${dialect}:`);
    await run(dialect);
  }
}
