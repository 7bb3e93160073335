import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { createJobRunner } from '../../jobs/registry.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { verifyAudit } from '../audit/audit.service.js';
import { putSetting } from '../setup/settings.store.js';
import { openHealthWatch, type OpenWatchInput } from './watches.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('health watches on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const open = (input: OpenWatchInput) => transact(t.deps, systemCtx, (tx) => openHealthWatch(tx, t.deps, input));
  const watchesOf = (personId: number) => t.deps.db.selectFrom('health_watches').selectAll().where('person_id', '=', personId).orderBy('id').execute();
  const notesOf = (watchId: number) => t.deps.db.selectFrom('health_watch_notes').selectAll().where('watch_id', '=', watchId).orderBy('id').execute();

  it('openHealthWatch opens one watch per person; a second cause joins it and extends it; a repeated cause does nothing', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a1 } = await buildTree(t);
    const p = await buildPerson(t, a1);
    const first = await open({ personId: p.id, reason: 'test_positive', sourceEntity: 'test_result', sourceId: '7', openedByUserId: null });
    expect(first.created).toBe(true);
    let [w] = await watchesOf(p.id);
    expect(w).toMatchObject({ unit_id: a1.id, reason: 'test_positive', start_day: '2026-11-24', days: 14, end_day: '2026-12-07', status: 'open' });
    expect(await open({ personId: p.id, reason: 'test_positive', sourceEntity: 'test_result', sourceId: '7', openedByUserId: null })).toEqual({ id: first.id, created: false });
    t.clock.set(shanghai('2026-11-30T09:00:00'));
    const joined = await open({ personId: p.id, reason: 'trip_return', sourceEntity: 'trip', sourceId: '3', days: 10, openedByUserId: null, note: '返程' });
    expect(joined).toEqual({ id: first.id, created: false });
    [w] = await watchesOf(p.id);
    expect(w).toMatchObject({ end_day: '2026-12-09', days: 16 });
    // A shorter cause never shortens the watch.
    await open({ personId: p.id, reason: 'manual', sourceEntity: 'user', sourceId: 'x', days: 1, openedByUserId: null });
    expect((await watchesOf(p.id))).toHaveLength(1);
    expect((await watchesOf(p.id))[0]).toMatchObject({ end_day: '2026-12-09' });
    expect((await notesOf(first.id)).map((n) => [n.reason, n.source_entity, n.note])).toEqual([
      ['test_positive', 'test_result', null],
      ['trip_return', 'trip', '返程'],
      ['manual', 'user', null],
    ]);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'health_watch').where('entity_id', '=', String(first.id)).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['health_watch.opened', 'health_watch.joined', 'health_watch.joined']);
    expect(audit.map((x) => x.detail).join()).not.toMatch(/test_positive|trip_return|返程/);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });

  it('uses the watch days setting by default', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a } = await buildTree(t);
    const p = await buildPerson(t, a);
    await putSetting(t.deps.db, 'health.watch_days', 7, t.clock.now());
    try {
      await open({ personId: p.id, reason: 'manual', sourceEntity: 'user', sourceId: `s${p.id}`, openedByUserId: null });
    } finally {
      await t.deps.db.deleteFrom('settings').where('key', '=', 'health.watch_days').execute();
    }
    expect((await watchesOf(p.id))[0]).toMatchObject({ days: 7, end_day: '2026-11-30' });
  });

  // ── the trigger ────────────────────────────────────────────────────────────────────────────────

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }
  const form = (extra: Record<string, unknown> = {}) => ({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

  /** A person in `unit` with an account linked to them, signed in. */
  async function employeeIn(unit: UnitRow) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }
  const checkIn = async (cookie: string, extra: Record<string, unknown> = {}) => {
    const r = await call(cookie, { method: 'POST', url: '/api/v1/checkins', body: form(extra) });
    expect(r.status, r.raw).toBeLessThan(300);
    return r.json as { id: number };
  };
  const triggerJobs = (checkinId: number) =>
    t.deps.db.selectFrom('jobs').selectAll().where('kind', '=', 'health.checkin_abnormal').where('key', 'like', `health.checkin_abnormal:${checkinId}:%`).execute();
  /** Run every job that is due, as the scheduler would. */
  async function runJobs() {
    const runner = await createJobRunner(t.deps);
    while ((await runner.tick()) > 0);
  }

  it('an abnormal check-in enqueues a job in its transaction; the job opens a watch once, however often it runs', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a, a1 } = await buildTree(t);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]); // a1 has none: the nearest above is told
    const told = () => t.deps.db.selectFrom('notifications').selectAll().where('user_id', '=', liaison.id).execute();
    const normal = await employeeIn(a1);
    const n = await checkIn(normal.cookie);
    expect(await triggerJobs(n.id)).toHaveLength(0);

    const e = await employeeIn(a1);
    const c = await checkIn(e.cookie, { temperature: 37.8, symptoms: ['咳嗽'] });
    const [job] = await triggerJobs(c.id);
    expect(job).toMatchObject({ status: 'pending', payload: JSON.stringify({ checkinId: c.id }) });
    expect(await watchesOf(e.person.id)).toHaveLength(0); // nothing happens until the job runs
    await runJobs();
    const [w] = await watchesOf(e.person.id);
    expect(w).toMatchObject({ reason: 'checkin_abnormal', source_entity: 'checkin', source_id: String(c.id), unit_id: a1.id, status: 'open', opened_by_user_id: null });
    expect((await notesOf(w!.id)).map((x) => [x.reason, Number(x.temperature), x.note])).toEqual([['checkin_abnormal', 378, '咳嗽']]);
    expect((await triggerJobs(c.id))[0]!.status).toBe('done');
    const [message] = await told();
    expect(message).toMatchObject({ kind: 'health.watch_opened', entity: 'health_watch', entity_id: String(w!.id), unit_id: a1.id });
    expect(JSON.parse(message!.params)).toEqual({ person: e.person.name, unit: a1.name, reason: 'checkin_abnormal' });

    // A job that ran but whose completion was lost (a crash) runs again: nothing more happens.
    const audits = async () => (await t.deps.db.selectFrom('audit_log').select('id').where('entity', '=', 'health_watch').execute()).length;
    const before = await audits();
    await t.deps.db.updateTable('jobs').set({ status: 'pending' }).where('id', '=', job!.id).execute();
    await runJobs();
    expect(await watchesOf(e.person.id)).toHaveLength(1);
    expect(await notesOf(w!.id)).toHaveLength(1);
    expect(await audits()).toBe(before);
    expect(await told()).toHaveLength(1);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });

  it('quarantine opens a watch only when it is new; a correction the same day is looked at again', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a } = await buildTree(t);
    const q = await employeeIn(a); // in quarantine yesterday and today: not new
    const w = await employeeIn(a); // at work yesterday, in quarantine today: new
    const f = await employeeIn(a); // no check-in before: new
    await checkIn(q.cookie, { location: 'quarantine' });
    await checkIn(w.cookie);
    t.clock.set(shanghai('2026-11-25T08:00:00'));
    for (const x of [q, w, f]) x.cookie = await loginAs(t, x.user.id); // a day later the sessions have timed out
    await runJobs(); // yesterday's quarantine opens q's watch...
    const first = (await watchesOf(q.person.id))[0]!;
    await t.deps.db.updateTable('health_watches').set({ status: 'closed', outcome: 'cleared' }).where('id', '=', first.id).execute();
    const qc = await checkIn(q.cookie, { location: 'quarantine' });
    await checkIn(w.cookie, { location: 'quarantine' });
    await checkIn(f.cookie, { location: 'quarantine' });
    await runJobs();
    expect((await watchesOf(q.person.id)).map((x) => x.status)).toEqual(['closed']); // ...today's does not open another
    expect(await watchesOf(w.person.id)).toHaveLength(1);
    expect(await watchesOf(f.person.id)).toHaveLength(1);
    // Corrected later the same day to a fever: that is a cause.
    t.clock.advance(60_000);
    expect((await checkIn(q.cookie, { location: 'quarantine', temperature: 38.1 })).id).toBe(qc.id);
    await runJobs();
    const now = await watchesOf(q.person.id);
    expect(now.map((x) => [x.status, x.source_id])).toEqual([
      ['closed', expect.any(String)],
      ['open', String(qc.id)],
    ]);
  });

  // ── the console's routes ───────────────────────────────────────────────────────────────────────

  it('a liaison lists, reads, notes and closes a watch; bad input names the field and changes nothing', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a, a1, b } = await buildTree(t);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    let cookie = await loginAs(t, liaison.id);
    const p = await buildPerson(t, a1, { name: '张三' });
    const other = await buildPerson(t, b);

    const bad: [unknown, string][] = [
      [{ personId: p.id, days: 0 }, 'days'],
      [{ personId: p.id, days: 91 }, 'days'],
      [{ personId: p.id, days: 3.5 }, 'days'],
      [{ personId: p.id, note: '' }, 'note'],
      [{ personId: p.id, extra: 1 }, 'extra'],
      [{ days: 3 }, 'personId'],
      [{ personId: other.id }, 'personId'], // out of scope reads as absent
    ];
    for (const [body, field] of bad) {
      const r = await call(cookie, { method: 'POST', url: '/api/v1/health-watches', body });
      expect([r.status, Object.keys(errorOf(r)?.fields ?? {})], JSON.stringify(body)).toEqual([400, [field]]);
    }
    expect(await watchesOf(p.id)).toHaveLength(0);

    const opened = await call(cookie, { method: 'POST', url: '/api/v1/health-watches', body: { personId: p.id, days: 5, note: '密接' } });
    expect(opened.status).toBe(201);
    const watch = opened.json as { id: number; daysLeft: number; endDay: string; notes: { note: string; reason: string; authorUserId: number }[] };
    expect(watch).toMatchObject({ personName: '张三', unitId: a1.id, reason: 'manual', endDay: '2026-11-28', daysLeft: 5, status: 'open', abilities: { addNote: true, close: true } });
    expect(watch.notes).toEqual([expect.objectContaining({ note: '密接', reason: 'manual', authorUserId: liaison.id })]);
    const again = await call(cookie, { method: 'POST', url: '/api/v1/health-watches', body: { personId: p.id, days: 10 } });
    expect([again.status, (again.json as { id: number; endDay: string }).id, (again.json as { endDay: string }).endDay]).toEqual([200, watch.id, '2026-12-03']);

    t.clock.set(shanghai('2026-11-26T10:00:00'));
    cookie = await loginAs(t, liaison.id); // two days later the session has timed out
    const list = await call(cookie, { method: 'GET', url: '/api/v1/health-watches', query: { unitId: String(a1.id), status: 'open' } });
    expect(list.status).toBe(200);
    expect((list.json as { items: unknown[] }).items).toEqual([expect.objectContaining({ id: watch.id, personName: '张三', daysLeft: 8 })]);
    expect(((await call(cookie, { method: 'GET', url: '/api/v1/health-watches', query: { unitId: String(a1.id), status: 'closed' } })).json as { total: number }).total).toBe(0);
    expect((await call(cookie, { method: 'GET', url: '/api/v1/health-watches', query: { status: 'shut' } })).status).toBe(400);

    for (const [body, field] of [
      [{ note: '' }, 'note'],
      [{ note: '好', temperature: 33 }, 'temperature'],
      [{ temperature: 36.5 }, 'note'],
    ] as const) {
      const r = await call(cookie, { method: 'POST', url: `/api/v1/health-watches/${watch.id}/notes`, body });
      expect([r.status, Object.keys(errorOf(r)?.fields ?? {})]).toEqual([400, [field]]);
    }
    const note = await call(cookie, { method: 'POST', url: `/api/v1/health-watches/${watch.id}/notes`, body: { note: '无不适', temperature: 36.6 } });
    expect(note.status).toBe(201);
    expect(note.json).toMatchObject({ day: '2026-11-26', note: '无不适', temperature: 36.6, reason: null, authorUserId: liaison.id });

    const readsBefore = (await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'health_watch.read').execute()).length;
    const detail = await call(cookie, { method: 'GET', url: `/api/v1/health-watches/${watch.id}` });
    expect((detail.json as { notes: unknown[] }).notes).toHaveLength(3);
    expect((await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'health_watch.read').execute()).length).toBe(readsBefore + 1);

    const noNote = await call(cookie, { method: 'POST', url: `/api/v1/health-watches/${watch.id}/close`, body: { outcome: 'other' } });
    expect([noNote.status, Object.keys(errorOf(noNote)?.fields ?? {})]).toEqual([400, ['note']]);
    const badOutcome = await call(cookie, { method: 'POST', url: `/api/v1/health-watches/${watch.id}/close`, body: { outcome: 'gone' } });
    expect([badOutcome.status, Object.keys(errorOf(badOutcome)?.fields ?? {})]).toEqual([400, ['outcome']]);
    const closed = await call(cookie, { method: 'POST', url: `/api/v1/health-watches/${watch.id}/close`, body: { outcome: 'recovered', note: '体温正常三天' } });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ status: 'closed', outcome: 'recovered', outcomeNote: '体温正常三天', daysLeft: null, closedByUserId: liaison.id, abilities: { addNote: false, close: false } });
    expect((await call(cookie, { method: 'POST', url: `/api/v1/health-watches/${watch.id}/close`, body: { outcome: 'cleared' } })).status).toBe(409);
    expect((await call(cookie, { method: 'POST', url: `/api/v1/health-watches/${watch.id}/notes`, body: { note: '晚了' } })).status).toBe(409);
    // Closed, the person may be put under watch again; a retried request (same Idempotency-Key) gets the first answer.
    const retry = { method: 'POST', url: '/api/v1/health-watches', body: { personId: p.id }, headers: { 'idempotency-key': `reopen-${p.id}` } };
    const reopened = await call(cookie, retry);
    expect(reopened.status).toBe(201);
    const replayed = await call(cookie, retry);
    expect([replayed.status, replayed.raw]).toEqual([201, reopened.raw]);
    expect((await watchesOf(p.id)).map((x) => x.status)).toEqual(['closed', 'open']);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });

  it('the watch follows the person: after a transfer out of the subtree it is not found', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a, b } = await buildTree(t);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const cookie = await loginAs(t, liaison.id);
    const p = await buildPerson(t, a);
    const { id } = await open({ personId: p.id, reason: 'manual', sourceEntity: 'user', sourceId: `t${p.id}`, openedByUserId: null });
    expect((await call(cookie, { method: 'GET', url: `/api/v1/health-watches/${id}` })).status).toBe(200);
    await t.deps.db.updateTable('people').set({ unit_id: b.id }).where('id', '=', p.id).execute();
    expect((await call(cookie, { method: 'GET', url: `/api/v1/health-watches/${id}` })).status).toBe(404);
    const list = await call(cookie, { method: 'GET', url: '/api/v1/health-watches' });
    expect((list.json as { items: { id: number }[] }).items.map((x) => x.id)).not.toContain(id);
  });
});
