import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import { createJobRunner } from '../../jobs/registry.js';
import { putSetting } from '../setup/settings.store.js';
import { DIGEST_SETTING, digestMinutes, sendDailyDigest } from './digest.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = (extra: Record<string, unknown> = {}) => ({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

describe('digest time', () => {
  it("reads 'HH:MM', anything else is 17:00", () => {
    expect([digestMinutes('08:30'), digestMinutes('23:59'), digestMinutes('24:00'), digestMinutes('8:30'), digestMinutes(undefined), digestMinutes(1700)]).toEqual([510, 1439, 1020, 1020, 1020, 1020]);
  });
});

describe.each(testDialects())('daily digest on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const digestsOf = (userId: number) =>
    t.deps.db.selectFrom('notifications').select(['kind', 'params', 'unit_id', 'entity', 'entity_id']).where('user_id', '=', userId).where('kind', '=', 'health.digest').orderBy('id').execute();

  it("sends the command office of the root the day's figures at the set time, once, and once on return after a missed day", async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root });
    const command = await buildUser(t, [{ role: 'command', unit: root }]);
    const commandOfA = await buildUser(t, [{ role: 'command', unit: a }]);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: root }]);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const ac = await loginAs(t, admin.id);
    const people = [await buildPerson(t, a), await buildPerson(t, a), await buildPerson(t, root)];
    const app = await t.app();
    expect((await send(app, ac, { method: 'POST', url: '/api/v1/checkins', body: form({ personId: people[0]!.id }) })).status).toBe(201);
    expect((await send(app, ac, { method: 'POST', url: '/api/v1/checkins', body: form({ personId: people[1]!.id, temperature: 38.2 }) })).status).toBe(201);

    const runner = await createJobRunner(t.deps);
    t.clock.set(shanghai('2026-11-24T16:59:59'));
    while ((await runner.tick()) > 0);
    expect(await digestsOf(command.id)).toEqual([]);
    t.clock.set(shanghai('2026-11-24T17:00:00'));
    while ((await runner.tick()) > 0);
    const sent = await digestsOf(command.id);
    expect(sent.map((n) => ({ ...n, params: JSON.parse(n.params) }))).toEqual([
      { kind: 'health.digest', params: { day: '2026-11-24', checkedIn: 2, headcount: 3, abnormal: 1, notYet: 1 }, unit_id: root.id, entity: 'checkin_day', entity_id: '2026-11-24' },
    ]);
    expect(await digestsOf(commandOfA.id)).toEqual([]);
    expect(await digestsOf(liaison.id)).toEqual([]);
    // A re-run (a job retried after a crash) sends nothing again.
    expect(await sendDailyDigest(t.deps, '2026-11-24')).toBe(0);

    // Down from before the 25th's digest until the 27th's morning: one digest, the 26th's.
    await putSetting(t.deps.db, DIGEST_SETTING, '18:30', t.clock.now());
    try {
      t.clock.set(shanghai('2026-11-27T08:00:00'));
      while ((await runner.tick()) > 0);
      expect((await digestsOf(command.id)).map((n) => n.entity_id)).toEqual(['2026-11-24', '2026-11-26']);
      t.clock.set(shanghai('2026-11-27T18:29:59'));
      while ((await runner.tick()) > 0);
      expect(await digestsOf(command.id)).toHaveLength(2);
      t.clock.set(shanghai('2026-11-27T18:30:00'));
      while ((await runner.tick()) > 0);
      expect((await digestsOf(command.id)).map((n) => [n.entity_id, JSON.parse(n.params).checkedIn])).toEqual([
        ['2026-11-24', 2],
        ['2026-11-26', 0],
        ['2026-11-27', 0],
      ]);
    } finally {
      await t.deps.db.deleteFrom('settings').where('key', '=', DIGEST_SETTING).execute();
    }
  });
});
