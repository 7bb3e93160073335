import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs, setOrganisationCutoff } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import { cutoffMeasure } from '../../db/migrations/014_cutoff_measure.js';
import { ensureDailyJob, instantOf } from '../../jobs/daily.js';
import { getSetting, putSetting } from '../setup/settings.store.js';
import { cutoffJob } from './reminders.service.js';
import { CUTOFF_JOB } from './reminders.plan.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = { temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛' };

/**
 * The check-in cut-off is a measure (issue 4): the root's value is the organisation's, a unit may
 * tighten it for its subtree with the level above's approval, and each check-in locks at its own
 * unit's. The cut-off report follows the root's value however it is changed.
 */
describe.each(testDialects())('the check-in cut-off as a measure on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());
  const call = async (cookie: string, req: HttpRequest) => send(await t.app(), cookie, req);

  it("a unit's approved earlier cut-off locks its subtree earlier; a sibling keeps the root's", async () => {
    t.clock.set(shanghai('2026-12-03T08:00:00'));
    const { root, a, a1, b } = await buildTree(t);
    await setOrganisationCutoff(t, '22:00');
    const commandUser = await buildUser(t, [{ role: 'command', unit: root }]);
    const headA = await loginAs(t, (await buildUser(t, [{ role: 'unit_head', unit: a }])).id);
    const asked = await call(headA, { method: 'POST', url: `/api/v1/units/${a.id}/measures/checkin.cutoff`, body: { value: '20:00', reason: '夜班交接前完成打卡' } });
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({ needsApproval: true });
    const changeId = (asked.json as { change: { id: number } }).change.id;
    const userA1 = await buildUser(t, [], { home: a1, personId: (await buildPerson(t, a1)).id });
    const userB = await buildUser(t, [], { home: b, personId: (await buildPerson(t, b)).id });
    // Sessions end after hours idle: each moment signs in afresh.
    const checkIn = async (userId: number) => call(await loginAs(t, userId), { method: 'POST', url: '/api/v1/checkins', body: form });

    // Pending: the root's 22:00 still applies below A.
    t.clock.set(shanghai('2026-12-03T21:00:00'));
    expect((await checkIn(userA1.id)).status).toBe(201);

    // Approved by the command office the next morning, after A1's person checked in (so the day's
    // cut-off at A1 has been read, and kept in memory on SQLite): from then A's subtree locks at
    // 20:00, B at 22:00.
    t.clock.set(shanghai('2026-12-04T07:30:00'));
    expect((await checkIn(userA1.id)).status).toBe(201);
    t.clock.set(shanghai('2026-12-04T08:00:00'));
    expect((await call(await loginAs(t, commandUser.id), { method: 'POST', url: `/api/v1/measure-exceptions/${changeId}/approve`, body: {} })).status).toBe(200);
    t.clock.set(shanghai('2026-12-04T20:30:00'));
    const locked = await checkIn(userA1.id);
    expect([locked.status, locked.json]).toMatchObject([409, { error: { fields: { day: 'locked' } } }]);
    expect((await checkIn(userB.id)).status).toBe(201);
    await setOrganisationCutoff(t, null);
  });

  it("a change of the root's cut-off on the measures page moves today's cut-off report in the same commit", async () => {
    t.clock.set(shanghai('2026-12-10T08:00:00'));
    await buildTree(t);
    await setOrganisationCutoff(t, null);
    await t.deps.db.deleteFrom('jobs').where('kind', '=', CUTOFF_JOB).execute();
    await ensureDailyJob(t.deps, cutoffJob);
    const runAt = async () =>
      Number((await t.deps.db.selectFrom('jobs').select('run_at').where('key', '=', `${CUTOFF_JOB}:2026-12-10`).executeTakeFirstOrThrow()).run_at);
    expect(await runAt()).toBe(instantOf('2026-12-10', 24 * 60, 'Asia/Shanghai'));

    // The first root is the organisation's: in this database, the first tree's root.
    const first = await t.deps.db.selectFrom('units').selectAll().where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow();
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: first }])).id);
    const set = await call(admin, { method: 'POST', url: `/api/v1/units/${first.id}/measures/checkin.cutoff`, body: { value: '18:00' } });
    expect(set.status).toBe(201);
    expect(await runAt()).toBe(shanghai('2026-12-10T18:00:00'));
    await setOrganisationCutoff(t, null);
  });

  it('014 moves a cut-off set in the health settings to the root measure, and drops the setting', async () => {
    const { root } = await buildTree(t);
    await setOrganisationCutoff(t, null);
    await putSetting(t.deps.db, 'health.cutoff', '10:30', t.clock.now());
    await cutoffMeasure().up(t.deps.db);
    expect(await getSetting(t.deps.db, 'health.cutoff')).toBeUndefined();
    const rows = await t.deps.db.selectFrom('measure_values').select(['unit_id', 'value', 'status', 'effective_from']).where('measure_key', '=', 'checkin.cutoff').where('unit_id', '=', root.id).execute();
    expect(rows).toEqual([{ unit_id: root.id, value: 10 * 60 + 30, status: 'set', effective_from: '1970-01-01' }]);
    await setOrganisationCutoff(t, null);
  });
});
