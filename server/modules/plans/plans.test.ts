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
});
