// The server's own time zone must not matter: the deployment is in Shanghai.
process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../../../common/day.js';
import type { Canteen, MyDining, Plan, PlanSummary } from '../../../common/schemas/dining.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';

describe.each(testDialects())('canteens and staggered dining on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
    t.clock.set(Date.parse('2026-11-24T09:00:00+08:00'));
  });
  afterAll(async () => t?.close());

  async function call(userId: number, req: HttpRequest) {
    return send(await t.app(), await loginAs(t, userId), req);
  }
  async function ok<T>(userId: number, req: HttpRequest, status = 200): Promise<T> {
    const r = await call(userId, req);
    if (r.status !== status) throw new Error(`${req.method} ${req.url} → ${r.status} ${r.raw}`);
    return r.json as T;
  }
  const today = () => dayOf(t.clock.now(), t.deps.config.timeZone);
  const people = async (unit: UnitRow, n: number) => {
    for (let i = 0; i < n; i++) await buildPerson(t, unit);
  };

  /** A subsidiary with three departments (40, 20, 10 people; the third with a team of 5 below it), a liaison at the first, a command office at the group. */
  async function world() {
    const group = await buildUnit(t, { name: '集团' });
    const sub = await buildUnit(t, { parent: group, name: '子公司' });
    const a = await buildUnit(t, { parent: sub, name: '甲部' });
    const b = await buildUnit(t, { parent: sub, name: '乙部' });
    const c = await buildUnit(t, { parent: sub, name: '丙部' });
    const team = await buildUnit(t, { parent: c, name: '丙部一班' });
    const other = await buildUnit(t, { parent: group, name: '另一子公司' });
    await people(a, 40);
    await people(b, 20);
    await people(c, 5);
    await people(team, 4);
    const member = await buildPerson(t, team, { name: '班组成员' });
    const memberUser = await buildUser(t, [{ role: 'employee', unit: team }], { personId: member.id });
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const head = await buildUser(t, [{ role: 'unit_head', unit: sub }]);
    const command = await buildUser(t, [{ role: 'command', unit: group }]);
    return { group, sub, a, b, c, team, other, member, memberUser: memberUser.id, liaison: liaison.id, head: head.id, command: command.id };
  }
  type World = Awaited<ReturnType<typeof world>>;

  const canteenBody = (w: World) => ({
    unitId: w.sub.id,
    name: '子公司食堂',
    capacity: 100,
    slotMinutes: 20,
    windows: { lunch: { from: '11:00', to: '12:00' }, dinner: { from: '17:00', to: '18:00' } },
    diners: [{ unitId: w.a.id }, { unitId: w.b.id, meals: ['lunch'] }, { unitId: w.c.id, meals: ['lunch'], windows: { lunch: { from: '11:20', to: '12:00' } } }],
  });

  it('keeps a canteen, refusing bad windows and diner lists with the field named and nothing written', async () => {
    const w = await world();
    const count = async () => Number((await t.deps.db.selectFrom('canteens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const bad = async (patch: Record<string, unknown>, field: string) => {
      const r = await call(w.head, { method: 'POST', url: '/api/v1/canteens', body: { ...canteenBody(w), ...patch } });
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(Object.keys(errorOf(r)?.fields ?? {})).toContain(field);
    };
    await bad({ windows: { lunch: { from: '11:00', to: '11:50' } } }, 'windows.lunch');
    await bad({ windows: {} }, 'windows');
    await bad({ windows: { lunch: { from: '12:00', to: '11:00' } } }, 'windows.lunch.to');
    await bad({ diners: [{ unitId: w.other.id }] }, 'diners.0.unitId');
    await bad({ diners: [{ unitId: w.c.id }, { unitId: w.team.id }] }, 'diners.1.unitId');
    await bad({ diners: [{ unitId: w.a.id, meals: ['breakfast'] }] }, 'diners.0.meals');
    await bad({ diners: [{ unitId: w.a.id, windows: { lunch: { from: '10:40', to: '11:40' } } }] }, 'diners.0.windows.lunch');
    await bad({ diners: [{ unitId: w.a.id }, { unitId: w.a.id }] }, 'diners');
    await bad({ slotMinutes: 25 }, 'slotMinutes');
    expect(await count()).toBe(before);

    const c = await ok<Canteen>(w.head, { method: 'POST', url: '/api/v1/canteens', body: canteenBody(w) }, 201);
    expect(c.diners.map((d) => [d.unitName, d.meals, d.headcount])).toEqual([
      ['甲部', ['lunch', 'dinner'], 40],
      ['乙部', ['lunch'], 20],
      ['丙部', ['lunch'], 10],
    ]);
    expect(c.abilities).toEqual({ write: true, plan: false });
    // A unit eats one meal at one canteen: a second canteen may not take 甲部's lunch.
    const r = await call(w.head, { method: 'POST', url: '/api/v1/canteens', body: { ...canteenBody(w), name: '二食堂', diners: [{ unitId: w.a.id }] } });
    expect(r.status).toBe(400);
    expect(errorOf(r)?.fields?.['diners.0.unitId']).toMatch(/already eats lunch/);
    // The list answers counts; the command office sees it, an outsider's grant does not.
    const list = await ok<{ items: { id: number; dinerUnits: number; headcount: number }[] }>(w.command, { method: 'GET', url: '/api/v1/canteens', query: { unitId: String(w.sub.id) } });
    expect(list.items.find((i) => i.id === c.id)).toMatchObject({ dinerUnits: 3, headcount: 70 });
    const otherHead = await buildUser(t, [{ role: 'unit_head', unit: w.other }]);
    expect((await call(otherHead.id, { method: 'GET', url: `/api/v1/canteens/${c.id}` })).status).toBe(404);
  });

  it('runs, adjusts, publishes and supersedes plans, keeps the history, and shows each person their slot', async () => {
    const w = await world();
    const c = await ok<Canteen>(w.head, { method: 'POST', url: '/api/v1/canteens', body: canteenBody(w) }, 201);
    // A unit head keeps the canteen but does not plan: that is the command office's.
    expect((await call(w.head, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans`, body: {} })).status).toBe(403);

    const draft = await ok<Plan>(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans`, body: {} }, 201);
    expect(draft).toMatchObject({ status: 'draft', day: today(), density: 0.5, seatsPerSlot: 50, fromDay: null, unplacedUnits: 0 });
    const lunch = draft.meals.find((m) => m.meal === 'lunch')!;
    // 甲部 (40) first into 11:00; 乙部 (20) the least loaded, 11:20; 丙部 (10, 11:20–12:00) into 11:40.
    expect(lunch.slots.map((s) => [s.start, s.load, s.units.map((u) => u.unitName)])).toEqual([
      ['11:00', 40, ['甲部']],
      ['11:20', 20, ['乙部']],
      ['11:40', 10, ['丙部']],
    ]);
    expect(draft.meals.find((m) => m.meal === 'dinner')!.slots[0]).toMatchObject({ start: '17:00', load: 40 });

    // Over the seats is refused naming the slot; forced with a reason it is kept with the reason.
    const move = (body: Record<string, unknown>) => call(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans/${draft.id}/moves`, body });
    const over = await move({ unitId: w.b.id, meal: 'lunch', slotStart: '11:00' });
    expect(over.status).toBe(400);
    expect(errorOf(over)?.fields?.slotStart).toMatch(/11:00–11:20 would have 60 people for 50 seats/);
    const outside = await move({ unitId: w.c.id, meal: 'lunch', slotStart: '11:00' });
    expect(errorOf(outside)?.fields?.slotStart).toMatch(/outside the unit's window 11:20–12:00/);
    expect((await move({ unitId: w.b.id, meal: 'lunch', slotStart: '11:00', force: true })).status).toBe(400);
    const forced = await move({ unitId: w.b.id, meal: 'lunch', slotStart: '11:00', force: true, reason: '加开临时餐桌' });
    expect(forced.status).toBe(200);
    const moved = (forced.json as Plan).meals.find((m) => m.meal === 'lunch')!.slots[0]!;
    expect(moved).toMatchObject({ load: 60, seats: 50 });
    expect(moved.units.find((u) => u.unitId === w.b.id)!.forcedReason).toBe('加开临时餐桌');
    await ok(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans/${draft.id}/moves`, body: { unitId: w.b.id, meal: 'lunch', slotStart: '11:20' } });

    const published = await ok<Plan>(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans/${draft.id}/publish`, body: {} });
    expect(published).toMatchObject({ status: 'published', fromDay: today(), untilDay: null, abilities: { move: false, publish: false, discard: false } });
    // 甲部's liaison is told in-app.
    const told = await t.deps.db.selectFrom('notifications').select('kind').where('user_id', '=', w.liaison).execute();
    expect(told.map((n) => n.kind)).toContain('dining.plan_published');
    expect((await call(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans/${draft.id}/moves`, body: { unitId: w.b.id, meal: 'lunch', slotStart: '11:00' } })).status).toBe(409);
    expect((await call(w.command, { method: 'DELETE', url: `/api/v1/canteens/${c.id}/plans/${draft.id}` })).status).toBe(409);

    // The team member eats with 丙部, their nearest diner unit: lunch only.
    const mine = await ok<MyDining>(w.memberUser, { method: 'GET', url: '/api/v1/me/dining' });
    expect(mine.meals).toEqual([{ meal: 'lunch', canteenId: c.id, canteenName: '子公司食堂', unitId: w.c.id, unitName: '丙部', start: '11:40', end: '12:00', planId: draft.id, fromDay: today() }]);
    expect(mine.next).toEqual([]);

    // 丙部 now eats 11:20–11:40 from tomorrow: a new plan published from then supersedes the first.
    await ok(w.head, { method: 'PATCH', url: `/api/v1/canteens/${c.id}`, body: { diners: [{ unitId: w.a.id }, { unitId: w.b.id, meals: ['lunch'] }, { unitId: w.c.id, meals: ['lunch'], windows: { lunch: { from: '11:20', to: '11:40' } } }] } });
    const second = await ok<Plan>(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans`, body: { day: addDays(today(), 1) } }, 201);
    const pastDay = await call(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans/${second.id}/publish`, body: { fromDay: addDays(today(), -1) } });
    expect(errorOf(pastDay)?.fields?.fromDay).toBeDefined();
    await ok(w.command, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans/${second.id}/publish`, body: {} });
    const history = await ok<{ items: PlanSummary[] }>(w.head, { method: 'GET', url: `/api/v1/canteens/${c.id}/plans` });
    expect(history.items.map((p) => [p.id, p.status, p.fromDay, p.untilDay])).toEqual([
      [second.id, 'published', addDays(today(), 1), null],
      [draft.id, 'superseded', today(), addDays(today(), 1)],
    ]);
    // Today still the first plan's slot; tomorrow's is announced as next.
    const again = await ok<MyDining>(w.memberUser, { method: 'GET', url: '/api/v1/me/dining' });
    expect(again.meals.map((m) => [m.planId, m.start])).toEqual([[draft.id, '11:40']]);
    expect(again.next.map((m) => [m.planId, m.start, m.fromDay])).toEqual([[second.id, '11:20', addDays(today(), 1)]]);
    t.clock.advance(24 * 3_600_000);
    const tomorrow = await ok<MyDining>(w.memberUser, { method: 'GET', url: '/api/v1/me/dining' });
    expect(tomorrow.meals.map((m) => [m.planId, m.start])).toEqual([[second.id, '11:20']]);
    const audited = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'dining_plan').execute();
    expect(new Set(audited.map((a) => a.action))).toEqual(new Set(['dining_plan.created', 'dining_plan.unit_moved', 'dining_plan.published']));
  });

  it('sends each person to their nearest diner unit across canteens, and reports a unit too large for a slot', async () => {
    const w = await world();
    // The group canteen feeds the subsidiary as a whole; the subsidiary's own canteen feeds 甲部.
    const groupCanteen = await ok<Canteen>(w.command, {
      method: 'POST',
      url: '/api/v1/canteens',
      body: { unitId: w.group.id, name: '集团食堂', capacity: 60, slotMinutes: 30, windows: { lunch: { from: '11:30', to: '12:30' } }, diners: [{ unitId: w.sub.id }] },
    }, 201);
    const subCanteen = await ok<Canteen>(w.command, {
      method: 'POST',
      url: '/api/v1/canteens',
      body: { unitId: w.sub.id, name: '子公司食堂', capacity: 200, slotMinutes: 30, windows: { lunch: { from: '11:00', to: '12:00' } }, diners: [{ unitId: w.a.id }] },
    }, 201);
    // Before 甲部 ate at its own canteen the subsidiary brought all 70; now it brings 20 + 10 = 30,
    // exactly the 30 seats of a slot.
    expect(groupCanteen.diners[0]!.headcount).toBe(70);
    expect((await ok<Canteen>(w.command, { method: 'GET', url: `/api/v1/canteens/${groupCanteen.id}` })).diners[0]!.headcount).toBe(30);
    const g = await ok<Plan>(w.command, { method: 'POST', url: `/api/v1/canteens/${groupCanteen.id}/plans`, body: {} }, 201);
    expect(g.meals[0]!.slots[0]!.load).toBe(30);
    await ok(w.command, { method: 'POST', url: `/api/v1/canteens/${groupCanteen.id}/plans/${g.id}/publish`, body: {} });
    const s = await ok<Plan>(w.command, { method: 'POST', url: `/api/v1/canteens/${subCanteen.id}/plans`, body: {} }, 201);
    await ok(w.command, { method: 'POST', url: `/api/v1/canteens/${subCanteen.id}/plans/${s.id}/publish`, body: {} });
    const mine = await ok<MyDining>(w.memberUser, { method: 'GET', url: '/api/v1/me/dining' });
    expect(mine.meals.map((m) => [m.canteenName, m.unitName, m.start])).toEqual([['集团食堂', '子公司', '11:30']]);
    const aPerson = await buildPerson(t, w.a);
    const aUser = await buildUser(t, [{ role: 'employee', unit: w.a }], { personId: aPerson.id });
    expect((await ok<MyDining>(aUser.id, { method: 'GET', url: '/api/v1/me/dining' })).meals.map((m) => [m.canteenName, m.unitName])).toEqual([['子公司食堂', '甲部']]);

    // One more person in 乙部 and the subsidiary (31) no longer fits a 30-seat slot whole.
    await buildPerson(t, w.b);
    const again = await ok<Plan>(w.command, { method: 'POST', url: `/api/v1/canteens/${groupCanteen.id}/plans`, body: {} }, 201);
    expect(again.meals[0]!.unplaced).toEqual([{ unitId: w.sub.id, unitName: '子公司', headcount: 31, reason: 'too_large', window: { from: '11:30', to: '12:30' } }]);
    // Archiving the canteen ends its plans today: nobody is sent there any more.
    await ok(w.command, { method: 'DELETE', url: `/api/v1/canteens/${groupCanteen.id}` });
    expect((await ok<MyDining>(w.memberUser, { method: 'GET', url: '/api/v1/me/dining' })).meals).toEqual([]);
  });
});
