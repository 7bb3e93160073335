import type { DrillListQuery, DrillPage, DrillStart, DrillStarted, PlanRun, PlanRunList, PlanRunStep, RunStepState, RunTrigger, StepActionKind } from '../../../common/schemas/plans.js';
import type { IncidentSeverity } from '../../../common/schemas/incidents.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { linkedTaskStates } from '../directives/tasks.linked.js';
import { fileIncident, getIncident } from '../incidents/incidents.service.js';
import { requireActor } from '../org/org.policy.js';
import { canReadPlan } from './plans.policy.js';
import { DRILL_PREFIX } from './plans.run.js';
import { selectPlanFor } from './plans.select.js';
import { readScope, visiblePlan } from './plans.service.js';
import * as store from './plans.store.js';

/**
 * Drills (演练) and the runs of an incident. A drill is an incident filed with drill = 1 at a unit
 * the plan applies to: it escalates like a real one and its plan makes the same tasks (their
 * directive drill = 1, their titles marked 【演练】). Its steps' actions that would touch real people
 * are recorded as simulated. The drill record counts each drill's steps on time and late.
 */

/** Run a plan as a drill at a unit it applies to (the plan that incident would select must be this one). */
export async function startDrill(deps: Deps, ctx: Ctx, planId: number, input: DrillStart): Promise<DrillStarted> {
  const actor = requireActor(ctx.actor);
  const p = await visiblePlan(deps.db, actor, planId);
  if (p.archived_at !== null) throw errors.conflict('The plan is archived', { status: 'archived' });
  const unit = (await store.unitsByIds(deps.db, [input.unitId])).get(input.unitId);
  if (!unit || !unit.path.startsWith(p.unit_path) || !canReadPlan(actor, unit.path)) throw errors.validation({ unitId: "not the plan's unit or a unit below it" });
  if (!can(actor, 'plans.write', unit.path)) throw errors.forbidden('You may not run drills at this unit');
  if (unit.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  if (!(JSON.parse(p.severities) as string[]).includes(input.severity)) throw errors.validation({ severity: `the plan does not cover ${input.severity}` });
  const selected = await selectPlanFor(deps.db, unit.path, p.kind, input.severity);
  if (selected && selected.id !== p.id) throw errors.validation({ unitId: `plan ${selected.id} ("${selected.title}") of ${selected.unit_name} applies there` });
  const title = `${DRILL_PREFIX}${input.title ?? p.title}`;
  // The incident is filed by the incidents module (its own transaction); the drill's answer is
  // stored under the Idempotency-Key afterwards, so a retry finds it.
  const inner: Ctx = { actor: ctx.actor, ip: ctx.ip };
  const incident = await fileIncident(
    deps,
    inner,
    { unitId: unit.id, kind: p.kind as never, severity: input.severity, title, description: `${DRILL_PREFIX}应急预案「${p.title}」演练`, ...(input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt }), people: [] },
    { drill: true },
  );
  return transact(deps, ctx, async (tx) => {
    const run = await store.findRun(tx, p.id, incident.id);
    const v = run ? await store.findVersion(tx, run.version_id) : undefined;
    return { incidentId: incident.id, planId: p.id, version: v?.version ?? p.version, runId: run?.id ?? null };
  });
}

/** The plan runs of an incident the actor sees, each step with its task's state. */
export async function incidentPlanRuns(deps: Deps, ctx: Ctx, incidentId: number): Promise<PlanRunList> {
  const incident = await getIncident(deps, ctx, incidentId);
  const now = deps.clock.now();
  const runs = await store.runsOfIncident(deps.db, incidentId);
  const steps = await store.stepsOfRuns(
    deps.db,
    runs.map((r) => r.id),
  );
  const states = await linkedTaskStates(
    deps.db,
    steps.flatMap((s) => (s.task_id === null ? [] : [s.task_id])),
    now,
  );
  const present = (s: store.RunStepRow): PlanRunStep => {
    const t = s.task_id === null ? undefined : states.get(s.task_id);
    const deadline = Number(s.deadline);
    const doneAt = s.done_at === null ? null : Number(s.done_at);
    return {
      id: s.id,
      key: s.step_key,
      title: s.title,
      state: s.state as RunStepState,
      dependsOn: JSON.parse(s.depends_on) as string[],
      deadline,
      taskId: s.task_id,
      task: t ? { status: t.status, overdue: t.overdue, responsiblePersonId: t.responsiblePersonId, responsibleName: t.responsibleName, completedAt: t.completedAt, verifiedAt: t.verifiedAt } : null,
      createdAt: s.created_at === null ? null : Number(s.created_at),
      doneAt,
      late: doneAt === null ? deadline < now : doneAt > deadline,
      action: s.action as StepActionKind | null,
      actionResult: s.action_result,
    };
  };
  const items: PlanRun[] = runs.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    planId: r.plan_id,
    planTitle: r.plan_title,
    planUnitName: r.plan_unit_name,
    version: r.version,
    trigger: r.trigger as RunTrigger,
    drill: Number(r.drill) === 1,
    startedAt: Number(r.started_at),
    completedAt: r.completed_at === null ? null : Number(r.completed_at),
    steps: steps.filter((s) => s.run_id === r.id).map(present),
  }));
  return { incidentId, drill: incident.drill, runs: items };
}

/** The drill record of a subtree (default: the actor's plans.read scope), newest first: each drill's steps on time, late and open. */
export async function listDrills(deps: Deps, ctx: Ctx, q: DrillListQuery): Promise<DrillPage> {
  const actor = requireActor(ctx.actor);
  const { paths } = await readScope(deps, actor, q.unitId);
  const now = deps.clock.now();
  const { rows, total } = await store.listDrillRuns(deps.db, paths, q.planId, (q.page - 1) * q.pageSize, q.pageSize);
  const steps = await store.stepsOfRuns(
    deps.db,
    rows.map((r) => r.id),
  );
  const items = rows.map((r) => {
    const mine = steps.filter((s) => s.run_id === r.id);
    let onTime = 0;
    let late = 0;
    for (const s of mine) {
      const deadline = Number(s.deadline);
      if (s.done_at !== null) {
        if (Number(s.done_at) <= deadline) onTime++;
        else late++;
      } else if (deadline < now) late++;
    }
    return {
      incidentId: r.incident_id,
      title: r.title,
      unitId: r.unit_id,
      unitName: r.unit_name,
      severity: r.severity as IncidentSeverity,
      occurredAt: Number(r.occurred_at),
      planId: r.plan_id,
      planTitle: r.plan_title,
      version: r.version,
      steps: mine.length,
      onTime,
      late,
      open: mine.length - onTime - late,
      reviewed: Number(r.reviews) > 0,
    };
  });
  return { items, total, page: q.page, pageSize: q.pageSize };
}
