import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, multipartFile, send, type HttpRequest } from '../../../test/http.js';
import { xlsxOf } from '../org/import.fixtures.js';
import { verifyAudit } from '../audit/audit.service.js';
import { parseSampleDay } from './campaign-results.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('sample days as labs write them', () => {
  it('reads dashes, slashes, dots, 年月日, a time after the day, and Excel date serials', () => {
    expect(['2026-11-24', '2026/11/24', '2026.11.24', '2026年11月24日', '2026-11-24 08:30:00', '2026/1/5'].map(parseSampleDay)).toEqual([
      '2026-11-24',
      '2026-11-24',
      '2026-11-24',
      '2026-11-24',
      '2026-11-24',
      '2026-01-05',
    ]);
    // 46350 is 2026-11-24 in Excel's calendar (days since 1899-12-30).
    expect(parseSampleDay('46350')).toBe('2026-11-24');
    expect(['2026-02-30', '24/11/2026', 'yesterday', ''].map(parseSampleDay)).toEqual([null, null, null, null]);
  });
});

describe.each(testDialects())('campaign results import on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
    t.clock.set(shanghai('2026-11-25T09:00:00'));
  });
  afterAll(async () => t?.close());

  const call = async (cookie: string | null, req: HttpRequest) => send(await t.app(), cookie, req);
  const upload = (cookie: string, id: number, file: { name: string; content: string | Buffer }, dryRun: boolean) => {
    const { body, headers } = multipartFile({ filename: file.name, contentType: 'application/octet-stream', content: file.content });
    return call(cookie, { method: 'POST', url: `/api/v1/campaigns/${id}/results`, query: { dryRun: String(dryRun) }, body, headers });
  };

  async function world() {
    const tree = await buildTree(t);
    const commandUser = await buildUser(t, [{ role: 'command', unit: tree.root }]);
    const headUser = await buildUser(t, [{ role: 'unit_head', unit: tree.a1 }]);
    const liaisonUser = await buildUser(t, [{ role: 'liaison', unit: tree.a }]);
    const command = await loginAs(t, commandUser.id);
    const p1 = await buildPerson(t, tree.a1, { name: '张三' });
    const p2 = await buildPerson(t, tree.a1, { name: '李四' });
    const p3 = await buildPerson(t, tree.a, { name: '王五' });
    const outsider = await buildPerson(t, tree.b);
    const created = await call(command, { method: 'POST', url: '/api/v1/campaigns', body: { name: '第二轮核酸', startDay: '2026-11-24', endDay: '2026-11-26', unitIds: [tree.a.id] } });
    const campaignId = (created.json as { id: number }).id;
    return { ...tree, command, liaison: await loginAs(t, liaisonUser.id), commandUser, headUser, p1, p2, p3, outsider, campaignId };
  }

  /** Everything an import may write, to show that a refused or repeated one writes nothing. */
  async function state(campaignId: number) {
    const rows = await Promise.all(
      (['campaign_results', 'campaign_result_batches', 'campaign_people', 'health_watches', 'notifications', 'audit_log'] as const).map(async (table) => {
        const all = await t.deps.db.selectFrom(table).selectAll().execute();
        const mine = table.startsWith('campaign') ? all.filter((r) => (r as { campaign_id?: number }).campaign_id === campaignId) : all;
        return JSON.stringify(mine.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)]))));
      }),
    );
    return rows;
  }

  it('a dry run names every bad row by row, column and reason, and writes nothing; a real run of that file is refused', async () => {
    const w = await world();
    const csv = [
      '工号,检测结果,采样日期,检测机构',
      `${w.p1.employee_no},阴性,2026-11-24,市一院`,
      `,阴性,2026-11-24,`,
      `NOPE-1,阴性,2026-11-24,`,
      `${w.outsider.employee_no},阴性,2026-11-24,`,
      `${w.p2.employee_no},弱阳,2026-11-24,`,
      `${w.p3.employee_no},阴性,2026-11-30,`,
      `${w.p3.employee_no},negative,11/24,`,
      `${w.p1.employee_no},阳性,2026-11-24,`,
    ].join('\r\n');
    const before = await state(w.campaignId);
    const dry = await upload(w.command, w.campaignId, { name: 'lab.csv', content: csv }, true);
    expect(dry.status).toBe(200);
    const plan = dry.json as { summary: Record<string, number>; rows: { row: number; action: string; reasons: { column: string | null; code: string }[] }[] };
    expect(plan.summary).toEqual({ create: 1, update: 0, unchanged: 0, rejected: 7, positive: 0 });
    const why = Object.fromEntries(plan.rows.filter((r) => r.action === 'reject').map((r) => [r.row, r.reasons.map((x) => `${x.column}:${x.code}`)]));
    expect(why).toEqual({
      3: ['工号:required'],
      4: ['工号:unknown_person'],
      // In the actor's scope but not in the campaign's target.
      5: ['工号:not_due'],
      6: ['检测结果:invalid'],
      7: ['采样日期:outside_campaign'],
      8: ['采样日期:invalid'],
      9: ['null:duplicate_in_file'],
    });
    expect(await state(w.campaignId)).toEqual(before);
    const real = await upload(w.command, w.campaignId, { name: 'lab.csv', content: csv }, false);
    expect([real.status, Object.keys(errorOf(real)?.fields ?? {})]).toEqual([400, ['file']]);
    expect(await state(w.campaignId)).toEqual(before);
  });

  it('writes an .xlsx in one go: progress follows, a positive opens a watch and tells the unit head and the command office; the same file again changes nothing', async () => {
    const w = await world();
    const file = await xlsxOf({
      结果: [
        ['第二轮核酸检测结果'],
        ['工号', '检测结果', '采样日期', '检测机构'],
        [w.p1.employee_no, '阴性', '2026-11-24', '市一院'],
        [w.p2.employee_no, '阳性', 46350, '市一院'],
        [w.p3.employee_no, 'invalid', '2026/11/25', null],
      ],
    });
    const dry = await upload(w.command, w.campaignId, { name: '结果.xlsx', content: file }, true);
    expect((dry.json as { summary: unknown }).summary).toEqual({ create: 3, update: 0, unchanged: 0, rejected: 0, positive: 1 });
    const real = await upload(w.command, w.campaignId, { name: '结果.xlsx', content: file }, false);
    expect(real.status).toBe(200);
    const progress = (await call(w.command, { method: 'GET', url: `/api/v1/campaigns/${w.campaignId}/progress`, query: { unitId: String(w.a.id) } })).json as { total: unknown };
    // A result proves a sample: all three count as sampled although nobody ticked them.
    expect(progress.total).toEqual({ due: 3, sampled: 3, resulted: 3, positive: 1, pending: 0 });
    const watches = await t.deps.db.selectFrom('health_watches').select(['person_id', 'reason', 'source_entity']).where('person_id', 'in', [w.p1.id, w.p2.id, w.p3.id]).execute();
    expect(watches).toEqual([{ person_id: w.p2.id, reason: 'test_positive', source_entity: 'campaign_result' }]);
    const told = await t.deps.db.selectFrom('notifications').select(['user_id', 'params']).where('kind', '=', 'health.test_positive').where('user_id', 'in', [w.headUser.id, w.commandUser.id]).orderBy('user_id').execute();
    expect(told.map((n) => n.user_id)).toEqual([w.commandUser.id, w.headUser.id].sort((x, y) => x - y));
    expect(JSON.parse(told[0]!.params)).toMatchObject({ person: '李四', unit: w.a1.name, campaign: '第二轮核酸' });

    const after = await state(w.campaignId);
    const again = await upload(w.command, w.campaignId, { name: '结果.xlsx', content: file }, false);
    expect((again.json as { summary: unknown }).summary).toEqual({ create: 0, update: 0, unchanged: 3, rejected: 0, positive: 0 });
    expect(await state(w.campaignId)).toEqual(after);
    expect((await verifyAudit(t.deps)).ok).toBe(true);
  });

  it('a corrected result updates the row, and the latest sample day is the person’s result', async () => {
    const w = await world();
    const csv = (rows: string[]) => ['employeeNo,result,sampleDay', ...rows].join('\n');
    await upload(w.command, w.campaignId, { name: 'a.csv', content: csv([`${w.p1.employee_no},invalid,2026-11-24`]) }, false);
    const fix = await upload(w.command, w.campaignId, { name: 'b.csv', content: csv([`${w.p1.employee_no},negative,2026-11-24`, `${w.p1.employee_no},negative,2026-11-25`]) }, false);
    expect((fix.json as { summary: unknown }).summary).toEqual({ create: 1, update: 1, unchanged: 0, rejected: 0, positive: 0 });
    const older = await upload(w.command, w.campaignId, { name: 'c.csv', content: csv([`${w.p1.employee_no},invalid,2026-11-24`]) }, false);
    expect((older.json as { summary: { update: number } }).summary.update).toBe(1);
    const row = await t.deps.db.selectFrom('campaign_people').select(['result', 'result_day']).where('campaign_id', '=', w.campaignId).where('person_id', '=', w.p1.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ result: 'negative', result_day: '2026-11-25' });
    const results = await t.deps.db.selectFrom('campaign_results').select(['sample_day', 'result']).where('campaign_id', '=', w.campaignId).orderBy('sample_day').execute();
    expect(results).toEqual([
      { sample_day: '2026-11-24', result: 'invalid' },
      { sample_day: '2026-11-25', result: 'negative' },
    ]);
  });

  it('is the command office’s: a liaison gets 403, a campaign out of reach 404, a file without the columns a 400 naming file', async () => {
    const w = await world();
    const csv = `工号,检测结果,采样日期\n${w.p1.employee_no},阴性,2026-11-24\n`;
    expect((await upload(w.liaison, w.campaignId, { name: 'r.csv', content: csv }, true)).status).toBe(403);
    const other = await world();
    expect((await upload(w.command, other.campaignId, { name: 'r.csv', content: csv }, true)).status).toBe(404);
    for (const [name, content] of [
      ['r.csv', '姓名,结果\n张三,阴性\n'],
      ['r.csv', '工号,检测结果\nE1,阴性\n'],
      ['r.xls', 'x'],
      ['r.csv', ''],
    ] as const) {
      const a = await upload(w.command, w.campaignId, { name, content }, true);
      expect([a.status, Object.keys(errorOf(a)?.fields ?? {})], `${name}: ${content}`).toEqual([400, ['file']]);
    }
  });
});
