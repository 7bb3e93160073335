process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactActionResult, ContactCandidates } from '../../../common/schemas/contacts.js';
import type { Canteen, Plan } from '../../../common/schemas/dining.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import { insertMembers, insertShift } from '../duty/duty.store.js';

const H = 3_600_000;

describe.each(testDialects())('contact candidates on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
    t.clock.set(Date.parse('2026-11-24T15:00:00+08:00'));
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

  /** A meeting that took place `hoursAgo`, with these attendees listed. */
  async function meeting(unitId: number, hoursAgo: number, minutes: number, personIds: number[]) {
    const start = t.clock.now() - hoursAgo * H;
    const m = await t.deps.db
      .insertInto('meeting_registrations')
      .values({
        unit_id: unitId,
        title: '例会',
        room_id: null,
        place: '三楼',
        start_at: start,
        end_at: start + minutes * 60_000,
        minutes,
        day: '2026-11-24',
        attendees: personIds.length,
        ventilated: 1,
        note: null,
        reason: null,
        breaches: '[]',
        over_limit: 0,
        status: 'registered',
        registered_by_user_id: null,
        registered_at: start,
        decided_by_user_id: null,
        decided_at: null,
        decision_note: null,
        cancelled_by_user_id: null,
        cancelled_at: null,
        cancel_note: null,
        updated_at: start,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.deps.db.insertInto('meeting_attendees').values(personIds.map((p) => ({ meeting_id: m.id, person_id: p }))).execute();
  }

  /**
   * group ─┬─ sub1 ─┬─ ops ── ops team (the case, a colleague)
   *        │        └─ canteen-mates' unit
   *        └─ sub2 ── a visitor who sat in the case's meeting
   */
  async function world() {
    const group = await buildUnit(t, { name: '集团' });
    const sub1 = await buildUnit(t, { parent: group, name: '一公司' });
    const sub2 = await buildUnit(t, { parent: group, name: '二公司' });
    const ops = await buildUnit(t, { parent: sub1, name: '运行部' });
    const team = await buildUnit(t, { parent: ops, name: '运行一班' });
    const maint = await buildUnit(t, { parent: sub1, name: '维修部' });
    const caseP = await buildPerson(t, team, { name: '病例' });
    const colleague = await buildPerson(t, team, { name: '同班同事' });
    const partner = await buildPerson(t, ops, { name: '同班值班员' });
    const attendee = await buildPerson(t, ops, { name: '参会者' });
    const visitor = await buildPerson(t, sub2, { name: '外单位参会者' });
    const diner = await buildPerson(t, maint, { name: '同时段就餐者' });
    const command = await buildUser(t, [{ role: 'command', unit: group }]);
    const command1 = await buildUser(t, [{ role: 'command', unit: sub1 }]);
    const command2 = await buildUser(t, [{ role: 'command', unit: sub2 }]);
    const liaisonMaint = await buildUser(t, [{ role: 'liaison', unit: maint }]);
    // An 8-hour shift yesterday with the case and the partner on it.
    const shift = await insertShift(t.deps.db, { unit_id: ops.id, starts_at: t.clock.now() - 30 * H, ends_at: t.clock.now() - 22 * H, note: null, source: 'manual', created_by_user_id: null }, t.clock.now());
    await insertMembers(t.deps.db, [{ shiftId: shift.id, leaderIds: [partner.id], officerIds: [caseP.id] }]);
    // A 60-minute meeting two days ago; and one of 45 minutes three weeks ago, outside the look-back.
    await meeting(ops.id, 48, 60, [caseP.id, attendee.id, visitor.id]);
    await meeting(ops.id, 21 * 24, 45, [caseP.id, colleague.id]);
    // A canteen that seats 运行部 and 维修部 in the same lunch slot, published today.
    const c = await ok<Canteen>(command.id, {
      method: 'POST',
      url: '/api/v1/canteens',
      body: { unitId: sub1.id, name: '一公司食堂', capacity: 100, slotMinutes: 30, windows: { lunch: { from: '11:30', to: '12:00' } }, diners: [{ unitId: ops.id }, { unitId: maint.id }] },
    }, 201);
    const plan = await ok<Plan>(command.id, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans`, body: {} }, 201);
    await ok(command.id, { method: 'POST', url: `/api/v1/canteens/${c.id}/plans/${plan.id}/publish`, body: {} });
    return { group, sub1, sub2, ops, team, maint, caseP, colleague, partner, attendee, visitor, diner, command: command.id, command1: command1.id, command2: command2.id, liaisonMaint: liaisonMaint.id };
  }

  it('ranks the people who shared a shift, a meeting, a canteen slot and the unit, within the look-back, and audits the read', async () => {
    const w = await world();
    const list = await ok<ContactCandidates>(w.command, { method: 'GET', url: `/api/v1/people/${w.caseP.id}/contact-candidates` });
    expect(list).toMatchObject({ personId: w.caseP.id, days: 14, fromDay: '2026-11-11', toDay: '2026-11-24' });
    const byName = new Map(list.items.map((i) => [i.name, i]));
    // Shift 480 min + slot 30 > meeting 60 + slot 30 > visitor's meeting 60 > slot-day 30 > the unit 10 + slot 30 (the colleague also eats with 运行部).
    expect(list.items.map((i) => [i.name, i.score])).toEqual([
      ['同班值班员', 480 + 30],
      ['参会者', 60 + 30],
      ['外单位参会者', 60],
      ['同班同事', 10 + 30],
      ['同时段就餐者', 30],
    ]);
    expect(byName.get('同班值班员')!.shifts).toEqual([{ unitId: w.ops.id, unitName: '运行部', from: t.clock.now() - 30 * H, to: t.clock.now() - 22 * H, minutes: 480 }]);
    expect(byName.get('参会者')!.meetings).toEqual({ count: 1, minutes: 60 });
    expect(byName.get('同时段就餐者')!.slots).toEqual([{ canteenId: expect.any(Number), canteenName: '一公司食堂', meal: 'lunch', start: '11:30', end: '12:00', days: 1 }]);
    expect(byName.get('同班同事')).toMatchObject({ sameUnit: true, meetings: { count: 0, minutes: 0 }, underWatch: false });
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'contact_candidates.read').execute();
    expect(audit).toEqual([{ action: 'contact_candidates.read', entity_id: String(w.caseP.id) }]);

    // A longer look-back reaches the old meeting.
    const long = await ok<ContactCandidates>(w.command, { method: 'GET', url: `/api/v1/people/${w.caseP.id}/contact-candidates`, query: { days: '30' } });
    expect(long.items.find((i) => i.name === '同班同事')).toMatchObject({ meetings: { count: 1, minutes: 45 }, score: 45 + 10 + 30 });
    expect((await call(w.command, { method: 'GET', url: `/api/v1/people/${w.caseP.id}/contact-candidates`, query: { days: '31' } })).status).toBe(400);
  });

  it('follows each person to their nearest diner unit: a department eating at its own canteen does not share the group canteen’s slot', async () => {
    const w = await world();
    // The group canteen seats 一公司 as a whole — in practice only its own staff, since 运行部 and 维修部 eat at 一公司食堂.
    const g = await ok<Canteen>(w.command, {
      method: 'POST',
      url: '/api/v1/canteens',
      body: { unitId: w.group.id, name: '集团食堂', capacity: 100, slotMinutes: 30, windows: { lunch: { from: '11:30', to: '12:00' } }, diners: [{ unitId: w.sub1.id }] },
    }, 201);
    const plan = await ok<Plan>(w.command, { method: 'POST', url: `/api/v1/canteens/${g.id}/plans`, body: {} }, 201);
    await ok(w.command, { method: 'POST', url: `/api/v1/canteens/${g.id}/plans/${plan.id}/publish`, body: {} });
    const staff = await buildPerson(t, w.sub1, { name: '公司本部员工' });
    const other = await buildPerson(t, w.sub1, { name: '公司本部同事' });
    const list = await ok<ContactCandidates>(w.command, { method: 'GET', url: `/api/v1/people/${staff.id}/contact-candidates` });
    expect(list.items.map((i) => [i.name, i.score])).toEqual([['公司本部同事', 10 + 30]]);
    expect(list.items[0]!.personId).toBe(other.id);
  });

  it('lists only people inside the reader’s health scope: another subsidiary’s command office sees neither the case nor its own visitor', async () => {
    const w = await world();
    const mine = await ok<ContactCandidates>(w.command1, { method: 'GET', url: `/api/v1/people/${w.caseP.id}/contact-candidates` });
    expect(mine.items.map((i) => i.name)).not.toContain('外单位参会者');
    expect(mine.total).toBe(4);
    expect((await call(w.command2, { method: 'GET', url: `/api/v1/people/${w.caseP.id}/contact-candidates` })).status).toBe(404);
    // Acting on someone outside the scope is refused naming them, and nothing happens.
    const r = await call(w.command1, { method: 'POST', url: `/api/v1/people/${w.caseP.id}/contact-candidates/actions`, body: { personIds: [w.partner.id, w.visitor.id], action: 'watch' } });
    expect(r.status).toBe(400);
    expect(errorOf(r)?.fields).toEqual({ 'personIds.1': 'no such person' });
    expect(await t.deps.db.selectFrom('health_watches').select('id').where('person_id', '=', w.partner.id).execute()).toEqual([]);
  });

  it('opens health watches (once per case) and tells the candidates’ units, in one audited transaction each', async () => {
    const w = await world();
    const act = (personIds: number[], action: string) => ok<ContactActionResult>(w.command, { method: 'POST', url: `/api/v1/people/${w.caseP.id}/contact-candidates/actions`, body: { personIds, action } });
    expect(await act([w.partner.id, w.diner.id], 'watch')).toEqual({ action: 'watch', done: 2, joined: 0 });
    const watches = await t.deps.db.selectFrom('health_watches').select(['person_id', 'reason', 'status']).where('person_id', 'in', [w.partner.id, w.diner.id]).execute();
    expect(watches.map((x) => [x.reason, x.status])).toEqual([
      ['contact', 'open'],
      ['contact', 'open'],
    ]);
    // The same action again joins nothing twice.
    expect(await act([w.partner.id], 'watch')).toEqual({ action: 'watch', done: 0, joined: 1 });
    const notes = await t.deps.db.selectFrom('health_watch_notes').select('id').where('reason', '=', 'contact').where('source_id', '=', String(w.caseP.id)).execute();
    expect(notes).toHaveLength(2);
    const list = await ok<ContactCandidates>(w.command, { method: 'GET', url: `/api/v1/people/${w.caseP.id}/contact-candidates` });
    expect(list.items.find((i) => i.personId === w.partner.id)!.underWatch).toBe(true);

    expect(await act([w.diner.id, w.colleague.id], 'notify_units')).toEqual({ action: 'notify_units', done: 2, joined: 0 });
    const told = await t.deps.db.selectFrom('notifications').select(['kind']).where('user_id', '=', w.liaisonMaint).execute();
    expect(told.map((n) => n.kind)).toContain('contact.candidates');
    const audits = await t.deps.db.selectFrom('audit_log').select('action').where('action', 'like', 'contact_candidates.%').where('entity_id', '=', String(w.caseP.id)).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['contact_candidates.notify_units', 'contact_candidates.read', 'contact_candidates.watch', 'contact_candidates.watch']);
  });
});
