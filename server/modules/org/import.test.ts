import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPlan } from '../../../common/schemas/import.js';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import type { UnitRow } from '../../db/schema.js';
import { importFileFromCli } from './import.cli.js';
import { idRanges } from './import.service.js';
import { multipart, xlsxOf } from './import.fixtures.js';

const HEADER = ['姓名', '工号', '单位', '手机', '职务', '标签', '状态'];

describe.each(testDialects())('import on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  let seq = 0;
  const uniq = (p: string) => `${p}${Date.now().toString(36)}${(++seq).toString(36)}`.toUpperCase();

  async function upload(cookie: string, unitId: number, dryRun: boolean, fileName: string, data: Buffer, field = 'file') {
    const app = await t.app();
    const mp = multipart(fileName, data, field);
    const res = await app.inject({ method: 'POST', url: `/api/v1/import?unitId=${unitId}&dryRun=${dryRun}`, headers: { cookie, ...mp.headers }, payload: mp.payload });
    return { status: res.statusCode, body: JSON.parse(res.body) as ImportPlan & { error?: { code: string; fields?: Record<string, string> } } };
  }

  async function adminOf(unit: UnitRow) {
    const admin = await buildUser(t, [{ role: 'admin', unit }]);
    return loginAs(t, admin.id);
  }

  const count = async (table: 'units' | 'people' | 'audit_log' | 'person_tags') =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('a dry run answers row by row, names row and column of every reject, and writes nothing', async () => {
    const root = await buildUnit(t);
    const dept = await buildUnit(t, { parent: root, name: '安工部' });
    const same = await buildPerson(t, dept, { name: '王芳', employeeNo: uniq('S'), phone: '13900000001' });
    const moved = await buildPerson(t, dept, { name: '李强', employeeNo: uniq('M'), phone: null });
    const dup = uniq('D');
    const file = await xlsxOf({
      人员: [
        HEADER,
        ['张伟', uniq('N'), '交发集团/运营部/一车队', '13812345678', '驾驶员', '一线、党员', '在职'], // row 2: create (+3 units)
        ['王芳', same.employee_no, '安工部', '13900000001', null, null, null], // row 3: unchanged
        ['李强', moved.employee_no, '交发集团/运营部', null, '调度员', null, null], // row 4: update (unit, title)
        ['', uniq('E'), '安工部', null, null, null, null], // row 5: no name
        ['赵敏', uniq('P'), '安工部', '12ab', null, null, null], // row 6: bad phone
        ['孙丽', dup, '安工部', null, null, null, null], // row 7: duplicate
        ['周杰', dup, '安工部', null, null, null, null], // row 8: duplicate
        ['吴磊', uniq('U'), '交发集团//一车队', null, null, null, null], // row 9: empty path segment
        ['郑洁', 'bad no!', '安工部', null, null, null, '休假'], // row 10: bad employee number and status
      ],
    });
    const cookie = await adminOf(root);
    const before = { units: await count('units'), people: await count('people'), audit: await count('audit_log') };
    const r = await upload(cookie, root.id, true, 'roster.xlsx', file);
    expect(r.status).toBe(200);
    expect(r.body.dryRun).toBe(true);
    expect(r.body.summary).toEqual({ unitsCreate: 3, unitsUpdate: 0, unitsUnchanged: 1, peopleCreate: 1, peopleUpdate: 1, peopleUnchanged: 1, rejected: 6 });
    const verdict = (row: number, kind = 'person') => r.body.rows.find((x) => x.row === row && x.kind === kind);
    expect(r.body.rows.filter((x) => x.kind === 'unit').map((x) => [x.row, x.action, x.key])).toEqual([
      [2, 'create', '交发集团'],
      [2, 'create', '交发集团/运营部'],
      [2, 'create', '交发集团/运营部/一车队'],
    ]);
    expect(verdict(2)).toMatchObject({ sheet: '人员', action: 'create' });
    expect(verdict(3)).toMatchObject({ action: 'unchanged', key: same.employee_no });
    expect(verdict(4)).toMatchObject({ action: 'update', changed: ['单位', '职务'] });
    expect(verdict(5)!.reasons).toEqual([expect.objectContaining({ column: '姓名', code: 'required' })]);
    expect(verdict(6)!.reasons).toEqual([expect.objectContaining({ column: '手机', code: 'invalid_phone' })]);
    expect(verdict(7)!.reasons[0]).toMatchObject({ column: '工号', code: 'duplicate_in_file', message: expect.stringContaining('7、8') });
    expect(verdict(8)!.action).toBe('reject');
    expect(verdict(9)!.reasons[0]).toMatchObject({ column: '单位', code: 'invalid_unit_path' });
    expect(verdict(10)!.reasons.map((x) => x.column)).toEqual(['工号', '状态']);
    expect({ units: await count('units'), people: await count('people'), audit: await count('audit_log') }).toEqual(before);

    // The real run of the same file refuses as a whole, naming the file and the count.
    const real = await upload(cookie, root.id, false, 'roster.xlsx', file);
    expect(real.status).toBe(400);
    expect(real.body.error).toMatchObject({ code: 'validation', fields: { file: expect.stringContaining('6 rows rejected') } });
    expect({ units: await count('units'), people: await count('people'), audit: await count('audit_log') }).toEqual(before);
  });

  it('imports in one go, then a re-import of the same file changes nothing', async () => {
    const root = await buildUnit(t);
    const cookie = await adminOf(root);
    const [n1, n2, n3] = [uniq('A'), uniq('B'), uniq('C')];
    const file = await xlsxOf({
      单位: [
        ['单位路径', '类型'],
        ['交发集团/运营部/一车队', '班组'],
        ['交发集团/空部门', '部门'],
        ['交发集团', '子公司'],
      ],
      人员: [HEADER, ['张伟', n1, '交发集团/运营部/一车队', '13812345678', '驾驶员', '一线、党员', '在职'], ['李娜', n2, '交发集团/运营部', '+86 139 0000 0002', '=调度', null, '离职'], ['王强', n3, '', null, null, '重点人群', null]],
    });
    const r = await upload(cookie, root.id, false, '交发集团.xlsx', file);
    expect(r.status).toBe(200);
    expect(r.body.summary).toMatchObject({ unitsCreate: 4, peopleCreate: 3, rejected: 0 });
    const units = await t.deps.db.selectFrom('units').selectAll().where('path', 'like', `${root.path}%`).orderBy('path').execute();
    const byName = new Map(units.map((u) => [u.name, u]));
    expect(byName.get('交发集团')).toMatchObject({ kind: 'subsidiary', depth: root.depth + 1, parent_id: root.id });
    const team = byName.get('一车队')!;
    expect(team).toMatchObject({ kind: 'team', depth: root.depth + 3, path: `${byName.get('运营部')!.path}${team.id}/` });
    expect(byName.get('空部门')!.kind).toBe('department');
    const people = await t.deps.db.selectFrom('people').selectAll().where('employee_no', 'in', [n1, n2, n3]).orderBy('employee_no').execute();
    expect(people.map((p) => [p.name, p.unit_id, p.status])).toEqual([
      ['张伟', team.id, 'active'],
      ['李娜', byName.get('运营部')!.id, 'left'],
      ['王强', root.id, 'active'],
    ]);
    expect(people[1]!.title).toBe('=调度');
    const tags = await t.deps.db.selectFrom('person_tags').select(['tag']).where('person_id', '=', people[0]!.id).orderBy('tag').execute();
    expect(tags.map((x) => x.tag).sort()).toEqual(['front_line', '党员'].sort());
    const completed = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'import.completed').where('unit_id', '=', root.id).execute();
    expect(completed).toHaveLength(1);
    expect(JSON.parse(completed[0]!.detail).note).toMatchObject({ fileName: '交发集团.xlsx', sha256: r.body.sha256, summary: r.body.summary, auditDetail: 'per_row' });
    const created = await t.deps.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'person.created').where('entity_id', 'in', people.map((p) => String(p.id))).execute();
    expect(created).toHaveLength(3);

    // The same file again: every row unchanged, no row touched, one audit row (the import's own).
    t.clock.advance(60_000);
    const auditBefore = await count('audit_log');
    const again = await upload(cookie, root.id, false, '交发集团.xlsx', file);
    expect(again.status).toBe(200);
    expect(again.body.summary).toEqual({ unitsCreate: 0, unitsUpdate: 0, unitsUnchanged: 4, peopleCreate: 0, peopleUpdate: 0, peopleUnchanged: 3, rejected: 0 });
    expect(again.body.rows.every((x) => x.action === 'unchanged')).toBe(true);
    expect(await count('audit_log')).toBe(auditBefore + 1);
    const after = await t.deps.db.selectFrom('people').select(['id', 'updated_at']).where('employee_no', 'in', [n1, n2, n3]).orderBy('employee_no').execute();
    expect(after.map((p) => Number(p.updated_at))).toEqual(people.map((p) => Number(p.updated_at)));
    const unitsAfter = await t.deps.db.selectFrom('units').select(['updated_at']).where('path', 'like', `${root.path}%`).orderBy('path').execute();
    expect(unitsAfter.map((u) => Number(u.updated_at))).toEqual(units.map((u) => Number(u.updated_at)));
  });

  it('updates changed people and units, with before and after in the audit log', async () => {
    const root = await buildUnit(t);
    const cookie = await adminOf(root);
    const dept = await buildUnit(t, { parent: root, name: '运营部' });
    const p = await buildPerson(t, dept, { name: '旧名', employeeNo: uniq('X'), phone: '13800000000', tags: ['front_line'] });
    const file = await xlsxOf({ 单位: [['路径', '类型'], ['运营部', '站点']], 人员: [HEADER, ['新名', p.employee_no, '运营部', '13800000000', null, '', '离职']] });
    const r = await upload(cookie, root.id, false, 'u.xlsx', file);
    expect(r.body.summary).toMatchObject({ unitsUpdate: 1, peopleUpdate: 1 });
    const row = await t.deps.db.selectFrom('people').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: '新名', status: 'left', left_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(await t.deps.db.selectFrom('person_tags').select('tag').where('person_id', '=', p.id).execute()).toEqual([]);
    expect((await t.deps.db.selectFrom('units').select('kind').where('id', '=', dept.id).executeTakeFirstOrThrow()).kind).toBe('site');
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('entity', '=', 'person').where('entity_id', '=', String(p.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['person.left']);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ before: { name: '旧名', tags: ['front_line'] }, after: { name: '新名', status: 'left', tags: [] } });
  });

  it('runs in one transaction: a failure midway leaves nothing behind', async () => {
    const root = await buildUnit(t);
    const cookie = await adminOf(root);
    const before = { units: await count('units'), people: await count('people'), audit: await count('audit_log'), tags: await count('person_tags') };
    // A trigger makes the tag insert (after units and people are written) fail.
    if (dialect === 'sqlite') {
      await sql`create trigger boom before insert on person_tags when new.tag = 'boom' begin select raise(abort, 'boom'); end`.execute(t.deps.db);
    } else {
      await sql`create function boom() returns trigger language plpgsql as $$ begin if new.tag = 'boom' then raise exception 'boom'; end if; return new; end $$`.execute(t.deps.db);
      await sql`create trigger boom before insert on person_tags for each row execute function boom()`.execute(t.deps.db);
    }
    try {
      // 600 people with two tags each: the people and the first 1,000 tags go in through full
      // batches (the prepared-statement path on SQLite), and the first tag batch holds 'boom'.
      const rows = Array.from({ length: 600 }, (_, i) => [`人${i}`, uniq('T'), i % 2 ? '新单位/新班组' : '新单位', null, null, i === 0 ? 'boom、党员' : '一线、党员', null]);
      const file = await xlsxOf({ 人员: [HEADER, ...rows] });
      const r = await upload(cookie, root.id, false, 'boom.xlsx', file);
      expect(r.status).toBe(500);
    } finally {
      await sql`drop trigger boom${sql.raw(dialect === 'postgres' ? ' on person_tags' : '')}`.execute(t.deps.db);
      if (dialect === 'postgres') await sql`drop function boom()`.execute(t.deps.db);
    }
    expect({ units: await count('units'), people: await count('people'), audit: await count('audit_log'), tags: await count('person_tags') }).toEqual(before);
  });

  it('keeps to the actor’s scope: 404 above or outside it, and an employee number outside it is "taken"', async () => {
    const { root, a, b } = await buildTree(t);
    const outsider = await buildPerson(t, b, { name: '外单位人员', employeeNo: uniq('O') });
    const liaison = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    const file = await xlsxOf({ 人员: [HEADER, ['张三', uniq('L'), '', null, null, null, null]] });
    expect((await upload(liaison, root.id, true, 'x.xlsx', file)).status).toBe(404);
    expect((await upload(liaison, b.id, true, 'x.xlsx', file)).status).toBe(404);
    // Inside their own unit the liaison is seen but may not import (roles.ts: admins only).
    expect((await upload(liaison, a.id, true, 'x.xlsx', file)).status).toBe(403);

    const subAdmin = await adminOf(a);
    expect((await upload(subAdmin, root.id, true, 'x.xlsx', file)).status).toBe(404);
    const takeover = await xlsxOf({ 人员: [HEADER, ['冒名', outsider.employee_no, '', null, null, null, null]] });
    const r = await upload(subAdmin, a.id, true, 'x.xlsx', takeover);
    expect(r.status).toBe(200);
    expect(r.body.rows[0]).toMatchObject({ action: 'reject', reasons: [{ column: '工号', code: 'employee_no_taken', message: '工号已被占用' }] });
    expect(JSON.stringify(r.body)).not.toContain('外单位人员');
    // The root administrator may take the same person over: a transfer.
    const rootAdmin = await adminOf(root);
    const r2 = await upload(rootAdmin, a.id, true, 'x.xlsx', takeover);
    expect(r2.body.rows[0]).toMatchObject({ action: 'update', changed: ['姓名', '单位', '手机'] });
  });

  it('reads a UTF-8 CSV with a BOM, CRLF and quoted fields', async () => {
    const root = await buildUnit(t);
    const cookie = await adminOf(root);
    const [n1, n2] = [uniq('C'), uniq('C')];
    const csv = `\uFEFF姓名,工号,单位,手机,职务,标签,状态\r\n张伟,${n1},交发集团/运营部,13812345678,"司机,兼调度","一线;党员",在职\r\n"李""娜",${n2},交发集团,,,,\r\n`;
    const r = await upload(cookie, root.id, false, '名单.csv', Buffer.from(csv, 'utf8'));
    expect(r.status).toBe(200);
    expect(r.body.summary).toMatchObject({ unitsCreate: 2, peopleCreate: 2, rejected: 0 });
    const p = await t.deps.db.selectFrom('people').selectAll().where('employee_no', 'in', [n1, n2]).orderBy('employee_no').execute();
    expect(p.map((x) => [x.name, x.title])).toEqual([
      ['张伟', '司机,兼调度'],
      ['李"娜', null],
    ]);
    // English headers work too.
    const en = `name,employeeNo,unit\nTom,${uniq('E')},交发集团\n`;
    expect((await upload(cookie, root.id, true, 'en.csv', Buffer.from(en))).body.summary).toMatchObject({ peopleCreate: 1, unitsUnchanged: 1 });
  });

  it('answers 400 naming file for a missing, foreign or headerless upload', async () => {
    const root = await buildUnit(t);
    const cookie = await adminOf(root);
    const app = await t.app();
    const noFile = await app.inject({ method: 'POST', url: `/api/v1/import?unitId=${root.id}`, headers: { cookie, 'content-type': 'application/json' }, payload: '{}' });
    expect(noFile.statusCode).toBe(400);
    expect(JSON.parse(noFile.body).error.fields).toHaveProperty('file');
    const cases: [string, Buffer, string?][] = [
      ['doc.pdf', Buffer.from('%PDF-1.4 ...')],
      ['fake.xlsx', Buffer.from('not a zip')],
      ['empty.csv', Buffer.alloc(0)],
      ['noheader.csv', Buffer.from('a,b,c\n1,2,3\n')],
      ['gbk.csv', Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x0a])],
      ['wrongfield.csv', Buffer.from('姓名,工号\n张,1\n'), 'upload'],
      ['nocolumn.xlsx', await xlsxOf({ 人员: [['姓名', '单位'], ['张', 'x']] })],
    ];
    for (const [name, data, field] of cases) {
      const r = await upload(cookie, root.id, true, name, data, field);
      expect(r.status, name).toBe(400);
      expect(r.body.error?.fields, name).toHaveProperty('file');
    }
    expect((await upload(cookie, root.id, true, 'x.csv', Buffer.from('姓名,工号\n'))).status).toBe(200);
    const badQuery = await app.inject({ method: 'POST', url: `/api/v1/import?unitId=${root.id}&dryRun=yes`, headers: { cookie } });
    expect(badQuery.statusCode).toBe(400);
  });

  it('serves a template that itself imports', async () => {
    const root = await buildUnit(t);
    const cookie = await adminOf(root);
    const app = await t.app();
    const res = await app.inject({ method: 'GET', url: '/api/v1/import/template.xlsx', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect((wb.getWorksheet('人员')!.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    const r = await upload(cookie, root.id, true, '模板.xlsx', res.rawPayload);
    expect(r.body.summary).toMatchObject({ unitsCreate: 3, peopleCreate: 1, rejected: 0 });
  });

  it('imports from the command line as the system', async () => {
    const root = await buildUnit(t);
    const no = uniq('CLI');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-import-'));
    const good = path.join(dir, 'good.xlsx');
    fs.writeFileSync(good, await xlsxOf({ 人员: [HEADER, ['命令行', no, '车队', null, null, null, null]] }));
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, '姓名,工号\n,X1\n');
    const logs: string[] = [];
    const log = (...a: unknown[]) => logs.push(a.join(' '));
    expect(await importFileFromCli(t.deps, good, root.id, true, log)).toBe(0);
    expect(await count('people')).toBeGreaterThan(0);
    expect(await t.deps.db.selectFrom('people').select('id').where('employee_no', '=', no).executeTakeFirst()).toBeUndefined();
    expect(await importFileFromCli(t.deps, good, root.id, false, log)).toBe(0);
    expect(await t.deps.db.selectFrom('people').select('id').where('employee_no', '=', no).executeTakeFirst()).toBeDefined();
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'import.completed').where('unit_id', '=', root.id).executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe('system');
    expect(await importFileFromCli(t.deps, bad, root.id, false, log)).toBe(1);
    expect(logs.join('\n')).toContain('第 2 行');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('idRanges', () => {
  it('folds runs of ids', () => {
    expect(idRanges([9, 1, 2, 3, 7, 10])).toEqual([[1, 3], 7, [9, 10]]);
    expect(idRanges([])).toEqual([]);
  });
});
