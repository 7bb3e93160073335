import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../clock.js';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Deps } from '../../deps.js';
import { verifyAuditChain } from '../audit/audit.store.js';
import { loadDemoOrganisation } from '../org/demo.js';
import { kill, startServer as startServerProcess, type Server } from '../../../test/server-process.js';

/**
 * The real server, started as a child process on a SQLite file, as in production: killed with
 * SIGKILL in the middle of a stream of check-ins, restarted, and checked; and run in other time
 * zones than the deployment's. Each check-in goes to a person of its own with a note naming it, so
 * "every acknowledged check-in is there exactly once" is a lookup per acknowledgement.
 */

const FIXTURE = fileURLToPath(new URL('./checkins.process.fixture.ts', import.meta.url));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

interface Prepared {
  file: string;
  people: { id: number; cookie: string }[];
}

/** A SQLite file with the demo organisation and a signed-in session for every active person. */
async function prepare(dir: string, people: number, sessionsAt: number): Promise<Prepared> {
  const file = path.join(dir, 'bulwark.db');
  const handle = openDatabase({ sqlitePath: file });
  await migrateToLatest(handle);
  const deps: Deps = { db: handle.db, dialect: 'sqlite', handle, clock: systemClock, config: { ...loadConfig({}), sqlitePath: file, databaseUrl: null } };
  await loadDemoOrganisation(deps, { people, seed: 5, rosters: false });
  const rows = await handle.db.selectFrom('people').select(['id', 'unit_id']).where('status', '=', 'active').orderBy('id').execute();
  const out: Prepared['people'] = [];
  await handle.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const slice = rows.slice(i, i + 500);
      const users = await tx
        .insertInto('users')
        .values(slice.map((p) => ({ username: `kill${p.id}`, password_hash: 'x', person_id: p.id, unit_id: p.unit_id, display_name: null, disabled_at: null, password_changed_at: sessionsAt, created_at: sessionsAt })))
        .returning('id')
        .execute();
      const tokens = users.map(() => randomBytes(24).toString('base64url'));
      await tx
        .insertInto('sessions')
        .values(users.map((u, j) => ({ id: sha256(tokens[j]!), user_id: u.id, created_at: sessionsAt, last_seen_at: sessionsAt, expires_at: sessionsAt + 12 * 3600_000, ip: null, user_agent: null })))
        .execute();
      slice.forEach((p, j) => out.push({ id: p.id, cookie: `bulwark_session=${tokens[j]}` }));
    }
  });
  await handle.close();
  return { file, people: out };
}

/** `bulwark serve` on the file, with the test fixture preloaded; resolves once it listens. */
const startServer = (file: string, env: Record<string, string>): Promise<Server> => startServerProcess({ BULWARK_DB: file, ...env }, [FIXTURE]);

function checkIn(url: string, cookie: string, note: string): Promise<{ status: number; day?: string }> {
  return fetch(`${url}/api/v1/checkins`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', note }),
  }).then(async (r) => ({ status: r.status, day: ((await r.json()) as { day?: string }).day }));
}

/**
 * Check-ins from 16 concurrent clients, each for the next unused person, until the server dies;
 * killed with SIGKILL at a random moment once some have been answered. Returns the acknowledged.
 */
async function driveAndKill(s: Server, people: Prepared['people'], next: { i: number }): Promise<number[]> {
  const acked: number[] = [];
  let dead = false;
  const loop = async () => {
    while (!dead && next.i < people.length) {
      const i = next.i++;
      try {
        const r = await checkIn(s.url, people[i]!.cookie, `n${i}`);
        if (r.status === 200 || r.status === 201) acked.push(i);
      } catch {
        return; // the connection died with the server
      }
    }
  };
  const loops = Array.from({ length: 16 }, loop);
  while (acked.length < 30 && next.i < people.length) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, Math.random() * 300));
  await kill(s);
  dead = true;
  await Promise.all(loops);
  return acked;
}

/** The acknowledged check-ins missing from the file; and that none is there twice, counts and chain exact. */
async function missing(file: string, people: Prepared['people'], acked: number[]): Promise<number[]> {
  const handle = openDatabase({ sqlitePath: file }); // opening replays the WAL, as a restart does
  try {
    const rows = await handle.db.selectFrom('checkins').select(['person_id', 'note', 'day', 'unit_id', 'abnormal']).execute();
    const byPerson = new Map<number, number>();
    for (const r of rows) byPerson.set(r.person_id, (byPerson.get(r.person_id) ?? 0) + 1);
    expect([...byPerson.values()].every((n) => n === 1)).toBe(true);
    const notes = new Set(rows.map((r) => `${r.person_id}:${r.note}`));
    // Every check-in that is there is counted once, and the audit chain is whole.
    const counts = await handle.db.selectFrom('checkin_counts').select((eb) => eb.fn.sum<number>('checked_in').as('n')).executeTakeFirstOrThrow();
    expect(Number(counts.n ?? 0)).toBe(rows.length);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ firstBadId: null });
    return acked.filter((i) => !notes.has(`${people[i]!.id}:n${i}`));
  } finally {
    await handle.close();
  }
}

describe('the real server on a SQLite file', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-kill-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged check-in when killed with SIGKILL five times, and the test sees a loss when acks come before COMMIT', async () => {
    const prep = await prepare(path.join(dir, 'durable'), 2500, Date.now());
    const next = { i: 0 };
    let ackedTotal = 0;
    for (let round = 0; round < 5; round++) {
      const s = await startServer(prep.file, {});
      const acked = await driveAndKill(s, prep.people, next);
      ackedTotal += acked.length;
      expect(acked.length).toBeGreaterThan(0);
      expect(await missing(prep.file, prep.people, acked), `round ${round}`).toEqual([]);
      if (process.env.BULWARK_TEST_VERBOSE) console.log(`kill ${round + 1}: ${acked.length} acknowledged, none missing`);
    }
    expect(ackedTotal).toBeGreaterThanOrEqual(150);

    // The same test against a server that answers before its COMMIT: it must find a loss.
    const weak = await prepare(path.join(dir, 'weak'), 1500, Date.now());
    const wnext = { i: 0 };
    let lost: number[] = [];
    for (let round = 0; round < 3 && lost.length === 0; round++) {
      const s = await startServer(weak.file, { BULWARK_TEST_ACK_BEFORE_COMMIT: '1' });
      const acked = await driveAndKill(s, weak.people, wnext);
      lost = await missing(weak.file, weak.people, acked);
      if (process.env.BULWARK_TEST_VERBOSE) console.log(`acks before COMMIT, kill ${round + 1}: ${acked.length} acknowledged, ${lost.length} missing`);
    }
    expect(lost.length).toBeGreaterThan(0);
  }, 180_000);

  it('puts check-ins around midnight in Asia/Shanghai on the right day whatever the process time zone', async () => {
    const before = shanghai('2026-11-24T23:59:59.900');
    const prep = await prepare(path.join(dir, 'tz'), 200, before);
    let k = 0;
    for (const tz of ['America/New_York', 'UTC']) {
      const s = await startServer(prep.file, { TZ: tz, BULWARK_TEST_CLOCK: String(before), BULWARK_TEST_CLOCK_STEP_MS: '200' });
      try {
        const first = await checkIn(s.url, prep.people[k++]!.cookie, 'before');
        expect([first.status, first.day], tz).toEqual([201, '2026-11-24']);
        s.child.kill('SIGUSR2'); // 00:00:00.100 on the 25th in Shanghai; still the 24th in New York and UTC
        await new Promise((r) => setTimeout(r, 300));
        const second = await checkIn(s.url, prep.people[k++]!.cookie, 'after');
        expect([second.status, second.day], tz).toEqual([201, '2026-11-25']);
      } finally {
        await kill(s);
      }
      // The clock is set back for the next server: it starts at 23:59:59.900 again.
    }
  }, 60_000);
});
