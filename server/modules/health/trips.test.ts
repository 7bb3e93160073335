import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { verifyAudit } from '../audit/audit.service.js';
import { updatePerson } from '../org/people.store.js';
import { departuresJob } from './trips.service.js';

/** An instant given as Shanghai wall time (UTC+8, no DST). */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const trip = (extra: Record<string, unknown> = {}) => ({ city: '武汉市', startOn: '2026-11-26', endOn: '2026-11-30', purpose: '出差', ...extra });
type Json = Record<string, unknown> & { id: number };
const fieldsOf = (json: unknown) => Object.keys((json as { error?: { fields?: object } }).error?.fields ?? {});

describe.each(testDialects())('trips on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }
  const post = (cookie: string, url: string, body: unknown) => call(cookie, { method: 'POST', url, body });

  async function employeeIn(unit: UnitRow) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }
  async function staff(role: 'liaison' | 'command' | 'supervisor' | 'admin' | 'care_officer', unit: UnitRow) {
    const user = await buildUser(t, [{ role, unit }]);
    return { user, cookie: await loginAs(t, user.id) };
  }
  /** Sessions expire after two idle hours: whoever acts after the clock jumps signs in again. */
  async function relog(...who: { user: { id: number }; cookie: string }[]) {
    for (const w of who) w.cookie = await loginAs(t, w.user.id);
  }
  async function tables() {
    const [trips, audit] = await Promise.all([
      t.deps.db.selectFrom('trips').selectAll().orderBy('id').execute(),
      t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { trips: JSON.stringify(trips), audit: Number(audit.n) };
  }

  it('an employee reports a trip; the city is stored normalised and the status follows the days', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a1 } = await buildTree(t);
    const e = await employeeIn(a1);
    const r = await post(e.cookie, '/api/v1/trips', trip({ city: ' 武汉市 ', district: ' 洪山区 ' }));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ personId: e.person.id, unitId: a1.id, city: '武汉', district: '洪山区', status: 'planned', returnedOn: null, overdue: false, reportedByUserId: null, abilities: { edit: true, cancel: true, reportReturn: false } });
    const id = (r.json as Json).id;
    // The start day comes: the same stored row reads as away, with no job needed.
    t.clock.set(shanghai('2026-11-26T08:00:00'));
    await relog(e);
    const mine = await call(e.cookie, { method: 'GET', url: '/api/v1/trips/mine' });
    expect((mine.json as { items: Json[] }).items.map((x) => [x.id, x.status, (x.abilities as { reportReturn: boolean }).reportReturn])).toEqual([[id, 'away', true]]);
    t.clock.set(shanghai('2026-12-01T08:00:00'));
    await relog(e);
    const late = await call(e.cookie, { method: 'GET', url: '/api/v1/trips/mine' });
    expect((late.json as { items: Json[] }).items[0]).toMatchObject({ status: 'away', overdue: true });
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'unit_id']).where('entity', '=', 'trip').where('entity_id', '=', String(id)).execute();
    expect(audit).toEqual([{ action: 'trip.created', unit_id: a1.id }]);
    // The daily job makes the stored status say what every read already says.
    const stored = () => t.deps.db.selectFrom('trips').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(await stored()).toEqual({ status: 'planned' });
    await departuresJob.run(t.deps, '2026-12-01');
    expect(await stored()).toEqual({ status: 'away' });
  });

  it('refuses bad reports naming the field, and changes nothing', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a } = await buildTree(t);
    const e = await employeeIn(a);
    const bad: [unknown, string][] = [
      [trip({ endOn: '2026-11-25' }), 'endOn'],
      [trip({ startOn: '2026-02-30' }), 'startOn'],
      [trip({ startOn: '26-11-2026' }), 'startOn'],
      [trip({ city: '   ' }), 'city'],
      [trip({ purpose: '' }), 'purpose'],
      [trip({ status: 'away' }), 'status'],
      [trip({ personId: 'me' }), 'personId'],
      [{ city: '武汉', startOn: '2026-11-26', endOn: '2026-11-30' }, 'purpose'],
    ];
    for (const [body, field] of bad) {
      const before = await tables();
      const r = await post(e.cookie, '/api/v1/trips', body);
      expect([r.status, fieldsOf(r.json)], JSON.stringify(body)).toEqual([400, expect.arrayContaining([field])]);
      expect(await tables(), JSON.stringify(body)).toEqual(before);
    }
  });

  it('a person is in one place at a time: overlapping trips are refused', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a } = await buildTree(t);
    const e = await employeeIn(a);
    expect((await post(e.cookie, '/api/v1/trips', trip())).status).toBe(201);
    const clash = await post(e.cookie, '/api/v1/trips', trip({ city: '北京', startOn: '2026-11-30', endOn: '2026-12-02' }));
    expect([clash.status, fieldsOf(clash.json)]).toEqual([409, ['startOn']]);
    // The mobile page words these reasons in the person's language (web/src/mobile/TripsPage.tsx): they are stable.
    expect((clash.json as { error: { fields: object } }).error.fields).toEqual({ startOn: 'overlaps another trip' });
    const backwards = await post(e.cookie, '/api/v1/trips', trip({ endOn: '2026-11-25' }));
    expect((backwards.json as { error: { fields: object } }).error.fields).toEqual({ endOn: 'must not be before startOn' });
    expect((await post(e.cookie, '/api/v1/trips', trip({ city: '北京', startOn: '2026-12-01', endOn: '2026-12-02' }))).status).toBe(201);
  });

  it('edit and cancel only before the start; the return from the start day to today', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a } = await buildTree(t);
    const e = await employeeIn(a);
    const id = ((await post(e.cookie, '/api/v1/trips', trip())).json as Json).id;
    const patch = (body: unknown) => call(e.cookie, { method: 'PATCH', url: `/api/v1/trips/${id}`, body });
    const moved = await patch({ city: '上海市', endOn: '2026-12-03' });
    expect(moved.json).toMatchObject({ city: '上海', startOn: '2026-11-26', endOn: '2026-12-03' });
    const badEnd = await patch({ endOn: '2026-11-25' });
    expect([badEnd.status, fieldsOf(badEnd.json)]).toEqual([400, ['endOn']]);
    const badStart = await patch({ startOn: '2026-12-04' });
    expect([badStart.status, fieldsOf(badStart.json)]).toEqual([400, ['startOn']]);
    // Not started: no return yet.
    expect((await post(e.cookie, `/api/v1/trips/${id}/return`, { day: '2026-11-24' })).status).toBe(409);
    t.clock.set(shanghai('2026-11-27T10:00:00'));
    await relog(e);
    const before = await tables();
    expect((await patch({ purpose: '探亲' })).status).toBe(409);
    expect((await post(e.cookie, `/api/v1/trips/${id}/cancel`, {})).status).toBe(409);
    const early = await post(e.cookie, `/api/v1/trips/${id}/return`, { day: '2026-11-25' });
    const future = await post(e.cookie, `/api/v1/trips/${id}/return`, { day: '2026-11-28' });
    expect([early.status, fieldsOf(early.json), future.status, fieldsOf(future.json)]).toEqual([400, ['day'], 400, ['day']]);
    expect([(early.json as { error: { fields: { day: string } } }).error.fields.day, (future.json as { error: { fields: { day: string } } }).error.fields.day]).toEqual(['must not be before the trip started', 'must not be after today']);
    expect(await tables()).toEqual(before);
    const back = await post(e.cookie, `/api/v1/trips/${id}/return`, { day: '2026-11-27' });
    expect(back.json).toMatchObject({ status: 'returned', returnedOn: '2026-11-27', watchAreaId: null, abilities: { edit: false, cancel: false, reportReturn: false } });
    expect((await post(e.cookie, `/api/v1/trips/${id}/return`, { day: '2026-11-27' })).status).toBe(409);

    t.clock.set(shanghai('2026-11-28T10:00:00'));
    await relog(e);
    const other = ((await post(e.cookie, '/api/v1/trips', trip({ startOn: '2026-12-10', endOn: '2026-12-11' }))).json as Json).id;
    const cancelled = await post(e.cookie, `/api/v1/trips/${other}/cancel`, {});
    expect(cancelled.json).toMatchObject({ status: 'cancelled' });
    const actions = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'trip').where('entity_id', 'in', [String(id), String(other)]).orderBy('id').execute();
    expect(actions.map((x) => x.action)).toEqual(['trip.created', 'trip.updated', 'trip.returned', 'trip.created', 'trip.cancelled']);
  });

  it("a liaison reports for a person of the subtree; outside it the person does not exist; someone else's trip is not found", async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a, a1, b } = await buildTree(t);
    const liaison = await staff('liaison', a);
    const inside = await buildPerson(t, a1);
    const outside = await buildPerson(t, b);
    const ok = await post(liaison.cookie, '/api/v1/trips', trip({ personId: inside.id }));
    expect(ok.json).toMatchObject({ personId: inside.id, reportedByUserId: liaison.user.id });
    const hidden = await post(liaison.cookie, '/api/v1/trips', trip({ personId: outside.id }));
    const missing = await post(liaison.cookie, '/api/v1/trips', trip({ personId: 2_000_000_000 }));
    expect([hidden.status, hidden.raw]).toEqual([missing.status, missing.raw]);
    expect(fieldsOf(hidden.json)).toEqual(['personId']);
    // The command office sees trips but does not report them for people.
    const command = await staff('command', a);
    expect((await post(command.cookie, '/api/v1/trips', trip({ personId: inside.id, startOn: '2026-12-05', endOn: '2026-12-06' }))).status).toBe(403);
    // Another employee: the trip reads as absent.
    const stranger = await employeeIn(a1);
    const id = (ok.json as Json).id;
    const r = await call(stranger.cookie, { method: 'PATCH', url: `/api/v1/trips/${id}`, body: { purpose: 'x' } });
    expect(r.status).toBe(404);
    expect((await call(command.cookie, { method: 'PATCH', url: `/api/v1/trips/${id}`, body: { purpose: 'x' } })).status).toBe(403);
  });

  it('who is away on a day: scoped, paged, with unit and phone; the return day counts as back', async () => {
    t.clock.set(shanghai('2026-11-20T09:00:00'));
    const { root, a, a1, b } = await buildTree(t);
    const people = await Promise.all([a, a1, a1, b].map((u) => employeeIn(u)));
    const [pa, pa1, pa1b, pb] = people;
    expect((await post(pa!.cookie, '/api/v1/trips', trip({ startOn: '2026-11-21', endOn: '2026-11-23' }))).status).toBe(201);
    expect((await post(pa1!.cookie, '/api/v1/trips', trip({ city: '北京', startOn: '2026-11-22', endOn: '2026-11-25' }))).status).toBe(201);
    const tripB = ((await post(pa1b!.cookie, '/api/v1/trips', trip({ startOn: '2026-11-20', endOn: '2026-11-21' }))).json as Json).id;
    expect((await post(pb!.cookie, '/api/v1/trips', trip({ startOn: '2026-11-20', endOn: '2026-11-30' }))).status).toBe(201);
    t.clock.set(shanghai('2026-11-22T18:00:00'));
    await relog(pa1b!);
    expect((await post(pa1b!.cookie, `/api/v1/trips/${tripB}/return`, { day: '2026-11-22' })).status).toBe(200);

    const liaison = await staff('liaison', a);
    const supervisor = await staff('supervisor', root);
    const away = (cookie: string, query: Record<string, string>) => call(cookie, { method: 'GET', url: '/api/v1/trips/away', query });
    const today = await away(liaison.cookie, { unitId: String(a.id) });
    const items = (today.json as { day: string; total: number; items: { personId: number; phone: string }[] });
    expect(items.day).toBe('2026-11-22');
    expect(items.items.map((x) => x.personId).sort()).toEqual([pa!.person.id, pa1!.person.id].sort());
    expect(items.items[0]!.phone).toBe('13812345678');
    const yesterday = await away(liaison.cookie, { unitId: String(a.id), day: '2026-11-21' });
    expect((yesterday.json as { items: { personId: number }[] }).items.map((x) => x.personId).sort()).toEqual([pa!.person.id, pa1b!.person.id].sort());
    const paged = await away(liaison.cookie, { unitId: String(a.id), pageSize: '1', page: '2' });
    expect(paged.json).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect((await away(liaison.cookie, { unitId: String(b.id) })).status).toBe(404);
    expect((await away(supervisor.cookie, { unitId: String(root.id) })).status).toBe(403);
    // A care officer sees care data, not health data: no health scope at all.
    const nurse = await staff('care_officer', a);
    expect((await away(nurse.cookie, { unitId: String(a.id) })).status).toBe(403);
    const read = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'trips.away.read').execute();
    expect(read.length).toBeGreaterThanOrEqual(3);
  });

  it('a trip follows its person: moved to another unit, the new unit sees it on the next request and the old one does not', async () => {
    t.clock.set(shanghai('2026-11-20T09:00:00'));
    const { a1, b } = await buildTree(t);
    const e = await employeeIn(a1);
    const id = ((await post(e.cookie, '/api/v1/trips', trip({ startOn: '2026-11-20', endOn: '2026-11-25' }))).json as Json).id;
    const la = await staff('liaison', a1);
    const lb = await staff('liaison', b);
    const awayIds = async (cookie: string, unit: UnitRow) => ((await call(cookie, { method: 'GET', url: '/api/v1/trips/away', query: { unitId: String(unit.id) } })).json as { items: { tripId: number }[] }).items.map((x) => x.tripId);
    expect([await awayIds(la.cookie, a1), await awayIds(lb.cookie, b)]).toEqual([[id], []]);
    await updatePerson(t.deps.db, e.person.id, { unit_id: b.id });
    expect([await awayIds(la.cookie, a1), await awayIds(lb.cookie, b)]).toEqual([[], [id]]);
    // The one who was its unit may no longer change it; the new unit may.
    expect((await call(la.cookie, { method: 'POST', url: `/api/v1/trips/${id}/return`, body: { day: '2026-11-20' } })).status).toBe(404);
    const back = await call(lb.cookie, { method: 'POST', url: `/api/v1/trips/${id}/return`, body: { day: '2026-11-20' } });
    expect(back.json).toMatchObject({ status: 'returned', unitId: a1.id });
  });

  it('trips list filters by status and destination; trips by destination counts per city', async () => {
    t.clock.set(shanghai('2026-11-10T09:00:00'));
    const { root, a, a1 } = await buildTree(t);
    const e1 = await employeeIn(a);
    const e2 = await employeeIn(a1);
    const e3 = await employeeIn(a1);
    await post(e1.cookie, '/api/v1/trips', trip({ city: '武汉', startOn: '2026-11-10', endOn: '2026-11-12' }));
    await post(e2.cookie, '/api/v1/trips', trip({ city: '武汉市', startOn: '2026-11-11', endOn: '2026-11-20' }));
    await post(e3.cookie, '/api/v1/trips', trip({ city: '北京', startOn: '2026-11-20', endOn: '2026-11-22' }));
    const x = await post(e1.cookie, '/api/v1/trips', trip({ city: '北京', startOn: '2026-11-25', endOn: '2026-11-26' }));
    await post(e1.cookie, `/api/v1/trips/${(x.json as Json).id}/cancel`, {});
    t.clock.set(shanghai('2026-11-15T09:00:00'));
    const liaison = await staff('liaison', a);
    const list = (query: Record<string, string>) => call(liaison.cookie, { method: 'GET', url: '/api/v1/trips', query: { unitId: String(a.id), ...query } });
    expect((await list({})).json).toMatchObject({ total: 4 });
    expect((await list({ status: 'away' })).json).toMatchObject({ total: 2 });
    expect((await list({ status: 'planned' })).json).toMatchObject({ total: 1 });
    expect((await list({ status: 'cancelled' })).json).toMatchObject({ total: 1 });
    expect((await list({ destination: '武汉市' })).json).toMatchObject({ total: 2 });
    const bad = await list({ status: 'lost' });
    expect([bad.status, fieldsOf(bad.json)]).toEqual([400, ['status']]);

    const by = await call(liaison.cookie, { method: 'GET', url: '/api/v1/trips/by-destination', query: { unitId: String(a.id), from: '2026-11-01', to: '2026-11-30' } });
    expect(by.json).toEqual({ from: '2026-11-01', to: '2026-11-30', items: [
      // e1 never reported the return from 武汉: still away (overdue).
      { city: '武汉', trips: 2, people: 2, awayNow: 2, riskNow: null },
      { city: '北京', trips: 1, people: 1, awayNow: 0, riskNow: null },
    ] });
    // The top of a tree takes the other plan (the trips' index ranges): the same answer.
    const top = await staff('liaison', root);
    const whole = await call(top.cookie, { method: 'GET', url: '/api/v1/trips/by-destination', query: { unitId: String(root.id), from: '2026-11-01', to: '2026-11-30' } });
    expect(whole.json).toEqual(by.json);
    const future = await call(top.cookie, { method: 'GET', url: '/api/v1/trips/by-destination', query: { unitId: String(root.id), from: '2026-11-21', to: '2026-11-30' } });
    const futureSub = await call(liaison.cookie, { method: 'GET', url: '/api/v1/trips/by-destination', query: { unitId: String(a.id), from: '2026-11-21', to: '2026-11-30' } });
    expect(future.json).toEqual(futureSub.json);
    expect((future.json as { items: { city: string }[] }).items.map((x) => x.city)).toEqual(['北京']);
    const sub = await call(liaison.cookie, { method: 'GET', url: '/api/v1/trips/by-destination', query: { unitId: String(a1.id) } });
    expect(sub.json).toMatchObject({ from: '2026-10-17', to: '2026-11-15', items: [{ city: '武汉', trips: 1 }] });
    const wrong = await call(liaison.cookie, { method: 'GET', url: '/api/v1/trips/by-destination', query: { unitId: String(a.id), from: '2026-11-30', to: '2026-11-01' } });
    expect([wrong.status, fieldsOf(wrong.json)]).toEqual([400, ['to']]);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });
});
