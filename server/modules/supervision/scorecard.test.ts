import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { Scorecard, ScorecardMissPage, ScorecardRow } from '../../../common/schemas/scorecard.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
/** The last millisecond of a day in Shanghai: the same-day deadline. */
const endOf = (day: string) => shanghai(`${day}T00:00:00`) + 86_400_000 - 1;

describe.each(testDialects())('scorecard on %s', (dialect) => {
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

  // ── builders: rows as the modules write them ──
  const db = () => t.deps.db;

  async function directive(unit: UnitRow, drill = false) {
    const now = t.clock.now();
    const r = await db()
      .insertInto('directives')
      .values({ unit_id: unit.id, source: 'group', document_no: null, title: '部署', body: '落实', received_at: now, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: now, updated_at: now, drill: drill ? 1 : 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async function task(directiveId: number, unit: UnitRow, responsibleId: number, title: string, deadline: number, status: string, completedAt: number | null) {
    await db()
      .insertInto('tasks')
      .values({
        directive_id: directiveId,
        parent_id: null,
        unit_id: unit.id,
        title,
        instructions: null,
        responsible_person_id: responsibleId,
        deadline,
        evidence: 'report',
        status,
        assigned_by_user_id: null,
        assigned_at: deadline - 86_400_000,
        acknowledged_at: null,
        completed_at: completedAt,
        report: null,
        photo_ids: '[]',
        file_ids: '[]',
        verified_at: status === 'verified' ? completedAt : null,
        return_reason: null,
        overdue_at: null,
        reminded_at: null,
        updated_at: t.clock.now(),
      })
      .execute();
  }

  async function incident(unit: UnitRow, drill: boolean, levels: { unit: UnitRow; arrivedAt: number; deadline: number; ackAt: number | null }[]) {
    const at = levels[0]!.arrivedAt;
    const i = await db()
      .insertInto('incidents')
      .values({
        unit_id: unit.id,
        kind: 'suspected_case',
        severity: 'major',
        title: '发现疑似病例 张三',
        description: '发热',
        occurred_at: at,
        place: null,
        status: 'open',
        top_position: levels.length - 1,
        current_position: levels.length - 1,
        filed_by_user_id: null,
        filed_at: at,
        resolution: null,
        resolved_at: null,
        resolved_by_user_id: null,
        review: null,
        closed_at: null,
        closed_by_user_id: null,
        updated_at: at,
        drill: drill ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [position, l] of levels.entries()) {
      await db()
        .insertInto('incident_levels')
        .values({
          incident_id: i.id,
          position,
          unit_id: l.unit.id,
          state: l.ackAt === null ? 'skipped' : 'acknowledged',
          limit_minutes: 30,
          arrived_at: l.arrivedAt,
          deadline: l.deadline,
          acknowledged_at: l.ackAt,
          acknowledged_by_user_id: null,
          ack_note: null,
          alerted_at: null,
          skipped_at: l.ackAt === null ? l.deadline : null,
          realerted_at: null,
        })
        .execute();
    }
    return i.id;
  }

  async function place(unit: UnitRow, name: string, createdAt: number, responsibleId: number | null, inspections: number[]) {
    const p = await db()
      .insertInto('places')
      .values({
        unit_id: unit.id,
        name,
        kind: 'depot',
        address: null,
        risk: 'high',
        responsible_person_id: responsibleId,
        frequency_days: 7,
        last_inspected_at: inspections.at(-1) ?? null,
        due_at: 0,
        created_by_user_id: null,
        created_at: createdAt,
        updated_at: createdAt,
        archived_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const at of inspections) {
      await db()
        .insertInto('place_inspections')
        .values({ place_id: p.id, unit_id: unit.id, inspector_user_id: null, inspected_at: at, note: null, passed: 1, failed: 0, not_applicable: 0, photo_ids: '[]', directive_id: null })
        .execute();
    }
    return p.id;
  }

  async function roster(unit: UnitRow, since: number) {
    await db().insertInto('duty_rosters').values({ unit_id: unit.id, note: null, pattern: null, created_by_user_id: null, created_at: since, updated_at: since }).execute();
  }

  async function shift(unit: UnitRow, from: number, to: number, members: { personId: number; role: 'leader' | 'officer' }[]) {
    const s = await db()
      .insertInto('duty_shifts')
      .values({ unit_id: unit.id, starts_at: from, ends_at: to, note: null, source: 'manual', swapped_at: null, reminded_at: null, created_by_user_id: null, created_at: from, updated_at: from })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [position, m] of members.entries()) await db().insertInto('duty_shift_members').values({ shift_id: s.id, person_id: m.personId, role: m.role, position }).execute();
  }

  async function exception(unit: UnitRow, status: string, requestedAt: number, byUserId: number | null) {
    await db()
      .insertInto('measure_values')
      .values({
        unit_id: unit.id,
        measure_key: 'checkin.cutoff',
        value: 600,
        effective_from: '2026-11-01',
        status,
        reason: '加严',
        parent_value: 720,
        requested_by_user_id: byUserId,
        requested_at: requestedAt,
        decided_by_user_id: null,
        decided_at: status === 'pending' ? null : requestedAt + 3_600_000,
        decided_day: null,
        decision_note: null,
      })
      .execute();
  }

  async function checkinDay(day: string, counts: { unit: UnitRow; headcount: number; checkedIn: number; onTime: number }[]) {
    await db().insertInto('headcount_days').values({ day, taken_at: shanghai(`${day}T00:00:00`) }).onConflict((oc) => oc.column('day').doNothing()).execute();
    for (const c of counts) {
      await db().insertInto('headcounts').values({ day, unit_id: c.unit.id, headcount: c.headcount }).execute();
      await db()
        .insertInto('checkin_counts')
        .values({ day, unit_id: c.unit.id, checked_in: c.checkedIn, normal: c.checkedIn, abnormal: 0, at_work: c.checkedIn, remote: 0, leave: 0, trip: 0, quarantine: 0, on_time: c.onTime })
        .execute();
    }
  }

  /**
   * The hand-built tree: root → A → A1, root → B, with every metric's duties in the period
   * 2026-11-01..20 (the previous period 2026-10-12..31) and drills that must change nothing.
   */
  async function world() {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '公交公司' });
    const a1 = await buildUnit(t, { parent: a, name: '一场站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空' });
    const supervisor = await member(root, 'supervisor', '纪委书记');
    const headA = await member(a, 'unit_head', '甲主任');
    const liaisonB = await member(b, 'liaison', '乙联络员');
    const driver = await buildPerson(t, a1, { name: '司机老王' });
    const pilot = await buildPerson(t, b, { name: '机长老李' });
    const keeper = await buildPerson(t, b, { name: '库管老赵' });
    const leader = await buildPerson(t, a, { name: '带班领导' });
    const officer = await buildPerson(t, a, { name: '值班员' });

    // Check-ins: two snapshot days; a day without a snapshot does not count.
    await checkinDay('2026-11-01', [
      { unit: a1, headcount: 10, checkedIn: 8, onTime: 6 },
      { unit: b, headcount: 5, checkedIn: 5, onTime: 5 },
    ]);
    await checkinDay('2026-11-02', [
      { unit: a1, headcount: 10, checkedIn: 10, onTime: 10 },
      { unit: b, headcount: 5, checkedIn: 0, onTime: 0 },
    ]);
    await db().insertInto('checkin_counts').values({ day: '2026-11-03', unit_id: b.id, checked_in: 3, normal: 3, abnormal: 0, at_work: 3, remote: 0, leave: 0, trip: 0, quarantine: 0, on_time: 0 }).execute();

    // Tasks: A1 one on time, one late; B one never done, one due after the period, one in the previous period on time.
    const d = await directive(root);
    await task(d, a1, driver.id, '消杀一场站', endOf('2026-11-05'), 'done', shanghai('2026-11-05T12:00:00'));
    await task(d, a1, driver.id, '排查返程人员', endOf('2026-11-06'), 'done', shanghai('2026-11-07T09:00:00'));
    await task(d, b, pilot.id, '机组闭环管理', endOf('2026-11-10'), 'assigned', null);
    await task(d, b, pilot.id, '月底总结', endOf('2026-11-30'), 'assigned', null);
    await task(d, b, pilot.id, '十月排查', endOf('2026-10-20'), 'verified', shanghai('2026-10-19T09:00:00'));
    // A drill's tasks change nothing.
    const drill = await directive(root, true);
    await task(drill, b, pilot.id, '演练任务', endOf('2026-11-10'), 'assigned', null);

    // Incidents: at A1 acknowledged in time; at A (the next level) skipped. A drill at B skipped.
    const incidentId = await incident(a1, false, [
      { unit: a1, arrivedAt: shanghai('2026-11-08T10:00:00'), deadline: shanghai('2026-11-08T10:30:00'), ackAt: shanghai('2026-11-08T10:20:00') },
      { unit: a, arrivedAt: shanghai('2026-11-08T10:30:00'), deadline: shanghai('2026-11-08T11:00:00'), ackAt: null },
    ]);
    await incident(b, true, [{ unit: b, arrivedAt: shanghai('2026-11-08T10:00:00'), deadline: shanghai('2026-11-08T10:30:00'), ackAt: null }]);

    // Places (every 7 days). B's: met 10-08, late for 10-15, never since (due 10-27): overdue through the period.
    const placeB = await place(b, '机库', shanghai('2026-10-01T09:00:00'), keeper.id, [shanghai('2026-10-08T10:00:00'), shanghai('2026-10-20T10:00:00')]);
    // A1's: registered 10-25, inspected on time (11-01, 11-08) and early (11-14); next due 11-21, after the period.
    await place(a1, '停车场', shanghai('2026-10-25T09:00:00'), driver.id, [shanghai('2026-11-01T15:00:00'), shanghai('2026-11-08T08:00:00'), shanghai('2026-11-14T08:00:00')]);

    // Duty at A: covered 11-01..19, no officer 11-19, nothing 11-20; nothing in the previous period.
    await roster(a, shanghai('2026-10-01T00:00:00'));
    await shift(a, shanghai('2026-11-01T00:00:00'), shanghai('2026-11-19T00:00:00'), [
      { personId: leader.id, role: 'leader' },
      { personId: officer.id, role: 'officer' },
    ]);
    await shift(a, shanghai('2026-11-19T00:00:00'), shanghai('2026-11-20T00:00:00'), [{ personId: leader.id, role: 'leader' }]);

    // Exceptions: B asked twice (one refused); A asked once in the previous period.
    await exception(b, 'refused', shanghai('2026-11-03T09:00:00'), liaisonB.user.id);
    await exception(b, 'approved', shanghai('2026-11-04T09:00:00'), liaisonB.user.id);
    await exception(a, 'pending', shanghai('2026-10-15T09:00:00'), headA.user.id);

    // Care at B (contact every 7 days): opened 11-05, first contact due 11-12, made 11-15 (late).
    const careOfficer = await member(b, 'care_officer', '关爱专员');
    const opened = shanghai('2026-11-05T09:00:00');
    const contact = shanghai('2026-11-15T10:00:00');
    const kase = await db()
      .insertInto('care_cases')
      .values({ person_id: pilot.id, unit_id: b.id, kind: 'home_quarantine', status: 'open', source: 'hand', source_key: null, starts_on: '2026-11-05', expected_end: null, care_officer_user_id: careOfficer.user.id, time_zone: null, note: '居家隔离', outcome: null, outcome_note: null, opened_by_user_id: null, opened_at: opened, closed_by_user_id: null, closed_at: null, last_contact_at: contact, updated_at: contact })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('care_actions').values({ case_id: kase.id, kind: 'call', at: contact, user_id: careOfficer.user.id, note: '心理疏导', note_cipher: null, created_at: contact }).execute();

    return { root, a, a1, b, supervisor, headA, liaisonB, driver, pilot, keeper, leader, officer, incidentId, placeB, careOfficer, caseId: kase.id };
  }

  const PERIOD = { from: '2026-11-01', to: '2026-11-20' };
  const f = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });

  it('counts each metric exactly, for the unit and each child’s subtree, leaving drills out', async () => {
    const w = await world();
    const res = await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard', query: { unitId: String(w.root.id), ...PERIOD } });
    expect(res.status).toBe(200);
    const card = res.json as Scorecard;
    expect(card.previous).toEqual({ from: '2026-10-12', to: '2026-10-31' });
    const [first, second] = card.children as [ScorecardRow, ScorecardRow];
    expect(first.unitId).toBe(w.a.id);
    expect(first.figures).toEqual({
      checkin_completeness: f(18, 20),
      checkin_timeliness: f(16, 18),
      tasks_on_time: f(1, 2),
      incidents_acknowledged: f(1, 2),
      inspections_on_schedule: f(3, 3),
      duty_hours_covered: f(432, 480),
      care_contacts_in_time: f(0, 0),
      measure_exceptions: f(0, 0),
    });
    expect(second.unitId).toBe(w.b.id);
    expect(second.figures).toEqual({
      checkin_completeness: f(5, 10),
      checkin_timeliness: f(5, 5),
      tasks_on_time: f(0, 1),
      incidents_acknowledged: f(0, 0),
      inspections_on_schedule: f(0, 1),
      duty_hours_covered: f(0, 0),
      care_contacts_in_time: f(0, 1),
      measure_exceptions: f(1, 2),
    });
    expect(card.unit.figures.tasks_on_time).toEqual(f(1, 3));
    expect(card.unit.figures.checkin_completeness).toEqual(f(23, 30));
    expect(card.unit.figures.incidents_acknowledged).toEqual(f(1, 2));
    // Equal weights over the metrics that had anything due; exceptions count as 1 − rate.
    expect(first.score).toBeCloseTo((0.9 + 16 / 18 + 0.5 + 0.5 + 1 + 0.9) / 6, 10);
    expect(second.score).toBeCloseTo((0.5 + 1 + 0 + 0 + 0 + 0.5) / 6, 10);
    expect([first.rank, second.rank, card.unit.rank]).toEqual([1, 2, null]);

    // The previous period: B's October task on time, B's place missed twice; A's roster uncovered, A's exception asked.
    expect(second.previous.figures.tasks_on_time).toEqual(f(1, 1));
    expect(second.previous.figures.inspections_on_schedule).toEqual(f(0, 2));
    expect(first.previous.figures.duty_hours_covered).toEqual(f(0, 480));
    expect(first.previous.figures.measure_exceptions).toEqual(f(0, 1));
    expect(first.previous.score).toBeCloseTo(0.5, 10);
    expect(first.change).toBeCloseTo(first.score! - 0.5, 10);
    expect(second.previous.score).toBeCloseTo(0.5, 10);

    // The daily series: one point per day of the period; 11-05 had only A1's task on time and covered duty.
    expect(card.series.map((s) => s.day)).toEqual(Array.from({ length: 20 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`));
    expect(card.series[4]!.score).toBeCloseTo(1, 10);
    // 11-20: only duty, uncovered all day.
    expect(card.series[19]!.score).toBe(0);

    // A child's own card: A1 under A.
    const aCard = (await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard', query: { unitId: String(w.a.id), ...PERIOD } })).json as Scorecard;
    expect(aCard.children.map((c) => [c.unitId, c.figures.tasks_on_time, c.figures.duty_hours_covered])).toEqual([[w.a1.id, f(1, 2), f(0, 0)]]);
    expect(aCard.unit.figures.duty_hours_covered).toEqual(f(432, 480));
  });

  it('caps check-ins at the headcount per unit and day: one unit’s surplus hides neither a sibling’s miss nor its own on another day', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '公交公司' });
    const a1 = await buildUnit(t, { parent: a, name: '一场站' });
    const a2 = await buildUnit(t, { parent: a, name: '二场站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空' });
    const a3 = await buildUnit(t, { parent: a, name: '三场站' });
    const sup = await member(root, 'supervisor');
    // 11-01: two joined A1 after the snapshot and checked in (12 of 10); A2 misses 2.
    await checkinDay('2026-11-01', [
      { unit: a1, headcount: 10, checkedIn: 12, onTime: 11 },
      { unit: a2, headcount: 10, checkedIn: 8, onTime: 8 },
      { unit: b, headcount: 5, checkedIn: 5, onTime: 5 },
    ]);
    // 11-02: A1 misses 1; A3, set up after the snapshot (no headcount row), checks in 2; B misses 1.
    await checkinDay('2026-11-02', [
      { unit: a1, headcount: 10, checkedIn: 9, onTime: 9 },
      { unit: a2, headcount: 10, checkedIn: 10, onTime: 10 },
      { unit: b, headcount: 5, checkedIn: 4, onTime: 4 },
    ]);
    await db().insertInto('checkin_counts').values({ day: '2026-11-02', unit_id: a3.id, checked_in: 2, normal: 2, abnormal: 0, at_work: 2, remote: 0, leave: 0, trip: 0, quarantine: 0, on_time: 2 }).execute();
    const card = (await call(sup.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard', query: { unitId: String(root.id), ...PERIOD } })).json as Scorecard;
    const byId = new Map(card.children.map((c) => [c.unitId, c.figures]));
    // A: 10 + 8 on 11-01, 9 + 10 + 0 on 11-02 (capped per (child, day) it read 40 of 40).
    expect(byId.get(a.id)!.checkin_completeness).toEqual(f(37, 40));
    expect(byId.get(a.id)!.checkin_timeliness).toEqual(f(40, 41));
    expect(byId.get(b.id)!.checkin_completeness).toEqual(f(9, 10));
    expect(card.unit.figures.checkin_completeness).toEqual(f(46, 50));
    expect(card.unit.figures.checkin_timeliness).toEqual(f(49, 50));
    expect(card.unit.previous.figures.checkin_completeness).toEqual(f(0, 0));
    // The series: each day its own capped sums (11-01: 23 of 25, 24 of 25 on time; 11-02: 23 of 25, all on time).
    expect(card.series[0]!.score).toBeCloseTo((23 / 25 + 24 / 25) / 2, 10);
    expect(card.series[1]!.score).toBeCloseTo((23 / 25 + 1) / 2, 10);
    expect(card.series[2]!.score).toBeNull();
    // A's own card: each child its own sums.
    const aCard = (await call(sup.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard', query: { unitId: String(a.id), ...PERIOD } })).json as Scorecard;
    const own = new Map(aCard.children.map((c) => [c.unitId, c.figures]));
    expect([a1, a2, a3].map((u) => [own.get(u.id)!.checkin_completeness, own.get(u.id)!.checkin_timeliness])).toEqual([
      [f(19, 20), f(20, 21)],
      [f(18, 20), f(18, 18)],
      [f(0, 0), f(2, 2)],
    ]);
    // The misses agree: A1's surplus on 11-01 does not hide its miss on 11-02.
    const misses = (await call(sup.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard/misses', query: { unitId: String(root.id), metric: 'checkin_completeness', ...PERIOD } })).json as ScorecardMissPage;
    expect(misses.items.map((m) => [m.unitId, m.missing])).toEqual([
      [a2.id, 2],
      [a1.id, 1],
      [b.id, 1],
    ]);
  });

  it('names the people behind each miss, and no health or care detail', async () => {
    const w = await world();
    const misses = async (metric: string) => {
      const res = await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard/misses', query: { unitId: String(w.root.id), metric, ...PERIOD } });
      expect(res.status).toBe(200);
      return res.json as ScorecardMissPage;
    };
    const tasks = await misses('tasks_on_time');
    expect(tasks.total).toBe(2);
    expect(tasks.items.map((m) => [m.title, m.unitId, m.metAt !== null, m.people.map((p) => [p.name, p.as])])).toEqual([
      ['排查返程人员', w.a1.id, true, [['司机老王', 'responsible']]],
      ['机组闭环管理', w.b.id, false, [['机长老李', 'responsible']]],
    ]);

    const levels = await misses('incidents_acknowledged');
    expect(levels.total).toBe(1);
    const level = levels.items[0]!;
    expect(level).toMatchObject({ entity: 'incident_level', entityId: w.incidentId, unitId: w.a.id, title: null, metAt: null });
    expect(level.people.map((p) => [p.name, p.as])).toEqual([
      ['甲主任', 'unit_head'],
      ['带班领导', 'duty'],
      ['值班员', 'duty'],
    ]);
    // The incident's title names a suspected case: nothing of it reaches the supervisor.
    expect(JSON.stringify(levels)).not.toMatch(/疑似|张三|发热/);

    const places = await misses('inspections_on_schedule');
    expect(places.items.map((m) => [m.entityId, m.title, m.metAt, m.people.map((p) => p.name)])).toEqual([[w.placeB, '机库', null, ['库管老赵']]]);

    const duty = await misses('duty_hours_covered');
    expect(duty.items.map((m) => [m.unitId, m.dueAt, m.endsAt, m.people.map((p) => [p.name, p.as])])).toEqual([
      [w.a.id, shanghai('2026-11-19T00:00:00'), shanghai('2026-11-21T00:00:00'), [['甲主任', 'unit_head']]],
    ]);

    // Check-ins: counts per unit with its liaison and head (the nearest above when the unit has none), never who.
    const checkins = await misses('checkin_completeness');
    expect(checkins.items.map((m) => [m.unitId, m.missing, m.late, m.people.map((p) => [p.name, p.as])])).toEqual([
      [w.b.id, 5, 0, [['乙联络员', 'liaison']]],
      [w.a1.id, 2, 2, [['甲主任', 'unit_head']]],
    ]);
    for (const m of checkins.items) expect(Object.keys(m).sort()).toEqual(['dueAt', 'endsAt', 'entity', 'entityId', 'late', 'link', 'metAt', 'metric', 'missing', 'people', 'title', 'unitId', 'unitName']);
    expect(JSON.stringify(checkins)).not.toMatch(/司机老王|机长老李|库管老赵/);

    // Care: the case and its officer, never the person cared for, the kind or the notes.
    const care = await misses('care_contacts_in_time');
    expect(care.items.map((m) => [m.entity, m.entityId, m.unitId, m.dueAt, m.metAt, m.people.map((p) => [p.userId, p.as])])).toEqual([
      ['care_contact', w.caseId, w.b.id, shanghai('2026-11-12T09:00:00'), shanghai('2026-11-15T10:00:00'), [[w.careOfficer.user.id, 'care_officer']]],
    ]);
    expect(JSON.stringify(care)).not.toMatch(/机长老李|home_quarantine|居家|心理/);

    const timeliness = await misses('checkin_timeliness');
    expect(timeliness.items.map((m) => [m.unitId, m.late])).toEqual([[w.a1.id, 2]]);

    const exceptions = await misses('measure_exceptions');
    expect(exceptions.items.map((m) => [m.unitId, m.title, m.people.map((p) => [p.name, p.as])])).toEqual([[w.b.id, 'checkin.cutoff', [['乙联络员', 'requester']]]]);

    // Paging: the second task alone.
    const page2 = (await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard/misses', query: { unitId: String(w.root.id), metric: 'tasks_on_time', page: '2', pageSize: '1', ...PERIOD } })).json as ScorecardMissPage;
    expect([page2.total, page2.items.map((m) => m.title)]).toEqual([2, ['机组闭环管理']]);
  });

  it('answers 404 outside the supervision scope, 403 without it anywhere, 400 naming the field for a bad period', async () => {
    const w = await world();
    const supA = await member(w.a, 'supervisor');
    const ask = (cookie: string, unitId: number, extra: Record<string, string> = {}) => call(cookie, { method: 'GET', url: '/api/v1/supervision/scorecard', query: { unitId: String(unitId), ...extra } });
    expect((await ask(supA.cookie, w.a.id)).status).toBe(200);
    expect((await ask(supA.cookie, w.b.id)).status).toBe(404);
    expect((await ask(supA.cookie, w.root.id)).status).toBe(404);
    expect((await ask(supA.cookie, 99_999_999)).status).toBe(404);
    const misses = await call(supA.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard/misses', query: { unitId: String(w.b.id), metric: 'tasks_on_time' } });
    expect(misses.status).toBe(404);
    const care = await member(w.a, 'care_officer');
    expect((await ask(care.cookie, w.a.id)).status).toBe(403);
    const bad = await ask(w.supervisor.cookie, w.root.id, { from: '2026-11-20', to: '2026-11-01' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)?.fields).toHaveProperty('to');
    const long = await ask(w.supervisor.cookie, w.root.id, { from: '2026-01-01', to: '2026-11-01' });
    expect(errorOf(long)?.fields).toHaveProperty('to');
    const metric = await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard/misses', query: { unitId: String(w.root.id), metric: 'nonsense' } });
    expect(metric.status).toBe(400);
    expect(errorOf(metric)?.fields).toHaveProperty('metric');
    // Default period: the 30 days up to today.
    const dflt = (await ask(w.supervisor.cookie, w.root.id)).json as Scorecard;
    expect([dflt.from, dflt.to, dflt.previous.from]).toEqual(['2026-10-26', '2026-11-24', '2026-09-26']);
  });

  it('ties share a rank and unscored children come last', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const root = await buildUnit(t, { name: '根' });
    const x = await buildUnit(t, { parent: root, name: '甲' });
    const y = await buildUnit(t, { parent: root, name: '乙' });
    const z = await buildUnit(t, { parent: root, name: '丙' });
    const sup = await member(root, 'supervisor');
    const p = await buildPerson(t, root);
    const d = await directive(root);
    await task(d, x, p.id, '一', endOf('2026-11-05'), 'done', shanghai('2026-11-05T09:00:00'));
    await task(d, y, p.id, '二', endOf('2026-11-05'), 'done', shanghai('2026-11-05T09:00:00'));
    const card = (await call(sup.cookie, { method: 'GET', url: '/api/v1/supervision/scorecard', query: { unitId: String(root.id), ...PERIOD } })).json as Scorecard;
    expect(card.children.map((c) => [c.unitId, c.rank, c.score])).toEqual([
      [x.id, 1, 1],
      [y.id, 1, 1],
      [z.id, null, null],
    ]);
  });
});
