import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import { NON_REPORTER_HEADERS, NON_REPORTERS_SHEET, PURGED_NOTE, ROLLUP_HEADERS, ROLLUP_SHEET } from './reports.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = (extra: Record<string, unknown> = {}) => ({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

async function sheetRows(data: Buffer, name: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const out: unknown[][] = [];
  wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describe.each(testDialects())('day report on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('sheet 1 rolls up down to the depth asked, sheet 2 lists the non-reporters per unit; formulas escaped; audited', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '交发' });
    const a1 = await buildUnit(t, { parent: a, name: '运营部' });
    const a11 = await buildUnit(t, { parent: a1, name: '一车队' });
    const b = await buildUnit(t, { parent: root, name: '航空' });
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const ac = await loginAs(t, admin.id);
    const app = await t.app();
    const checkIn = async (unit: typeof a, extra: Record<string, unknown> = {}) => {
      const p = await buildPerson(t, unit);
      expect((await send(app, ac, { method: 'POST', url: '/api/v1/checkins', body: form({ personId: p.id, ...extra }) })).status).toBe(201);
    };
    await checkIn(root);
    await checkIn(a1, { temperature: 38 });
    await checkIn(a11, { location: 'trip' });
    await checkIn(a11, { location: 'quarantine' });
    await checkIn(b);
    await buildPerson(t, root, { name: '总部甲', employeeNo: 'R1' });
    await buildPerson(t, a11, { name: '=HYPERLINK("x")', employeeNo: 'T1', phone: '13900001111' });
    await buildPerson(t, b, { name: '航空乙', employeeNo: 'B1', phone: null });

    const res = await app.inject({ method: 'GET', url: `/api/v1/reports/checkins?unitId=${root.id}&depth=2`, headers: { cookie: ac } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!)).toBe('集团-打卡日报-2026-11-24.xlsx');

    const rollup = await sheetRows(res.rawPayload, ROLLUP_SHEET);
    expect(rollup[0]).toEqual([...ROLLUP_HEADERS]);
    // unit, level, headcount, checked in, not yet, rate, normal, abnormal, quarantine, trip
    expect(rollup.slice(1)).toEqual([
      ['集团', 0, 8, 5, 3, 5 / 8, 3, 2, 1, 1],
      ['交发', 1, 4, 3, 1, 3 / 4, 1, 2, 1, 1],
      ['交发/运营部', 2, 4, 3, 1, 3 / 4, 1, 2, 1, 1],
      ['航空', 1, 2, 1, 1, 1 / 2, 1, 0, 0, 0],
    ]);
    const people = await sheetRows(res.rawPayload, NON_REPORTERS_SHEET);
    expect(people[0]).toEqual([...NON_REPORTER_HEADERS]);
    expect(people.slice(1)).toEqual([
      ['集团', '总部甲', 'R1', '13812345678'],
      ['交发/运营部/一车队', '\'=HYPERLINK("x")', 'T1', '13900001111'],
      ['航空', '航空乙', 'B1'],
    ]);

    // A subtree, one level: a row for the unit and one per child.
    const sub = await app.inject({ method: 'GET', url: `/api/v1/reports/checkins?unitId=${a.id}&depth=0`, headers: { cookie: ac } });
    expect((await sheetRows(sub.rawPayload, ROLLUP_SHEET)).slice(1)).toEqual([['交发', 0, 4, 3, 1, 3 / 4, 1, 2, 1, 1]]);
    // Another day: nobody checked in.
    const other = await app.inject({ method: 'GET', url: `/api/v1/reports/checkins?unitId=${a.id}&day=2026-11-23&depth=1`, headers: { cookie: ac } });
    expect((await sheetRows(other.rawPayload, ROLLUP_SHEET)).slice(1).map((r) => r.slice(2, 5))).toEqual([
      [4, 0, 4],
      [4, 0, 4],
    ]);

    // A day past the retention period: the counts still answer, the non-reporters cannot be listed.
    const old = await app.inject({ method: 'GET', url: `/api/v1/reports/checkins?unitId=${a.id}&day=2026-01-01&depth=0`, headers: { cookie: ac } });
    expect((await sheetRows(old.rawPayload, ROLLUP_SHEET)).slice(1)).toEqual([['交发', 0, 4, 0, 4, 0, 0, 0, 0, 0]]);
    expect((await sheetRows(old.rawPayload, NON_REPORTERS_SHEET)).slice(1)).toEqual([[PURGED_NOTE]]);

    const audit = await t.deps.db.selectFrom('audit_log').select(['unit_id', 'detail']).where('action', '=', 'checkins.report.exported').orderBy('id').execute();
    expect(audit.map((r) => [r.unit_id, JSON.parse(r.detail).note.depth, JSON.parse(r.detail).note.day])).toEqual([
      [root.id, 2, '2026-11-24'],
      [a.id, 0, '2026-11-24'],
      [a.id, 1, '2026-11-23'],
      [a.id, 0, '2026-01-01'],
    ]);
  });

  it('is 404 out of scope, 403 without health.read, 400 for a bad depth', async () => {
    const root = await buildUnit(t);
    const a = await buildUnit(t, { parent: root });
    const b = await buildUnit(t, { parent: root });
    const app = await t.app();
    const liaison = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    const get = (cookie: string, q: Record<string, string>) => send(app, cookie, { method: 'GET', url: '/api/v1/reports/checkins', query: q });
    expect((await get(liaison, { unitId: String(a.id) })).status).toBe(200);
    expect((await get(liaison, { unitId: String(b.id) })).status).toBe(404);
    expect((await get(liaison, { unitId: String(a.id), depth: '11' })).status).toBe(400);
    expect((await get(liaison, { unitId: String(a.id), depth: 'x' })).status).toBe(400);
    const care = await loginAs(t, (await buildUser(t, [{ role: 'care_officer', unit: a }])).id);
    expect((await get(care, { unitId: String(a.id) })).status).toBe(403);
  });
});
