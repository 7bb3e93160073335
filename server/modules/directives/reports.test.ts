import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnswers, type ReportField } from '../../../common/schemas/reports.js';
import { buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { JobRunner } from '../../jobs/jobs.js';
import { verifyAudit } from '../audit/audit.service.js';
import { ROUND_FIXED_HEADERS, ROUND_SHEET } from './reports.export.js';
import { openScheduledRound, remindRound } from './reports.jobs.js';
import { REPORT_REMIND_JOB, REPORT_ROUND_JOB } from './reports.service.js';

/** An instant given as Shanghai wall time (UTC+8, no DST). */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

const FIELDS: ReportField[] = [
  { key: 'on_duty', label: '在岗人数', type: 'integer', required: true },
  { key: 'rate', label: '接种率', type: 'decimal', required: false },
  { key: 'closed', label: '是否封闭管理', type: 'yes_no', required: true },
  { key: 'level', label: '风险等级', type: 'choice', required: true, options: ['低', '中', '高'] },
  { key: 'summary', label: '情况简述', type: 'short_text', required: false },
  { key: 'detail', label: '详细说明', type: 'long_text', required: false },
];
const GOOD = { on_duty: 12, rate: 0.95, closed: true, level: '低', summary: '正常', detail: '第一行\n第二行' };

describe('the form of a report', () => {
  it('takes good answers (empty optional ones as null, numbers typed as text as numbers) and names every wrong field', () => {
    expect(validateAnswers(FIELDS, { on_duty: '12', closed: false, level: '高' })).toEqual({
      values: { on_duty: 12, rate: null, closed: false, level: '高', summary: null, detail: null },
    });
    expect(validateAnswers(FIELDS, GOOD)).toEqual({ values: GOOD });
    expect(validateAnswers(FIELDS, { on_duty: 1.5, rate: 0.123456, closed: 'yes', level: '极高', summary: 'a\u0007b', detail: 'x'.repeat(5001), extra: 1 })).toEqual({
      errors: {
        'answers.on_duty': 'must be a whole number',
        'answers.rate': 'at most 4 decimal places',
        'answers.closed': 'must be yes or no',
        'answers.level': 'must be one of the options',
        'answers.summary': 'must not contain control characters',
        'answers.detail': 'at most 5000 characters',
        'answers.extra': 'not a field of this form',
      },
    });
    expect(validateAnswers(FIELDS, { on_duty: '  ', summary: 'x'.repeat(201), rate: '1e3' })).toEqual({
      errors: { 'answers.on_duty': 'required', 'answers.closed': 'required', 'answers.level': 'required', 'answers.summary': 'at most 200 characters', 'answers.rate': 'must be a number' },
    });
  });
});

describe.each(testDialects())('reports up on %s', (dialect) => {
  let t: TestEnv;
  const savedTz = process.env.TZ;
  beforeAll(async () => {
    // The server's own zone must not matter: every day and time is Asia/Shanghai's.
    process.env.TZ = 'America/Los_Angeles';
    t = await testEnv(dialect);
  });
  afterAll(async () => {
    process.env.TZ = savedTz;
    await t?.close();
  });
  type Who = { user: { id: number } };
  // A fresh session per call: the tests move the clock by hours, past a session's idle limit.
  const call = async (who: Who, req: HttpRequest) => send(await t.app(), await loginAs(t, who.user.id), req);
  const as = async (role: Parameters<typeof buildUser>[1][number]['role'], unit: UnitRow): Promise<Who> => ({ user: await buildUser(t, [{ role, unit }]) });
  const runner = () => {
    // A fresh runner is a restarted server: it holds nothing in memory, only the rows.
    const r = new JobRunner(t.deps);
    r.register(REPORT_ROUND_JOB, openScheduledRound);
    r.register(REPORT_REMIND_JOB, remindRound);
    return r;
  };
  const drain = async (r = runner()) => {
    while ((await r.tick()) > 0);
  };
  const roundsOf = (requestId: number) => t.deps.db.selectFrom('report_rounds').select(['day', 'deadline_at', 'reminded_at']).where('request_id', '=', requestId).orderBy('day').execute();
  const inbox = (userId: number) => t.deps.db.selectFrom('notifications').select(['kind', 'params']).where('user_id', '=', userId).orderBy('id').execute();

  it('asks every child, every unit at a depth or listed units; out-of-scope units read as absent, naming the field', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { root, a, a1, b } = await buildTree(t);
    const a2 = await buildUnit(t, { parent: a, name: '二部' });
    const a11 = await buildUnit(t, { parent: a1, name: '一队' });
    const cmdA = await as('command', a);
    const body = (target: unknown) => ({ title: '疫情防控情况日报', fields: FIELDS, target, schedule: { kind: 'once', deadline: shanghai('2026-11-24T18:00:00') } });
    const children = await call(cmdA, { method: 'POST', url: '/api/v1/report-requests', body: body({ kind: 'children', unitId: a.id }) });
    expect(children.status).toBe(201);
    expect(children.json).toMatchObject({ unitCount: 2, units: [{ id: a1.id }, { id: a2.id }], status: 'open', abilities: { close: true, submit: true } });
    const depth = await call(cmdA, { method: 'POST', url: '/api/v1/report-requests', body: body({ kind: 'depth', unitId: a.id, depth: 2 }) });
    expect(depth.json).toMatchObject({ unitCount: 1, units: [{ id: a11.id }] });
    const listed = await call(cmdA, { method: 'POST', url: '/api/v1/report-requests', body: body({ kind: 'units', unitIds: [a11.id, a.id, a11.id] }) });
    expect(listed.json).toMatchObject({ unitCount: 2, units: [{ id: a.id }, { id: a11.id }] });

    const refused = async (target: unknown, field: string, status = 400) => {
      const res = await call(cmdA, { method: 'POST', url: '/api/v1/report-requests', body: body(target) });
      expect(res.status).toBe(status);
      if (status === 400) expect(Object.keys((res.json as { error: { fields: Record<string, string> } }).error.fields)).toEqual([field]);
    };
    await refused({ kind: 'units', unitIds: [a1.id, b.id] }, 'target.unitIds');
    await refused({ kind: 'units', unitIds: [999_999] }, 'target.unitIds');
    await refused({ kind: 'children', unitId: root.id }, 'target.unitId');
    await refused({ kind: 'depth', unitId: a.id, depth: 3 }, 'target.unitId');
    // A liaison sees the unit but may not ask it: forbidden, not absent.
    const liaison = await as('liaison', a);
    expect((await call(liaison, { method: 'POST', url: '/api/v1/report-requests', body: body({ kind: 'children', unitId: a.id }) })).status).toBe(403);

    const bad = await call(cmdA, {
      method: 'POST',
      url: '/api/v1/report-requests',
      body: { ...body({ kind: 'children', unitId: a.id }), fields: [{ key: 'x', label: '选择', type: 'choice', options: ['仅一项'] }, { key: 'x', label: '重复', type: 'integer', options: ['a', 'b'] }] },
    });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { fields: Record<string, string> } }).error.fields).toMatchObject({ 'fields.0.options': expect.any(String), 'fields.1.options': expect.any(String), 'fields.1.key': 'keys must be distinct' });
    const past = await call(cmdA, { method: 'POST', url: '/api/v1/report-requests', body: { ...body({ kind: 'children', unitId: a.id }), schedule: { kind: 'once', deadline: shanghai('2026-11-24T08:00:00') } } });
    expect((past.json as { error: { fields: Record<string, string> } }).error.fields).toEqual({ 'schedule.deadline': 'must be in the future' });

    // Idempotency-Key: a retried create answers the first request, and creates nothing more.
    const key = { 'idempotency-key': 'report-create-1' };
    const first = await call(cmdA, { method: 'POST', url: '/api/v1/report-requests', body: body({ kind: 'children', unitId: a.id }), headers: key });
    const again = await call(cmdA, { method: 'POST', url: '/api/v1/report-requests', body: body({ kind: 'children', unitId: a.id }), headers: key });
    expect(again.status).toBe(201);
    expect((again.json as { id: number }).id).toBe((first.json as { id: number }).id);
  });

  it('takes submissions checked against the form, corrections until the deadline, late ones marked late; each unit sees its own row', async () => {
    t.clock.set(shanghai('2026-11-25T09:00:00'));
    const { root, a, a1, b } = await buildTree(t);
    const a2 = await buildUnit(t, { parent: a, name: '二部' });
    const a3 = await buildUnit(t, { parent: a, name: '三部' });
    const cmd = await as('command', root);
    const liaisonA1 = await as('liaison', a1);
    const created = await call(cmd, {
      method: 'POST',
      url: '/api/v1/report-requests',
      body: { title: '=每日情况', fields: FIELDS, target: { kind: 'children', unitId: a.id }, schedule: { kind: 'once', deadline: shanghai('2026-11-25T16:00:00') } },
    });
    const request = created.json as { id: number; latestRound: { id: number; deadline: number } };
    const roundId = request.latestRound.id;
    expect(request.latestRound.deadline).toBe(shanghai('2026-11-25T16:00:00'));
    expect(await inbox(liaisonA1.user.id)).toEqual([{ kind: 'report.requested', params: JSON.stringify({ unit: a1.name, title: '=每日情况', deadline: '2026-11-25 16:00' }) }]);
    const headA2 = await as('unit_head', a2);
    const liaisonB = await as('liaison', b);
    const supervisor = await as('supervisor', a);
    const submit = (who: Who, unitId: number, answers: unknown) => call(who, { method: 'POST', url: `/api/v1/report-rounds/${roundId}/submissions`, body: { unitId, answers } });

    // The unit's to-do list: what to fill in, by when.
    const todo = await call(liaisonA1, { method: 'GET', url: '/api/v1/report-rounds/to-submit' });
    expect(todo.json).toMatchObject({ total: 1, items: [{ roundId, unitId: a1.id, title: '=每日情况', state: 'pending', deadline: shanghai('2026-11-25T16:00:00'), answers: null }] });

    const wrong = await submit(liaisonA1, a1.id, { on_duty: 'twelve', level: '低' });
    expect(wrong.status).toBe(400);
    expect((wrong.json as { error: { fields: Record<string, string> } }).error.fields).toEqual({ 'answers.on_duty': 'must be a whole number', 'answers.closed': 'required' });
    // Another branch's unit, or a unit not asked, reads as absent; the round itself is unseen from B.
    expect((await submit(liaisonA1, a2.id, GOOD)).json).toMatchObject({ error: { fields: { unitId: 'no such unit in this report' } } });
    expect((await submit(liaisonB, b.id, GOOD)).status).toBe(404);
    expect((await submit(supervisor, a1.id, GOOD)).status).toBe(403);

    const first = await submit(liaisonA1, a1.id, GOOD);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ unitId: a1.id, late: false, answers: GOOD });
    t.clock.set(shanghai('2026-11-25T15:59:00'));
    const corrected = await submit(liaisonA1, a1.id, { ...GOOD, on_duty: 13 });
    expect(corrected.status).toBe(200);
    expect(corrected.json).toMatchObject({ answers: { on_duty: 13 }, submittedAt: shanghai('2026-11-25T09:00:00'), updatedAt: shanghai('2026-11-25T15:59:00') });

    t.clock.set(shanghai('2026-11-25T16:00:01'));
    expect((await submit(liaisonA1, a1.id, { ...GOOD, on_duty: 14 })).status).toBe(409);
    const late = await submit(headA2, a2.id, { ...GOOD, level: '中', closed: false });
    expect(late.status).toBe(201);
    expect(late.json).toMatchObject({ late: true });

    const view = await call(cmd, { method: 'GET', url: `/api/v1/report-rounds/${roundId}` });
    expect(view.status).toBe(200);
    const v = view.json as { round: { counts: unknown }; rows: { unitId: number; state: string; answers: unknown; canSubmit: boolean }[] };
    expect(v.round.counts).toEqual({ units: 3, onTime: 1, late: 1, pending: 0, missing: 1 });
    // Rows in tree order (by path: ids compare as text); here read by unit.
    const byUnit = new Map(v.rows.map((r) => [r.unitId, r]));
    expect(v.rows).toHaveLength(3);
    expect([a1, a2, a3].map((u) => byUnit.get(u.id)!.state)).toEqual(['on_time', 'late', 'missing']);
    expect(byUnit.get(a1.id)!.answers).toMatchObject({ on_duty: 13 });
    // After the deadline: a submitted unit is final, a missing one may still submit late.
    expect([a1, a2, a3].map((u) => byUnit.get(u.id)!.canSubmit)).toEqual([false, false, true]);
    const own = await call(liaisonA1, { method: 'GET', url: `/api/v1/report-rounds/${roundId}` });
    expect((own.json as typeof v).rows.map((r) => r.unitId)).toEqual([a1.id]);
    expect((await call(liaisonB, { method: 'GET', url: `/api/v1/report-rounds/${roundId}` })).status).toBe(404);
    const rounds = await call(cmd, { method: 'GET', url: `/api/v1/report-requests/${request.id}/rounds` });
    expect(rounds.json).toMatchObject({ total: 1, items: [{ id: roundId, day: '2026-11-25', counts: { units: 3, onTime: 1, late: 1, missing: 1 } }] });
    // Submitted and past the deadline: off the unit's to-do list; the missing unit still has it.
    expect((await call(liaisonA1, { method: 'GET', url: '/api/v1/report-rounds/to-submit' })).json).toMatchObject({ total: 0 });

    // The export: the same table, a unit a row, a field a column; formula-like text escaped.
    const res = await (await t.app()).inject({ method: 'GET', url: `/api/v1/report-rounds/${roundId}/export`, headers: { cookie: await loginAs(t, cmd.user.id) } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!)).toBe('=每日情况-2026-11-25.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet(ROUND_SHEET)!.eachRow({ includeEmpty: false }, (row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual([...ROUND_FIXED_HEADERS, ...FIELDS.map((f) => f.label)]);
    const rowOf = (name: string) => rows.find((r) => r[0] === name)!;
    expect(rows).toHaveLength(4);
    const [r1, r2, r3] = [rowOf(a1.name), rowOf(a2.name), rowOf(a3.name)];
    expect(r1!.slice(0, 3)).toEqual([a1.name, '按时提交', '2026-11-25 09:00']);
    expect(r1!.slice(4)).toEqual([13, 0.95, '是', '低', '正常', '第一行\n第二行']);
    expect(r2!.slice(0, 3)).toEqual([a2.name, '逾期提交', '2026-11-25 16:00']);
    expect(r2!.slice(4, 7)).toEqual([12, 0.95, '否']);
    expect(r3!.slice(0, 2)).toEqual([a3.name, '未提交']);
    expect(r3!.slice(4).filter((c) => c !== undefined && c !== null)).toEqual([]);

    // Closing: no more submissions; the answers stay readable.
    const closed = await call(cmd, { method: 'POST', url: `/api/v1/report-requests/${request.id}/close` });
    expect(closed.json).toMatchObject({ status: 'closed', abilities: { close: false, submit: false } });
    expect((await call(liaisonA1, { method: 'POST', url: `/api/v1/report-requests/${request.id}/close` })).status).toBe(403);
    expect((await submit(cmd, a3.id, GOOD)).status).toBe(409);
    expect((await call(cmd, { method: 'GET', url: `/api/v1/report-rounds/${roundId}` })).status).toBe(200);
    expect((await verifyAudit(t.deps)).ok).toBe(true);
  });

  it('opens a daily round at 16:00 Asia/Shanghai each day, once, across a restart; a day missed while down opens no round', async () => {
    t.clock.set(shanghai('2026-12-01T17:00:00'));
    const { a, a1 } = await buildTree(t);
    const cmd = await as('command', a);
    const created = await call(cmd, {
      method: 'POST',
      url: '/api/v1/report-requests',
      body: { title: '每日报送', fields: FIELDS.slice(0, 1), target: { kind: 'units', unitIds: [a1.id] }, schedule: { kind: 'daily', dueAt: '16:00' }, remindBeforeMinutes: 0 },
    });
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    // Created after today's time: the first round is tomorrow's.
    expect(await roundsOf(id)).toEqual([]);
    t.clock.set(shanghai('2026-12-01T23:59:59'));
    await drain();
    expect(await roundsOf(id)).toEqual([]);
    t.clock.set(shanghai('2026-12-02T00:00:00'));
    await drain();
    await drain(); // a restarted server finds the day's round and opens no second one
    expect(await roundsOf(id)).toEqual([{ day: '2026-12-02', deadline_at: shanghai('2026-12-02T16:00:00'), reminded_at: null }]);
    // 16:00 Shanghai is 08:00 UTC, whatever the server's own zone (Los Angeles in this test).
    expect(new Date(Number((await roundsOf(id))[0]!.deadline_at)).toISOString()).toBe('2026-12-02T08:00:00.000Z');

    t.clock.set(shanghai('2026-12-03T00:00:05'));
    await drain();
    t.clock.set(shanghai('2026-12-06T10:00:00')); // down from the 4th to the 6th
    await drain();
    await drain();
    expect((await roundsOf(id)).map((r) => r.day)).toEqual(['2026-12-02', '2026-12-03', '2026-12-06']);
    const pending = await t.deps.db.selectFrom('jobs').select(['key', 'status']).where('kind', '=', REPORT_ROUND_JOB).where('status', '=', 'pending').where('key', 'like', `${REPORT_ROUND_JOB}:${id}:%`).execute();
    expect(pending).toEqual([{ key: `${REPORT_ROUND_JOB}:${id}:2026-12-07`, status: 'pending' }]);

    // Closed: the chain stops.
    expect((await call(cmd, { method: 'POST', url: `/api/v1/report-requests/${id}/close` })).status).toBe(200);
    t.clock.set(shanghai('2026-12-07T00:00:01'));
    await drain();
    expect((await roundsOf(id)).map((r) => r.day)).toEqual(['2026-12-02', '2026-12-03', '2026-12-06']);
  });

  it('ends a daily request on its last day: rounds up to it, then it closes itself; a last day before the first round is refused', async () => {
    t.clock.set(shanghai('2026-12-20T17:00:00'));
    const { a1 } = await buildTree(t);
    const cmd = await as('command', a1);
    const body = (until: string) => ({ title: '限期日报', fields: FIELDS.slice(0, 1), target: { kind: 'units', unitIds: [a1.id] }, schedule: { kind: 'daily', dueAt: '16:00', until }, remindBeforeMinutes: 0 });
    // After today's 16:00 the first round is tomorrow's: today cannot be the last day.
    const early = await call(cmd, { method: 'POST', url: '/api/v1/report-requests', body: body('2026-12-20') });
    expect([early.status, (early.json as { error: { fields: unknown } }).error.fields]).toEqual([400, { 'schedule.until': "must be on or after the first round's day, 2026-12-21" }]);
    const created = await call(cmd, { method: 'POST', url: '/api/v1/report-requests', body: body('2026-12-22') });
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    expect(created.json).toMatchObject({ schedule: { kind: 'daily', dueAt: '16:00', until: '2026-12-22' }, status: 'open' });
    for (const at of ['2026-12-21T00:00:01', '2026-12-22T00:00:01', '2026-12-23T00:00:01', '2026-12-24T00:00:01']) {
      t.clock.set(shanghai(at));
      await drain();
    }
    expect((await roundsOf(id)).map((r) => r.day)).toEqual(['2026-12-21', '2026-12-22']);
    const after = await call(cmd, { method: 'GET', url: `/api/v1/report-requests/${id}` });
    expect(after.json).toMatchObject({ status: 'closed', closedAt: shanghai('2026-12-23T00:00:01') });
    const pending = await t.deps.db.selectFrom('jobs').select('key').where('status', '=', 'pending').where('key', 'like', `${REPORT_ROUND_JOB}:${id}:%`).execute();
    expect(pending).toEqual([]);
  });

  it('reminds the units that have not submitted, before the deadline, once per round even across a restart', async () => {
    t.clock.set(shanghai('2026-12-10T08:00:00'));
    const { a, a1 } = await buildTree(t);
    const a2 = await buildUnit(t, { parent: a, name: '二部' });
    const a3 = await buildUnit(t, { parent: a, name: '三部' });
    const cmd = await as('command', a);
    const liaisonA1 = await as('liaison', a1);
    const headA2 = await as('unit_head', a2);
    const liaisonA2 = await as('liaison', a2);
    const headA = await as('unit_head', a); // a3 has nobody: its nearest holder above, A's head, is told
    const created = await call(cmd, {
      method: 'POST',
      url: '/api/v1/report-requests',
      body: { title: '每日报送', fields: FIELDS.slice(0, 1), target: { kind: 'children', unitId: a.id }, schedule: { kind: 'daily', dueAt: '16:00' }, remindBeforeMinutes: 90 },
    });
    const { latestRound } = created.json as { latestRound: { id: number } };
    // Asked: every unit hears of the request at once, through the same people a reminder reaches.
    const asked = (unit: UnitRow) => ({ kind: 'report.requested_daily', params: JSON.stringify({ unit: unit.name, title: '每日报送', time: '16:00' }) });
    expect(await inbox(headA2.user.id)).toEqual([asked(a2)]);
    expect(await inbox(liaisonA1.user.id)).toEqual([asked(a1)]);
    expect(await inbox(headA.user.id)).toEqual([asked(a3)]);
    const reminded = async (userId: number) => (await inbox(userId)).filter((n) => n.kind === 'report.reminder');
    expect((await call(liaisonA1, { method: 'POST', url: `/api/v1/report-rounds/${latestRound.id}/submissions`, body: { unitId: a1.id, answers: { on_duty: 3 } } })).status).toBe(201);
    t.clock.set(shanghai('2026-12-10T14:29:59'));
    await drain();
    expect(await reminded(headA2.user.id)).toEqual([]);
    t.clock.set(shanghai('2026-12-10T14:30:00'));
    await drain();
    await remindRound(t.deps, { roundId: latestRound.id }, undefined as never); // a re-run after a crash sends nothing more
    await drain(runner());
    const told = [{ kind: 'report.reminder', params: JSON.stringify({ unit: a2.name, title: '每日报送', deadline: '2026-12-10 16:00' }) }];
    expect(await reminded(headA2.user.id)).toEqual(told);
    expect(await reminded(liaisonA2.user.id)).toEqual(told);
    expect(await reminded(liaisonA1.user.id)).toEqual([]);
    expect((await reminded(headA.user.id)).map((n) => JSON.parse(n.params) as { unit: string }).map((p) => p.unit)).toEqual([a3.name]);
    expect((await roundsOf((created.json as { id: number }).id))[0]!.reminded_at).toBe(shanghai('2026-12-10T14:30:00'));
    // One run, one row per person told: A2's head and liaison, A's head for A3.
    const reminders = await t.deps.db.selectFrom('notifications').select('user_id').where('kind', '=', 'report.reminder').where('entity_id', '=', String(latestRound.id)).execute();
    expect(reminders.map((r) => r.user_id).sort((x, y) => x - y)).toEqual([headA2.user.id, liaisonA2.user.id, headA.user.id].sort((x, y) => x - y));
    const mine = await call(headA2, { method: 'GET', url: '/api/v1/notifications', query: { lang: 'en' } });
    expect(mine.json).toMatchObject({
      items: [
        { title: 'Report due', text: `${a2.name}: "每日报送" is due by 2026-12-10 16:00 and has not been submitted yet.` },
        { title: 'Daily report requested', text: `${a2.name}: please submit "每日报送" every day by 16:00.` },
      ],
    });
  });
});
