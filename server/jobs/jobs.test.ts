import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../test/env.js';
import { backoffMs, enqueueJob, JobRunner, LEASE_MS } from './jobs.js';
import { createJobRunner } from './registry.js';
import { insertSession } from '../modules/auth/auth.store.js';
import { buildTree, buildUser } from '../../test/factories.js';

describe.each(testDialects())('jobs on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('runs a job when it falls due, once, even if it was due while no runner was up', async () => {
    const seen: unknown[] = [];
    const runner = new JobRunner(t.deps);
    runner.register('test.once', async (_d, payload) => {
      seen.push(payload);
    });
    const now = t.clock.now();
    await enqueueJob(t.deps.db, now, { kind: 'test.once', key: `once-${now}`, payload: { n: 1 }, runAt: now + 60_000 });
    await enqueueJob(t.deps.db, now, { kind: 'test.once', key: `once-${now}`, payload: { n: 2 }, runAt: now + 60_000 });
    expect(await runner.tick()).toBe(0);
    t.clock.advance(10 * 60_000); // the deadline passed "while the server was down"
    expect(await runner.tick()).toBe(1);
    expect(await runner.tick()).toBe(0);
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('retries a failing job with back-off and gives up after max attempts', async () => {
    let calls = 0;
    const runner = new JobRunner(t.deps);
    runner.register('test.flaky', async () => {
      calls++;
      throw new Error('receiver down');
    });
    const now = t.clock.now();
    const key = `flaky-${now}`;
    await enqueueJob(t.deps.db, now, { kind: 'test.flaky', key, runAt: now, maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await runner.tick();
      t.clock.advance(backoffMs(i + 1) + 1);
    }
    await runner.tick();
    expect(calls).toBe(3);
    const row = await t.deps.db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.last_error).toBe('receiver down');
  });

  it('takes over a job whose worker died mid-run once its lease runs out', async () => {
    const now = t.clock.now();
    const key = `lease-${now}`;
    await enqueueJob(t.deps.db, now, { kind: 'test.lease', key, runAt: now });
    const dead = new JobRunner(t.deps);
    expect((await dead.claim()).map((j) => j.key)).toContain(key); // claimed, then the process "dies"
    let ran = 0;
    const alive = new JobRunner(t.deps);
    alive.register('test.lease', async () => void ran++);
    expect(await alive.tick()).toBe(0);
    t.clock.advance(LEASE_MS - 1);
    expect(await alive.tick()).toBe(0);
    t.clock.advance(2);
    await alive.tick();
    expect(ran).toBe(1);
  });

  it('keeps a job whose worker is alive and still running it: its lease is renewed, however long it takes', async () => {
    const now = t.clock.now();
    const key = `renew-${now}`;
    await enqueueJob(t.deps.db, now, { kind: 'test.renew', key, runAt: now });
    const slow = new JobRunner(t.deps);
    expect((await slow.claim()).map((j) => j.key)).toContain(key);
    const other = new JobRunner(t.deps);
    let ran = 0;
    other.register('test.renew', async () => void ran++);
    for (let i = 0; i < 5; i++) {
      t.clock.advance(LEASE_MS / 2);
      expect(await slow.renewLeases()).toBeGreaterThanOrEqual(1);
      await other.tick();
    }
    expect(ran).toBe(0);
    const row = await t.deps.db.selectFrom('jobs').select(['status', 'locked_by']).where('key', '=', key).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'running', locked_by: slow.workerId });
  });

  it('recurring housekeeping purges expired sessions', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const now = t.clock.now();
    await insertSession(t.deps.db, { id: `expired-${now}`, userId: u.id, now: now - 100 * 60 * 60_000, expiresAt: now - 1, ip: null, userAgent: null });
    const runner = await createJobRunner(t.deps);
    t.clock.advance(11 * 60_000);
    await runner.tick();
    const left = await t.deps.db.selectFrom('sessions').select('id').where('id', '=', `expired-${now}`).execute();
    expect(left).toHaveLength(0);
    const job = await t.deps.db.selectFrom('jobs').selectAll().where('key', '=', 'sessions.purge').executeTakeFirstOrThrow();
    expect(job.status).toBe('pending');
    expect(Number(job.run_at)).toBeGreaterThan(t.clock.now());
  });
});
