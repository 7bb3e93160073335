import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { IncidentDetail } from '../../../common/schemas/incidents.js';
import type { PlanDetail, PlanRunList, PlanStepInput } from '../../../common/schemas/plans.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { dayOf } from '../../../common/day.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('emergency plans on %s', (dialect) => {
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
    const bus = await buildUnit(t, { parent: root, name: '公交公司', kind: 'subsidiary' });
    const depot = await buildUnit(t, { parent: bus, name: '一场站', kind: 'site' });
    const depot2 = await buildUnit(t, { parent: bus, name: '二场站', kind: 'site' });
    const air = await buildUnit(t, { parent: root, name: '航空公司', kind: 'subsidiary' });
    const hangar = await buildUnit(t, { parent: air, name: '机库', kind: 'site' });
    return {
      root,
      bus,
      depot,
      depot2,
      air,
      hangar,
      command: await member(root, 'command', '防控办'),
      headBus: await member(bus, 'unit_head', '公交负责人'),
      headDepot: await member(depot, 'unit_head', '场站站长'),
      liaisonDepot: await member(depot, 'liaison', '场站联络员'),
      headAir: await member(air, 'unit_head', '航空负责人'),
    };
  }

  const steps = (): PlanStepInput[] => [
    { key: 'seal', title: '封控消杀', role: 'unit_head', deadlineMinutes: 120, evidence: ['photo'] },
    { key: 'contacts', title: '排查密接', role: 'command', deadlineMinutes: 240, dependsOn: ['seal'] },
  ];
  const plan = (unitId: number, extra: Record<string, unknown> = {}) => ({ unitId, kind: 'positive_test', title: '阳性病例处置预案', severities: ['serious', 'major'], steps: steps(), ...extra });

  async function file(cookie: string, unitId: number, occurredAt?: number, severity = 'serious') {
    const a = await call(cookie, { method: 'POST', url: '/api/v1/incidents', body: { unitId, kind: 'positive_test', severity, title: '核酸阳性', description: '一名员工核酸阳性', ...(occurredAt ? { occurredAt } : {}) } });
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    return a.json as IncidentDetail;
  }

  async function runsOf(cookie: string, incidentId: number) {
    const a = await call(cookie, { method: 'GET', url: `/api/v1/incidents/${incidentId}/plan-runs` });
    expect(a.status, JSON.stringify(a.json)).toBe(200);
    return a.json as PlanRunList;
  }

  it('selects the nearest plan up; a lower unit’s own plan wins; a run keeps its version after an edit', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const group = await call(w.command.cookie, { method: 'POST', url: '/api/v1/plans', body: plan(w.root.id, { requiredUnitKinds: ['site'] }) });
    expect(group.status, JSON.stringify(group.json)).toBe(201);
    const g = group.json as PlanDetail;
    expect(g).toMatchObject({ version: 1, current: { state: 'current', version: 1 }, draft: null, abilities: { edit: true } });

    // A depot incident with only the group plan: the group plan starts, its first step is a task.
    const i1 = await file(w.liaisonDepot.cookie, w.depot.id);
    const r1 = await runsOf(w.liaisonDepot.cookie, i1.id);
    expect(r1.runs).toHaveLength(1);
    expect(r1.runs[0]).toMatchObject({ planId: g.id, version: 1, trigger: 'filed', drill: false });
    const [seal, contacts] = r1.runs[0]!.steps;
    expect(seal).toMatchObject({ key: 'seal', state: 'task', task: { status: 'assigned', responsibleName: '场站站长' } });
    expect(contacts).toMatchObject({ key: 'contacts', state: 'waiting', task: null });

    // The bus company's own plan wins in its subtree, not elsewhere.
    const own = await call(w.headBus.cookie, { method: 'POST', url: '/api/v1/plans', body: plan(w.bus.id, { title: '公交阳性预案', steps: [{ key: 'a', title: '停运消杀', role: 'unit_head', deadlineMinutes: 60 }] }) });
    expect(own.status, JSON.stringify(own.json)).toBe(201);
    const b = own.json as PlanDetail;
    const sel = await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/plans/select?unitId=${w.depot.id}&kind=positive_test&severity=serious` });
    expect(sel.json).toMatchObject({ plan: { id: b.id } });
    const selAir = await call(w.command.cookie, { method: 'GET', url: `/api/v1/plans/select?unitId=${w.hangar.id}&kind=positive_test&severity=serious` });
    expect(selAir.json).toMatchObject({ plan: { id: g.id } });
    // A severity the plans do not cover selects nothing.
    const none = await call(w.command.cookie, { method: 'GET', url: `/api/v1/plans/select?unitId=${w.hangar.id}&kind=positive_test&severity=general` });
    expect(none.json).toEqual({ plan: null });

    // Editing the group plan makes version 2; the run keeps version 1; the old version is read-only history.
    const edited = await call(w.command.cookie, { method: 'PUT', url: `/api/v1/plans/${g.id}`, body: { title: '阳性病例处置预案（修订）', severities: ['serious', 'major'], steps: steps(), requiredUnitKinds: ['site'] } });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ version: 2, current: { version: 2, state: 'current' }, versions: [{ version: 1, state: 'superseded' }, { version: 2, state: 'current' }] });
    expect((await runsOf(w.command.cookie, i1.id)).runs[0]).toMatchObject({ version: 1, planTitle: '阳性病例处置预案' });
    const v1 = await call(w.command.cookie, { method: 'GET', url: `/api/v1/plans/${g.id}/versions/1` });
    expect(v1.json).toMatchObject({ version: 1, state: 'superseded', title: '阳性病例处置预案' });

    // A hangar incident now starts version 2 of the group plan.
    const i2 = await file(w.command.cookie, w.hangar.id);
    expect((await runsOf(w.command.cookie, i2.id)).runs[0]).toMatchObject({ planId: g.id, version: 2 });

    // A second plan of the same unit for the same kind and severity: 409.
    const dup = await call(w.command.cookie, { method: 'POST', url: '/api/v1/plans', body: plan(w.root.id, { severities: ['major'] }) });
    expect(dup.status).toBe(409);

    // Coverage: the group plan requires every site to hold its own plan: the depots and the hangar lack one.
    const cov = await call(w.command.cookie, { method: 'GET', url: `/api/v1/plans/coverage?unitId=${w.root.id}` });
    expect(cov.status).toBe(200);
    const missing = (cov.json as { items: { unitId: number }[] }).items.map((i) => i.unitId).sort((x, y) => x - y);
    expect(missing).toEqual([w.depot.id, w.depot2.id, w.hangar.id].sort((x, y) => x - y));
    await call(w.headDepot.cookie, { method: 'POST', url: '/api/v1/plans', body: plan(w.depot.id, { steps: [{ key: 'a', title: '场站消杀', role: 'unit_head', deadlineMinutes: 60 }] }) });
    const cov2 = await call(w.command.cookie, { method: 'GET', url: `/api/v1/plans/coverage?unitId=${w.root.id}` });
    expect((cov2.json as { items: { unitId: number }[] }).items.map((i) => i.unitId)).not.toContain(w.depot.id);
    // Out of scope: the air company's head sees only their subtree's gap.
    const covAir = await call(w.headAir.cookie, { method: 'GET', url: '/api/v1/plans/coverage' });
    expect((covAir.json as { items: { unitId: number }[] }).items.map((i) => i.unitId)).toEqual([w.hangar.id]);
  });

  it('rejects a dependency cycle naming the step, an unknown dependency and a person role without a person', async () => {
    const w = await world();
    const cyc = await call(w.command.cookie, {
      method: 'POST',
      url: '/api/v1/plans',
      body: plan(w.root.id, { kind: 'close_contact', steps: [{ key: 'a', title: 'A', role: 'unit_head', deadlineMinutes: 60, dependsOn: ['b'] }, { key: 'b', title: 'B', role: 'unit_head', deadlineMinutes: 60, dependsOn: ['a'] }] }),
    });
    expect(cyc.status).toBe(400);
    expect(errorOf(cyc)?.fields?.['steps.0.dependsOn']).toMatch(/a → b → a/);
    const unknown = await call(w.command.cookie, { method: 'POST', url: '/api/v1/plans', body: plan(w.root.id, { kind: 'close_contact', steps: [{ key: 'a', title: 'A', role: 'unit_head', deadlineMinutes: 60, dependsOn: ['zz'] }] }) });
    expect(errorOf(unknown)?.fields?.['steps.0.dependsOn']).toMatch(/zz/);
    const noPerson = await call(w.command.cookie, { method: 'POST', url: '/api/v1/plans', body: plan(w.root.id, { kind: 'close_contact', steps: [{ key: 'a', title: 'A', role: 'person', deadlineMinutes: 60 }] }) });
    expect(errorOf(noPerson)?.fields?.['steps.0.personId']).toBeDefined();
  });

  it('deadlines are relative to the incident’s time across midnight in Shanghai; a waiting step gets its task when the first is done', async () => {
    t.clock.set(shanghai('2026-11-24T23:20:00'));
    const w = await world();
    await call(w.headBus.cookie, { method: 'POST', url: '/api/v1/plans', body: plan(w.bus.id, { kind: 'suspected_case', steps: steps().map((x) => ({ ...x, evidence: ['report' as const] })) }) });
    const a = await call(w.liaisonDepot.cookie, { method: 'POST', url: '/api/v1/incidents', body: { unitId: w.depot.id, kind: 'suspected_case', severity: 'serious', title: '疑似病例', description: '发热', occurredAt: shanghai('2026-11-24T23:10:00') } });
    expect(a.status).toBe(201);
    const inc = a.json as IncidentDetail;
    const run = (await runsOf(w.headDepot.cookie, inc.id)).runs[0]!;
    const seal = run.steps[0]!;
    expect(seal.deadline).toBe(shanghai('2026-11-25T01:10:00'));
    expect(dayOf(seal.deadline, 'Asia/Shanghai')).toBe('2026-11-25');
    const task = await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/tasks/${seal.taskId}` });
    expect(task.status).toBe(200);
    expect(task.json).toMatchObject({ deadline: shanghai('2026-11-25T01:10:00') });

    // The first step is done: the waiting one gets its task, still relative to the incident's time.
    t.clock.set(shanghai('2026-11-25T00:30:00'));
    expect((await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/tasks/${seal.taskId}/acknowledge`, body: {} })).status).toBe(200);
    const done = await call(w.headDepot.cookie, { method: 'POST', url: `/api/v1/tasks/${seal.taskId}/complete`, body: { report: '已封控消杀' } });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const after = (await runsOf(w.headDepot.cookie, inc.id)).runs[0]!;
    expect(after.steps[0]).toMatchObject({ state: 'done', late: false });
    expect(after.steps[1]).toMatchObject({ state: 'task', deadline: shanghai('2026-11-25T03:10:00'), task: { responsibleName: '防控办' } });
    const timeline = await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/incidents/${inc.id}/timeline` });
    const kinds = (timeline.json as { events: { kind: string }[] }).events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['plan_started', 'plan_step_created', 'plan_step_done']));
  });

  it('a drill runs the same tasks marked as a drill, simulates actions on people, stays out of real figures; a review opens a draft version', async () => {
    t.clock.set(shanghai('2026-11-26T09:00:00'));
    const w = await world();
    const patient = await buildPerson(t, w.depot, { name: '阳性员工' });
    const made = await call(w.headBus.cookie, {
      method: 'POST',
      url: '/api/v1/plans',
      body: plan(w.bus.id, {
        kind: 'close_contact',
        steps: [
          { key: 'watch', title: '开启健康监测', role: 'unit_head', deadlineMinutes: 60, action: { kind: 'open_health_watches' } },
          { key: 'notice', title: '通知全体员工', role: 'liaison', deadlineMinutes: 120, action: { kind: 'publish_notice', text: '请全体员工做好防护' } },
        ],
      }),
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const p = made.json as PlanDetail;
    const dueBefore = await call(w.headBus.cookie, { method: 'GET', url: '/api/v1/boards/due-today', query: { unitId: String(w.bus.id) } });
    expect(dueBefore.status).toBe(200);
    const before = (dueBefore.json as { figures: { total: number } }).figures.total;

    // The drill: a marked incident, the same tasks marked 【演练】, the actions simulated.
    const d = await call(w.headBus.cookie, { method: 'POST', url: `/api/v1/plans/${p.id}/drill`, body: { unitId: w.depot.id, severity: 'serious' } });
    expect(d.status, JSON.stringify(d.json)).toBe(201);
    const drill = d.json as { incidentId: number; version: number; runId: number };
    expect(drill.version).toBe(1);
    const inc = await call(w.headBus.cookie, { method: 'GET', url: `/api/v1/incidents/${drill.incidentId}` });
    expect(inc.json).toMatchObject({ drill: true, title: '【演练】阳性病例处置预案' });
    const runs = await runsOf(w.headBus.cookie, drill.incidentId);
    expect(runs.drill).toBe(true);
    const steps0 = runs.runs[0]!.steps;
    expect(steps0.map((x) => x.state)).toEqual(['task', 'task']);
    expect(steps0[0]!.actionResult).toMatch(/演练模拟/);
    const task = await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/tasks/${steps0[0]!.taskId}` });
    expect(task.json as { title: string; drill: boolean }).toMatchObject({ title: expect.stringMatching(/^【演练】/), drill: true });
    const watches = await t.deps.db.selectFrom('health_watches').select('id').where('person_id', '=', patient.id).execute();
    expect(watches).toHaveLength(0);
    const dueAfter = await call(w.headBus.cookie, { method: 'GET', url: '/api/v1/boards/due-today', query: { unitId: String(w.bus.id) } });
    expect((dueAfter.json as { figures: { total: number } }).figures.total).toBe(before);
    const record = await call(w.headBus.cookie, { method: 'GET', url: '/api/v1/plans/drills', query: { unitId: String(w.bus.id) } });
    expect(record.json).toMatchObject({ total: 1, items: [{ incidentId: drill.incidentId, planId: p.id, version: 1, steps: 2, onTime: 0, late: 0, open: 2, reviewed: false }] });

    // A real incident with the patient: the watch is opened through the health module, the notice published.
    const real = await call(w.liaisonDepot.cookie, { method: 'POST', url: '/api/v1/incidents', body: { unitId: w.depot.id, kind: 'close_contact', severity: 'serious', title: '密接', description: '密接一名', people: [{ personId: patient.id, involvement: 'contact' }] } });
    expect(real.status, JSON.stringify(real.json)).toBe(201);
    const realRuns = await runsOf(w.headBus.cookie, (real.json as IncidentDetail).id);
    expect(realRuns.runs[0]!.steps[0]!.actionResult).toMatch(/开启健康监测 1 人/);
    const realTask = await call(w.headDepot.cookie, { method: 'GET', url: `/api/v1/tasks/${realRuns.runs[0]!.steps[0]!.taskId}` });
    expect((realTask.json as { drill: boolean }).drill).toBe(false);
    expect(await t.deps.db.selectFrom('health_watches').select('id').where('person_id', '=', patient.id).execute()).toHaveLength(1);
    expect(realRuns.runs[0]!.steps[1]!.actionResult).toMatch(/已发布通知/);
    const dueReal = await call(w.headBus.cookie, { method: 'GET', url: '/api/v1/boards/due-today', query: { unitId: String(w.bus.id) } });
    expect((dueReal.json as { figures: { total: number } }).figures.total).toBe(before + 2);

    // The review of the drill, then open changes: a draft version 2 linked to it; publishing it makes it current.
    const rv = await call(w.headBus.cookie, { method: 'POST', url: `/api/v1/incidents/${drill.incidentId}/reviews`, body: { wentWell: '响应迅速', late: '通知晚了', changes: [{ stepKey: 'notice', text: '提前到 60 分钟' }] } });
    expect(rv.status, JSON.stringify(rv.json)).toBe(201);
    const review = rv.json as { id: number; drill: boolean };
    expect(review.drill).toBe(true);
    const liaisonReview = await call(w.liaisonDepot.cookie, { method: 'POST', url: `/api/v1/incidents/${drill.incidentId}/reviews`, body: { wentWell: 'x' } });
    expect(liaisonReview.status).toBe(403);
    const oc = await call(w.headBus.cookie, { method: 'POST', url: `/api/v1/plan-reviews/${review.id}/open-changes` });
    expect(oc.status, JSON.stringify(oc.json)).toBe(200);
    expect(oc.json).toMatchObject({ version: 1, hasDraft: true, draft: { version: 2, state: 'draft', reviewId: review.id } });
    const again = await call(w.headBus.cookie, { method: 'POST', url: `/api/v1/plan-reviews/${review.id}/open-changes` });
    expect(again.status).toBe(409);
    const pub = await call(w.headBus.cookie, { method: 'PUT', url: `/api/v1/plans/${p.id}`, body: { title: '阳性病例处置预案', severities: ['serious', 'major'], steps: [{ key: 'watch', title: '开启健康监测', role: 'unit_head', deadlineMinutes: 60 }] } });
    expect(pub.json).toMatchObject({ version: 2, draft: null, current: { version: 2, reviewId: review.id } });
    // A real incident still open cannot be reviewed yet.
    const early = await call(w.headBus.cookie, { method: 'POST', url: `/api/v1/incidents/${(real.json as IncidentDetail).id}/reviews`, body: { wentWell: 'x' } });
    expect(early.status).toBe(409);
  });
});
