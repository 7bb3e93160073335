import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { verifyAudit } from '../audit/audit.service.js';
import { PgCheckinWriter } from './checkin.pgwriter.js';
import type { CheckinWrite } from './checkin.writer.js';

/** The group-commit writer of PostgreSQL (SQLite's is checkin.writer.ts). */
describe.skipIf(!testDialects().includes('postgres'))('check-in group commit on postgres', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv('postgres');
  });
  afterAll(async () => t?.close());

  const write = (personId: number, unitId: number, temperature = 365, note: string | null = null): CheckinWrite => ({
    row: { person_id: personId, unit_id: unitId, day: '2026-11-24', temperature, symptoms: '["咳嗽","x\\"{,}"]', location: 'at_work', city: '青岛', note, abnormal: temperature >= 373 ? 1 : 0, on_time: 1, on_behalf_of_user_id: null },
    now: t.clock.now(),
    actor: { userId: null, name: 'test', ip: null },
  });

  it('commits many check-ins in few transactions; one that fails fails alone; repeats become updates; counts and chain hold', async () => {
    const { a, b } = await buildTree(t);
    const people: Awaited<ReturnType<typeof buildPerson>>[] = [];
    for (let i = 0; i < 30; i++) people.push(await buildPerson(t, i % 2 ? a : b));
    const writer = new PgCheckinWriter(t.deps, { windowMs: 5, maxBatch: 8 });
    const writes = people.map((p, i) => write(p.id, p.unit_id, 360 + i, i === 3 ? 'a "quoted", {braced} \\ note' : null));
    writes.splice(13, 0, write(2_147_483_000, a.id)); // no such person: the foreign key refuses it
    writes.push(write(people[0]!.id, people[0]!.unit_id, 380)); // the same person again: an update, in order
    writes.push(write(people[0]!.id, people[0]!.unit_id, 390));
    const results = await Promise.allSettled(writes.map((w) => writer.submit(w)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[13]!.status).toBe('rejected');
    const last = results.at(-1)!;
    expect(last.status === 'fulfilled' && last.value.created).toBe(false);
    const rows = await t.deps.db.selectFrom('checkins').selectAll().where('unit_id', 'in', [a.id, b.id]).execute();
    expect(rows).toHaveLength(30);
    expect(rows.find((r) => r.person_id === people[0]!.id)).toMatchObject({ temperature: 390, abnormal: 1 });
    expect(rows.find((r) => r.person_id === people[3]!.id)).toMatchObject({ note: 'a "quoted", {braced} \\ note', symptoms: '["咳嗽","x\\"{,}"]' });
    const counts = await t.deps.db.selectFrom('checkin_counts').selectAll().where('unit_id', 'in', [a.id, b.id]).execute();
    const sum = (k: 'checked_in' | 'abnormal' | 'normal') => counts.reduce((s, c) => s + c[k], 0);
    expect([sum('checked_in'), sum('abnormal') + sum('normal'), sum('abnormal')]).toEqual([30, 30, rows.filter((r) => r.abnormal).length]);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'checkin').execute();
    expect(audit.filter((x) => x.action === 'checkin.created')).toHaveLength(30);
    expect(audit.filter((x) => x.action === 'checkin.updated')).toHaveLength(2);
    await writer.drain();
    await expect(writer.submit(write(people[1]!.id, a.id))).rejects.toThrow(/closed/);
  });

  it('two writers (two server processes) on one database keep the counts exact', async () => {
    const { a } = await buildTree(t);
    const people: Awaited<ReturnType<typeof buildPerson>>[] = [];
    for (let i = 0; i < 40; i++) people.push(await buildPerson(t, a));
    const w1 = new PgCheckinWriter(t.deps, { windowMs: 1, maxBatch: 7 });
    const w2 = new PgCheckinWriter(t.deps, { windowMs: 1, maxBatch: 5 });
    // Every person through both writers at once, twice: first check-ins racing, then corrections.
    const all = people.flatMap((p, i) => [w1.submit(write(p.id, a.id, 365 + (i % 10))), w2.submit(write(p.id, a.id, 372 - (i % 10)))]);
    expect((await Promise.allSettled(all)).every((r) => r.status === 'fulfilled')).toBe(true);
    const rows = await t.deps.db.selectFrom('checkins').selectAll().where('unit_id', '=', a.id).execute();
    expect(rows).toHaveLength(40);
    const c = await t.deps.db.selectFrom('checkin_counts').selectAll().where('unit_id', '=', a.id).executeTakeFirstOrThrow();
    expect([c.checked_in, c.abnormal, c.normal]).toEqual([40, rows.filter((r) => r.abnormal).length, rows.filter((r) => !r.abnormal).length]);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
    await Promise.all([w1.drain(), w2.drain()]);
  });
});
