import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../test/env.js';
import { dailyHandler, dailyKey, ensureDailyJob, instantOf, latestDue, type DailyJob } from './daily.js';
import { JobRunner } from './jobs.js';

const TZ = 'Asia/Shanghai';
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('daily job times', () => {
  it('the instant of a time of day, and the latest occurrence due', () => {
    expect(instantOf('2026-11-24', 17 * 60, TZ)).toBe(shanghai('2026-11-24T17:00:00'));
    expect(instantOf('2026-11-24', 24 * 60, TZ)).toBe(shanghai('2026-11-25T00:00:00'));
    expect(latestDue(shanghai('2026-11-24T16:59:59'), 17 * 60, TZ)).toBe('2026-11-23');
    expect(latestDue(shanghai('2026-11-24T17:00:00'), 17 * 60, TZ)).toBe('2026-11-24');
  });
});

describe.each(testDialects())('daily jobs on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  function recorder(kind: string) {
    const ran: string[] = [];
    const job: DailyJob = { kind, minutesAt: async () => 17 * 60, run: async (_d, day) => void ran.push(day) };
    const runner = new JobRunner(t.deps);
    runner.register(kind, dailyHandler(job));
    return { job, ran, runner };
  }

  it('runs once a day at its time, each day once, whichever process enqueued it', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { job, ran, runner } = recorder('test.daily-a');
    await ensureDailyJob(t.deps, job);
    await ensureDailyJob(t.deps, job); // a second process starting: the same single row
    expect(await runner.tick()).toBe(0);
    t.clock.set(shanghai('2026-11-24T17:00:00'));
    expect(await runner.tick()).toBe(1);
    expect(await runner.tick()).toBe(0);
    t.clock.set(shanghai('2026-11-25T17:00:01'));
    await runner.tick();
    expect(ran).toEqual(['2026-11-24', '2026-11-25']);
    const rows = await t.deps.db.selectFrom('jobs').select(['key', 'status']).where('kind', '=', job.kind).orderBy('key').execute();
    expect(rows).toEqual([
      { key: dailyKey(job.kind, '2026-11-24'), status: 'done' },
      { key: dailyKey(job.kind, '2026-11-25'), status: 'done' },
      { key: dailyKey(job.kind, '2026-11-26'), status: 'pending' },
    ]);
  });

  it('a time passed while the server was down fires once on return; several passed fire only the latest', async () => {
    t.clock.set(shanghai('2026-12-01T09:00:00'));
    const { job, ran, runner } = recorder('test.daily-b');
    await ensureDailyJob(t.deps, job);
    t.clock.set(shanghai('2026-12-01T20:00:00')); // back after the time
    await ensureDailyJob(t.deps, job); // the restart schedules tomorrow's; today's row still waits
    while ((await runner.tick()) > 0);
    expect(ran).toEqual(['2026-12-01']);
    t.clock.set(shanghai('2026-12-05T08:00:00')); // down for three occurrences
    await ensureDailyJob(t.deps, job);
    while ((await runner.tick()) > 0);
    expect(ran).toEqual(['2026-12-01', '2026-12-04']);
    t.clock.set(shanghai('2026-12-05T17:00:00'));
    while ((await runner.tick()) > 0);
    expect(ran).toEqual(['2026-12-01', '2026-12-04', '2026-12-05']);
  });
});
