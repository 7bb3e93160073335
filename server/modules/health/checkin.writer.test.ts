import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree } from '../../../test/factories.js';
import { testEnv, type TestEnv } from '../../../test/env.js';
import { verifyAudit } from '../audit/audit.service.js';
import { CheckinWriter, type CheckinWrite } from './checkin.writer.js';

/** The group-commit writer exists on SQLite only (PostgreSQL writes one transaction per check-in). */
describe('check-in group commit on sqlite', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv('sqlite');
  });
  afterAll(async () => t?.close());

  const write = (personId: number, unitId: number, temperature = 365): CheckinWrite => ({
    row: { person_id: personId, unit_id: unitId, day: '2026-11-24', temperature, symptoms: '[]', location: 'at_work', city: '青岛', note: null, abnormal: temperature >= 373 ? 1 : 0, on_time: 1, on_behalf_of_user_id: null },
    now: t.clock.now(),
    actor: { userId: null, name: 'test', ip: null },
  });

  it('commits many check-ins in few transactions; one that fails fails alone and the chain holds', async () => {
    const { a } = await buildTree(t);
    const people: Awaited<ReturnType<typeof buildPerson>>[] = [];
    for (let i = 0; i < 30; i++) people.push(await buildPerson(t, a));
    const writer = new CheckinWriter(t.deps, t.deps.handle.sqlite!, { windowMs: 5, maxBatch: 8 });
    const writes = people.map((p, i) => write(p.id, a.id, 360 + i));
    writes.splice(13, 0, write(2_147_483_000, a.id)); // no such person: the foreign key refuses it
    writes.push(write(people[0]!.id, a.id, 380)); // the same person again in the same batch run: an update
    const results = await Promise.allSettled(writes.map((w) => writer.submit(w)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[13]!.status).toBe('rejected');
    const last = results.at(-1)!;
    expect(last.status === 'fulfilled' && last.value.created).toBe(false);
    const rows = await t.deps.db.selectFrom('checkins').select(['person_id', 'temperature', 'abnormal']).where('unit_id', '=', a.id).execute();
    expect(rows).toHaveLength(30);
    expect(rows.find((r) => r.person_id === people[0]!.id)).toMatchObject({ temperature: 380, abnormal: 1 });
    const counts = await t.deps.db.selectFrom('checkin_counts').selectAll().where('unit_id', '=', a.id).executeTakeFirstOrThrow();
    expect([counts.checked_in, counts.abnormal + counts.normal, counts.abnormal]).toEqual([30, 30, rows.filter((r) => r.abnormal).length]);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
    await writer.drain();
    await expect(writer.submit(write(people[1]!.id, a.id))).rejects.toThrow(/closed/);
  });
});
