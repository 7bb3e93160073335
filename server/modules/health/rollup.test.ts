import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import { loadDemoOrganisation } from '../org/demo.js';
import { multipart, xlsxOf } from '../org/import.fixtures.js';
import type { UnitRow } from '../../db/schema.js';

const HEADER = ['姓名', '工号', '单位', '手机', '职务', '标签', '状态'];

/**
 * The roll-up reads headcounts from unit_headcounts, kept by triggers on people (migration
 * 007_rollup). Here every kind of org write — the demo's bulk load, people created, transferred,
 * leaving and coming back, an import creating, moving and marking people as left, an import that
 * fails and rolls back — is followed by a comparison with a fresh count of the people themselves.
 */
describe.each(testDialects())('headcounts kept by every org write on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }

  /** The maintained figures and a fresh count, as sorted [unit, n] pairs (units with nobody left out). */
  async function maintainedAndFresh() {
    const kept = await t.deps.db.selectFrom('unit_headcounts').select(['unit_id', 'active']).where('active', '<>', 0).orderBy('unit_id').execute();
    const fresh = await t.deps.db
      .selectFrom('people')
      .select(['unit_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'active')
      .groupBy('unit_id')
      .orderBy('unit_id')
      .execute();
    return { kept: kept.map((r) => [r.unit_id, Number(r.active)]), fresh: fresh.map((r) => [r.unit_id, Number(r.n)]) };
  }
  async function expectExact() {
    const { kept, fresh } = await maintainedAndFresh();
    expect(kept).toEqual(fresh);
    return fresh.reduce((a, [, n]) => a + n!, 0);
  }

  it('stays equal to a fresh count through the demo, people writes, imports and a failed import', async () => {
    const demo = await loadDemoOrganisation(t.deps, { people: 400, seed: 7 });
    // The demo marks a few of its people as left.
    expect(await expectExact()).toBeGreaterThan(demo.people * 0.9);

    const units = (await t.deps.db.selectFrom('units').selectAll().where('archived_at', 'is', null).orderBy('id').execute()) as UnitRow[];
    const root = units.find((u) => u.parent_id === null)!;
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const cookie = await loginAs(t, admin.id);
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const people = await t.deps.db.selectFrom('people').select(['id', 'status']).orderBy('id').limit(60).execute();
    for (let i = 0; i < 40; i++) {
      const p = people[rand(people.length)]!;
      const op = rand(4);
      let r;
      if (op === 0) {
        r = await call(cookie, { method: 'POST', url: '/api/v1/people', body: { name: `新员工${i}`, unitId: units[rand(units.length)]!.id, employeeNo: `RU${dialect}${i}` } });
        if (r.status === 201) people.push({ id: (r.json as { id: number }).id, status: 'active' });
      } else if (op === 1) {
        r = await call(cookie, { method: 'PATCH', url: `/api/v1/people/${p.id}`, body: { unitId: units[rand(units.length)]!.id } });
      } else {
        const status = p.status === 'active' ? 'left' : 'active';
        r = await call(cookie, { method: 'PATCH', url: `/api/v1/people/${p.id}`, body: { status } });
        if (r.status === 200) p.status = status;
      }
      expect([200, 201]).toContain(r.status);
      if (i % 10 === 9) await expectExact();
    }
    await expectExact();

    // An import under a child unit: new people, one moved, one marked as left.
    const target = units.find((u) => u.parent_id === root.id)!;
    const existing = await t.deps.db.selectFrom('people').select(['employee_no', 'name']).where('status', '=', 'active').orderBy('id').limit(2).execute();
    const file = await xlsxOf({
      人员: [
        HEADER,
        ['导入一', 'IMP1', '新部门', null, null, null, null],
        ['导入二', 'IMP2', '新部门/一组', null, null, null, null],
        [existing[0]!.name, existing[0]!.employee_no, '新部门', null, null, null, null],
        [existing[1]!.name, existing[1]!.employee_no, '新部门', null, null, null, '离职'],
      ],
    });
    const mp = multipart('people.xlsx', file);
    const app = await t.app();
    const imported = await app.inject({ method: 'POST', url: `/api/v1/import?unitId=${target.id}&dryRun=false`, headers: { cookie, ...mp.headers }, payload: mp.payload });
    expect(imported.statusCode).toBe(200);
    await expectExact();

    // A failed import (a rejected row) rolls back whole: the figures with it.
    const before = await maintainedAndFresh();
    const bad = await xlsxOf({ 人员: [HEADER, ['导入三', 'IMP3', '新部门', null, null, null, null], ['', 'IMP4', '新部门', null, null, null, null]] });
    const mp2 = multipart('bad.xlsx', bad);
    const failed = await app.inject({ method: 'POST', url: `/api/v1/import?unitId=${target.id}&dryRun=false`, headers: { cookie, ...mp2.headers }, payload: mp2.payload });
    expect(failed.statusCode).toBe(400);
    expect(await maintainedAndFresh()).toEqual(before);

    // And the roll-up's headcount of the whole tree is the fresh count.
    const total = await expectExact();
    const rollup = await call(cookie, { method: 'GET', url: `/api/v1/rollups/checkins?unitId=${root.id}` });
    expect(rollup.status).toBe(200);
    expect((rollup.json as { total: { headcount: number } }).total.headcount).toBe(total);
  });

  it('a raw write to people (a delete, a bulk update) moves the figures too', async () => {
    const any = await t.deps.db.selectFrom('people').select(['id', 'unit_id']).where('status', '=', 'active').orderBy('id').limit(5).execute();
    // The demo's people are held on to (meeting attendees, places, canteens): delete one nothing names.
    const unit = await t.deps.db.selectFrom('units').selectAll().where('id', '=', any[0]!.unit_id).executeTakeFirstOrThrow();
    const doomed = await buildPerson(t, unit, { tags: ['front_line'] });
    await t.deps.db.deleteFrom('person_tags').where('person_id', '=', doomed.id).execute();
    await t.deps.db.deleteFrom('people').where('id', '=', doomed.id).execute();
    await t.deps.db.updateTable('people').set({ unit_id: any[4]!.unit_id }).where('id', 'in', [any[1]!.id, any[2]!.id, any[3]!.id]).execute();
    await t.deps.db.updateTable('people').set({ status: 'left' }).where('id', '=', any[1]!.id).execute();
    await expectExact();
  });
});
