import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../../../common/day.js';
import type { MeetingCheck, MeetingRegistration, Room } from '../../../common/schemas/meetings.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { sharedMeetings } from './meetings.contacts.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe.each(testDialects())('meeting registrations on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const call = async (cookie: string, req: HttpRequest) => send(await t.app(), cookie, req);
  const today = () => dayOf(t.clock.now(), t.deps.config.timeZone);

  /** A measure value: at a root 'set'; below it an approved exception (decided long ago), from `from`. */
  async function setMeasure(unit: UnitRow, key: string, value: number, from = '1970-01-01') {
    const approved = unit.parent_id !== null;
    await t.deps.db
      .insertInto('measure_values')
      .values({ unit_id: unit.id, measure_key: key, value, effective_from: from, status: approved ? 'approved' : 'set', reason: null, parent_value: null, requested_by_user_id: null, requested_at: t.clock.now(), decided_by_user_id: null, decided_at: approved ? t.clock.now() : null, decided_day: approved ? '1970-01-01' : null, decision_note: null })
      .execute();
  }

  /** Group → subsidiary → station, and a sibling subsidiary; the group sets the meeting measures. */
  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const sub = await buildUnit(t, { parent: root, name: '交发集团', kind: 'subsidiary' });
    const station = await buildUnit(t, { parent: sub, name: '青岛站' });
    const other = await buildUnit(t, { parent: root, name: '地产公司', kind: 'subsidiary' });
    await setMeasure(root, 'meeting.max_size', 30);
    await setMeasure(root, 'meeting.max_minutes', 60);
    await setMeasure(root, 'room.density', 50); // hundredths: 0.5
    const user = async (role: Parameters<typeof buildUser>[1][number]['role'], unit: UnitRow, name: string) => {
      const p = await buildPerson(t, unit, { name });
      const u = await buildUser(t, [{ role, unit }], { personId: p.id });
      return { id: u.id, personId: p.id, cookie: await loginAs(t, u.id) };
    };
    const w = {
      root,
      sub,
      station,
      other,
      command: await user('command', root, '防控办'),
      subHead: await user('unit_head', sub, '交发负责人'),
      stationHead: await user('unit_head', station, '站长'),
      liaison: await user('liaison', station, '站联络员'),
      liaison2: await user('liaison', station, '站联络员二'),
      outsider: await user('liaison', other, '地产联络员'),
      employee: await user('employee', station, '员工'),
    };
    const room = async (unit: UnitRow, body: Record<string, unknown>) => {
      const r = await call(w.command.cookie, { method: 'POST', url: '/api/v1/rooms', body: { unitId: unit.id, ...body } });
      expect(r.status).toBe(201);
      return r.json as Room;
    };
    return {
      ...w,
      bigRoom: await room(root, { name: '集团大会议室', building: '总部大楼', capacity: 41, ventilated: true }),
      smallRoom: await room(station, { name: '站会议室', building: '站房', capacity: 7, ventilated: true }),
      closedRoom: await room(station, { name: '地下会议室', building: '站房', capacity: 40, ventilated: false }),
    };
  }
  type World = Awaited<ReturnType<typeof world>>;

  const tomorrow10 = () => t.clock.now() + DAY; // the clock stands at 10:00 in Shanghai
  const body = (w: World, extra: Record<string, unknown> = {}) => ({ title: '安全生产例会', unitId: w.station.id, roomId: w.bigRoom.id, startAt: tomorrow10(), minutes: 60, attendees: 20, ...extra });
  const check = async (w: World, extra: Record<string, unknown>) => {
    const r = await call(w.liaison.cookie, { method: 'POST', url: '/api/v1/meeting-registrations/check', body: body(w, extra) });
    expect(r.status).toBe(200);
    return r.json as MeetingCheck;
  };
  const register = (w: World, extra: Record<string, unknown> = {}, cookie = w.liaison.cookie) => call(cookie, { method: 'POST', url: '/api/v1/meeting-registrations', body: body(w, extra) });

  it('checks every measure at its boundary: at the limit passes, one over fails, each breach naming its limit, value and unit', async () => {
    const w = await world();
    // Room of 41 seats at density 0.5: floor(20.5) = 20 people.
    const ok = await check(w, {});
    expect(ok).toMatchObject({ breaches: [], needsApproval: false, conflict: null, limits: { day: addDays(today(), 1), maxSize: 30, maxMinutes: 60, density: 0.5, roomLimit: 20, maxSizeFromUnitId: w.root.id } });
    expect((await check(w, { attendees: 21 })).breaches).toEqual([{ kind: 'room_density', measureKey: 'room.density', limit: 20, value: 21, fromUnitId: w.root.id, fromUnitName: '集团' }]);
    expect((await check(w, { minutes: 61 })).breaches).toEqual([{ kind: 'max_minutes', measureKey: 'meeting.max_minutes', limit: 60, value: 61, fromUnitId: w.root.id, fromUnitName: '集团' }]);
    // Outside rooms: only the size and the length (and the ventilation said by the registrant).
    expect((await check(w, { roomId: null, place: '站前广场', ventilated: true, attendees: 30 })).breaches).toEqual([]);
    expect((await check(w, { roomId: null, place: '站前广场', ventilated: true, attendees: 31 })).breaches.map((b) => [b.kind, b.limit, b.value])).toEqual([['max_size', 30, 31]]);
    // The density floor: 7 seats × 0.5 = 3.5 → 3.
    expect((await check(w, { roomId: w.smallRoom.id, attendees: 3 })).breaches).toEqual([]);
    expect((await check(w, { roomId: w.smallRoom.id, attendees: 4 })).breaches.map((b) => [b.kind, b.limit])).toEqual([['room_density', 3]]);
    // An unventilated room is a breach whatever the size; its flag is the default.
    expect((await check(w, { roomId: w.closedRoom.id, attendees: 2 })).breaches).toEqual([{ kind: 'unventilated', measureKey: null, limit: 1, value: 0, fromUnitId: null, fromUnitName: null }]);
    // Without a room the registrant must say.
    const noFlag = await call(w.liaison.cookie, { method: 'POST', url: '/api/v1/meeting-registrations/check', body: body(w, { roomId: null, place: '站前广场' }) });
    expect(noFlag.status).toBe(400);
    expect(noFlag.json).toMatchObject({ error: { fields: { ventilated: expect.any(String) } } });
  });

  it('density floor is integer arithmetic: 10 seats × 0.3 = 3 people, not 2', async () => {
    const w = await world();
    const unit = await buildUnit(t, { parent: w.station, name: '班组' });
    await setMeasure(unit, 'room.density', 30);
    const r = await call(w.command.cookie, { method: 'POST', url: '/api/v1/rooms', body: { unitId: unit.id, name: '班组活动室', capacity: 10, ventilated: true } });
    const c = await check(w, { unitId: unit.id, roomId: (r.json as Room).id, attendees: 3 });
    expect(c.limits).toMatchObject({ roomLimit: 3, density: 0.3, densityFromUnitId: unit.id });
    expect(c.breaches).toEqual([]);
  });

  it("reads the measures in force for the organising unit on the meeting's day: a parent's value, an approved stricter exception, a value that starts tomorrow", async () => {
    const w = await world();
    await setMeasure(w.station, 'meeting.max_size', 15); // approved stricter exception at the station
    await setMeasure(w.other, 'meeting.max_size', 10, addDays(today(), 1)); // starts tomorrow
    const atStation = await check(w, { attendees: 16, roomId: null, place: '候车室', ventilated: true });
    expect(atStation.breaches).toEqual([{ kind: 'max_size', measureKey: 'meeting.max_size', limit: 15, value: 16, fromUnitId: w.station.id, fromUnitName: '青岛站' }]);
    // A meeting of the subsidiary above it runs under the group's value.
    const sub = await call(w.subHead.cookie, { method: 'POST', url: '/api/v1/meeting-registrations/check', body: body(w, { unitId: w.sub.id, attendees: 16, roomId: null, place: '会议中心', ventilated: true }) });
    expect((sub.json as MeetingCheck).breaches).toEqual([]);
    // The other subsidiary: today under the group's 30, tomorrow under its own 10.
    const otherCheck = async (startAt: number) => {
      const r = await call(w.outsider.cookie, { method: 'POST', url: '/api/v1/meeting-registrations/check', body: { title: '例会', unitId: w.other.id, roomId: null, place: '售楼处', ventilated: true, startAt, minutes: 30, attendees: 12 } });
      expect(r.status).toBe(200);
      return r.json as MeetingCheck;
    };
    expect((await otherCheck(t.clock.now() + 60 * MIN)).limits).toMatchObject({ maxSize: 30, maxSizeFromUnitId: w.root.id });
    expect((await otherCheck(tomorrow10())).breaches).toMatchObject([{ kind: 'max_size', limit: 10, value: 12, fromUnitId: w.other.id }]);
  });

  it('registers within limits at once; over a limit it needs a reason (nothing saved without one), goes to pending and the unit head is told', async () => {
    const w = await world();
    const fine = await register(w);
    expect(fine.status).toBe(201);
    expect(fine.json).toMatchObject({ status: 'registered', overLimit: false, breaches: [], building: '总部大楼', abilities: { edit: true, cancel: true, decide: false } });

    const count = async () => Number((await t.deps.db.selectFrom('meeting_registrations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const noReason = await register(w, { attendees: 21, startAt: tomorrow10() + 2 * 60 * MIN });
    expect(noReason.status).toBe(400);
    expect(noReason.json).toMatchObject({ error: { code: 'validation', fields: { reason: expect.stringContaining('room_density 21 > 20') } } });
    const typo = await register(w, { startAt: tomorrow10() * 1000 });
    expect(typo.json).toMatchObject({ error: { fields: { startAt: expect.any(String) } } });
    expect(await count()).toBe(before);

    const over = await register(w, { attendees: 21, startAt: tomorrow10() + 2 * 60 * MIN, reason: '全站安全培训，需全员参加' });
    expect(over.status).toBe(201);
    const m = over.json as MeetingRegistration;
    expect(m).toMatchObject({ status: 'pending', overLimit: true, reason: '全站安全培训，需全员参加', breaches: [{ kind: 'room_density', limit: 20, value: 21 }] });
    const told = await t.deps.db.selectFrom('notifications').selectAll().where('entity', '=', 'meeting_registration').where('entity_id', '=', String(m.id)).execute();
    expect(told.map((n) => [n.user_id, n.kind])).toEqual([[w.stationHead.id, 'meeting.pending']]);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'meeting_registration').where('entity_id', '=', String(m.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['meeting_registration.created']);
  });

  it('approve and refuse: only meetings.approve over the unit, only while pending; the organiser is told', async () => {
    const w = await world();
    const pending = async (hour: number) => (await register(w, { attendees: 25, startAt: tomorrow10() + hour * 60 * MIN, reason: '培训' })).json as MeetingRegistration;
    const a = await pending(0);
    const approve = (cookie: string, id: number, note?: string) => call(cookie, { method: 'POST', url: `/api/v1/meeting-registrations/${id}/approve`, body: note ? { note } : {} });
    expect((await approve(w.liaison.cookie, a.id)).status).toBe(403);
    expect((await approve(w.outsider.cookie, a.id)).status).toBe(404);
    const done = await approve(w.stationHead.cookie, a.id, '同意，注意通风');
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'approved', decisionNote: '同意，注意通风', decidedBy: expect.any(String), abilities: { decide: false } });
    expect((await approve(w.stationHead.cookie, a.id)).status).toBe(409);
    // A head above the unit may decide too.
    const b = await pending(2);
    const noNote = await call(w.subHead.cookie, { method: 'POST', url: `/api/v1/meeting-registrations/${b.id}/refuse`, body: {} });
    expect(noNote.status).toBe(400);
    expect(noNote.json).toMatchObject({ error: { fields: { note: expect.any(String) } } });
    const refused = await call(w.subHead.cookie, { method: 'POST', url: `/api/v1/meeting-registrations/${b.id}/refuse`, body: { note: '请分两场召开' } });
    expect(refused.json).toMatchObject({ status: 'refused', decisionNote: '请分两场召开', abilities: { edit: false, cancel: false } });
    const told = await t.deps.db.selectFrom('notifications').select(['kind', 'entity_id']).where('user_id', '=', w.liaison.id).where('entity', '=', 'meeting_registration').orderBy('id').execute();
    expect(told).toEqual([
      { kind: 'meeting.approved', entity_id: String(a.id) },
      { kind: 'meeting.refused', entity_id: String(b.id) },
    ]);
    // A refused meeting frees its room and cannot be changed.
    expect((await call(w.liaison.cookie, { method: 'PATCH', url: `/api/v1/meeting-registrations/${b.id}`, body: { title: '改' } })).status).toBe(409);
    expect((await register(w, { startAt: tomorrow10() + 2 * 60 * MIN })).status).toBe(201);
  });

  it('cancel: the organiser or an approver, not another registrar; a cancelled meeting frees its room', async () => {
    const w = await world();
    const m = (await register(w)).json as MeetingRegistration;
    const cancel = (cookie: string) => call(cookie, { method: 'POST', url: `/api/v1/meeting-registrations/${m.id}/cancel`, body: { note: '改期' } });
    expect((await cancel(w.liaison2.cookie)).status).toBe(403);
    expect((await cancel(w.employee.cookie)).status).toBe(404);
    expect((await cancel(w.liaison.cookie)).json).toMatchObject({ status: 'cancelled', cancelNote: '改期' });
    expect((await cancel(w.liaison.cookie)).status).toBe(409);
    expect((await register(w, {}, w.liaison2.cookie)).status).toBe(201);
    const n = (await register(w, { startAt: tomorrow10() + 3 * 60 * MIN }, w.liaison2.cookie)).json as MeetingRegistration;
    expect((await call(w.stationHead.cookie, { method: 'POST', url: `/api/v1/meeting-registrations/${n.id}/cancel`, body: {} })).json).toMatchObject({ status: 'cancelled' });
    expect(await t.deps.db.selectFrom('notifications').select('kind').where('user_id', '=', w.liaison2.id).where('entity_id', '=', String(n.id)).execute()).toEqual([{ kind: 'meeting.cancelled' }]);
  });

  it('refuses two meetings in one room at overlapping times, naming the other meeting; back to back is fine', async () => {
    const w = await world();
    const first = (await register(w, { title: '早会' })).json as MeetingRegistration;
    const clash = await register(w, { title: '周会', startAt: tomorrow10() + 59 * MIN });
    expect(clash.status).toBe(409);
    expect(clash.json).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining(`#${first.id} "早会"`), fields: { roomId: expect.any(String) } } });
    const dry = await check(w, { startAt: tomorrow10() - 30 * MIN });
    expect(dry.conflict).toMatchObject({ id: first.id, title: '早会' });
    expect((await register(w, { title: '周会', startAt: tomorrow10() + 60 * MIN })).status).toBe(201);
    expect((await register(w, { title: '周会', roomId: w.smallRoom.id, attendees: 3 })).status).toBe(201);
    // A pending meeting holds the room too.
    const pending = (await register(w, { title: '培训', startAt: tomorrow10() + 5 * 60 * MIN, attendees: 25, reason: '培训' })).json as MeetingRegistration;
    expect(pending.status).toBe('pending');
    expect((await register(w, { startAt: tomorrow10() + 5 * 60 * MIN + 30 * MIN })).status).toBe(409);
    // Moving a meeting onto another's time is refused the same way.
    const moved = await call(w.liaison.cookie, { method: 'PATCH', url: `/api/v1/meeting-registrations/${first.id}`, body: { startAt: tomorrow10() + 5 * 60 * MIN } });
    expect(moved.status).toBe(409);
  });

  it('two registrations of one room at one time sent together: one is registered, the other refused', async () => {
    const w = await world();
    const at = tomorrow10() + 8 * 60 * MIN;
    const answers = await Promise.all([register(w, { title: '甲会', startAt: at }), register(w, { title: '乙会', startAt: at + 10 * MIN }, w.liaison2.cookie)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const live = await t.deps.db.selectFrom('meeting_registrations').select('id').where('room_id', '=', w.bigRoom.id).where('start_at', '>=', at).execute();
    expect(live).toHaveLength(1);
  });

  it('a change of time, room or size is checked again: a breach sends it back to pending, within limits it is registered; other changes keep the status', async () => {
    const w = await world();
    const m = (await register(w)).json as MeetingRegistration;
    const patch = (id: number, b: Record<string, unknown>, cookie = w.liaison.cookie) => call(cookie, { method: 'PATCH', url: `/api/v1/meeting-registrations/${id}`, body: b });
    const noReason = await patch(m.id, { attendees: 22 });
    expect(noReason.status).toBe(400);
    expect(noReason.json).toMatchObject({ error: { fields: { reason: expect.any(String) } } });
    const grown = await patch(m.id, { attendees: 22, reason: '临时增加参会人员' });
    expect(grown.json).toMatchObject({ status: 'pending', attendees: 22, breaches: [{ kind: 'room_density', value: 22 }] });
    await call(w.stationHead.cookie, { method: 'POST', url: `/api/v1/meeting-registrations/${m.id}/approve`, body: {} });
    // A new title keeps the approval; a longer meeting is checked again and needs it again.
    expect((await patch(m.id, { title: '安全生产例会（扩大）' })).json).toMatchObject({ status: 'approved', title: '安全生产例会（扩大）' });
    const longer = await patch(m.id, { minutes: 61 });
    expect(longer.json).toMatchObject({ status: 'pending', decidedAt: null, breaches: [{ kind: 'max_minutes', limit: 60, value: 61 }, { kind: 'room_density' }] });
    const pendingTold = await t.deps.db.selectFrom('notifications').select('kind').where('user_id', '=', w.stationHead.id).where('entity_id', '=', String(m.id)).execute();
    expect(pendingTold).toHaveLength(2);
    // Back within limits: registered at once.
    expect((await patch(m.id, { minutes: 45, attendees: 18 })).json).toMatchObject({ status: 'registered', overLimit: false, breaches: [] });
    expect((await patch(m.id, { place: '站前广场' })).json).toMatchObject({ error: { fields: { place: expect.any(String) } } });
    expect((await patch(m.id, { roomId: null, place: '站前广场', ventilated: true })).json).toMatchObject({ room: null, place: '站前广场', building: '', status: 'registered' });
    // Moving to an unventilated room takes its flag.
    expect((await patch(m.id, { roomId: w.closedRoom.id })).json).toMatchObject({ status: 'pending', ventilated: false, breaches: [{ kind: 'unventilated' }] });
    // Who may change: registrars and approvers of the unit; not an outsider (404) nor an employee.
    expect((await patch(m.id, { title: 'x' }, w.outsider.cookie)).status).toBe(404);
    expect((await patch(m.id, { title: 'x' }, w.employee.cookie)).status).toBe(404);
  });

  it('checks the attendee list: people in scope, count at least its length; the contact search reads it', async () => {
    const w = await world();
    const p1 = await buildPerson(t, w.station, { name: '甲' });
    const p2 = await buildPerson(t, w.station, { name: '乙' });
    const p3 = await buildPerson(t, w.station, { name: '丙' });
    const stranger = await buildPerson(t, w.other, { name: '外单位' });
    const bad = await register(w, { attendeeIds: [p1.id, stranger.id] });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { fields: { 'attendeeIds.1': 'no such person' } } });
    const few = await register(w, { attendees: 1, attendeeIds: [p1.id, p2.id] });
    expect(few.status).toBe(400);
    expect(few.json).toMatchObject({ error: { fields: { attendees: expect.any(String) } } });
    const a = (await register(w, { attendees: 5, attendeeIds: [p1.id, p2.id, p3.id] })).json as MeetingRegistration;
    const b = (await register(w, { startAt: tomorrow10() + 2 * 60 * MIN, minutes: 30, attendees: 5, attendeeIds: [p1.id, p2.id] })).json as MeetingRegistration;
    const c = (await register(w, { startAt: tomorrow10() + 4 * 60 * MIN, minutes: 30, attendees: 5, attendeeIds: [p1.id, p3.id] })).json as MeetingRegistration;
    await call(w.liaison.cookie, { method: 'POST', url: `/api/v1/meeting-registrations/${c.id}/cancel`, body: {} });
    const one = await call(w.liaison.cookie, { method: 'GET', url: `/api/v1/meeting-registrations/${a.id}` });
    expect(one.json).toMatchObject({ attendeeListSize: 3 });
    expect((one.json as MeetingRegistration).attendeeList.map((x) => x.personId).sort()).toEqual([p1.id, p2.id, p3.id].sort());
    expect(b.attendeeListSize).toBe(2);
    const shared = await sharedMeetings(t.deps.db, p1.id, t.clock.now(), t.clock.now() + 2 * DAY);
    expect(shared).toEqual([
      { personId: p2.id, meetings: 2, minutes: 90 },
      { personId: p3.id, meetings: 1, minutes: 60 },
    ]);
    expect(await sharedMeetings(t.deps.db, p1.id, t.clock.now() + 2 * DAY, t.clock.now() + 3 * DAY)).toEqual([]);
  });

  it("lists a day's meetings per unit and building, and the over-limit ones over a period, within the reader's scope", async () => {
    const w = await world();
    await register(w, { title: '总部会' });
    await register(w, { title: '站会', roomId: w.smallRoom.id, attendees: 3 });
    await register(w, { title: '超限会', roomId: w.smallRoom.id, attendees: 5, startAt: tomorrow10() + 2 * 60 * MIN, reason: '必要' });
    const list = async (cookie: string, query: Record<string, string>) => {
      const r = await call(cookie, { method: 'GET', url: '/api/v1/meeting-registrations', query });
      expect(r.status).toBe(200);
      return r.json as { items: MeetingRegistration[] };
    };
    const day = addDays(today(), 1);
    const all = await list(w.liaison.cookie, { unitId: String(w.station.id), day });
    expect(all.items.map((m) => [m.building, m.title])).toEqual([
      ['总部大楼', '总部会'],
      ['站房', '站会'],
      ['站房', '超限会'],
    ]);
    expect((await list(w.liaison.cookie, { day, building: '站房', status: 'registered' })).items.map((m) => m.title)).toEqual(['站会']);
    expect((await list(w.command.cookie, { overLimit: 'true', from: today(), to: day })).items.map((m) => m.title)).toContain('超限会');
    expect((await list(w.command.cookie, { overLimit: 'true', from: addDays(today(), 2), to: addDays(today(), 3) })).items.map((m) => m.title)).not.toContain('超限会');
    expect((await list(w.outsider.cookie, { day })).items.map((m) => m.title)).not.toContain('站会');
    expect((await call(w.outsider.cookie, { method: 'GET', url: '/api/v1/meeting-registrations', query: { unitId: String(w.station.id) } })).status).toBe(400);
  });

  it('rooms: kept with places.write, usable by the unit and the units below; an archived room takes no new meeting', async () => {
    const w = await world();
    const forStation = await call(w.liaison.cookie, { method: 'GET', url: '/api/v1/rooms', query: { forUnitId: String(w.station.id) } });
    expect((forStation.json as { items: Room[] }).items.map((r) => r.name).sort()).toEqual(['地下会议室', '站会议室', '集团大会议室'].sort());
    expect((await call(w.liaison.cookie, { method: 'POST', url: '/api/v1/rooms', body: { unitId: w.station.id, name: 'x', capacity: 3, ventilated: true } })).status).toBe(403);
    const dup = await call(w.stationHead.cookie, { method: 'POST', url: '/api/v1/rooms', body: { unitId: w.station.id, name: '站会议室', capacity: 3, ventilated: true } });
    expect(dup.status).toBe(409);
    // The sibling's room is not usable by the station.
    const otherRoom = (await call(w.command.cookie, { method: 'POST', url: '/api/v1/rooms', body: { unitId: w.other.id, name: '地产会议室', capacity: 30, ventilated: true } })).json as Room;
    const wrong = await register(w, { roomId: otherRoom.id });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ error: { fields: { roomId: expect.any(String) } } });
    const changed = await call(w.stationHead.cookie, { method: 'PATCH', url: `/api/v1/rooms/${w.smallRoom.id}`, body: { capacity: 8, ventilated: false } });
    expect(changed.json).toMatchObject({ capacity: 8, ventilated: false });
    const archived = await call(w.stationHead.cookie, { method: 'POST', url: `/api/v1/rooms/${w.smallRoom.id}/archive` });
    expect(archived.json).toMatchObject({ archivedAt: expect.any(Number), abilities: { edit: false } });
    expect((await register(w, { roomId: w.smallRoom.id, attendees: 3 })).json).toMatchObject({ error: { fields: { roomId: 'the room is archived' } } });
    expect((await call(w.outsider.cookie, { method: 'GET', url: `/api/v1/rooms/${w.smallRoom.id}` })).status).toBe(404);
  });
});
