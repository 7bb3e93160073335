import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { HoursReport, MyVolunteer, OnShiftNow, Post, PostPage, Shift, ShiftGrid, ShiftList, Volunteer, VolunteerPage, VolunteerRequest } from '../../../common/schemas/volunteers.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { gapsOf, patternSlots } from './posts.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('volunteer shift pieces', () => {
  it('lays pattern slots from the start hour, only within the covered hours of each day', () => {
    const slots = patternSlots({ from: '2026-11-25', to: '2026-11-26', startHour: 8, shiftHours: 4, hoursPerDay: 12 }, 'Asia/Shanghai');
    expect(slots.map((s) => [s.starts_at, s.ends_at])).toEqual([
      [shanghai('2026-11-25T08:00:00'), shanghai('2026-11-25T12:00:00')],
      [shanghai('2026-11-25T12:00:00'), shanghai('2026-11-25T16:00:00')],
      [shanghai('2026-11-25T16:00:00'), shanghai('2026-11-25T20:00:00')],
      [shanghai('2026-11-26T08:00:00'), shanghai('2026-11-26T12:00:00')],
      [shanghai('2026-11-26T12:00:00'), shanghai('2026-11-26T16:00:00')],
      [shanghai('2026-11-26T16:00:00'), shanghai('2026-11-26T20:00:00')],
    ]);
    // A whole day: the last slot ends at the next day's start hour.
    expect(patternSlots({ from: '2026-11-25', to: '2026-11-25', startHour: 8, shiftHours: 12, hoursPerDay: 24 }, 'Asia/Shanghai').at(-1)!.ends_at).toBe(shanghai('2026-11-26T08:00:00'));
  });

  it('flags as gaps the stretches of short shifts no fully staffed shift covers, merged', () => {
    const s = (start: number, end: number, short: boolean) => ({ id: start, postId: 1, startsAt: start, endsAt: end, needed: 2, assignees: [], short }) as Shift;
    expect(gapsOf([s(0, 4, false), s(4, 8, true), s(8, 12, true), s(6, 10, false)])).toEqual([
      { startsAt: 4, endsAt: 6 },
      { startsAt: 10, endsAt: 12 },
    ]);
    expect(gapsOf([s(0, 4, false)])).toEqual([]);
  });
});

describe.each(testDialects())('front-line volunteers on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }

  async function member(unit: UnitRow, role: Role, name?: string) {
    const person = await buildPerson(t, unit, name ? { name } : {});
    const user = await buildUser(t, [{ role, unit }], { personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }

  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '公交公司', kind: 'subsidiary' });
    const depot = await buildUnit(t, { parent: a, name: '一场站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空', kind: 'subsidiary' });
    return {
      root,
      a,
      depot,
      b,
      command: await member(root, 'command'),
      headA: await member(a, 'unit_head'),
      headDepot: await member(depot, 'unit_head'),
      headB: await member(b, 'unit_head'),
      driver: await member(depot, 'employee', '张司机'),
      nurse: await member(b, 'employee', '李护士'),
    };
  }
  type W = Awaited<ReturnType<typeof world>>;

  async function signUp(who: { cookie: string }, body: Record<string, unknown>) {
    const r = await call(who.cookie, { method: 'PUT', url: '/api/v1/me/volunteer', body });
    expect(r.status).toBe(200);
    return (r.json as MyVolunteer).profile!;
  }

  async function postAt(w: W, who: { cookie: string }, unit: UnitRow, extra: Record<string, unknown> = {}) {
    const r = await call(who.cookie, { method: 'POST', url: '/api/v1/volunteer-posts', body: { unitId: unit.id, kind: 'checkpoint', title: '场站卡口', needed: 2, activeFrom: '2026-11-25', activeTo: '2026-11-30', ...extra } });
    expect(r.status).toBe(201);
    return r.json as Post;
  }

  it('signs up on the phone, is found in scope by tag and skill, leaves and rejoins; a unit adds a person with consent', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const none = await call(w.driver.cookie, { method: 'GET', url: '/api/v1/me/volunteer' });
    expect(none.json).toEqual({ profile: null, upcoming: [], hoursServed: 0 });
    const me = await signUp(w.driver, { partyMember: true, skills: ['驾驶', '心理'], availability: '周末全天' });
    expect(me).toMatchObject({ name: '张司机', unitId: w.depot.id, partyMember: true, youthLeague: false, skills: ['驾驶', '心理'], availability: '周末全天', selfSignedUp: true, leftAt: null });
    const bad = await call(w.driver.cookie, { method: 'PUT', url: '/api/v1/me/volunteer', body: { skills: ['驾驶', '驾驶'] } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)?.fields?.skills).toBeDefined();

    const byTag = await call(w.headA.cookie, { method: 'GET', url: '/api/v1/volunteers', query: { tag: 'party_member', unitId: String(w.a.id) } });
    expect((byTag.json as VolunteerPage).items.map((v) => v.id)).toEqual([me.id]);
    const bySkill = await call(w.headA.cookie, { method: 'GET', url: '/api/v1/volunteers', query: { skill: '医护', unitId: String(w.a.id) } });
    expect((bySkill.json as VolunteerPage).total).toBe(0);
    const bySkill2 = await call(w.headA.cookie, { method: 'GET', url: '/api/v1/volunteers', query: { skill: '心理', unitId: String(w.a.id) } });
    expect((bySkill2.json as VolunteerPage).items.map((v) => v.name)).toEqual(['张司机']);
    // Another branch does not see them.
    expect((await call(w.headB.cookie, { method: 'GET', url: `/api/v1/volunteers/${me.id}` })).status).toBe(404);
    const listB = await call(w.headB.cookie, { method: 'GET', url: '/api/v1/volunteers' });
    expect((listB.json as VolunteerPage).items.some((v) => v.id === me.id)).toBe(false);

    // A unit adds one of its people, with consent noted; again is a 409; outside its scope is a 400.
    const added = await call(w.headB.cookie, { method: 'POST', url: '/api/v1/volunteers', body: { personId: w.nurse.person.id, youthLeague: true, skills: ['医护'], consentNote: '本人书面同意' } });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ name: '李护士', youthLeague: true, selfSignedUp: false, consentNote: '本人书面同意', abilities: { edit: true } });
    expect((await call(w.headB.cookie, { method: 'POST', url: '/api/v1/volunteers', body: { personId: w.nurse.person.id, consentNote: '再次' } })).status).toBe(409);
    const outside = await call(w.headB.cookie, { method: 'POST', url: '/api/v1/volunteers', body: { personId: w.driver.person.id, consentNote: '同意' } });
    expect(outside.status).toBe(400);
    expect(errorOf(outside)?.fields?.personId).toBe('no such person');

    // Leave on the phone, then rejoin.
    const left = await call(w.driver.cookie, { method: 'POST', url: '/api/v1/me/volunteer/leave' });
    expect((left.json as MyVolunteer).profile?.leftAt).toBe(t.clock.now());
    expect(((await call(w.headA.cookie, { method: 'GET', url: '/api/v1/volunteers', query: { unitId: String(w.a.id) } })).json as VolunteerPage).total).toBe(0);
    expect(((await call(w.headA.cookie, { method: 'GET', url: '/api/v1/volunteers', query: { unitId: String(w.a.id), left: 'true' } })).json as VolunteerPage).total).toBe(1);
    const back = await signUp(w.driver, { partyMember: true, skills: ['驾驶'] });
    expect(back).toMatchObject({ id: me.id, leftAt: null, skills: ['驾驶'] });
    // An account without a person cannot sign up.
    const loose = await buildUser(t, [{ role: 'liaison', unit: w.a }]);
    expect((await call(await loginAs(t, loose.id), { method: 'PUT', url: '/api/v1/me/volunteer', body: {} })).status).toBe(409);
  });

  it('keeps posts in scope: another branch reads 404, a unit or place outside is a 400 naming the field', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const placeRes = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/places', body: { unitId: w.depot.id, name: '一场站大门', kind: 'depot', risk: 'high', frequencyDays: 7 } });
    const placeB = await call(w.headB.cookie, { method: 'POST', url: '/api/v1/places', body: { unitId: w.b.id, name: '航站楼', kind: 'terminal', risk: 'high', frequencyDays: 7 } });
    const post = await postAt(w, w.headA, w.depot, { placeId: (placeRes.json as { id: number }).id });
    expect(post).toMatchObject({ unitName: '一场站', placeName: '一场站大门', kind: 'checkpoint', needed: 2, shortShifts: 0, abilities: { edit: true, ask: true } });
    expect((await call(w.headB.cookie, { method: 'GET', url: `/api/v1/volunteer-posts/${post.id}` })).status).toBe(404);
    expect((await call(w.headB.cookie, { method: 'GET', url: `/api/v1/volunteer-posts/${post.id}/shifts` })).status).toBe(404);
    expect((await call(w.headB.cookie, { method: 'PATCH', url: `/api/v1/volunteer-posts/${post.id}`, body: { title: 'x' } })).status).toBe(404);
    const wrongUnit = await call(w.headB.cookie, { method: 'POST', url: '/api/v1/volunteer-posts', body: { unitId: w.depot.id, kind: 'other', title: 'x', needed: 1, activeFrom: '2026-11-25', activeTo: '2026-11-25' } });
    expect(errorOf(wrongUnit)?.fields?.unitId).toBe('no such unit');
    const wrongPlace = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/volunteer-posts', body: { unitId: w.depot.id, placeId: (placeB.json as { id: number }).id, kind: 'other', title: 'x', needed: 1, activeFrom: '2026-11-25', activeTo: '2026-11-25' } });
    expect(errorOf(wrongPlace)?.fields?.placeId).toBe('no such place');
    const backwards = await call(w.headA.cookie, { method: 'POST', url: '/api/v1/volunteer-posts', body: { unitId: w.depot.id, kind: 'other', title: 'x', needed: 1, activeFrom: '2026-11-25', activeTo: '2026-11-24' } });
    expect(errorOf(backwards)?.fields?.activeTo).toBeDefined();
    // A liaison reads but does not create.
    const liaison = await member(w.a, 'liaison');
    expect((await call(liaison.cookie, { method: 'GET', url: `/api/v1/volunteer-posts/${post.id}` })).status).toBe(200);
    expect((await call(liaison.cookie, { method: 'POST', url: '/api/v1/volunteer-posts', body: { unitId: w.depot.id, kind: 'other', title: 'x', needed: 1, activeFrom: '2026-11-25', activeTo: '2026-11-25' } })).status).toBe(403);
    const list = await call(w.command.cookie, { method: 'GET', url: '/api/v1/volunteer-posts', query: { unitId: String(w.a.id) } });
    expect((list.json as PostPage).items.map((p) => p.id)).toEqual([post.id]);
  });

  it('assigns volunteers to shifts: 409 naming an overlapping shift, short shifts are gaps until staffed; requests fill and notify; hours after the shift', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const driver = await signUp(w.driver, { partyMember: true, skills: ['驾驶'] });
    const other = await member(w.depot, 'employee', '王团员');
    const youth = await signUp(other, { youthLeague: true });
    const post = await postAt(w, w.headDepot, w.depot);
    const gen = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-posts/${post.id}/shifts/generate`, body: { from: '2026-11-25', to: '2026-11-25', startHour: 8, shiftHours: 4, hoursPerDay: 12 } });
    expect(gen.status).toBe(201);
    const shifts = (gen.json as ShiftList).items;
    expect(shifts.map((s) => [s.startsAt, s.needed, s.short])).toEqual([
      [shanghai('2026-11-25T08:00:00'), 2, true],
      [shanghai('2026-11-25T12:00:00'), 2, true],
      [shanghai('2026-11-25T16:00:00'), 2, true],
    ]);
    // Generating again repeats nothing.
    const again = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-posts/${post.id}/shifts/generate`, body: { from: '2026-11-25', to: '2026-11-25', startHour: 8, shiftHours: 4, hoursPerDay: 12 } });
    expect((again.json as ShiftList).items.map((s) => s.id)).toEqual(shifts.map((s) => s.id));
    const outsideDays = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-posts/${post.id}/shifts`, body: { startsAt: shanghai('2026-12-02T08:00:00'), endsAt: shanghai('2026-12-02T12:00:00') } });
    expect(errorOf(outsideDays)?.fields?.startsAt).toBeDefined();

    const grid0 = (await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/volunteer-posts/${post.id}/shifts`, query: { from: '2026-11-25', to: '2026-11-25' } })).json as ShiftGrid;
    expect(grid0.gaps).toEqual([{ startsAt: shanghai('2026-11-25T08:00:00'), endsAt: shanghai('2026-11-25T20:00:00') }]);
    expect(grid0.post.shortShifts).toBe(3);

    // The depot head assigns the driver to the morning shift.
    const s1 = shifts[0]!;
    const a1 = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s1.id}/assignments`, body: { volunteerId: driver.id } });
    expect(a1.status).toBe(201);
    expect((a1.json as Shift).assignees.map((a) => a.name)).toEqual(['张司机']);
    expect((await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s1.id}/assignments`, body: { volunteerId: driver.id } })).status).toBe(409);
    // An overlapping shift at another post: 409 naming the first.
    const post2 = await postAt(w, w.headA, w.a, { title: '物资配送', kind: 'delivery', needed: 1 });
    const made = await call(w.headA.cookie, { method: 'POST', url: `/api/v1/volunteer-posts/${post2.id}/shifts`, body: { startsAt: shanghai('2026-11-25T10:00:00'), endsAt: shanghai('2026-11-25T14:00:00') } });
    expect(made.status).toBe(201);
    const clash = await call(w.headA.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${(made.json as Shift).id}/assignments`, body: { volunteerId: driver.id } });
    expect(clash.status).toBe(409);
    expect(errorOf(clash)?.message).toContain(`shift ${s1.id}`);
    expect(errorOf(clash)?.message).toContain('场站卡口');
    expect(errorOf(clash)?.fields?.shiftId).toBe(String(s1.id));
    // A volunteer outside the assigner's scope reads as a 400 naming the field.
    const nurse = await call(w.headB.cookie, { method: 'POST', url: '/api/v1/volunteers', body: { personId: w.nurse.person.id, consentNote: '同意' } });
    const far = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s1.id}/assignments`, body: { volunteerId: (nurse.json as Volunteer).id } });
    expect(errorOf(far)?.fields?.volunteerId).toBe('no such volunteer');

    // The depot asks the pool for people for the afternoon; the command office is told.
    const ask = await call(w.headDepot.cookie, { method: 'POST', url: '/api/v1/volunteer-requests', body: { postId: post.id, count: 2, from: shanghai('2026-11-25T12:00:00'), to: shanghai('2026-11-25T20:00:00'), note: '下午缺人' } });
    expect(ask.status).toBe(201);
    const req = ask.json as VolunteerRequest;
    expect(req).toMatchObject({ status: 'open', filled: 0, count: 2, abilities: { answer: false, cancel: true } });
    const told = await t.deps.db.selectFrom('notifications').select(['kind', 'user_id']).where('entity', '=', 'volunteer_request').where('entity_id', '=', String(req.id)).execute();
    expect(told).toEqual([{ kind: 'volunteers.request_asked', user_id: w.command.user.id }]);
    // The depot itself may not answer its own request; the unit above (the pool's keeper) may.
    const s2 = shifts[1]!;
    expect((await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s2.id}/assignments`, body: { volunteerId: youth.id, requestId: req.id } })).status).toBe(403);
    const outsidePeriod = await call(w.command.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s1.id}/assignments`, body: { volunteerId: youth.id, requestId: req.id } });
    expect(errorOf(outsidePeriod)?.fields?.requestId).toBeDefined();
    expect((await call(w.command.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s2.id}/assignments`, body: { volunteerId: youth.id, requestId: req.id } })).status).toBe(201);
    let now = (await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/volunteer-requests/${req.id}` })).json as VolunteerRequest;
    expect(now).toMatchObject({ status: 'partly_filled', filled: 1 });
    expect(now.assignees.map((a) => [a.name, a.shiftId])).toEqual([['王团员', s2.id]]);
    expect((await call(w.command.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${shifts[2]!.id}/assignments`, body: { volunteerId: driver.id, requestId: req.id } })).status).toBe(201);
    now = (await call(w.command.cookie, { method: 'GET', url: `/api/v1/volunteer-requests/${req.id}` })).json as VolunteerRequest;
    expect(now).toMatchObject({ status: 'filled', filled: 2, closedAt: t.clock.now(), abilities: { answer: false, cancel: false } });
    const answered = await t.deps.db.selectFrom('notifications').select(['kind', 'user_id']).where('kind', '=', 'volunteers.request_answered').where('entity_id', '=', String(req.id)).execute();
    expect(answered.map((n) => n.user_id)).toEqual([w.headDepot.user.id, w.headDepot.user.id]);
    expect((await call(w.command.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s2.id}/assignments`, body: { volunteerId: driver.id, requestId: req.id } })).status).toBe(409);
    expect((await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-requests/${req.id}/cancel` })).status).toBe(409);
    // Unassigning one reopens it as partly filled; then the asker cancels it.
    const off = await call(w.headDepot.cookie, { method: 'DELETE', url: `/api/v1/volunteer-shifts/${shifts[2]!.id}/assignments/${driver.id}` });
    expect(off.status).toBe(200);
    expect(((await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/volunteer-requests/${req.id}` })).json as VolunteerRequest).status).toBe('partly_filled');
    const cancelled = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-requests/${req.id}/cancel` });
    expect(cancelled.json).toMatchObject({ status: 'cancelled' });
    const listed = await call(w.command.cookie, { method: 'GET', url: '/api/v1/volunteer-requests', query: { unitId: String(w.a.id) } });
    expect((listed.json as { items: VolunteerRequest[] }).items.map((r) => r.id)).toEqual([req.id]);
    expect((await call(w.headB.cookie, { method: 'GET', url: `/api/v1/volunteer-requests/${req.id}` })).status).toBe(404);

    // Second person on the morning shift: the morning is no longer a gap.
    expect((await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s1.id}/assignments`, body: { volunteerId: youth.id } })).status).toBe(201);
    expect((await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${s1.id}/assignments`, body: { volunteerId: (await signUp(await member(w.depot, 'employee'), {})).id } })).status).toBe(409);
    const grid = (await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/volunteer-posts/${post.id}/shifts`, query: { from: '2026-11-25', to: '2026-11-25' } })).json as ShiftGrid;
    expect(grid.shifts.map((s) => s.short)).toEqual([false, true, true]);
    expect(grid.gaps).toEqual([{ startsAt: shanghai('2026-11-25T12:00:00'), endsAt: shanghai('2026-11-25T20:00:00') }]);
    // A shift with people cannot be removed.
    expect((await call(w.headDepot.cookie, { method: 'DELETE', url: `/api/v1/volunteer-shifts/${s1.id}` })).status).toBe(409);

    // The phone shows the driver's shift; at 09:00 the command office sees who is on shift.
    const mine = (await call(w.driver.cookie, { method: 'GET', url: '/api/v1/me/volunteer' })).json as MyVolunteer;
    expect(mine.upcoming.map((s) => [s.shiftId, s.title])).toEqual([[s1.id, '场站卡口']]);
    t.clock.set(shanghai('2026-11-25T09:00:00'));
    // Sessions idle out over a day of test clock: sign in again.
    for (const who of [w.command, w.headB, w.driver, w.headDepot, w.headA]) who.cookie = await loginAs(t, who.user.id);
    const onNow = (await call(w.command.cookie, { method: 'GET', url: '/api/v1/volunteers/now' })).json as OnShiftNow;
    const here = onNow.posts.filter((p) => p.postId === post.id);
    expect(here.map((p) => p.people.map((x) => x.name).sort())).toEqual([['张司机', '王团员'].sort()]);
    expect((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/volunteers/now' })).json).toMatchObject({ posts: [], total: 0 });

    // Hours appear once the shift has ended.
    const before = (await call(w.command.cookie, { method: 'GET', url: '/api/v1/volunteers/hours', query: { unitId: String(w.depot.id), from: '2026-11-25', to: '2026-11-25' } })).json as HoursReport;
    expect(before.items).toEqual([]);
    t.clock.set(shanghai('2026-11-25T21:00:00'));
    for (const who of [w.command, w.headB, w.driver, w.headDepot, w.headA]) who.cookie = await loginAs(t, who.user.id);
    const after = (await call(w.command.cookie, { method: 'GET', url: '/api/v1/volunteers/hours', query: { unitId: String(w.depot.id), from: '2026-11-25', to: '2026-11-25' } })).json as HoursReport;
    expect(after.items.map((i) => [i.name, i.shifts, i.hours])).toEqual([
      ['王团员', 2, 8],
      ['张司机', 1, 4],
    ]);
    expect(after.totalHours).toBe(12);
    expect(((await call(w.driver.cookie, { method: 'GET', url: '/api/v1/me/volunteer' })).json as MyVolunteer).hoursServed).toBe(4);
    expect((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/volunteers/hours', query: { unitId: String(w.depot.id) } })).status).toBe(404);

    // Leaving drops shifts not yet started, keeps served hours.
    const next = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-posts/${post.id}/shifts`, body: { startsAt: shanghai('2026-11-26T08:00:00'), endsAt: shanghai('2026-11-26T12:00:00'), needed: 1 } });
    await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${(next.json as Shift).id}/assignments`, body: { volunteerId: driver.id } });
    const gone = await call(w.headA.cookie, { method: 'POST', url: `/api/v1/volunteers/${driver.id}/leave` });
    expect(gone.status).toBe(200);
    const mineAfter = (await call(w.driver.cookie, { method: 'GET', url: '/api/v1/me/volunteer' })).json as MyVolunteer;
    expect(mineAfter).toMatchObject({ upcoming: [], hoursServed: 4 });
  });

  it('two assignments at the same moment: one volunteer on two overlapping shifts, or two people on a shift needing one, lets exactly one through', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const driver = await signUp(w.driver, { partyMember: true });
    const youth = await signUp(await member(w.depot, 'employee', '李团员'), { youthLeague: true });
    const shiftOf = async (who: typeof w.headDepot, post: { id: number }, from: string, to: string) =>
      (await call(who.cookie, { method: 'POST', url: `/api/v1/volunteer-posts/${post.id}/shifts`, body: { startsAt: shanghai(from), endsAt: shanghai(to), needed: 1 } })).json as Shift;
    const p1 = await postAt(w, w.headDepot, w.depot, { title: '卡口甲', kind: 'checkpoint', needed: 1 });
    const p2 = await postAt(w, w.headDepot, w.depot, { title: '卡口乙', kind: 'checkpoint', needed: 1 });
    const a = await shiftOf(w.headDepot, p1, '2026-11-25T08:00:00', '2026-11-25T12:00:00');
    const b = await shiftOf(w.headDepot, p2, '2026-11-25T10:00:00', '2026-11-25T14:00:00');
    const assign = (shift: Shift, volunteerId: number) => call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/volunteer-shifts/${shift.id}/assignments`, body: { volunteerId } });
    const overlap = await Promise.all([assign(a, driver.id), assign(b, driver.id)]);
    expect(overlap.map((r) => r.status).sort()).toEqual([201, 409]);
    const c = await shiftOf(w.headDepot, p1, '2026-11-26T08:00:00', '2026-11-26T12:00:00');
    const full = await Promise.all([assign(c, driver.id), assign(c, youth.id)]);
    expect(full.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});
