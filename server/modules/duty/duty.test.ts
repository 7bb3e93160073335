// The server's own time zone must not matter: the deployment is in Shanghai.
process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { createJobRunner } from '../../jobs/registry.js';
import { checkCoverageGaps, REMINDER_LEAD_MS } from './duty.jobs.js';

const sh = (iso: string) => Date.parse(`${iso}+08:00`);
const H = 3_600_000;

type J = Record<string, unknown>;

describe.each(testDialects())('duty rosters on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(userId: number, req: HttpRequest) {
    // A fresh session each time: the clock moves by days in these tests.
    return send(await t.app(), await loginAs(t, userId), req);
  }
  async function ok<T = J>(userId: number, req: HttpRequest, status = 200): Promise<T> {
    const r = await call(userId, req);
    if (r.status !== status) throw new Error(`${req.method} ${req.url} → ${r.status} ${r.raw}`);
    return r.json as T;
  }
  const told = (kind: string, userId: number) =>
    t.deps.db.selectFrom('notifications').select('id').where('kind', '=', kind).where('user_id', '=', userId).execute().then((r) => r.length);
  const audits = (action: string) => t.deps.db.selectFrom('audit_log').select('id').where('action', '=', action).execute().then((r) => r.length);

  /** group → station; heads at both, four people with accounts at the station, a command office at the group. */
  async function world() {
    const group = await buildUnit(t, { name: '集团' });
    const station = await buildUnit(t, { parent: group, name: '航站' });
    const other = await buildUnit(t, { parent: group, name: '别处' });
    const people = [];
    for (let i = 0; i < 4; i++) {
      const p = await buildPerson(t, station, { name: `人员${i}`, phone: `1380000000${i}` });
      const u = await buildUser(t, [{ role: 'employee', unit: station }], { personId: p.id });
      people.push({ person: p, userId: u.id });
    }
    const headPerson = await buildPerson(t, station, { name: '站长' });
    const head = await buildUser(t, [{ role: 'unit_head', unit: station }], { personId: headPerson.id });
    const groupLeader = await buildPerson(t, group, { name: '集团领导', phone: '13911112222' });
    const groupOfficer = await buildPerson(t, group, { name: '集团值班员' });
    const command = await buildUser(t, [{ role: 'command', unit: group }]);
    const outsider = await buildPerson(t, other, { name: '外人' });
    return { group, station, other, people, headPerson, head: head.id, groupLeader, groupOfficer, command: command.id, outsider };
  }
  type World = Awaited<ReturnType<typeof world>>;

  const generate = (w: World, unit: UnitRow, body: J) => ok<J>(w.head, { method: 'POST', url: `/api/v1/duty/rosters/${unit.id}/generate`, body });

  it('generates a month across a month end from a daily rotation, and a second generation replaces only future shifts not swapped', async () => {
    t.clock.set(sh('2026-11-20T10:00:00'));
    const w = await world();
    const [a, b, c, d] = w.people.map((p) => p.person.id) as [number, number, number, number];
    const pattern = { leaderIds: [w.headPerson.id, a], officerIds: [b, c, d], handoverHour: 8 };
    const dry = await generate(w, w.station, { from: '2026-11-25', to: '2026-12-05', pattern, dryRun: true });
    expect(dry).toMatchObject({ created: 11, replaced: 0, kept: 0, skipped: 0, dryRun: true, from: sh('2026-11-25T08:00:00'), to: sh('2026-12-06T08:00:00') });
    expect(await t.deps.db.selectFrom('duty_shifts').select('id').where('unit_id', '=', w.station.id).execute()).toHaveLength(0);

    expect(await generate(w, w.station, { from: '2026-11-25', to: '2026-12-05', pattern })).toMatchObject({ created: 11, replaced: 0 });
    const list = await ok<{ items: { id: number; startsAt: number; endsAt: number; leaders: { personId: number }[]; officers: { personId: number; phone: string }[] }[] }>(w.head, {
      method: 'GET',
      url: '/api/v1/duty/shifts',
      query: { unitId: String(w.station.id), from: String(sh('2026-11-30T00:00:00')), to: String(sh('2026-12-02T00:00:00')) },
    });
    // 29 Nov 08:00 → 30 Nov 08:00 overlaps the range too.
    expect(list.items.map((s) => s.startsAt)).toEqual([sh('2026-11-29T08:00:00'), sh('2026-11-30T08:00:00'), sh('2026-12-01T08:00:00')]);
    expect(list.items[2]!.endsAt).toBe(sh('2026-12-02T08:00:00'));
    // Day 7 (1 Dec, index 6) of the rotation: leaders alternate, officers cycle by three.
    expect(list.items[2]!.leaders.map((p) => p.personId)).toEqual([w.headPerson.id]);
    expect(list.items[2]!.officers.map((p) => p.personId)).toEqual([b]);
    expect(list.items[2]!.officers[0]!.phone).toMatch(/^1380000000\d$/); // the unit head holds people.phone
    const roster = await ok<{ items: { unitId: number; coveredUntil: number; pattern: J }[] }>(w.head, { method: 'GET', url: '/api/v1/duty/rosters', query: { unitId: String(w.station.id) } });
    expect(roster.items).toEqual([expect.objectContaining({ unitId: w.station.id, coveredUntil: sh('2026-12-06T08:00:00'), pattern: expect.objectContaining({ leaderIds: pattern.leaderIds }) })]);
    expect(await audits('duty.roster_generated')).toBeGreaterThanOrEqual(1);

    // A swap on 3 Dec is approved; then, on 30 Nov at noon, the head generates 28 Nov – 5 Dec again with another rotation.
    const third = (
      await ok<{ items: { id: number; officers: { personId: number }[] }[] }>(w.head, {
        method: 'GET',
        url: '/api/v1/duty/shifts',
        query: { unitId: String(w.station.id), from: String(sh('2026-12-03T09:00:00')), to: String(sh('2026-12-03T10:00:00')) },
      })
    ).items[0]!;
    const officer = w.people.find((p) => p.person.id === third.officers[0]!.personId)!;
    const outsiderOfShift = w.people.find((p) => p.person.id !== officer.person.id && p.person.id !== a && !third.officers.some((o) => o.personId === p.person.id))!;
    const swap = await ok<{ id: number }>(officer.userId, { method: 'POST', url: '/api/v1/duty/swaps', body: { shiftId: third.id, counterpartPersonId: outsiderOfShift.person.id } }, 201);
    await ok(outsiderOfShift.userId, { method: 'POST', url: `/api/v1/duty/swaps/${swap.id}/accept`, body: {} });
    await ok(w.head, { method: 'POST', url: `/api/v1/duty/swaps/${swap.id}/approve`, body: {} });

    t.clock.set(sh('2026-11-30T12:00:00'));
    const again = await generate(w, w.station, { from: '2026-11-28', to: '2026-12-05', pattern: { ...pattern, officerIds: [d, c, b] } });
    // Kept: 28, 29 Nov (past), 30 Nov (running), 3 Dec (swapped). Replaced: 1, 2, 4, 5 Dec. Created: those four.
    expect(again).toMatchObject({ created: 4, replaced: 4, kept: 4, skipped: 4 });
    const after = await t.deps.db.selectFrom('duty_shifts').select(['starts_at', 'source', 'swapped_at']).where('unit_id', '=', w.station.id).orderBy('starts_at').execute();
    expect(after).toHaveLength(11);
    for (let i = 1; i < after.length; i++) expect(Number(after[i]!.starts_at) - Number(after[i - 1]!.starts_at)).toBe(24 * H);
    expect(after.filter((s) => s.swapped_at !== null).map((s) => Number(s.starts_at))).toEqual([sh('2026-12-03T08:00:00')]);
  });

  it('checks single shifts: ends after starts, no overlap within a unit, people within the editor’s scope', async () => {
    t.clock.set(sh('2026-12-10T10:00:00'));
    const w = await world();
    const [a, b] = w.people.map((p) => p.person.id) as [number, number];
    const base = { unitId: w.station.id, startsAt: sh('2026-12-20T08:00:00'), endsAt: sh('2026-12-21T08:00:00'), leaderIds: [a], officerIds: [b] };
    const post = (body: J, userId = w.head) => call(userId, { method: 'POST', url: '/api/v1/duty/shifts', body });
    const created = await post(base);
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    expect((await post({ ...base, startsAt: sh('2026-12-21T07:00:00'), endsAt: sh('2026-12-21T20:00:00') })).status).toBe(409);
    const backwards = await post({ ...base, startsAt: sh('2026-12-22T08:00:00'), endsAt: sh('2026-12-22T07:00:00') });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.json)).toContain('endsAt');
    const foreign = await post({ ...base, startsAt: sh('2026-12-23T08:00:00'), endsAt: sh('2026-12-24T08:00:00'), officerIds: [w.outsider.id] });
    expect(foreign.status).toBe(400);
    expect(JSON.stringify(foreign.json)).toContain('officerIds');
    // The command office over the group may name people of the whole group.
    expect((await post({ ...base, startsAt: sh('2026-12-23T08:00:00'), endsAt: sh('2026-12-24T08:00:00'), officerIds: [w.outsider.id] }, w.command)).status).toBe(201);
    // An employee on the shift may see it, not change it.
    const employee = w.people[0]!.userId;
    expect((await call(employee, { method: 'GET', url: `/api/v1/duty/shifts/${id}` })).status).toBe(200);
    expect((await call(w.people[2]!.userId, { method: 'GET', url: `/api/v1/duty/shifts/${id}` })).status).toBe(404);
    expect((await call(employee, { method: 'PATCH', url: `/api/v1/duty/shifts/${id}`, body: { note: '改' } })).status).toBe(403);
    const patched = await ok<{ officers: { personId: number }[]; endsAt: number }>(w.head, { method: 'PATCH', url: `/api/v1/duty/shifts/${id}`, body: { officerIds: [b, w.people[2]!.person.id], endsAt: sh('2026-12-21T09:00:00') } });
    expect(patched.officers.map((p) => p.personId)).toEqual([b, w.people[2]!.person.id]);
    expect(await audits('duty.shift_updated')).toBeGreaterThanOrEqual(1);
    // Two overlapping shifts asked for at the same moment: one is added, the other refused.
    const both = await Promise.all([
      post({ ...base, startsAt: sh('2026-12-26T08:00:00'), endsAt: sh('2026-12-27T08:00:00') }),
      post({ ...base, startsAt: sh('2026-12-26T20:00:00'), endsAt: sh('2026-12-27T20:00:00') }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await call(w.head, { method: 'DELETE', url: `/api/v1/duty/shifts/${id}` })).status).toBe(200);
    expect(await t.deps.db.selectFrom('duty_shifts').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('finds coverage gaps in the coming 7 days and tells the unit head of each gap once', async () => {
    t.clock.set(sh('2027-01-10T10:00:00'));
    const w = await world();
    const [a, b, c] = w.people.map((p) => p.person.id) as [number, number, number];
    // Shifts from 10 Jan 08:00 to 14 Jan 08:00, then a day with no officer, then nothing.
    await generate(w, w.station, { from: '2027-01-10', to: '2027-01-13', pattern: { leaderIds: [a], officerIds: [b, c] } });
    await ok(w.head, { method: 'POST', url: '/api/v1/duty/shifts', body: { unitId: w.station.id, startsAt: sh('2027-01-14T08:00:00'), endsAt: sh('2027-01-15T08:00:00'), leaderIds: [a], officerIds: [b] } }, 201);
    const shift14 = await t.deps.db.selectFrom('duty_shifts').select('id').where('unit_id', '=', w.station.id).where('starts_at', '=', sh('2027-01-14T08:00:00')).executeTakeFirstOrThrow();
    await t.deps.db.deleteFrom('duty_shift_members').where('shift_id', '=', shift14.id).where('role', '=', 'officer').execute();

    const gaps = await ok<{ units: number; items: { unitId: number; role: string; startsAt: number; endsAt: number }[] }>(w.command, { method: 'GET', url: '/api/v1/duty/gaps', query: { unitId: String(w.group.id) } });
    expect(gaps.units).toBe(1);
    const end = sh('2027-01-17T10:00:00');
    expect(gaps.items).toEqual([
      expect.objectContaining({ unitId: w.station.id, role: 'officer', startsAt: sh('2027-01-14T08:00:00'), endsAt: end }),
      expect.objectContaining({ unitId: w.station.id, role: 'leader', startsAt: sh('2027-01-15T08:00:00'), endsAt: end }),
    ]);
    // Someone who has left covers nothing: the leader of every shift leaves, and from now on no leader is on duty.
    await t.deps.db.updateTable('people').set({ status: 'left' }).where('id', '=', a).execute();
    const withLeft = await ok<{ items: { role: string; startsAt: number }[] }>(w.command, { method: 'GET', url: '/api/v1/duty/gaps', query: { unitId: String(w.station.id) } });
    expect(withLeft.items.filter((g) => g.role === 'leader').map((g) => g.startsAt)).toEqual([sh('2027-01-10T10:00:00')]);
    await t.deps.db.updateTable('people').set({ status: 'active' }).where('id', '=', a).execute();
    // A supervisor reads them too (duty.read); an employee may not.
    const supervisor = await buildUser(t, [{ role: 'supervisor', unit: w.group }]);
    expect((await call(supervisor.id, { method: 'GET', url: '/api/v1/duty/gaps', query: { unitId: String(w.station.id) } })).status).toBe(200);
    expect((await call(w.people[0]!.userId, { method: 'GET', url: '/api/v1/duty/gaps', query: { unitId: String(w.station.id) } })).status).toBe(403);

    // The recurring job, twice an hour apart and once a day later: the head hears of each gap once.
    // (Other tests' units are in the same database: count this unit's alerts.)
    const alerts = () => t.deps.db.selectFrom('duty_gap_alerts').select('role').where('unit_id', '=', w.station.id).execute().then((r) => r.length);
    await checkCoverageGaps(t.deps);
    expect(await alerts()).toBe(2);
    t.clock.advance(H);
    await checkCoverageGaps(t.deps);
    expect(await alerts()).toBe(2);
    t.clock.advance(24 * H);
    await checkCoverageGaps(t.deps);
    expect(await told('duty.gap_officer', w.head)).toBe(1);
    expect(await told('duty.gap_leader', w.head)).toBe(1);
    // Filling the roster closes the gaps (the next run forgets them); a new hole later is a new gap.
    await generate(w, w.station, { from: '2027-01-14', to: '2027-01-25', pattern: { leaderIds: [a], officerIds: [b, c] } });
    await checkCoverageGaps(t.deps);
    expect(await alerts()).toBe(0);
    const shift20 = await t.deps.db.selectFrom('duty_shifts').select('id').where('unit_id', '=', w.station.id).where('starts_at', '=', sh('2027-01-16T08:00:00')).executeTakeFirstOrThrow();
    await t.deps.db.deleteFrom('duty_shift_members').where('shift_id', '=', shift20.id).where('role', '=', 'leader').execute();
    await checkCoverageGaps(t.deps);
    expect(await alerts()).toBe(1);
    expect(await told('duty.gap_leader', w.head)).toBe(2);
  });

  it('runs a swap’s life: asked, accepted, approved and applied at once; declined, cancelled and refused ones change nothing', async () => {
    t.clock.set(sh('2027-02-01T10:00:00'));
    const w = await world();
    const [p0, p1, p2, p3] = w.people as [World['people'][0], World['people'][0], World['people'][0], World['people'][0]];
    await generate(w, w.station, { from: '2027-02-05', to: '2027-02-08', pattern: { leaderIds: [w.headPerson.id], officerIds: [p0.person.id, p1.person.id] } });
    const shifts = await t.deps.db.selectFrom('duty_shifts').select('id').where('unit_id', '=', w.station.id).orderBy('starts_at').execute();
    const [s5, s6] = shifts.map((s) => s.id) as [number, number];
    const members = (id: number) => t.deps.db.selectFrom('duty_shift_members').select(['person_id', 'role']).where('shift_id', '=', id).orderBy('role').execute();

    // Nobody outside the unit and its roster: the answer does not tell them apart from nobody at all.
    const outsider = await ok<{ error: J }>(p0.userId, { method: 'POST', url: '/api/v1/duty/swaps', body: { shiftId: s5, counterpartPersonId: w.outsider.id } }, 400);
    expect(JSON.stringify(outsider)).toContain('counterpartPersonId');
    // An exchange: p0 (on the 5th) with p1 (on the 6th).
    const swap = await ok<{ id: number; status: string; abilities: J }>(p0.userId, { method: 'POST', url: '/api/v1/duty/swaps', body: { shiftId: s5, counterpartPersonId: p1.person.id, counterpartShiftId: s6, reason: '家中有事' } }, 201);
    expect(swap.status).toBe('asked');
    expect(await told('duty.swap_asked', p1.userId)).toBe(1);
    // Not the other person: no accepting; not the head yet: no approving before acceptance.
    expect((await call(p2.userId, { method: 'POST', url: `/api/v1/duty/swaps/${swap.id}/accept`, body: {} })).status).toBe(404);
    expect((await call(w.head, { method: 'POST', url: `/api/v1/duty/swaps/${swap.id}/approve`, body: {} })).status).toBe(409);
    const accepted = await ok<{ status: string }>(p1.userId, { method: 'POST', url: `/api/v1/duty/swaps/${swap.id}/accept`, body: {} });
    expect(accepted.status).toBe('accepted');
    expect(await told('duty.swap_accepted', p0.userId)).toBe(1);
    expect(await told('duty.swap_to_approve', w.head)).toBe(1);
    expect((await call(p1.userId, { method: 'POST', url: `/api/v1/duty/swaps/${swap.id}/approve`, body: {} })).status).toBe(403);
    const approved = await ok<{ status: string; decidedByName: string }>(w.head, { method: 'POST', url: `/api/v1/duty/swaps/${swap.id}/approve`, body: { note: '同意' } });
    expect(approved.status).toBe('approved');
    expect(await members(s5)).toEqual([
      { person_id: w.headPerson.id, role: 'leader' },
      { person_id: p1.person.id, role: 'officer' },
    ]);
    expect(await members(s6)).toEqual([
      { person_id: w.headPerson.id, role: 'leader' },
      { person_id: p0.person.id, role: 'officer' },
    ]);
    expect(await told('duty.swap_approved', p0.userId)).toBe(1);
    expect(await told('duty.swap_approved', p1.userId)).toBe(1);
    expect(await audits('duty.swap_approved')).toBeGreaterThanOrEqual(1);

    // A take-over declined, one cancelled, one refused: the roster does not move.
    const before = await members(s5);
    const ask = () => ok<{ id: number }>(p1.userId, { method: 'POST', url: '/api/v1/duty/swaps', body: { shiftId: s5, counterpartPersonId: p2.person.id } }, 201);
    const d = await ask();
    expect((await ok<{ status: string }>(p2.userId, { method: 'POST', url: `/api/v1/duty/swaps/${d.id}/decline`, body: {} })).status).toBe('declined');
    expect(await told('duty.swap_declined', p1.userId)).toBe(1);
    const c = await ask();
    expect((await ok<{ status: string }>(p1.userId, { method: 'POST', url: `/api/v1/duty/swaps/${c.id}/cancel` })).status).toBe('cancelled');
    expect(await told('duty.swap_cancelled', p2.userId)).toBe(1);
    expect((await call(p2.userId, { method: 'POST', url: `/api/v1/duty/swaps/${c.id}/accept`, body: {} })).status).toBe(409);
    const r = await ask();
    await ok(p2.userId, { method: 'POST', url: `/api/v1/duty/swaps/${r.id}/accept`, body: {} });
    expect((await ok<{ status: string }>(w.head, { method: 'POST', url: `/api/v1/duty/swaps/${r.id}/refuse`, body: { note: '人手不足' } })).status).toBe('refused');
    expect(await told('duty.swap_refused', p2.userId)).toBe(1);
    expect(await members(s5)).toEqual(before);

    // A swap whose shift changed meanwhile cannot be approved.
    const e = await ok<{ id: number }>(p1.userId, { method: 'POST', url: '/api/v1/duty/swaps', body: { shiftId: s5, counterpartPersonId: p3.person.id } }, 201);
    await ok(p3.userId, { method: 'POST', url: `/api/v1/duty/swaps/${e.id}/accept`, body: {} });
    await ok(w.head, { method: 'PATCH', url: `/api/v1/duty/shifts/${s5}`, body: { officerIds: [p2.person.id] } });
    expect((await call(w.head, { method: 'POST', url: `/api/v1/duty/swaps/${e.id}/approve`, body: {} })).status).toBe(409);
    expect((await ok<{ status: string }>(w.head, { method: 'GET', url: `/api/v1/duty/swaps/${e.id}` })).status).toBe('accepted');
    // Lists: the head's subtree and each person's own.
    const mine = await ok<{ items: { id: number }[] }>(p2.userId, { method: 'GET', url: '/api/v1/me/swaps' });
    expect(mine.items.map((x) => x.id).sort()).toEqual([d.id, c.id, r.id].sort());
    const all = await ok<{ items: { id: number }[] }>(w.head, { method: 'GET', url: '/api/v1/duty/swaps', query: { unitId: String(w.station.id) } });
    expect(all.items).toHaveLength(5);
    // Nothing of it is visible to someone unrelated.
    expect((await call(p3.userId, { method: 'GET', url: `/api/v1/duty/swaps/${swap.id}` })).status).toBe(404);
  });

  it('says who is on duty now at a unit and each level above that keeps duty, phones masked without people.phone', async () => {
    t.clock.set(sh('2027-03-01T10:00:00'));
    const w = await world();
    const [a, b] = w.people.map((p) => p.person.id) as [number, number];
    await generate(w, w.station, { from: '2027-03-01', to: '2027-03-02', pattern: { leaderIds: [a], officerIds: [b] } });
    await ok(w.command, { method: 'POST', url: `/api/v1/duty/rosters/${w.group.id}/generate`, body: { from: '2027-02-28', to: '2027-03-02', pattern: { leaderIds: [w.groupLeader.id], officerIds: [w.groupOfficer.id], handoverHour: 0 } } });
    // The middle level does not keep duty: a department under the station, asked about itself.
    const desk = await buildUnit(t, { parent: w.station, name: '值机' });
    const deskUser = await buildUser(t, [{ role: 'employee', unit: desk }]);
    const answer = await ok<{ levels: { unitId: number; keepsDuty: boolean; leaders: { name: string; phone: string }[]; officers: { name: string }[]; shift: { startsAt: number } | null }[] }>(deskUser.id, {
      method: 'GET',
      url: '/api/v1/duty/now',
      query: { unitId: String(desk.id) },
    });
    expect(answer.levels.map((l) => [l.unitId, l.keepsDuty])).toEqual([
      [desk.id, false],
      [w.station.id, true],
      [w.group.id, true],
    ]);
    expect(answer.levels[0]!.shift).toBeNull();
    expect(answer.levels[1]!.leaders.map((p) => p.name)).toEqual(['人员0']);
    expect(answer.levels[1]!.shift!.startsAt).toBe(sh('2027-03-01T08:00:00'));
    expect(answer.levels[2]!.leaders).toEqual([expect.objectContaining({ name: '集团领导', phone: '139****2222' })]);
    expect(answer.levels[2]!.officers.map((p) => p.name)).toEqual(['集团值班员']);
    // The command office holds people.phone over the group: whole numbers.
    const full = await ok<{ levels: { leaders: { phone: string }[] }[] }>(w.command, { method: 'GET', url: '/api/v1/duty/now', query: { unitId: String(w.station.id) } });
    expect(full.levels[1]!.leaders[0]!.phone).toBe('13911112222');
    // No grant over the unit: not found.
    const elsewhere = await buildUser(t, [{ role: 'unit_head', unit: w.other }]);
    expect((await call(elsewhere.id, { method: 'GET', url: '/api/v1/duty/now', query: { unitId: String(w.station.id) } })).status).toBe(404);
  });

  it('reminds the people of a shift once before it starts, even when the job runs again', async () => {
    t.clock.set(sh('2027-04-01T10:00:00'));
    const w = await world();
    const [p0, p1] = w.people as [World['people'][0], World['people'][0]];
    await generate(w, w.station, { from: '2027-04-02', to: '2027-04-02', pattern: { leaderIds: [p0.person.id], officerIds: [p1.person.id] } });
    const runner = await createJobRunner(t.deps, 60_000);
    // Earlier tests left many due rows in this database: run until none is left.
    const drain = async () => {
      while ((await runner.tick()) > 0);
    };
    const start = sh('2027-04-02T08:00:00');
    t.clock.set(start - REMINDER_LEAD_MS - 1);
    await drain();
    expect(await told('duty.reminder', p0.userId)).toBe(0);
    t.clock.set(start - REMINDER_LEAD_MS);
    await drain();
    expect(await told('duty.reminder', p0.userId)).toBe(1);
    expect(await told('duty.reminder', p1.userId)).toBe(1);
    // The job again (a crash before it was marked done): nobody is told twice.
    await t.deps.db.updateTable('jobs').set({ status: 'pending', run_at: t.clock.now() }).where('kind', '=', 'duty.remind').execute();
    await drain();
    expect(await told('duty.reminder', p0.userId)).toBe(1);
    const rendered = await t.deps.db.selectFrom('notifications').select('params').where('kind', '=', 'duty.reminder').where('user_id', '=', p0.userId).executeTakeFirstOrThrow();
    expect(JSON.parse(rendered.params)).toMatchObject({ dutyRole: 'leader', start: '2027-04-02 08:00' });
    // Someone put on the shift after the reminder went out is reminded at once, the others not again.
    const p2 = w.people[2]!;
    const shift = await t.deps.db.selectFrom('duty_shifts').select('id').where('unit_id', '=', w.station.id).where('starts_at', '=', start).executeTakeFirstOrThrow();
    await ok(w.head, { method: 'PATCH', url: `/api/v1/duty/shifts/${shift.id}`, body: { officerIds: [p1.person.id, p2.person.id] } });
    expect(await told('duty.reminder', p2.userId)).toBe(1);
    expect(await told('duty.reminder', p1.userId)).toBe(1);
  });

  it('keeps handovers: written on the shift, shown to the next; the day’s log lists shifts and handovers', async () => {
    t.clock.set(sh('2027-05-01T07:00:00'));
    const w = await world();
    const [p0, p1, p2, p3] = w.people as [World['people'][0], World['people'][0], World['people'][0], World['people'][0]];
    await generate(w, w.station, { from: '2027-05-01', to: '2027-05-02', pattern: { leaderIds: [p0.person.id, p2.person.id], officerIds: [p1.person.id, p3.person.id] } });
    const [first, second] = (await t.deps.db.selectFrom('duty_shifts').select('id').where('unit_id', '=', w.station.id).orderBy('starts_at').execute()).map((s) => s.id) as [number, number];
    // Not before it starts; not someone off the shift.
    expect((await call(p1.userId, { method: 'PUT', url: `/api/v1/duty/shifts/${first}/handover`, body: { body: '早' } })).status).toBe(409);
    t.clock.set(sh('2027-05-02T07:30:00'));
    expect((await call(p3.userId, { method: 'PUT', url: `/api/v1/duty/shifts/${first}/handover`, body: { body: '非本班' } })).status).toBe(404);
    const h = await ok<{ body: string; authorName: string }>(p1.userId, { method: 'PUT', url: `/api/v1/duty/shifts/${first}/handover`, body: { body: '夜间无异常；\n待办：核对物资。' } });
    expect(h.authorName).toBe('人员1');
    t.clock.set(sh('2027-05-02T09:00:00'));
    const shown = await ok<{ handover: { body: string; shiftId: number } }>(p3.userId, { method: 'GET', url: `/api/v1/duty/shifts/${second}/previous-handover` });
    expect(shown.handover).toMatchObject({ shiftId: first, body: '夜间无异常；\n待办：核对物资。' });
    const log = await ok<{ shifts: { id: number }[]; handovers: { shiftId: number }[]; entries: { kind: string; at: number }[] }>(w.head, { method: 'GET', url: '/api/v1/duty/log', query: { unitId: String(w.station.id), day: '2027-05-02' } });
    expect(log.shifts.map((s) => s.id)).toEqual([first, second]);
    expect(log.handovers.map((x) => x.shiftId)).toEqual([first]);
    expect(log.entries.map((e) => e.kind)).toEqual(['handover', 'shift_start']);
    expect(await audits('duty.handover_written')).toBeGreaterThanOrEqual(1);
  });

  it('lists my coming shifts and serves them as a private iCalendar feed', async () => {
    t.clock.set(sh('2027-06-01T10:00:00'));
    const w = await world();
    const [p0, p1] = w.people as [World['people'][0], World['people'][0]];
    await ok(w.head, { method: 'PUT', url: `/api/v1/duty/rosters/${w.station.id}`, body: { note: '航站值班' } });
    await generate(w, w.station, { from: '2027-06-02', to: '2027-06-05', pattern: { leaderIds: [p0.person.id], officerIds: [p1.person.id, w.people[2]!.person.id] } });
    const mine = await ok<{ items: { role: string; startsAt: number }[] }>(p1.userId, { method: 'GET', url: '/api/v1/me/shifts' });
    expect(mine.items.map((s) => [s.role, s.startsAt])).toEqual([
      ['officer', sh('2027-06-02T08:00:00')],
      ['officer', sh('2027-06-04T08:00:00')],
    ]);
    expect((await ok<{ exists: boolean }>(p1.userId, { method: 'GET', url: '/api/v1/me/shifts/feed' })).exists).toBe(false);
    const feed = await ok<{ url: string; path: string }>(p1.userId, { method: 'POST', url: '/api/v1/me/shifts/feed' });
    expect(feed.url.endsWith(feed.path)).toBe(true);
    const app = await t.app();
    const ics = await send(app, null, { method: 'GET', url: feed.path });
    expect(ics.status).toBe(200);
    expect(ics.contentType).toContain('text/calendar');
    expect(ics.raw.split('\r\n').slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(ics.raw.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const uids = ics.raw.split('\r\n').filter((l) => l.startsWith('UID:'));
    expect(uids).toHaveLength(2);
    expect(ics.raw).toContain(`DTSTART:${new Date(sh('2027-06-02T08:00:00')).toISOString().replace(/[-:]/g, '').replace('.000', '')}`);
    for (const line of ics.raw.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    // A shift just over stays in the list while its handover can still be written (12 hours), then goes.
    t.clock.set(sh('2027-06-03T09:00:00'));
    expect((await ok<{ items: { startsAt: number; abilities: { handover: boolean } }[] }>(p1.userId, { method: 'GET', url: '/api/v1/me/shifts' })).items[0]).toMatchObject({ startsAt: sh('2027-06-02T08:00:00'), abilities: { handover: true } });
    t.clock.set(sh('2027-06-03T20:00:01'));
    expect((await ok<{ items: { startsAt: number }[] }>(p1.userId, { method: 'GET', url: '/api/v1/me/shifts' })).items.map((s) => s.startsAt)).toEqual([sh('2027-06-04T08:00:00')]);
    t.clock.set(sh('2027-06-01T10:00:00'));
    // Stable: the same UIDs on the next fetch.
    const again = await send(app, null, { method: 'GET', url: feed.path });
    expect(again.raw.split('\r\n').filter((l) => l.startsWith('UID:'))).toEqual(uids);
    expect((await ok<{ exists: boolean; lastUsedAt: number }>(p1.userId, { method: 'GET', url: '/api/v1/me/shifts/feed' })).lastUsedAt).toBe(t.clock.now());
    // Only the hash is kept; rotating stops the old URL; deleting stops all.
    const stored = await t.deps.db.selectFrom('duty_feed_tokens').select('token_hash').where('user_id', '=', p1.userId).executeTakeFirstOrThrow();
    expect(feed.path).not.toContain(stored.token_hash);
    const rotated = await ok<{ path: string }>(p1.userId, { method: 'POST', url: '/api/v1/me/shifts/feed' });
    expect((await send(app, null, { method: 'GET', url: feed.path })).status).toBe(404);
    expect((await send(app, null, { method: 'GET', url: rotated.path })).status).toBe(200);
    await ok(p1.userId, { method: 'DELETE', url: '/api/v1/me/shifts/feed' });
    expect((await send(app, null, { method: 'GET', url: rotated.path })).status).toBe(404);
    expect((await send(app, null, { method: 'GET', url: '/api/v1/duty/feed/not-a-token.ics' })).status).toBe(400);
  });
});
