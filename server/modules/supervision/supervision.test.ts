import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { MatrixPage, OverdueItem, OverduePage, SupervisionFinding, SupervisionFindingPage } from '../../../common/schemas/supervision.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { openCareCaseFor } from '../care/care.service.js';
import { insertMembers, insertRoster, insertShift } from '../duty/duty.store.js';
import { dutyGaps, overdueTasks, skippedLevels, uninspectedPlaces } from './overdue.store.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const HOUR = 3_600_000;

describe.each(testDialects())('supervision on %s', (dialect) => {
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

  let n = 0;
  const mark = (p: string) => `${p}${++n}`;

  async function world() {
    const root = await buildUnit(t, { name: mark('集团') });
    const a = await buildUnit(t, { parent: root, name: mark('公交公司'), kind: 'subsidiary' });
    const depot = await buildUnit(t, { parent: a, name: mark('一场站') });
    const b = await buildUnit(t, { parent: root, name: mark('青岛航空'), kind: 'subsidiary' });
    return {
      root,
      a,
      depot,
      b,
      supervisor: await member(root, 'supervisor', mark('纪委书记')),
      supervisorB: await member(b, 'supervisor'),
      command: await member(root, 'command'),
      admin: await member(root, 'admin'),
      headA: await member(a, 'unit_head', mark('张经理')),
      liaisonA: await member(a, 'liaison', mark('李联络')),
      headB: await member(b, 'unit_head'),
    };
  }

  async function taskAt(unit: UnitRow, opts: { deadline: number; drill?: boolean; personName?: string }) {
    const { db } = t.deps;
    const now = t.clock.now();
    const person = await buildPerson(t, unit, { name: opts.personName ?? mark('责任人') });
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    const d = await db
      .insertInto('directives')
      .values({ unit_id: unit.id, source: 'city', document_no: null, title: mark('部署'), body: '正文', received_at: now, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: now, updated_at: now, drill: opts.drill ? 1 : 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const task = await db
      .insertInto('tasks')
      .values({
        directive_id: d.id,
        parent_id: null,
        unit_id: unit.id,
        title: mark('落实核酸检测'),
        instructions: null,
        responsible_person_id: person.id,
        deadline: opts.deadline,
        evidence: 'report',
        status: 'assigned',
        assigned_by_user_id: null,
        assigned_at: now,
        acknowledged_at: null,
        completed_at: null,
        report: null,
        photo_ids: '[]',
        file_ids: '[]',
        verified_at: null,
        return_reason: null,
        overdue_at: null,
        reminded_at: null,
        updated_at: now,
      })
      .returning(['id', 'title'])
      .executeTakeFirstOrThrow();
    return { id: task.id, title: task.title, person, user };
  }

  async function placeAt(unit: UnitRow, opts: { dueAt: number; responsiblePersonId: number | null }) {
    const now = t.clock.now();
    const r = await t.deps.db
      .insertInto('places')
      .values({
        unit_id: unit.id,
        name: mark('停车场'),
        kind: 'depot',
        address: null,
        risk: 'high',
        responsible_person_id: opts.responsiblePersonId,
        frequency_days: 7,
        last_inspected_at: null,
        due_at: opts.dueAt,
        created_by_user_id: null,
        created_at: now,
        updated_at: now,
        archived_at: null,
      })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    return r;
  }

  /** An incident with one skipped level at `unit` (title and kind carry a health detail that must never show). */
  async function skippedLevelAt(unit: UnitRow, opts: { drill?: boolean; deadline: number }) {
    const { db } = t.deps;
    const now = t.clock.now();
    const i = await db
      .insertInto('incidents')
      .values({
        unit_id: unit.id,
        kind: 'positive_case',
        severity: 'major',
        title: '王某核酸阳性',
        description: '确诊详情',
        occurred_at: now - 2 * HOUR,
        place: null,
        status: 'open',
        top_position: 1,
        current_position: 1,
        filed_by_user_id: null,
        filed_at: now - 2 * HOUR,
        resolution: null,
        resolved_at: null,
        resolved_by_user_id: null,
        review: null,
        closed_at: null,
        closed_by_user_id: null,
        updated_at: now,
        drill: opts.drill ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const l = await db
      .insertInto('incident_levels')
      .values({
        incident_id: i.id,
        position: 0,
        unit_id: unit.id,
        state: 'skipped',
        limit_minutes: 30,
        arrived_at: now - 2 * HOUR,
        deadline: opts.deadline,
        acknowledged_at: null,
        acknowledged_by_user_id: null,
        ack_note: null,
        alerted_at: null,
        skipped_at: opts.deadline,
        realerted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { incidentId: i.id, levelId: l.id };
  }

  const overdue = async (cookie: string, unitId: number, kind?: string) => {
    const a = await call(cookie, { method: 'GET', url: '/api/v1/supervision/overdue', query: { unitId: String(unitId), pageSize: '200', ...(kind ? { kind } : {}) } });
    expect(a.status, a.raw).toBe(200);
    return a.json as OverduePage;
  };
  const find = (p: OverduePage, kind: string, id: string | number) => p.items.find((i) => i.kind === kind && i.ref.id === String(id));

  it('lists each unit’s posts and every empty post in the responsibility matrix', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const keeper = await buildPerson(t, w.depot, { name: mark('站长') });
    const kept = await placeAt(w.depot, { dueAt: shanghai('2026-11-30T00:00:00'), responsiblePersonId: keeper.id });
    const orphan = await placeAt(w.depot, { dueAt: shanghai('2026-11-30T00:00:00'), responsiblePersonId: null });
    const task = await taskAt(w.depot, { deadline: shanghai('2026-11-24T18:00:00') });
    const drillTask = await taskAt(w.depot, { deadline: shanghai('2026-11-24T18:00:00'), drill: true });
    // The depot keeps duty: 08:00–20:00 today with a leader and an officer; the rest of the day is uncovered.
    const leader = await buildPerson(t, w.depot, { name: mark('带班') });
    const officer = await buildPerson(t, w.depot, { name: mark('值班') });
    await insertRoster(t.deps.db, { unit_id: w.depot.id, note: null, created_by_user_id: null, now: t.clock.now() });
    const shift = await insertShift(t.deps.db, { unit_id: w.depot.id, starts_at: shanghai('2026-11-24T08:00:00'), ends_at: shanghai('2026-11-24T20:00:00'), note: null, source: 'manual', created_by_user_id: null }, t.clock.now());
    await insertMembers(t.deps.db, [{ shiftId: shift.id, leaderIds: [leader.id], officerIds: [officer.id] }]);

    const got = await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/matrix', query: { unitId: String(w.a.id) } });
    expect(got.status, got.raw).toBe(200);
    const m = got.json as MatrixPage;
    expect(m.day).toBe('2026-11-24');
    expect(m.items.map((u) => [u.unitId, u.depth])).toEqual([
      [w.a.id, 0],
      [w.depot.id, 1],
    ]);
    const [ua, ud] = m.items as [MatrixPage['items'][number], MatrixPage['items'][number]];
    expect(ua.heads).toEqual([{ personId: w.headA.person.id, userId: w.headA.user.id, name: w.headA.person.name }]);
    expect(ua.liaisons.map((l) => l.personId)).toEqual([w.liaisonA.person.id]);
    expect(ua.emptyPosts).toEqual([]);
    expect(ud.heads).toEqual([]);
    expect(ud.places.map((p) => [p.placeId, p.responsible?.personId ?? null]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      [kept.id, keeper.id],
      [orphan.id, null],
    ]);
    expect(ud.placesTotal).toBe(2);
    expect(ud.tasks.map((x) => [x.taskId, x.responsible.personId, x.responsible.userId])).toEqual([[task.id, task.person.id, task.user.id]]);
    expect(ud.tasks.some((x) => x.taskId === drillTask.id)).toBe(false);
    expect(ud.tasksTotal).toBe(1);
    expect(ud.keepsDuty).toBe(true);
    expect(ud.shifts).toEqual([{ shiftId: shift.id, startsAt: shift.starts_at, endsAt: shift.ends_at, leaders: [{ personId: leader.id, userId: null, name: leader.name }], officers: [{ personId: officer.id, userId: null, name: officer.name }] }]);
    const kinds = ud.emptyPosts.map((p) => [p.kind, p.placeId ?? p.role]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['no_head', null],
        ['no_liaison', null],
        ['place_without_responsible', orphan.id],
        ['duty_uncovered', 'leader'],
        ['duty_uncovered', 'officer'],
      ]),
    );
    const uncovered = ud.emptyPosts.filter((p) => p.kind === 'duty_uncovered' && p.role === 'leader').map((p) => [p.startsAt, p.endsAt]);
    expect(uncovered).toEqual([
      [shanghai('2026-11-24T00:00:00'), shanghai('2026-11-24T08:00:00')],
      [shanghai('2026-11-24T20:00:00'), shanghai('2026-11-25T00:00:00')],
    ]);
    expect(m.emptyPosts).toEqual({ no_head: 1, no_liaison: 1, place_without_responsible: 1, duty_uncovered: 4 });

    const only = (await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/matrix', query: { unitId: String(w.a.id), emptyOnly: 'true' } })).json as MatrixPage;
    expect(only.items.map((u) => u.unitId)).toEqual([w.depot.id]);
    expect(only.total).toBe(1);
    expect(only.unitsTotal).toBe(2);

    // A head named at the depot fills the post on the next request.
    await member(w.depot, 'unit_head');
    const again = (await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/matrix', query: { unitId: String(w.depot.id) } })).json as MatrixPage;
    expect(again.items[0]!.emptyPosts.some((p) => p.kind === 'no_head')).toBe(false);

    // Scope: a unit head of B sees B's matrix, not A's (404); an employee-less actor with no grant is refused.
    expect((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/supervision/matrix', query: { unitId: String(w.a.id) } })).status).toBe(404);
    expect((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/supervision/matrix', query: { unitId: String(w.b.id) } })).status).toBe(200);
    expect((await call(w.supervisorB.cookie, { method: 'GET', url: '/api/v1/supervision/matrix', query: { unitId: String(w.a.id) } })).status).toBe(404);
  });

  it('shows each overdue kind with its responsible person, leaves drills out and drops what is done', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const late = await taskAt(w.depot, { deadline: shanghai('2026-11-24T09:00:00'), personName: mark('赵司机') });
    const notYet = await taskAt(w.depot, { deadline: shanghai('2026-11-24T18:00:00') });
    const drillLate = await taskAt(w.depot, { deadline: shanghai('2026-11-24T09:00:00'), drill: true });
    const level = await skippedLevelAt(w.a, { deadline: shanghai('2026-11-24T08:30:00') });
    const drillLevel = await skippedLevelAt(w.a, { deadline: shanghai('2026-11-24T08:30:00'), drill: true });
    const keeper = await buildPerson(t, w.depot, { name: mark('站长') });
    const stale = await placeAt(w.depot, { dueAt: shanghai('2026-11-20T00:00:00'), responsiblePersonId: keeper.id });
    const fresh = await placeAt(w.depot, { dueAt: shanghai('2026-11-28T00:00:00'), responsiblePersonId: keeper.id });
    // A roster at A with a leader-only shift 00:00–08:00: no officer all morning, no leader since 08:00.
    await insertRoster(t.deps.db, { unit_id: w.a.id, note: null, created_by_user_id: null, now: t.clock.now() });
    const shift = await insertShift(t.deps.db, { unit_id: w.a.id, starts_at: shanghai('2026-11-24T00:00:00'), ends_at: shanghai('2026-11-24T08:00:00'), note: null, source: 'manual', created_by_user_id: null }, t.clock.now());
    await insertMembers(t.deps.db, [{ shiftId: shift.id, leaderIds: [w.headA.person.id], officerIds: [] }]);

    const p = await overdue(w.supervisor.cookie, w.a.id);
    expect(p.unavailable.every((k) => k === 'uncontacted_care')).toBe(true);
    const task = find(p, 'task', late.id)!;
    expect(task).toMatchObject({ unitId: w.depot.id, title: late.title, since: shanghai('2026-11-24T09:00:00'), responsible: [{ personId: late.person.id, userId: late.user.id, name: late.person.name }] });
    expect(find(p, 'task', notYet.id)).toBeUndefined();
    expect(find(p, 'task', drillLate.id)).toBeUndefined();

    const lv = find(p, 'skipped_level', level.levelId)!;
    expect(lv).toMatchObject({ unitId: w.a.id, since: shanghai('2026-11-24T08:30:00'), responsible: [{ personId: w.headA.person.id, userId: w.headA.user.id }] });
    expect(lv.title).not.toMatch(/王某|阳性|positive/);
    expect(JSON.stringify(p)).not.toMatch(/王某|阳性|确诊|positive_case/);
    expect(find(p, 'skipped_level', drillLevel.levelId)).toBeUndefined();

    const place = find(p, 'uninspected_place', stale.id)!;
    expect(place).toMatchObject({ unitId: w.depot.id, since: shanghai('2026-11-21T00:00:00'), responsible: [{ personId: keeper.id, userId: null, name: keeper.name }] });
    expect(find(p, 'uninspected_place', fresh.id)).toBeUndefined();

    const officerGap = find(p, 'duty_gap', `${w.a.id}:officer:${shanghai('2026-11-24T00:00:00')}`)!;
    expect(officerGap).toMatchObject({ since: shanghai('2026-11-24T00:00:00'), until: t.clock.now(), responsible: [{ personId: w.headA.person.id }] });
    expect(find(p, 'duty_gap', `${w.a.id}:leader:${shanghai('2026-11-24T08:00:00')}`)).toBeTruthy();
    expect(p.byKind).toMatchObject({ task: 1, skipped_level: 1, duty_gap: 2, uninspected_place: 1 });
    // Longest overdue first.
    expect(p.items.map((i) => i.since)).toEqual([...p.items.map((i) => i.since)].sort((x, y) => x - y));
    // The kind filter pages one kind; counts stay whole.
    const onlyTasks = await overdue(w.supervisor.cookie, w.a.id, 'task');
    expect(onlyTasks.items.map((i) => i.kind)).toEqual(['task']);
    expect(onlyTasks.byKind.duty_gap).toBe(2);

    // The exported readers give the same misses (the scorecard reuses them).
    expect((await overdueTasks(t.deps.db, w.a.path, t.clock.now())).map((r) => r.taskId)).toEqual([late.id]);
    expect((await skippedLevels(t.deps.db, w.a.path, t.clock.now())).map((r) => r.levelId)).toEqual([level.levelId]);
    expect((await uninspectedPlaces(t.deps.db, w.a.path, t.clock.now(), t.deps.config.timeZone)).map((r) => r.placeId)).toEqual([stale.id]);
    expect((await dutyGaps(t.deps.db, w.a.path, t.clock.now(), shanghai('2026-11-24T00:00:00'))).length).toBe(2);

    // Done, inspected, covered: gone on the next request.
    await t.deps.db.updateTable('tasks').set({ status: 'done', completed_at: t.clock.now() }).where('id', '=', late.id).execute();
    await t.deps.db.updateTable('places').set({ last_inspected_at: t.clock.now(), due_at: shanghai('2026-12-01T00:00:00') }).where('id', '=', stale.id).execute();
    const officer = await buildPerson(t, w.a);
    const cover = await insertShift(t.deps.db, { unit_id: w.a.id, starts_at: shanghai('2026-11-24T08:00:00'), ends_at: shanghai('2026-11-24T20:00:00'), note: null, source: 'manual', created_by_user_id: null }, t.clock.now());
    await insertMembers(t.deps.db, [{ shiftId: cover.id, leaderIds: [w.headA.person.id], officerIds: [officer.id] }]);
    const after = await overdue(w.supervisor.cookie, w.a.id);
    expect(find(after, 'task', late.id)).toBeUndefined();
    expect(find(after, 'uninspected_place', stale.id)).toBeUndefined();
    expect(after.items.filter((i) => i.kind === 'duty_gap').map((i) => i.ref.id)).toEqual([`${w.a.id}:officer:${shanghai('2026-11-24T00:00:00')}`]);
    expect(find(after, 'duty_gap', `${w.a.id}:officer:${shanghai('2026-11-24T00:00:00')}`)!.until).toBe(shanghai('2026-11-24T08:00:00'));

    // Scope: 404 outside the subtree; no supervision.read at all is 403.
    expect((await call(w.headB.cookie, { method: 'GET', url: '/api/v1/supervision/overdue', query: { unitId: String(w.a.id) } })).status).toBe(404);
    const b = await overdue(w.headB.cookie, w.b.id);
    expect(b.total).toBe(0);
    expect((await call(w.liaisonA.cookie, { method: 'GET', url: '/api/v1/supervision/overdue', query: { unitId: String(w.a.id) } })).status).toBe(403);
  });

  it('keeps findings to supervisors and the admin, snapshots evidence, refuses to change it, decides and closes', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const late = await taskAt(w.depot, { deadline: shanghai('2026-11-24T09:00:00') });
    const stale = await placeAt(w.depot, { dueAt: shanghai('2026-11-20T00:00:00'), responsiblePersonId: null });
    const pg = await overdue(w.supervisor.cookie, w.a.id);
    const shown = find(pg, 'task', late.id)!;

    const body = { subject: { kind: 'person', personId: late.person.id }, title: '任务逾期未落实', description: '核酸检测任务逾期', evidence: [{ kind: 'task', id: String(late.id) }] };
    // Not overdue or not visible: 400 naming the item.
    const notOverdue = await call(w.supervisor.cookie, { method: 'POST', url: '/api/v1/supervision/findings', body: { ...body, evidence: [{ kind: 'task', id: '999999' }] } });
    expect(notOverdue.status).toBe(400);
    expect(errorOf(notOverdue)?.fields).toHaveProperty(['evidence.0']);
    // Anyone without supervision.findings: findings do not exist (404), whatever they hold; the
    // person they would open one about is not one they can name (400, as outside any scope).
    for (const who of [w.command, w.headA, w.liaisonA]) {
      const refused = await call(who.cookie, { method: 'POST', url: '/api/v1/supervision/findings', body });
      expect(refused.status).toBe(400);
      expect(errorOf(refused)?.fields).toHaveProperty(['subject.personId']);
      expect((await call(who.cookie, { method: 'GET', url: '/api/v1/supervision/findings' })).status).toBe(404);
      expect((await call(who.cookie, { method: 'GET', url: '/api/v1/supervision/findings', query: { unitId: String(w.a.id) } })).status).toBe(404);
    }
    // A supervisor of B: the person is outside their scope (400 naming the subject).
    const outside = await call(w.supervisorB.cookie, { method: 'POST', url: '/api/v1/supervision/findings', body: { ...body, evidence: undefined } });
    expect(outside.status).toBe(400);
    expect(errorOf(outside)?.fields).toHaveProperty(['subject.personId']);

    const made = await call(w.supervisor.cookie, { method: 'POST', url: '/api/v1/supervision/findings', body, headers: { 'idempotency-key': `f-${dialect}` } });
    expect(made.status, made.raw).toBe(201);
    const f = made.json as SupervisionFinding;
    expect(f).toMatchObject({ subjectKind: 'person', unitId: w.depot.id, personId: late.person.id, personName: late.person.name, status: 'open', evidenceCount: 1, abilities: { edit: true, link: true, decide: true, close: false } });
    expect(f.evidence[0]!.snapshot).toEqual(shown);
    const replay = await call(w.supervisor.cookie, { method: 'POST', url: '/api/v1/supervision/findings', body, headers: { 'idempotency-key': `f-${dialect}` } });
    expect((replay.json as SupervisionFinding).id).toBe(f.id);

    // Others: command, unit heads, a supervisor of B get 404 on the finding; the admin sees it.
    for (const who of [w.command, w.headA, w.supervisorB]) expect((await call(who.cookie, { method: 'GET', url: `/api/v1/supervision/findings/${f.id}` })).status).toBe(404);
    expect((await call(w.admin.cookie, { method: 'GET', url: `/api/v1/supervision/findings/${f.id}` })).status).toBe(200);
    expect(((await call(w.supervisorB.cookie, { method: 'GET', url: '/api/v1/supervision/findings' })).json as SupervisionFindingPage).items.some((x) => x.id === f.id)).toBe(false);

    // The task changes (renamed, then done): the snapshot does not.
    await t.deps.db.updateTable('tasks').set({ title: '改过的标题', status: 'done', completed_at: t.clock.now() }).where('id', '=', late.id).execute();
    const read = (await call(w.supervisor.cookie, { method: 'GET', url: `/api/v1/supervision/findings/${f.id}` })).json as SupervisionFinding;
    expect(read.evidence[0]!.snapshot).toEqual(shown);
    expect(read.evidence[0]!.snapshot.title).toBe(late.title);

    // More evidence; the same item again is 409; removing is 409.
    const linked = await call(w.supervisor.cookie, { method: 'POST', url: `/api/v1/supervision/findings/${f.id}/evidence`, body: { refs: [{ kind: 'uninspected_place', id: String(stale.id) }] } });
    expect(linked.status, linked.raw).toBe(200);
    expect((linked.json as SupervisionFinding).evidence.map((e) => e.ref.kind)).toEqual(['task', 'uninspected_place']);
    const placeSnap = (linked.json as SupervisionFinding).evidence[1]!.snapshot as OverdueItem;
    expect(placeSnap.responsible).toEqual([]);
    expect((await call(w.supervisor.cookie, { method: 'POST', url: `/api/v1/supervision/findings/${f.id}/evidence`, body: { refs: [{ kind: 'uninspected_place', id: String(stale.id) }] } })).status).toBe(409);
    const evId = read.evidence[0]!.id;
    expect((await call(w.supervisor.cookie, { method: 'DELETE', url: `/api/v1/supervision/findings/${f.id}/evidence/${evId}` })).status).toBe(409);
    expect((await call(w.command.cookie, { method: 'DELETE', url: `/api/v1/supervision/findings/${f.id}/evidence/${evId}` })).status).toBe(404);

    // Close needs a decision; decide; close; then nothing changes any more.
    expect((await call(w.supervisor.cookie, { method: 'POST', url: `/api/v1/supervision/findings/${f.id}/close` })).status).toBe(409);
    const decided = await call(w.supervisor.cookie, { method: 'POST', url: `/api/v1/supervision/findings/${f.id}/decision`, body: { decision: 'talk', text: '约谈责任人' } });
    expect(decided.status, decided.raw).toBe(200);
    expect(decided.json).toMatchObject({ decision: 'talk', decisionText: '约谈责任人', decidedBy: w.supervisor.user.username, abilities: { close: true } });
    const closed = await call(w.supervisor.cookie, { method: 'POST', url: `/api/v1/supervision/findings/${f.id}/close` });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ status: 'closed', closedBy: w.supervisor.user.username, abilities: { edit: false, link: false, decide: false, close: false } });
    expect((await call(w.supervisor.cookie, { method: 'PATCH', url: `/api/v1/supervision/findings/${f.id}`, body: { title: '再改' } })).status).toBe(409);
    expect((await call(w.supervisor.cookie, { method: 'POST', url: `/api/v1/supervision/findings/${f.id}/decision`, body: { decision: 'notice', text: '通报' } })).status).toBe(409);
    expect((await call(w.supervisor.cookie, { method: 'POST', url: `/api/v1/supervision/findings/${f.id}/close` })).status).toBe(409);

    // Lists filter by unit, status and subject; a finding about a unit too.
    const unitFinding = await call(w.supervisor.cookie, { method: 'POST', url: '/api/v1/supervision/findings', body: { subject: { kind: 'unit', unitId: w.a.id }, title: '值班缺位', description: '公交公司值班缺位' } });
    expect(unitFinding.status).toBe(201);
    const list = async (query: Record<string, string>) => ((await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/supervision/findings', query: { unitId: String(w.a.id), ...query } })).json as SupervisionFindingPage).items.map((x) => x.id);
    const uf = (unitFinding.json as SupervisionFinding).id;
    expect(await list({})).toEqual([uf, f.id]);
    expect(await list({ status: 'closed' })).toEqual([f.id]);
    expect(await list({ subject: 'unit' })).toEqual([uf]);
    expect(await list({ personId: String(late.person.id) })).toEqual([f.id]);

    // Every change is audited.
    const actions = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'supervision_finding').where('entity_id', '=', String(f.id)).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['supervision.finding.opened', 'supervision.finding.evidence_linked', 'supervision.finding.evidence_linked', 'supervision.finding.decided', 'supervision.finding.closed']);
  });

  it('lists an uncontacted care case with its care officer and nothing of the case; a supervisor cannot read the case', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const officer = await member(w.a, 'care_officer', mark('工会干事'));
    const cared = await buildPerson(t, w.depot, { name: '隔离的钱某' });
    const { id } = await openCareCaseFor(t.deps.db, t.deps, { personId: cared.id, kind: 'home_quarantine', source: 'hand', byUserId: officer.user.id });
    expect(find(await overdue(w.supervisor.cookie, w.a.id), 'uncontacted_care', id)).toBeUndefined();
    t.clock.set(shanghai('2026-12-03T10:00:00'));
    // Sessions lapse over nine days: sign in again.
    w.supervisor.cookie = await loginAs(t, w.supervisor.user.id);
    w.command.cookie = await loginAs(t, w.command.user.id);
    const p = await overdue(w.supervisor.cookie, w.a.id);
    expect(p.unavailable).toEqual([]);
    const item = find(p, 'uncontacted_care', id)!;
    expect(item).toMatchObject({ unitId: w.depot.id, responsible: [{ userId: officer.user.id, personId: officer.person.id }] });
    expect(JSON.stringify(item)).not.toMatch(/钱某|home_quarantine|居家/);
    const made = await call(w.supervisor.cookie, { method: 'POST', url: '/api/v1/supervision/findings', body: { subject: { kind: 'unit', unitId: w.depot.id }, title: '关爱未按期联系', description: '未联系', evidence: [{ kind: 'uncontacted_care', id: String(id) }] } });
    expect(made.status, made.raw).toBe(201);
    expect((made.json as SupervisionFinding).evidence[0]!.snapshot).toEqual(item);
    // The case itself: not for supervisors (nor the command office).
    for (const who of [w.supervisor, w.command]) expect([403, 404]).toContain((await call(who.cookie, { method: 'GET', url: `/api/v1/care/cases/${id}` })).status);
  });

  it('gives a supervisor no check-in details', async () => {
    const w = await world();
    const a = await call(w.supervisor.cookie, { method: 'GET', url: '/api/v1/checkins', query: { unitId: String(w.a.id) } });
    expect([403, 404]).toContain(a.status);
  });
});
