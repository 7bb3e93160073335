import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { BlindSpotList, PlaceDetail, PlacePage } from '../../../common/schemas/places.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { blindSpotsIn } from './places.blindspots.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('key places on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }

  async function member(unit: UnitRow, role: Role) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [{ role, unit }], { personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }

  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '公交公司', kind: 'subsidiary' });
    const depot = await buildUnit(t, { parent: a, name: '一场站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空', kind: 'subsidiary' });
    return { root, a, depot, b, command: await member(root, 'command'), headA: await member(a, 'unit_head'), liaisonA: await member(a, 'liaison'), headB: await member(b, 'unit_head') };
  }

  const place = (unitId: number, extra: Record<string, unknown> = {}) => ({ unitId, name: '一场站停车场', kind: 'depot', address: '黄岛区 1 号', risk: 'high', frequencyDays: 7, ...extra });

  it('registers a place with the default checklist, changes it, keeps its checklist history and archives it', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const keeper = await buildPerson(t, w.depot, { name: '场站站长' });
    const made = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: place(w.depot.id, { responsiblePersonId: keeper.id }) });
    expect(made.status).toBe(201);
    const p = made.json as PlaceDetail;
    expect(p).toMatchObject({ unitId: w.depot.id, responsibleName: '场站站长', frequencyDays: 7, lastInspectedAt: null, due: false, openFindings: 0, abilities: { edit: true, inspect: true, archive: true } });
    expect(p.checklist.map((i) => i.text)).toEqual(['通风', '消毒记录', '测温点', '人员密集处佩戴口罩']);
    // Due a week after registration, at the start of that day in Shanghai.
    expect(p.nextDueAt).toBe(shanghai('2026-12-01T00:00:00'));

    // The checklist: add at a position, rename, retire; history of texts kept by the items.
    const added = await call(w.headA.cookie, { method: 'POST', url: `/api/v1/places/${p.id}/checklist`, body: { text: '食堂分餐', position: 2 } });
    expect(added.status).toBe(200);
    const list = (added.json as PlaceDetail).checklist;
    expect(list.map((i) => [i.position, i.text])).toEqual([
      [1, '通风'],
      [2, '食堂分餐'],
      [3, '消毒记录'],
      [4, '测温点'],
      [5, '人员密集处佩戴口罩'],
    ]);
    const dup = await call(w.headA.cookie, { method: 'POST', url: `/api/v1/places/${p.id}/checklist`, body: { text: '通风' } });
    expect(dup.status).toBe(400);
    expect(errorOf(dup)?.fields?.text).toBe('already on the checklist');
    const ventilation = list[0]!.id;
    const renamed = await call(w.headA.cookie, { method: 'PATCH', url: `/api/v1/places/${p.id}/checklist/${ventilation}`, body: { text: '通风换气' } });
    expect((renamed.json as PlaceDetail).checklist[0]).toMatchObject({ id: ventilation, text: '通风换气' });
    const retired = await call(w.headA.cookie, { method: 'PATCH', url: `/api/v1/places/${p.id}/checklist/${list[1]!.id}`, body: { retired: true } });
    const after = (retired.json as PlaceDetail).checklist;
    expect(after.filter((i) => i.retiredAt === null).map((i) => [i.position, i.text])).toEqual([
      [1, '通风换气'],
      [2, '消毒记录'],
      [3, '测温点'],
      [4, '人员密集处佩戴口罩'],
    ]);
    expect(after.at(-1)).toMatchObject({ text: '食堂分餐', retiredAt: t.clock.now() });

    // Change: frequency moves the due day; the responsible person may be removed.
    const changed = await call(w.headA.cookie, { method: 'PATCH', url: `/api/v1/places/${p.id}`, body: { frequencyDays: 3, responsiblePersonId: null, risk: 'medium' } });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ frequencyDays: 3, responsiblePersonId: null, risk: 'medium', nextDueAt: shanghai('2026-11-27T00:00:00') });

    // Archive: kept, read-only, out of the active list, in the archived one.
    const archived = await call(w.headA.cookie, { method: 'POST', url: `/api/v1/places/${p.id}/archive` });
    expect(archived.json).toMatchObject({ nextDueAt: null, due: false, abilities: { edit: false, inspect: false, archive: false } });
    expect((await call(w.headA.cookie, { method: 'PATCH', url: `/api/v1/places/${p.id}`, body: { name: 'x' } })).status).toBe(409);
    const active = (await call(w.headA.cookie, { method: 'GET', url: '/api/v1/places', query: { unitId: String(w.a.id) } })).json as PlacePage;
    expect(active.items.map((i) => i.id)).not.toContain(p.id);
    const old = (await call(w.headA.cookie, { method: 'GET', url: '/api/v1/places', query: { unitId: String(w.a.id), archived: 'true' } })).json as PlacePage;
    expect(old.items.map((i) => i.id)).toEqual([p.id]);
    // Every change left an audit row.
    const actions = (await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'place').where('entity_id', '=', String(p.id)).execute()).map((r) => r.action);
    expect(actions).toEqual(['place.created', 'place.checklist_item_added', 'place.checklist_item_updated', 'place.checklist_item_updated', 'place.updated', 'place.archived']);
  });

  it('names every bad field, changes nothing, and hides places outside the scope', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const stranger = await buildPerson(t, w.b);
    const before = await t.deps.db.selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: place(w.depot.id, { kind: 'airport', frequencyDays: 91, checklist: [] }) });
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad)?.fields ?? {}).sort()).toEqual(['checklist', 'frequencyDays', 'kind']);
    const extra = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: { ...place(w.depot.id), colour: 'red' } });
    expect(extra.status).toBe(400);
    const outsider = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: place(w.depot.id, { responsiblePersonId: stranger.id }) });
    expect(outsider.status).toBe(400);
    expect(errorOf(outsider)?.fields?.responsiblePersonId).toContain('not an active person of 一场站');
    const elsewhere = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: place(w.b.id) });
    expect(elsewhere.status).toBe(400);
    expect(errorOf(elsewhere)?.fields?.unitId).toBe('no such unit');
    // A liaison reads and inspects but may not register.
    expect((await call(w.liaisonA.cookie, { method: 'POST', url: '/api/v1/places', body: place(w.depot.id) })).status).toBe(403);
    const after = await t.deps.db.selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    const p = (await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: place(w.depot.id) })).json as PlaceDetail;
    expect((await call(w.headB.cookie, { method: 'GET', url: `/api/v1/places/${p.id}` })).status).toBe(404);
    expect((await call(w.headB.cookie, { method: 'PATCH', url: `/api/v1/places/${p.id}`, body: { name: '改名' } })).status).toBe(404);
    expect((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/places', query: { unitId: String(w.a.id) } })).status).toBe(404);
    const theirs = (await call(w.headB.cookie, { method: 'GET', url: '/api/v1/places' })).json as PlacePage;
    expect(theirs.items.map((i) => i.id)).not.toContain(p.id);
    const liaison = (await call(w.liaisonA.cookie, { method: 'GET', url: `/api/v1/places/${p.id}` })).json as PlaceDetail;
    expect(liaison.abilities).toEqual({ edit: false, inspect: true, archive: false });
    // Filters: kind, risk, q.
    const q = async (query: Record<string, string>) => ((await call(w.command.cookie, { method: 'GET', url: '/api/v1/places', query: { unitId: String(w.a.id), ...query } })).json as PlacePage).items.map((i) => i.id);
    expect(await q({ kind: 'depot', risk: 'high', q: '停车' })).toEqual([p.id]);
    expect(await q({ kind: 'canteen' })).toEqual([]);
    expect(await q({ q: '黄岛' })).toEqual([p.id]);
  });

  it('lists blind spots: overdue by frequency in Shanghai days, never inspected, without a responsible person; not archived ones', async () => {
    t.clock.set(shanghai('2026-11-01T23:30:00'));
    const w = await world();
    const keeper = await buildPerson(t, w.depot);
    const mk = async (name: string, frequencyDays: number, responsible: boolean) =>
      ((await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: place(w.depot.id, { name, frequencyDays, ...(responsible ? { responsiblePersonId: keeper.id } : {}) }) })).json as PlaceDetail).id;
    const weekly = await mk('每周', 7, true);
    const monthly = await mk('每月', 30, true);
    const orphan = await mk('无人负责', 30, false);
    const gone = await mk('已归档', 1, false);
    await call(w.headA.cookie, { method: 'POST', url: `/api/v1/places/${gone}/archive` });

    // 8 Nov 23:59 Shanghai (15:59 UTC): the weekly place is due today, not yet a blind spot.
    t.clock.set(shanghai('2026-11-08T23:59:00'));
    // Sessions expire while the clock runs a week: sign in again.
    for (const m of [w.headA, w.headB, w.liaisonA]) m.cookie = await loginAs(t, m.user.id);
    let spots = (await call(w.headA.cookie, { method: 'GET', url: '/api/v1/places/blind-spots', query: { unitId: String(w.a.id) } })).json as BlindSpotList;
    expect(spots.items.map((s) => [s.placeName, s.reasons, s.daysOverdue])).toEqual([['无人负责', ['no_responsible'], 0]]);
    const due = ((await call(w.headA.cookie, { method: 'GET', url: '/api/v1/places', query: { unitId: String(w.a.id), due: 'true' } })).json as PlacePage).items.map((i) => i.id);
    expect(due).toEqual([weekly]);

    // One minute later it is 9 Nov in Shanghai (still 8 Nov in UTC): one day overdue.
    t.clock.set(shanghai('2026-11-09T00:01:00'));
    spots = await blindSpotsIn(t.deps.db, w.a.path, t.clock.now(), t.deps.config.timeZone);
    expect(spots.total).toBe(2);
    expect(spots.items[0]).toMatchObject({ placeId: weekly, reasons: ['never_inspected'], daysOverdue: 1, responsibleName: keeper.name, unitName: '一场站', nextDueAt: shanghai('2026-11-08T00:00:00') });
    expect(spots.items.map((s) => s.placeId)).not.toContain(monthly);
    expect(spots.items.map((s) => s.placeId)).not.toContain(gone);

    // Outside the subtree, nothing; without places.read, 403.
    expect(((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/places/blind-spots' })).json as BlindSpotList).items.filter((s) => [weekly, orphan].includes(s.placeId))).toEqual([]);
    expect((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/places/blind-spots', query: { unitId: String(w.a.id) } })).status).toBe(404);
    const employee = await member(w.a, 'employee');
    expect((await call(employee.cookie, { method: 'GET', url: '/api/v1/places/blind-spots' })).status).toBe(403);
    expect((await call(employee.cookie, { method: 'GET', url: '/api/v1/me/inspectable-places' })).json).toEqual({ items: [] });

    // The phone's list: the liaison's places, most overdue first.
    const mine = (await call(w.liaisonA.cookie, { method: 'GET', url: '/api/v1/me/inspectable-places' })).json as { items: { id: number; due: boolean; itemCount: number }[] };
    expect(mine.items.map((i) => i.id)).toEqual([weekly, monthly, orphan]);
    expect(mine.items[0]).toMatchObject({ due: true, itemCount: 4 });
  });
});
