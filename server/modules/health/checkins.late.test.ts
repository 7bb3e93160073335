import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs, setOrganisationCutoff } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';

/** An instant given as Shanghai wall time (UTC+8, no DST). */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = (extra: Record<string, unknown> = {}) => ({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

describe.each(testDialects())('late check-ins after the cut-off on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const post = async (cookie: string, body: unknown) => send(await t.app(), cookie, { method: 'POST', url: '/api/v1/checkins', body });

  it("a liaison records a missing person's first check-in after the cut-off, counted late; nothing else gets in", async () => {
    t.clock.set(shanghai('2026-12-01T09:00:00'));
    const { a, a1 } = await buildTree(t);
    await setOrganisationCutoff(t, '10:00');
    const liaisonUser = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const liaison = await loginAs(t, liaisonUser.id);
    const missing = await buildPerson(t, a1);
    const early = await buildPerson(t, a1);
    const self = await buildPerson(t, a1);
    const selfCookie = await loginAs(t, (await buildUser(t, [], { home: a1, personId: self.id })).id);
    const onTime = await post(liaison, form({ personId: early.id }));
    expect(onTime.json).toMatchObject({ onTime: true });

    t.clock.set(shanghai('2026-12-01T10:30:00'));
    // The person themselves: the day is closed to them.
    expect((await post(selfCookie, form())).status).toBe(409);
    // The liaison, for someone already checked in: no corrections after the cut-off.
    expect((await post(liaison, form({ personId: early.id, temperature: 38 }))).status).toBe(409);
    // The liaison, for someone missing: recorded, late.
    const late = await post(liaison, form({ personId: missing.id }));
    expect(late.status).toBe(201);
    expect(late.json).toMatchObject({ onTime: false, day: '2026-12-01' });
    // And once recorded, locked like the others.
    expect((await post(liaison, form({ personId: missing.id, temperature: 37 }))).status).toBe(409);

    const counts = await t.deps.db.selectFrom('checkin_counts').selectAll().where('day', '=', '2026-12-01').where('unit_id', '=', a1.id).executeTakeFirstOrThrow();
    expect([Number(counts.checked_in), Number(counts.on_time)]).toEqual([2, 1]);

    // The next day nothing of yesterday's can be added, not even by the liaison.
    t.clock.set(shanghai('2026-12-02T08:00:00'));
    const yesterday = await post(await loginAs(t, liaisonUser.id), form({ personId: self.id, day: '2026-12-01' }));
    expect(yesterday.status).toBe(409);
  });
});
