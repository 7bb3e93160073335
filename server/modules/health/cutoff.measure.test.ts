import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs, setOrganisationCutoff } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import type { UnitRow } from '../../db/schema.js';
import { send, type HttpRequest } from '../../../test/http.js';
import { cutoffMeasure } from '../../db/migrations/014_cutoff_measure.js';
import { instantOf } from '../../jobs/daily.js';
import { createJobRunner } from '../../jobs/registry.js';
import { getSetting, putSetting } from '../setup/settings.store.js';
import { ensureNextCutoff, reportMissingAtCutoff } from './cutoff.report.js';
import { CUTOFF_JOB } from './reminders.plan.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = { temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛' };

/**
 * The check-in cut-off is a measure (issue 4): the root's value is the organisation's, a unit may
 * tighten it for its subtree with the level above's approval, and each check-in locks at its own
 * unit's. The cut-off report runs at each distinct cut-off in force, however it is changed.
 */
describe.each(testDialects())('the check-in cut-off as a measure on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());
  const call = async (cookie: string, req: HttpRequest) => send(await t.app(), cookie, req);
  /** A unit's own earlier cut-off: asked by its head, approved by the command office of its root. */
  const tightenCutoff = async (unit: UnitRow, hhmm: string) => {
    const root = await t.deps.db.selectFrom('units').selectAll().where('id', '=', Number(unit.path.split('/').filter(Boolean)[0])).executeTakeFirstOrThrow();
    const head = await loginAs(t, (await buildUser(t, [{ role: 'unit_head', unit }])).id);
    const asked = await call(head, { method: 'POST', url: `/api/v1/units/${unit.id}/measures/checkin.cutoff`, body: { value: hhmm, reason: '提前截止' } });
    expect(asked.json).toMatchObject({ needsApproval: true });
    const command = await loginAs(t, (await buildUser(t, [{ role: 'command', unit: root }])).id);
    const approved = await call(command, { method: 'POST', url: `/api/v1/measure-exceptions/${(asked.json as { change: { id: number } }).change.id}/approve`, body: {} });
    expect(approved.status).toBe(200);
  };

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

  it("a change of a cut-off anywhere gives the cut-off report's chain the next cut-off's row, in the same commit", async () => {
    t.clock.set(shanghai('2026-12-10T08:00:00'));
    const { a } = await buildTree(t);
    await setOrganisationCutoff(t, null);
    await t.deps.db.deleteFrom('jobs').where('kind', '=', CUTOFF_JOB).execute();
    await ensureNextCutoff(t.deps.db, t.deps);
    const pending = async () =>
      (await t.deps.db.selectFrom('jobs').select(['key', 'run_at']).where('kind', '=', CUTOFF_JOB).where('status', '=', 'pending').orderBy('run_at').execute()).map((j) => [j.key, Number(j.run_at)]);
    expect(await pending()).toEqual([[`${CUTOFF_JOB}:2026-12-10T24:00`, instantOf('2026-12-10', 24 * 60, 'Asia/Shanghai')]]);

    // The first root is the organisation's: in this database, the first tree's root.
    const first = await t.deps.db.selectFrom('units').selectAll().where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow();
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: first }])).id);
    const set = await call(admin, { method: 'POST', url: `/api/v1/units/${first.id}/measures/checkin.cutoff`, body: { value: '18:00' } });
    expect(set.status).toBe(201);
    expect((await pending())[0]).toEqual([`${CUTOFF_JOB}:2026-12-10T18:00`, shanghai('2026-12-10T18:00:00')]);

    // A unit's own earlier cut-off, once approved above, puts its time first.
    await tightenCutoff(a, '16:30');
    expect((await pending())[0]).toEqual([`${CUTOFF_JOB}:2026-12-10T16:30`, shanghai('2026-12-10T16:30:00')]);
    await setOrganisationCutoff(t, null);
  });

  it("reports the people missing under a unit with an earlier cut-off at that cut-off, and everyone else's at the root's, each once", async () => {
    t.clock.set(shanghai('2026-12-15T08:00:00'));
    const { root, a, a1, b } = await buildTree(t);
    await setOrganisationCutoff(t, '22:00');
    await tightenCutoff(a, '20:00');
    const headRoot = await buildUser(t, [{ role: 'unit_head', unit: root }]);
    const headA = await buildUser(t, [{ role: 'unit_head', unit: a }]);
    await buildPerson(t, a1, { name: '甲一' });
    await buildPerson(t, b, { name: '乙' });
    const told = async (userId: number) =>
      (await t.deps.db.selectFrom('notifications').select('params').where('user_id', '=', userId).where('kind', '=', 'checkin.missing_at_cutoff').orderBy('id').execute()).map(
        (n) => (JSON.parse(n.params) as { names: string }).names,
      );
    const runner = await createJobRunner(t.deps);
    const drain = async () => {
      while ((await runner.tick()) > 0);
    };

    t.clock.set(shanghai('2026-12-15T19:59:59'));
    await drain();
    expect(await told(headA.id)).toEqual([]);
    t.clock.set(shanghai('2026-12-15T20:00:00'));
    await drain();
    expect(await told(headA.id)).toEqual(['甲一']);
    expect(await told(headRoot.id)).toEqual([]);
    t.clock.set(shanghai('2026-12-15T22:00:00'));
    await drain();
    // A1's person was reported at 20:00 and is not again; B's goes to the root's head at 22:00.
    expect(await told(headA.id)).toEqual(['甲一']);
    expect(await told(headRoot.id)).toEqual(['乙']);
    // A run again (a crash before the job was marked done) reports nobody twice.
    await reportMissingAtCutoff(t.deps, '2026-12-15');
    expect([await told(headA.id), await told(headRoot.id)]).toEqual([['甲一'], ['乙']]);
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
