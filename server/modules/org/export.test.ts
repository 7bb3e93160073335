import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPlan } from '../../../common/schemas/import.js';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { contentDisposition, escapeCell } from './export.service.js';
import { multipart } from './import.fixtures.js';

describe('escapeCell and contentDisposition', () => {
  it('guards text that a spreadsheet would run as a formula', () => {
    for (const s of ['=1+1', '+86 138', '-2', '@SUM(A1)', '\tx', '\rx']) expect(escapeCell(s)).toBe(`'${s}`);
    for (const s of ['张三', '13812345678', "it's"]) expect(escapeCell(s)).toBe(s);
    expect(escapeCell(null)).toBe('');
  });
  it('names the file in UTF-8 with an ASCII fallback (RFC 5987)', () => {
    expect(contentDisposition("交发集团-人员-2026-11-24 (1)'.xlsx", 'people.xlsx')).toBe(
      "attachment; filename=\"people.xlsx\"; filename*=UTF-8''%E4%BA%A4%E5%8F%91%E9%9B%86%E5%9B%A2-%E4%BA%BA%E5%91%98-2026-11-24%20%281%29%27.xlsx",
    );
  });
});

describe.each(testDialects())('people export on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function download(cookie: string, unitId: number) {
    const app = await t.app();
    const res = await app.inject({ method: 'GET', url: `/api/v1/units/${unitId}/people.xlsx`, headers: { cookie } });
    return res;
  }

  async function sheetRows(data: Buffer, name: string): Promise<unknown[][]> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    const out: unknown[][] = [];
    wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
    return out;
  }

  it('exports the subtree in the import format, formulas escaped, and re-imports as unchanged', async () => {
    const root = await buildUnit(t, { name: '交发集团' });
    const ops = await buildUnit(t, { parent: root, name: '运营部' });
    const team = await buildUnit(t, { parent: ops, name: '一车队', kind: 'team' });
    await buildUnit(t, { parent: root, name: '空部门' });
    await buildPerson(t, root, { name: '总经理', employeeNo: `G${Date.now()}` });
    await buildPerson(t, team, { name: '=HYPERLINK("http://x")', employeeNo: `F${Date.now()}`, phone: '+86 138 0000 0000', tags: ['front_line', '@党员'] });
    const left = await buildPerson(t, ops, { name: '离职者', employeeNo: `L${Date.now()}`, phone: null });
    await t.deps.db.updateTable('people').set({ status: 'left', left_on: '2026-01-01', title: '-副部长' }).where('id', '=', left.id).execute();
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const cookie = await loginAs(t, admin.id);

    const res = await download(cookie, root.id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="people-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!)).toMatch(/^交发集团-人员-\d{4}-\d{2}-\d{2}\.xlsx$/);

    const people = await sheetRows(res.rawPayload, '人员');
    expect(people[0]).toEqual(['姓名', '工号', '单位', '手机', '职务', '标签', '状态']);
    const byName = new Map(people.slice(1).map((r) => [String(r[0]), r]));
    const formula = byName.get('\'=HYPERLINK("http://x")')!;
    expect(formula).toBeDefined();
    expect(formula.slice(2, 6)).toEqual(['运营部/一车队', "'+86 138 0000 0000", undefined, "'@党员、一线"]);
    expect(byName.get('离职者')!.slice(4)).toEqual(["'-副部长", undefined, '离职']);
    expect(byName.get('总经理')![2]).toBeUndefined(); // the exported unit itself: an empty path
    const units = await sheetRows(res.rawPayload, '单位');
    expect(units).toEqual([['单位路径', '类型'], ['运营部', '部门'], ['运营部/一车队', '班组'], ['空部门', '部门']]);

    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'people.exported').where('unit_id', '=', root.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail).note).toMatchObject({ rows: 3 });

    // The export goes back in as it came out.
    const app = await t.app();
    const mp = multipart('export.xlsx', res.rawPayload);
    const again = await app.inject({ method: 'POST', url: `/api/v1/import?unitId=${root.id}&dryRun=true`, headers: { cookie, ...mp.headers }, payload: mp.payload });
    const plan = JSON.parse(again.body) as ImportPlan;
    expect(again.statusCode).toBe(200);
    expect(plan.summary).toEqual({ unitsCreate: 0, unitsUpdate: 0, unitsUnchanged: 3, peopleCreate: 0, peopleUpdate: 0, peopleUnchanged: 3, rejected: 0 });
  });

  it('is 404 out of scope and 403 for a role that may read but not export', async () => {
    const { a, b } = await buildTree(t);
    const liaison = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    expect((await download(liaison, b.id)).statusCode).toBe(404);
    expect((await download(liaison, a.id)).statusCode).toBe(200);
    const supervisor = await loginAs(t, (await buildUser(t, [{ role: 'supervisor', unit: a }])).id);
    expect((await download(supervisor, a.id)).statusCode).toBe(403);
  });
});
