import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataReport } from '../../../common/schemas/health-reports.js';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { openHealthWatch } from './watches.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = (extra: Record<string, unknown> = {}) => ({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

describe.each(testDialects())('personal data report on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it("a person's own report holds their profile, check-ins, watches, trips and tests, as JSON or .xlsx with formulas escaped; each is audited", async () => {
    t.clock.set(shanghai('2026-11-23T08:00:00'));
    const { root, a, a1 } = await buildTree(t);
    const person = await buildPerson(t, a1, { name: '=张三', phone: '13900001111', tags: ['front_line'] });
    const user = await buildUser(t, [], { home: a1, personId: person.id });
    const app = await t.app();
    expect((await send(app, await loginAs(t, user.id), { method: 'POST', url: '/api/v1/checkins', body: form({ note: '+加班' }) })).status).toBe(201);
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const cookie = await loginAs(t, user.id);
    expect((await send(app, cookie, { method: 'POST', url: '/api/v1/checkins', body: form({ temperature: 37.8 }) })).status).toBe(201);
    await transact(t.deps, systemCtx, (tx) => openHealthWatch(tx, t.deps, { personId: person.id, reason: 'manual', sourceEntity: 'test', sourceId: 'pd-1', openedByUserId: null, note: '观察' }));
    const now = t.clock.now();
    await t.deps.db
      .insertInto('trips')
      .values({ person_id: person.id, unit_id: a1.id, destination_city: '北京', destination_district: null, start_on: '2026-11-01', end_on: '2026-11-05', purpose: '@出差', status: 'returned', returned_on: '2026-11-05', watch_area_id: null, reported_by_user_id: null, created_at: now, updated_at: now })
      .execute();
    const campaign = await t.deps.db
      .insertInto('campaigns')
      .values({ name: '第3轮全员核酸', start_day: '2026-11-20', end_day: '2026-11-22', tags: '[]', status: 'open', created_by_user_id: null, created_at: now, closed_by_user_id: null, closed_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.deps.db.insertInto('campaign_samples').values({ campaign_id: campaign.id, person_id: person.id, day: '2026-11-21', taken_at: now, recorded_by_user_id: null, via: 'self' }).execute();
    const batch = await t.deps.db.insertInto('campaign_result_batches').values({ campaign_id: campaign.id, file_name: 'lab.xlsx', sha256: 'x', rows: 1, created_by_user_id: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
    await t.deps.db.insertInto('campaign_results').values({ campaign_id: campaign.id, person_id: person.id, sample_day: '2026-11-21', result: 'negative', lab: '=金域', batch_id: batch.id, created_at: now, updated_at: now }).execute();
    const other = await buildPerson(t, a1);
    await send(app, await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id), { method: 'POST', url: '/api/v1/checkins', body: form({ personId: other.id }) });

    const r = await send(app, cookie, { method: 'GET', url: '/api/v1/me/data-report' });
    expect(r.status).toBe(200);
    const report = r.json as DataReport;
    expect(report.profile).toMatchObject({ personId: person.id, name: '=张三', phone: '13900001111', unitId: a1.id, unitPath: `${root.name} / ${a.name} / ${a1.name}`, tags: ['front_line'], status: 'active' });
    expect(report.profile.accounts.map((x) => x.username)).toEqual([user.username]);
    expect(report.retentionDays).toBe(90);
    expect(report.checkins.map((c) => [c.day, c.temperature])).toEqual([
      ['2026-11-24', 37.8],
      ['2026-11-23', 36.5],
    ]);
    expect(report.healthWatches).toHaveLength(1);
    expect(report.healthWatches[0]).toMatchObject({ reason: 'manual', status: 'open' });
    expect(report.trips.map((x) => [x.destinationCity, x.purpose])).toEqual([['北京', '@出差']]);
    expect(report.tests).toEqual([
      { campaign: '第3轮全员核酸', day: '2026-11-21', kind: 'result', result: 'negative', lab: '=金域' },
      { campaign: '第3轮全员核酸', day: '2026-11-21', kind: 'sample', result: null, lab: null },
    ]);

    const file = await app.inject({ method: 'GET', url: '/api/v1/me/data-report?format=xlsx', headers: { cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['个人信息', '健康打卡', '健康监测', '出行', '核酸检测']);
    expect(wb.getWorksheet('个人信息')!.getRow(2).getCell(2).value).toBe("'=张三");
    expect(wb.getWorksheet('健康打卡')!.getRow(3).getCell(6).value).toBe("'+加班");
    expect(wb.getWorksheet('出行')!.getRow(2).getCell(5).value).toBe("'@出差");
    expect(wb.getWorksheet('核酸检测')!.getRow(2).getCell(5).value).toBe("'=金域");

    const audit = await t.deps.db.selectFrom('audit_log').select(['entity_id', 'unit_id', 'detail', 'actor_user_id']).where('action', '=', 'personal_data.exported').orderBy('id').execute();
    expect(audit.map((x) => [x.entity_id, x.unit_id, x.actor_user_id, JSON.parse(x.detail).note.format, JSON.parse(x.detail).note.checkins])).toEqual([
      [String(person.id), a1.id, user.id, 'json', 2],
      [String(person.id), a1.id, user.id, 'xlsx', 2],
    ]);
    expect(JSON.parse(audit[0]!.detail).note).toMatchObject({ healthWatches: 1, trips: 1, tests: 2 });
  });

  it('an account without a person has no report; an admin gets a person in scope, others 403 or 404', async () => {
    const { a, a1, b } = await buildTree(t);
    const app = await t.app();
    const liaison = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    expect((await send(app, liaison, { method: 'GET', url: '/api/v1/me/data-report' })).status).toBe(404);
    expect((await send(app, liaison, { method: 'GET', url: '/api/v1/me/data-report', query: { format: 'pdf' } })).status).toBe(400);
    const person = await buildPerson(t, a1);
    const elsewhere = await buildPerson(t, b);
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: a }])).id);
    const ok = await send(app, admin, { method: 'GET', url: `/api/v1/people/${person.id}/data-report` });
    expect(ok.status).toBe(200);
    expect((ok.json as DataReport).profile.personId).toBe(person.id);
    expect((await send(app, admin, { method: 'GET', url: `/api/v1/people/${elsewhere.id}/data-report` })).status).toBe(404);
    expect((await send(app, liaison, { method: 'GET', url: `/api/v1/people/${person.id}/data-report` })).status).toBe(403);
  });
});
