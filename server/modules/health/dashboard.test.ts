import { addDays } from '../../../common/day.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { COUNT_COLUMNS, type CountVector } from './health.policy.js';
import { addCounts } from './health.store.js';
import { ensureHeadcountSnapshot } from './dashboard.service.js';
import { checkinsByUnitAndDay, countsByDay, headcountsByDay, periodByUnit } from './dashboard.store.js';

/** An instant given as Shanghai wall time (UTC+8, no DST). */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = (personId: number, extra: Record<string, unknown> = {}) => ({ personId, temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

describe.each(testDialects())('dashboard trend and period on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const call = async (cookie: string | null, req: HttpRequest) => send(await t.app(), cookie, req);
  const get = (cookie: string, url: string, query: Record<string, string>) => call(cookie, { method: 'GET', url, query });

  /**
   * root (1 person) ─┬─ A (2) ── A1 (1)
   *                  └─ B (2)
   * Day 1: A's two (one abnormal) and one of B's check in, plus a late check-in in A1 (on_time 0).
   * Day 2: a third person joins B before the day's snapshot; all seven check in; then a newcomer
   * joins A after the snapshot and checks in too (counted, but not in day 2's headcount).
   */
  async function scenario(d0: string) {
    const [d1, d2] = [addDays(d0, 1), addDays(d0, 2)];
    t.clock.set(shanghai(`${d1}T07:00:00`));
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: 'A' });
    const a1 = await buildUnit(t, { parent: a, name: 'A1' });
    const b = await buildUnit(t, { parent: root, name: 'B' });
    const people = async (unit: UnitRow, n: number) => Promise.all(Array.from({ length: n }, () => buildPerson(t, unit)));
    const [r0, a0, a2, b0] = [await people(root, 1), await people(a, 2), await people(a1, 1), await people(b, 2)];
    const liaison = await buildUser(t, [{ role: 'liaison', unit: root }]);
    let cookie = await loginAs(t, liaison.id);
    const checkIn = async (personId: number, extra: Record<string, unknown> = {}) => {
      const res = await call(cookie, { method: 'POST', url: '/api/v1/checkins', body: form(personId, extra) });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    };

    // The first trend read of the day takes the day's snapshot.
    expect((await get(cookie, '/api/v1/rollups/checkins/trend', { unitId: String(root.id) })).status).toBe(200);
    await checkIn(a0[0]!.id);
    await checkIn(a0[1]!.id, { temperature: 37.5 });
    await checkIn(b0[0]!.id);
    const late = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as CountVector;
    await addCounts(t.deps.db, d1, a1.id, { ...late, checked_in: 1, normal: 1, at_work: 1 });

    t.clock.set(shanghai(`${d2}T06:30:00`));
    cookie = await loginAs(t, liaison.id); // a new morning, a new session
    const b3 = await buildPerson(t, b);
    await ensureHeadcountSnapshot(t.deps, d2); // the hourly job
    for (const p of [...r0, ...a0, ...a2, ...b0, b3]) await checkIn(p.id);
    const newcomer = await buildPerson(t, a);
    await checkIn(newcomer.id);
    return { root, a, a1, b, cookie };
  }

  it('the trend gives per day the snapshotted headcount and the summed counts; a day with no snapshot has none', async () => {
    const { root, a, cookie } = await scenario('2026-03-01');
    const res = await get(cookie, '/api/v1/rollups/checkins/trend', { unitId: String(root.id), from: '2026-03-01', to: '2026-03-03' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      unitId: root.id,
      from: '2026-03-01',
      to: '2026-03-03',
      days: [
        { day: '2026-03-01', headcount: null, checkedIn: 0, abnormal: 0, onTime: 0 },
        { day: '2026-03-02', headcount: 6, checkedIn: 4, abnormal: 1, onTime: 3 },
        { day: '2026-03-03', headcount: 7, checkedIn: 8, abnormal: 0, onTime: 8 },
      ],
    });
    // A subtree: A and A1 only.
    const sub = await get(cookie, '/api/v1/rollups/checkins/trend', { unitId: String(a.id), from: '2026-03-02', to: '2026-03-03' });
    expect((sub.json as { days: unknown[] }).days).toEqual([
      { day: '2026-03-02', headcount: 3, checkedIn: 3, abnormal: 1, onTime: 2 },
      { day: '2026-03-03', headcount: 3, checkedIn: 4, abnormal: 0, onTime: 4 },
    ]);
    // The default period is the 30 days up to today.
    const dflt = (await get(cookie, '/api/v1/rollups/checkins/trend', { unitId: String(root.id) })).json as { from: string; to: string; days: unknown[] };
    expect([dflt.from, dflt.to, dflt.days.length]).toEqual(['2026-02-02', '2026-03-03', 30]);

    // People joining later do not move a past day's headcount.
    await buildPerson(t, a);
    await ensureHeadcountSnapshot(t.deps, '2026-03-02');
    const again = await get(cookie, '/api/v1/rollups/checkins/trend', { unitId: String(root.id), from: '2026-03-02', to: '2026-03-02' });
    expect((again.json as { days: { headcount: number }[] }).days[0]!.headcount).toBe(6);
  });

  it('the period gives completeness and timeliness for the unit, each child subtree and the total', async () => {
    const { root, a, a1, b, cookie } = await scenario('2026-05-01');
    const res = await get(cookie, '/api/v1/rollups/checkins/period', { unitId: String(root.id), from: '2026-05-01', to: '2026-05-03' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      from: '2026-05-01',
      to: '2026-05-03',
      days: 2,
      unit: { id: root.id, name: '集团', hasChildren: true, headcountDays: 2, checkedIn: 1, onTime: 1, completeness: 0.5, timeliness: 1 },
      children: [
        // A: 8 check-ins against 6 person-days: a newcomer after the snapshot cannot lift it above 100 %.
        { id: a.id, name: 'A', hasChildren: true, headcountDays: 6, checkedIn: 7, onTime: 6, completeness: 1, timeliness: 6 / 7 },
        { id: b.id, name: 'B', hasChildren: false, headcountDays: 5, checkedIn: 4, onTime: 4, completeness: 0.8, timeliness: 1 },
      ],
      total: { headcountDays: 13, checkedIn: 12, onTime: 11, completeness: 12 / 13, timeliness: 11 / 12 },
    });
    const down = (await get(cookie, '/api/v1/rollups/checkins/period', { unitId: String(a.id), from: '2026-05-02', to: '2026-05-03' })).json as {
      children: { id: number; headcountDays: number; checkedIn: number; onTime: number }[];
    };
    expect(down.children).toMatchObject([{ id: a1.id, headcountDays: 2, checkedIn: 2, onTime: 1 }]);
    // A small subtree is read unit by unit, a big one day by day: both ways give the same figures.
    const days = ['2026-05-02', '2026-05-03'];
    const sorted = <T extends { unit_id: number }>(rows: T[]) => [...rows].sort((x, y) => x.unit_id - y.unit_id);
    const byDay = async (units: number) => (await countsByDay(t.deps.db, root.path, days, units)).sort((x, y) => x.day.localeCompare(y.day));
    expect(await byDay(1)).toEqual(await byDay(100_000));
    expect(sorted(await periodByUnit(t.deps.db, root.path, days, 1))).toEqual(sorted(await periodByUnit(t.deps.db, root.path, days, 100_000)));
    expect(await headcountsByDay(t.deps.db, root.path, days, 1)).toEqual(await headcountsByDay(t.deps.db, root.path, days, 100_000));
    expect((await countsByDay(t.deps.db, root.path, days, 1)).map((d) => d.checked_in).sort()).toEqual([4, 8]);

    // The scorecard's read: per unit and period, and per day of the current period, check-ins capped
    // at the headcount per (unit, day): A's newcomer on 05-03 counts as a check-in, not as met.
    const scorecardRead = (units: number, whole: boolean) => checkinsByUnitAndDay(t.deps.db, { path: root.path, units, whole }, days, '2026-05-03', true);
    const big = await scorecardRead(100_000, false);
    expect(big.units.find((u) => u.unit_id === a.id && u.current)).toEqual({ unit_id: a.id, current: true, headcount_days: 2, checked_in: 3, on_time: 3, met: 2 });
    expect(big.units.find((u) => u.unit_id === a1.id && !u.current)).toEqual({ unit_id: a1.id, current: false, headcount_days: 1, checked_in: 1, on_time: 0, met: 1 });
    expect(big.days).toEqual([{ day: '2026-05-03', headcount_days: 7, checked_in: 8, on_time: 8, met: 7 }]);
    // Unit by unit, through the path range, and (the subtree being every unit there is) with no filter: the same.
    const small = await scorecardRead(1, false);
    const inTree = new Set([root.id, a.id, a1.id, b.id]);
    const whole = await scorecardRead(100_000, true);
    const key = (u: { unit_id: number; current: boolean }) => `${u.unit_id} ${u.current}`;
    const sortedUnits = <T extends { unit_id: number; current: boolean }>(rows: T[]) => [...rows].sort((x, y) => key(x).localeCompare(key(y)));
    expect(sortedUnits(small.units)).toEqual(sortedUnits(big.units));
    expect(small.days).toEqual(big.days);
    expect(sortedUnits(whole.units.filter((u) => inTree.has(u.unit_id)))).toEqual(sortedUnits(big.units));
  });

  it('refuses a reversed or too long period naming the field, hides units out of scope, and needs health.read', async () => {
    const root = await buildUnit(t);
    const a = await buildUnit(t, { parent: root });
    const b = await buildUnit(t, { parent: root });
    const cookie = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    for (const url of ['/api/v1/rollups/checkins/trend', '/api/v1/rollups/checkins/period']) {
      const reversed = await get(cookie, url, { unitId: String(a.id), from: '2026-03-05', to: '2026-03-01' });
      expect([reversed.status, errorOf(reversed)?.fields]).toEqual([400, { to: 'must not be before from' }]);
      const long = await get(cookie, url, { unitId: String(a.id), from: '2026-01-01', to: '2026-04-03' });
      expect([long.status, Object.keys(errorOf(long)?.fields ?? {})]).toEqual([400, ['to']]);
      expect((await get(cookie, url, { unitId: String(a.id), from: '2026-01-01', to: '2026-04-02' })).status).toBe(200);
      expect((await get(cookie, url, { unitId: String(a.id), from: '2026-02-30' })).status).toBe(400);
      expect((await get(cookie, url, { unitId: String(b.id) })).status).toBe(404);
      expect((await get(cookie, url, { unitId: String(root.id) })).status).toBe(404);
      const supervisor = await loginAs(t, (await buildUser(t, [{ role: 'supervisor', unit: root }])).id);
      expect((await get(supervisor, url, { unitId: String(a.id) })).status).toBe(403);
    }
  });
});
