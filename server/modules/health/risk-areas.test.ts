import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { verifyAudit } from '../audit/audit.service.js';
import { JobRunner } from '../../jobs/jobs.js';
import { putSetting } from '../setup/settings.store.js';
import { AREA_REACH_BACK_JOB, reachBackFromArea } from './trip-watch.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
type Json = Record<string, unknown> & { id: number };
const fieldsOf = (json: unknown) => Object.keys((json as { error?: { fields?: object } }).error?.fields ?? {});

describe.each(testDialects())('risk areas and the return rule on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }
  /** Each call signs in afresh: the tests move the clock by days and sessions expire when idle. */
  async function as(userId: number, req: HttpRequest) {
    return call(await loginAs(t, userId), req);
  }
  async function employeeIn(unit: UnitRow) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { person, user };
  }
  async function commandOn(unit: UnitRow) {
    return buildUser(t, [{ role: 'command', unit }]);
  }
  const addArea = (userId: number, body: Record<string, unknown>) => as(userId, { method: 'POST', url: '/api/v1/risk-areas', body });
  const report = (userId: number, body: Record<string, unknown>) => as(userId, { method: 'POST', url: '/api/v1/trips', body: { purpose: '出差', ...body } });
  const returnOn = (userId: number, id: number, day: string) => as(userId, { method: 'POST', url: `/api/v1/trips/${id}/return`, body: { day } });
  async function watchesOf(personId: number) {
    return t.deps.db.selectFrom('health_watches').select(['reason', 'source_entity', 'source_id', 'start_day', 'end_day', 'days']).where('person_id', '=', personId).execute();
  }
  /** Run the due reach-back jobs as the scheduler would; how many ran. */
  async function runReachBack() {
    const runner = new JobRunner(t.deps);
    runner.register(AREA_REACH_BACK_JOB, async (d, payload) => void (await reachBackFromArea(d, payload)));
    const jobs = await t.deps.db.selectFrom('jobs').select('id').where('kind', '=', AREA_REACH_BACK_JOB).where('status', '=', 'pending').execute();
    await runner.tick();
    const failed = await t.deps.db.selectFrom('jobs').select('last_error').where('kind', '=', AREA_REACH_BACK_JOB).where('status', '!=', 'done').execute();
    expect(failed).toEqual([]);
    return jobs.length;
  }
  async function noticesAbout(tripId: number) {
    return t.deps.db.selectFrom('notifications').select(['user_id', 'kind', 'params']).where('entity', '=', 'trip').where('entity_id', '=', String(tripId)).execute();
  }

  it('the command office keeps the list; everyone signed in reads it; days and fields are checked', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { root, a } = await buildTree(t);
    const cmd = await commandOn(root);
    const created = await addArea(cmd.id, { city: ' 武汉市 ', district: '洪山区', level: 'high', validFrom: '2026-11-20', note: '官方通报' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ city: '武汉', district: '洪山区', level: 'high', validFrom: '2026-11-20', validUntil: null, active: true, createdByUserId: cmd.id, returnsToWatch: 0 });
    const id = (created.json as Json).id;
    const e = await employeeIn(a);
    const list = await as(e.user.id, { method: 'GET', url: '/api/v1/risk-areas', query: { city: '武汉' } });
    expect(list.json).toMatchObject({ items: [{ id, city: '武汉' }], abilities: { write: false } });
    expect(((await as(cmd.id, { method: 'GET', url: '/api/v1/risk-areas' })).json as { abilities: object }).abilities).toEqual({ write: true });
    // An employee, a liaison and a supervisor may not write it.
    const liaison = await buildUser(t, [{ role: 'liaison', unit: root }]);
    for (const u of [e.user.id, liaison.id]) expect((await addArea(u, { city: '北京', level: 'medium', validFrom: '2026-11-20' })).status).toBe(403);

    const bad: [Record<string, unknown>, string][] = [
      [{ city: '北京', level: 'medium', validFrom: '2026-11-20', validUntil: '2026-11-19' }, 'validUntil'],
      [{ city: '北京', level: 'low', validFrom: '2026-11-20' }, 'level'],
      [{ city: '', level: 'high', validFrom: '2026-11-20' }, 'city'],
      [{ city: '北京', level: 'high', validFrom: '2026-13-01' }, 'validFrom'],
      [{ city: '北京', level: 'high' }, 'validFrom'],
    ];
    for (const [body, field] of bad) {
      const r = await addArea(cmd.id, body);
      expect([r.status, fieldsOf(r.json)], JSON.stringify(body)).toEqual([400, [field]]);
    }
    const patch = (body: unknown) => as(cmd.id, { method: 'PATCH', url: `/api/v1/risk-areas/${id}`, body });
    const early = await patch({ validUntil: '2026-11-19' });
    expect([early.status, fieldsOf(early.json)]).toEqual([400, ['validUntil']]);
    expect((await patch({ level: 'medium', district: null })).json).toMatchObject({ level: 'medium', district: null });
    const endEarly = await as(cmd.id, { method: 'POST', url: `/api/v1/risk-areas/${id}/end`, body: { lastDay: '2026-11-19' } });
    expect([endEarly.status, fieldsOf(endEarly.json)]).toEqual([400, ['lastDay']]);
    const ended = await as(cmd.id, { method: 'POST', url: `/api/v1/risk-areas/${id}/end`, body: {} });
    expect(ended.json).toMatchObject({ validUntil: '2026-11-24', active: true });
    t.clock.set(shanghai('2026-11-25T09:00:00'));
    const after = await as(e.user.id, { method: 'GET', url: '/api/v1/risk-areas', query: { city: '武汉市' } });
    expect((after.json as { items: unknown[] }).items).toEqual([]);
    const all = await as(e.user.id, { method: 'GET', url: '/api/v1/risk-areas', query: { city: '武汉市', all: 'true' } });
    expect((all.json as { items: Json[] }).items.map((x) => [x.id, x.active])).toEqual([[id, false]]);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'risk_area').where('entity_id', '=', String(id)).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['risk_area.created', 'risk_area.updated', 'risk_area.ended']);
  });

  it('a return from an area listed on any day of the trip opens a watch and tells the liaison, in the return', async () => {
    t.clock.set(shanghai('2026-11-01T09:00:00'));
    const { root, a, a1 } = await buildTree(t);
    const cmd = await commandOn(root);
    const liaisonA1 = await buildUser(t, [{ role: 'liaison', unit: a1 }]);
    // Listed 11-05 to 11-07 only: a trip of 11-07 .. 11-10 meets it on its first day.
    expect((await addArea(cmd.id, { city: '西安', level: 'medium', validFrom: '2026-11-05', validUntil: '2026-11-07' })).status).toBe(201);
    expect((await addArea(cmd.id, { city: '成都', district: '武侯区', level: 'high', validFrom: '2026-11-01' })).status).toBe(201);
    const meets = await employeeIn(a1);
    const misses = await employeeIn(a1);
    const otherDistrict = await employeeIn(a);
    const noDistrict = await employeeIn(a);
    const t1 = ((await report(meets.user.id, { city: '西安市', startOn: '2026-11-07', endOn: '2026-11-10' })).json as Json).id;
    const t2 = ((await report(misses.user.id, { city: '西安', startOn: '2026-11-08', endOn: '2026-11-10' })).json as Json).id;
    const t3 = ((await report(otherDistrict.user.id, { city: '成都', district: '锦江区', startOn: '2026-11-07', endOn: '2026-11-09' })).json as Json).id;
    const t4 = ((await report(noDistrict.user.id, { city: '成都', startOn: '2026-11-07', endOn: '2026-11-09' })).json as Json).id;
    t.clock.set(shanghai('2026-11-10T20:00:00'));
    const r1 = await returnOn(meets.user.id, t1, '2026-11-10');
    expect(r1.json).toMatchObject({ status: 'returned', watchAreaId: expect.any(Number) });
    expect(await watchesOf(meets.person.id)).toEqual([{ reason: 'trip_return', source_entity: 'trip', source_id: String(t1), start_day: '2026-11-10', end_day: '2026-11-23', days: 14 }]);
    // Told once: the new watch's own notice, linking to the watch (no second notice about the trip).
    expect(await noticesAbout(t1)).toEqual([]);
    const told = await t.deps.db.selectFrom('notifications').select(['kind', 'link']).where('user_id', '=', liaisonA1.id).execute();
    expect(told).toEqual([{ kind: 'health.watch_opened', link: expect.stringMatching(/^\/health\/watches\/\d+$/) }]);
    // A day after the area ended: no watch, nobody told.
    expect(((await returnOn(misses.user.id, t2, '2026-11-10')).json as Json).watchAreaId).toBeNull();
    expect(await watchesOf(misses.person.id)).toEqual([]);
    expect(await noticesAbout(t2)).toEqual([]);
    // A district area: another district of the city is clear; a trip that named no district is not.
    expect(((await returnOn(otherDistrict.user.id, t3, '2026-11-09')).json as Json).watchAreaId).toBeNull();
    expect(((await returnOn(noDistrict.user.id, t4, '2026-11-09')).json as Json).watchAreaId).not.toBeNull();
    // The watch counts from the return day: reported a day late, one day of it has passed.
    expect((await watchesOf(noDistrict.person.id)).map((w) => [w.start_day, w.end_day])).toEqual([['2026-11-10', '2026-11-22']]);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });

  it('a return that joins a watch already open tells the liaison about the trip and its area instead', async () => {
    t.clock.set(shanghai('2026-12-01T09:00:00'));
    const { root, a1 } = await buildTree(t);
    const cmd = await commandOn(root);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a1 }]);
    expect((await addArea(cmd.id, { city: '银川', level: 'high', validFrom: '2026-12-01' })).status).toBe(201);
    const e = await employeeIn(a1);
    const trip = ((await report(e.user.id, { city: '银川', startOn: '2026-12-01', endOn: '2026-12-03' })).json as Json).id;
    t.clock.set(shanghai('2026-12-03T08:00:00'));
    const opened = await as(liaison.id, { method: 'POST', url: '/api/v1/health-watches', body: { personId: e.person.id, days: 7, note: '发热随访' } });
    expect(opened.status).toBe(201);
    await t.deps.db.deleteFrom('notifications').where('user_id', '=', liaison.id).execute();
    t.clock.set(shanghai('2026-12-03T20:00:00'));
    expect(((await returnOn(e.user.id, trip, '2026-12-03')).json as Json).watchAreaId).not.toBeNull();
    expect((await watchesOf(e.person.id)).length).toBe(1);
    const told = await t.deps.db.selectFrom('notifications').select(['kind', 'params']).where('user_id', '=', liaison.id).execute();
    expect(told.map((n) => [n.kind, JSON.parse(n.params).area])).toEqual([['health.trip_return', '银川']]);
  });

  it('an area listed later reaches people back from it within the watch period, once', async () => {
    t.clock.set(shanghai('2026-10-01T09:00:00'));
    const { root, a } = await buildTree(t);
    const cmd = await commandOn(root);
    await putSetting(t.deps.db, 'health.watch_days', 7, t.clock.now());
    try {
      const recent = await employeeIn(a);
      const old = await employeeIn(a);
      const elsewhere = await employeeIn(a);
      const tr = ((await report(recent.user.id, { city: '郑州', startOn: '2026-10-10', endOn: '2026-10-12' })).json as Json).id;
      const to = ((await report(old.user.id, { city: '郑州市', startOn: '2026-10-01', endOn: '2026-10-03' })).json as Json).id;
      const te = ((await report(elsewhere.user.id, { city: '洛阳', startOn: '2026-10-10', endOn: '2026-10-12' })).json as Json).id;
      t.clock.set(shanghai('2026-10-12T20:00:00'));
      for (const [u, id] of [[recent.user.id, tr], [old.user.id, to], [elsewhere.user.id, te]] as const) expect((await returnOn(u, id, id === to ? '2026-10-03' : '2026-10-12')).status).toBe(200);
      t.clock.set(shanghai('2026-10-15T09:00:00'));
      // Announced on the 15th, valid from the 11th: `recent` was there on the 11th and 12th and came back 3 days ago.
      const area = await addArea(cmd.id, { city: '郑州', level: 'high', validFrom: '2026-10-01' });
      expect(area.json).toMatchObject({ returnsToWatch: 1 });
      // The watches open in a job queued with the area, a batch of trips per transaction.
      expect(await watchesOf(recent.person.id)).toEqual([]);
      expect(await runReachBack()).toBe(1);
      expect((await watchesOf(recent.person.id)).map((w) => [w.source_id, w.start_day, w.end_day])).toEqual([[String(tr), '2026-10-15', '2026-10-18']]);
      // `old` came back on the 3rd: a 7-day watch would have ended on the 9th.
      expect(await watchesOf(old.person.id)).toEqual([]);
      expect(await watchesOf(elsewhere.person.id)).toEqual([]);
      expect((await noticesAbout(tr)).map((n) => n.kind)).toEqual([]); // nobody holds liaison here
      // Correcting the area runs the look-back again and opens nothing twice.
      const again = await as(cmd.id, { method: 'PATCH', url: `/api/v1/risk-areas/${(area.json as Json).id}`, body: { note: '更正' } });
      expect(again.json).toMatchObject({ returnsToWatch: 0 });
      expect(await runReachBack()).toBe(0);
      expect(await watchesOf(recent.person.id)).toHaveLength(1);
      // Run twice (a crash between the work and the job's completion): nothing opens again.
      expect(await reachBackFromArea(t.deps, { areaId: (area.json as Json).id, userId: cmd.id })).toBe(0);
      expect(await watchesOf(recent.person.id)).toHaveLength(1);
    } finally {
      await t.deps.db.deleteFrom('settings').where('key', '=', 'health.watch_days').execute();
    }
  });

  it("the watch after a return runs the trip.watch_days measure of the person's unit on the return day, else the setting", async () => {
    t.clock.set(shanghai('2027-01-05T09:00:00'));
    const { root, a, b } = await buildTree(t);
    const cmd = await commandOn(root);
    await putSetting(t.deps.db, 'health.watch_days', 7, t.clock.now());
    try {
      // A asks for a longer watch (stricter: higher) from the 10th and the group approves; B inherits
      // the built-in default, so the setting applies there.
      const headA = await buildUser(t, [{ role: 'unit_head', unit: a }]);
      const set = await as(headA.id, { method: 'POST', url: `/api/v1/units/${a.id}/measures/trip.watch_days`, body: { value: 21, effectiveFrom: '2027-01-10', reason: '春运返程人员多' } });
      expect(set.status).toBe(201);
      const exceptionId = (set.json as { change: { id: number } }).change.id;
      expect((await as(cmd.id, { method: 'POST', url: `/api/v1/measure-exceptions/${exceptionId}/approve`, body: {} })).status).toBe(200);
      expect((await addArea(cmd.id, { city: '石家庄', level: 'high', validFrom: '2027-01-01' })).status).toBe(201);
      const early = await employeeIn(a);
      const inA = await employeeIn(a);
      const inB = await employeeIn(b);
      const lateA = await employeeIn(a);
      const lateB = await employeeIn(b);
      const trips: Record<string, number> = {};
      for (const [name, e, city] of [['early', early, '石家庄'], ['inA', inA, '石家庄'], ['inB', inB, '石家庄'], ['lateA', lateA, '保定'], ['lateB', lateB, '保定']] as const) {
        trips[name] = ((await report(e.user.id, { city, startOn: '2027-01-05', endOn: '2027-01-09' })).json as Json).id;
      }
      t.clock.set(shanghai('2027-01-09T20:00:00'));
      expect((await returnOn(early.user.id, trips.early!, '2027-01-09')).status).toBe(200);
      t.clock.set(shanghai('2027-01-10T20:00:00'));
      for (const [e, trip] of [[inA, trips.inA], [inB, trips.inB], [lateA, trips.lateA], [lateB, trips.lateB]] as const) expect((await returnOn(e.user.id, trip!, '2027-01-10')).status).toBe(200);
      // The measure in force on the return day: the 9th was before A's value began.
      expect((await watchesOf(early.person.id)).map((w) => w.days)).toEqual([7]);
      expect((await watchesOf(inA.person.id)).map((w) => [w.start_day, w.end_day, w.days])).toEqual([['2027-01-10', '2027-01-30', 21]]);
      expect((await watchesOf(inB.person.id)).map((w) => w.days)).toEqual([7]);
      // An area listed later reaches back as far as each person's watch: on the 19th, a return of the
      // 10th is past B's 7 days but within A's 21.
      t.clock.set(shanghai('2027-01-19T09:00:00'));
      const area = await addArea(cmd.id, { city: '保定', level: 'high', validFrom: '2027-01-01' });
      expect(area.json).toMatchObject({ returnsToWatch: 1 });
      expect(await runReachBack()).toBe(1);
      expect((await watchesOf(lateA.person.id)).map((w) => [w.start_day, w.end_day])).toEqual([['2027-01-19', '2027-01-30']]);
      expect(await watchesOf(lateB.person.id)).toEqual([]);
    } finally {
      await t.deps.db.deleteFrom('settings').where('key', '=', 'health.watch_days').execute();
    }
  });

  it('trips show whether their destination is on the list today', async () => {
    t.clock.set(shanghai('2026-12-01T09:00:00'));
    const { root, a } = await buildTree(t);
    const cmd = await commandOn(root);
    await addArea(cmd.id, { city: '兰州', level: 'medium', validFrom: '2026-11-01' });
    await addArea(cmd.id, { city: '兰州', district: '城关区', level: 'high', validFrom: '2026-11-01' });
    const e = await employeeIn(a);
    const whole = await report(e.user.id, { city: '兰州市', startOn: '2026-12-03', endOn: '2026-12-04' });
    expect(whole.json).toMatchObject({ riskNow: { city: '兰州', district: '城关区', level: 'high' } });
    const other = await report(e.user.id, { city: '兰州', district: '七里河区', startOn: '2026-12-05', endOn: '2026-12-06' });
    expect(other.json).toMatchObject({ riskNow: { district: null, level: 'medium' } });
    const clear = await report(e.user.id, { city: '天水', startOn: '2026-12-07', endOn: '2026-12-08' });
    expect((clear.json as Json).riskNow).toBeNull();
  });
});
