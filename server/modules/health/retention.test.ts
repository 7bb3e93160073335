import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../common/day.js';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { createJobRunner } from '../../jobs/registry.js';
import { verifyAudit } from '../audit/audit.service.js';
import { putSetting } from '../setup/settings.store.js';
import { contributionOf } from './health.policy.js';
import { addCounts, insertCheckin } from './health.store.js';
import { DEFAULT_RETENTION_DAYS, firstKeptDay, purgeOldCheckins, RETENTION_SETTING, retentionDaysOf } from './retention.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('retention setting', () => {
  it('reads whole days, at least a week; anything else is the default', () => {
    expect([retentionDaysOf(30), retentionDaysOf('45'), retentionDaysOf(3), retentionDaysOf(undefined), retentionDaysOf('x'), retentionDaysOf(1.5), retentionDaysOf(-1)]).toEqual([30, 45, 7, DEFAULT_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, DEFAULT_RETENTION_DAYS]);
    expect(firstKeptDay('2026-11-24', 90)).toBe('2026-08-27');
  });
});

describe.each(testDialects())('retention purge on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  /** One check-in per person for each day, with its counts, as the write path keeps them. */
  async function checkinsOn(unit: UnitRow, people: { id: number }[], days: string[]) {
    for (const day of days)
      for (const p of people) {
        const at = shanghai(`${day}T08:00:00`);
        const row = await insertCheckin(t.deps.db, { person_id: p.id, unit_id: unit.id, day, temperature: 365, symptoms: '[]', location: 'at_work', city: '青岛', note: null, abnormal: 0, on_time: 1, on_behalf_of_user_id: null, created_at: at, updated_at: at });
        await addCounts(t.deps.db, day, unit.id, contributionOf(row));
      }
  }
  const daysOf = async (unitId: number) => (await t.deps.db.selectFrom('checkins').select('day').where('unit_id', '=', unitId).orderBy('day').execute()).map((r) => r.day);
  const countsOf = async (unitId: number) => JSON.stringify(await t.deps.db.selectFrom('checkin_counts').selectAll().where('unit_id', '=', unitId).orderBy('day').execute());
  const purges = () => t.deps.db.selectFrom('audit_log').select(['entity_id', 'detail', 'actor_name']).where('action', '=', 'checkins.purged').orderBy('id').execute();

  it('the nightly job purges check-ins older than the retention period; the counts and an old day\'s roll-up stay', async () => {
    t.clock.set(shanghai('2026-11-24T12:00:00'));
    await putSetting(t.deps.db, RETENTION_SETTING, 30, t.clock.now());
    try {
      await nightly();
    } finally {
      await t.deps.db.deleteFrom('settings').where('key', '=', RETENTION_SETTING).execute();
    }
  });

  async function nightly() {
    const { a } = await buildTree(t);
    const people = [await buildPerson(t, a), await buildPerson(t, a), await buildPerson(t, a)];
    // On the 25th, 30 days kept are 2026-10-27 to 2026-11-25: the 26th and older go.
    const days = ['2026-09-01', '2026-10-25', '2026-10-26', '2026-10-27', '2026-11-24'];
    await checkinsOn(a, people, days);
    const countsBefore = await countsOf(a.id);

    const runner = await createJobRunner(t.deps);
    expect(await runner.tick()).toBe(0); // not before 03:00
    t.clock.set(shanghai('2026-11-25T03:00:00'));
    await runner.tick();
    expect(await daysOf(a.id)).toEqual(['2026-10-27', '2026-10-27', '2026-10-27', '2026-11-24', '2026-11-24', '2026-11-24']);
    expect(await countsOf(a.id)).toBe(countsBefore);
    const audit = await purges();
    expect(audit.map((r) => [r.entity_id, r.actor_name, JSON.parse(r.detail).note])).toEqual([['2026-10-26', 'system', { deleted: 9, upToDay: '2026-10-26', retentionDays: 30, batches: 1 }]]);

    // The roll-up of a purged day still answers from the counts.
    const admin = await buildUser(t, [{ role: 'admin', unit: a }]);
    const r = await send(await t.app(), await loginAs(t, admin.id), { method: 'GET', url: '/api/v1/rollups/checkins', query: { unitId: String(a.id), day: '2026-09-01' } });
    expect(r.status).toBe(200);
    expect((r.json as { total: { checkedIn: number; normal: number } }).total).toMatchObject({ checkedIn: 3, normal: 3 });

    // The next night has nothing older to purge; it still says it ran.
    t.clock.set(shanghai('2026-11-26T03:00:00'));
    await runner.tick();
    expect(await daysOf(a.id)).toEqual(['2026-11-24', '2026-11-24', '2026-11-24']);
    expect((await purges()).map((x) => JSON.parse(x.detail).note.deleted)).toEqual([9, 3]);
    t.clock.set(shanghai('2026-11-27T03:00:00'));
    await runner.tick();
    expect((await purges()).map((x) => JSON.parse(x.detail).note.deleted)).toEqual([9, 3, 0]);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  }

  it('deletes in batches and writes one audit row for the run', async () => {
    t.clock.set(shanghai('2027-06-01T03:00:00'));
    const { a } = await buildTree(t);
    const people = await Promise.all(Array.from({ length: 7 }, () => buildPerson(t, a)));
    await checkinsOn(a, people, ['2027-01-01', '2027-01-02', addDays('2027-06-01', -1)]);
    const before = (await purges()).length;
    const out = await purgeOldCheckins(t.deps, 5);
    expect(out.beforeDay).toBe(firstKeptDay('2027-06-01', DEFAULT_RETENTION_DAYS));
    expect(out.deleted).toBeGreaterThanOrEqual(14);
    expect(out.batches).toBe(Math.floor(out.deleted / 5) + 1);
    expect(await daysOf(a.id)).toEqual(Array(7).fill('2027-05-31'));
    const rows = await purges();
    expect(rows.length).toBe(before + 1);
    expect(JSON.parse(rows.at(-1)!.detail).note).toMatchObject({ deleted: out.deleted, batches: out.batches, upToDay: addDays(out.beforeDay, -1) });
  });
});
