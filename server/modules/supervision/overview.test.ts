import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { Overview } from '../../../common/schemas/overview.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { send } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('overview on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function member(unit: UnitRow, role: Role) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [{ role, unit }], { personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }
  const db = () => t.deps.db;

  async function world() {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const now = t.clock.now();
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '公交公司' });
    const a1 = await buildUnit(t, { parent: a, name: '一场站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空' });
    const people = await Promise.all([buildPerson(t, a1), buildPerson(t, a1), buildPerson(t, b)]);
    const [p1, p2, p3] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    // Today: one check-in at A1, on time.
    await db().insertInto('checkin_counts').values({ day: '2026-11-24', unit_id: a1.id, checked_in: 1, normal: 1, abnormal: 0, at_work: 1, remote: 0, leave: 0, trip: 0, quarantine: 0, on_time: 1 }).execute();
    // An open health watch at B, a closed one at A1.
    for (const [person, unit, status] of [[p3, b, 'open'], [p1, a1, 'closed']] as const) {
      await db()
        .insertInto('health_watches')
        .values({ person_id: person.id, unit_id: unit.id, reason: 'manual', source_entity: 'user', source_id: String(person.id), start_day: '2026-11-20', days: 14, end_day: '2026-12-03', status, outcome: null, outcome_note: null, opened_by_user_id: null, closed_by_user_id: null, created_at: now, updated_at: now, closed_at: null })
        .execute();
    }
    // Incidents: two open (major, minor), one resolved, one open drill.
    for (const [severity, status, drill] of [['major', 'open', 0], ['minor', 'open', 0], ['major', 'resolved', 0], ['major', 'open', 1]] as const) {
      await db()
        .insertInto('incidents')
        .values({ unit_id: a1.id, kind: 'other', severity, title: '事项', description: '', occurred_at: now, place: null, status, top_position: 0, current_position: 0, filed_by_user_id: null, filed_at: now, resolution: null, resolved_at: null, resolved_by_user_id: null, review: null, closed_at: null, closed_by_user_id: null, updated_at: now, drill })
        .execute();
    }
    // Tasks: due today (one open, one done), overdue (one), a drill's overdue task.
    const directive = async (drill: number) =>
      (await db().insertInto('directives').values({ unit_id: root.id, source: 'group', document_no: null, title: '部署', body: '', received_at: now, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: now, updated_at: now, drill }).returning('id').executeTakeFirstOrThrow()).id;
    const real = await directive(0);
    const drill = await directive(1);
    const endToday = shanghai('2026-11-25T00:00:00') - 1;
    for (const [d, deadline, status] of [[real, endToday, 'assigned'], [real, endToday, 'done'], [real, shanghai('2026-11-23T18:00:00'), 'acknowledged'], [drill, shanghai('2026-11-23T18:00:00'), 'assigned']] as const) {
      await db()
        .insertInto('tasks')
        .values({ directive_id: d, parent_id: null, unit_id: a1.id, title: '任务', instructions: null, responsible_person_id: p1.id, deadline, evidence: 'report', status, assigned_by_user_id: null, assigned_at: now - 86_400_000, acknowledged_at: null, completed_at: status === 'done' ? now : null, report: null, photo_ids: '[]', file_ids: '[]', verified_at: null, return_reason: null, overdue_at: null, reminded_at: null, updated_at: now })
        .execute();
    }
    // A's roster: p1 leads, p2 is the duty officer, now.
    await db().insertInto('duty_rosters').values({ unit_id: a.id, note: null, pattern: null, created_by_user_id: null, created_at: now, updated_at: now }).execute();
    const s = await db().insertInto('duty_shifts').values({ unit_id: a.id, starts_at: shanghai('2026-11-24T08:00:00'), ends_at: shanghai('2026-11-24T20:00:00'), note: null, source: 'manual', swapped_at: null, reminded_at: null, created_by_user_id: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('duty_shift_members').values([{ shift_id: s.id, person_id: p1.id, role: 'leader', position: 0 }, { shift_id: s.id, person_id: p2.id, role: 'officer', position: 1 }]).execute();
    // A late task at B last week: B is the worst unit on the scorecard.
    await db()
      .insertInto('tasks')
      .values({ directive_id: real, parent_id: null, unit_id: b.id, title: '逾期', instructions: null, responsible_person_id: p3.id, deadline: shanghai('2026-11-20T18:00:00'), evidence: 'report', status: 'assigned', assigned_by_user_id: null, assigned_at: now - 7 * 86_400_000, acknowledged_at: null, completed_at: null, report: null, photo_ids: '[]', file_ids: '[]', verified_at: null, return_reason: null, overdue_at: null, reminded_at: null, updated_at: now })
      .execute();
    return { root, a, a1, b, p1, p2 };
  }

  const overview = async (cookie: string, unitId: number) => send(await t.app(), cookie, { method: 'GET', url: '/api/v1/overview', query: { unitId: String(unitId) } });
  const sections = (o: Overview) => ['checkins', 'watches', 'incidents', 'tasks', 'duty', 'care', 'scorecard'].filter((k) => k in o);

  it('gives the command office every section it may read, each figure with its link, drills left out', async () => {
    const w = await world();
    const command = await member(w.root, 'command');
    const res = await overview(command.cookie, w.a.id);
    expect(res.status).toBe(200);
    const o = res.json as Overview;
    expect(sections(o)).toEqual(['checkins', 'watches', 'incidents', 'tasks', 'duty', 'care', 'scorecard']);
    expect(o.care).toMatchObject({ openCases: 0, needsOpen: 0, link: `/care/board?unitId=${w.a.id}` });
    expect(o.checkins).toMatchObject({ day: '2026-11-24', checkedIn: 1, onTime: 1, link: `/health/dashboard?unitId=${w.a.id}` });
    expect(o.checkins!.headcount).toBe(2);
    expect(o.checkins!.completeness).toBe(0.5);
    expect(o.watches!.count).toBe(0);
    expect(o.incidents).toMatchObject({ open: 2, bySeverity: [{ severity: 'major', count: 1 }, { severity: 'minor', count: 1 }] });
    expect(o.tasks).toMatchObject({ dueToday: { count: 2 }, overdue: { count: 1 } });
    expect(o.duty).toMatchObject({ rosterUnitId: w.a.id, leaders: [{ personId: w.p1.id }], officers: [{ personId: w.p2.id }] });

    // From the root: B's open watch counts; the group level keeps no roster; B is the worst unit.
    const top = (await overview(command.cookie, w.root.id)).json as Overview;
    expect(top.watches!.count).toBe(1);
    expect(top.duty).toMatchObject({ rosterUnitId: null, leaders: [], officers: [] });
    expect(top.scorecard!.worst.map((u) => u.unitId)).toEqual([w.b.id, w.a.id]);
    expect(top.scorecard!.worst[0]).toMatchObject({ score: 0, link: expect.stringContaining(`/supervision/scorecard?unitId=${w.b.id}`) });
    expect([top.scorecard!.from, top.scorecard!.to]).toEqual(['2026-11-18', '2026-11-24']);

    // From A1: the nearest roster above it.
    expect(((await overview(command.cookie, w.a1.id)).json as Overview).duty!.rosterUnitId).toBe(w.a.id);
  });

  it('shows each role only the sections its permissions open; outside every grant is 404', async () => {
    const w = await world();
    const cases: [Role, string[]][] = [
      ['supervisor', ['tasks', 'duty', 'care', 'scorecard']],
      ['duty_officer', ['incidents', 'duty']],
      ['liaison', ['checkins', 'watches', 'incidents', 'tasks', 'duty']],
      ['care_officer', ['care']],
    ];
    for (const [role, expected] of cases) {
      const m = await member(w.a, role);
      const res = await overview(m.cookie, w.a.id);
      expect([role, res.status]).toEqual([role, 200]);
      expect([role, sections(res.json as Overview)]).toEqual([role, expected]);
      expect((await overview(m.cookie, w.b.id)).status).toBe(404);
    }
    const employee = await member(w.a, 'employee');
    expect((await overview(employee.cookie, w.a.id)).status).toBe(404);
  });
});
