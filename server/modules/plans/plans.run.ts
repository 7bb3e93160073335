import type { TaskStatus } from '../../../common/schemas/directives.js';
import type { IncidentEventKind } from '../../../common/schemas/incidents.js';
import { PlanStep, type PlanStep as Step } from '../../../common/schemas/plans.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { systemCtx, type Ctx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { createLinkedTasks } from '../directives/tasks.linked.js';
import { incidentForPlans, recordIncidentEvent, type IncidentForPlans } from '../incidents/incidents.hooks.js';
import { runStepAction } from './plans.actions.js';
import { assigneeOf, ownPlanAt, selectPlanFor } from './plans.select.js';
import * as store from './plans.store.js';

/**
 * Running a plan on an incident. A run starts in the transaction in which the incident is filed
 * (the nearest plan up) or reaches a level (that level unit's own plan), once per plan per incident,
 * with the plan's current version. Its steps are written at once; every step whose dependencies are
 * all done becomes a task (directives source 'plan') at once, the rest wait. A task's deadline is
 * the incident's occurredAt + the step's minutes, whatever time the task is made. When a task is
 * done (heard in the tasks module's own transaction), its step is done and the steps waiting on it
 * that are now free get their tasks. Every move is on the incident's timeline.
 */

const MINUTE = 60_000;
export const DRILL_PREFIX = '【演练】';

const stepsOf = (json: string): Step[] => (JSON.parse(json) as unknown[]).map((s) => PlanStep.parse(s));

async function event(tx: Conn, incidentId: number, kind: IncidentEventKind, at: number, note: string | null, detail: Record<string, unknown>, actorUserId: number | null = null) {
  await recordIncidentEvent(tx, { incidentId, kind, actorUserId, at, note, detail });
}

/** The hook the incidents module calls when an incident reaches a level (0: filed). */
export async function onLevelReached(tx: Conn, deps: Deps, inc: IncidentForPlans, position: number, levelUnitId: number, now: number): Promise<void> {
  const plan = position === 0 ? await selectPlanFor(tx, inc.unitPath, inc.kind, inc.severity) : await ownPlanAt(tx, levelUnitId, inc.kind, inc.severity);
  if (!plan) return;
  await startRun(tx, deps, systemCtx, inc, plan, position === 0 ? 'filed' : 'level', now);
}

/** Start `plan` on the incident (nothing when it already runs there). Answers the run's id. */
export async function startRun(tx: Conn, deps: Deps, ctx: Ctx, inc: IncidentForPlans, plan: store.PlanView, trigger: 'filed' | 'level', now: number): Promise<number> {
  const existing = await store.findRun(tx, plan.id, inc.id);
  if (existing) return existing.id;
  const versionId = plan.current_version_id!;
  const steps = stepsOf(plan.steps);
  const runId = await store.insertRun(tx, { plan_id: plan.id, version_id: versionId, incident_id: inc.id, trigger, drill: inc.drill ? 1 : 0, occurred_at: inc.occurredAt, started_at: now, completed_at: null });
  await store.insertRunSteps(
    tx,
    steps.map((s, i) => ({
      run_id: runId,
      step_key: s.key,
      position: i + 1,
      title: s.title,
      depends_on: JSON.stringify(s.dependsOn),
      deadline: inc.occurredAt + s.deadlineMinutes * MINUTE,
      state: 'waiting',
      task_id: null,
      created_at: null,
      done_at: null,
      action: s.action?.kind ?? null,
      action_result: null,
    })),
  );
  await event(tx, inc.id, 'plan_started', now, `${plan.unit_name}：${plan.title}（第 ${plan.version} 版）`, { planId: plan.id, runId, version: plan.version });
  await recordAudit(tx, deps, ctx, { action: 'plan.run_started', entity: 'plan', entityId: plan.id, unitId: inc.unitId, after: { incidentId: inc.id, runId, version: plan.version, trigger, drill: inc.drill } });
  await advanceRun(tx, deps, ctx, runId, now);
  return runId;
}

/**
 * Make the tasks of every waiting step whose dependencies are all done (in one directive), run their
 * actions, and mark the run completed when every step is done.
 */
export async function advanceRun(tx: Conn, deps: Deps, ctx: Ctx, runId: number, now: number): Promise<void> {
  const run = (await store.findRunById(tx, runId))!;
  const inc = (await incidentForPlans(tx, run.incident_id))!;
  const version = (await store.findVersion(tx, run.version_id))!;
  const defs = new Map(stepsOf(version.steps).map((s) => [s.key, s]));
  const rows = await store.stepsOfRuns(tx, [runId]);
  const done = new Set(rows.filter((r) => r.state === 'done').map((r) => r.step_key));
  const ready = rows.filter((r) => r.state === 'waiting' && (JSON.parse(r.depends_on) as string[]).every((k) => done.has(k)));
  const toMake: { row: store.RunStepRow; def: Step; who: NonNullable<Awaited<ReturnType<typeof assigneeOf>>> }[] = [];
  for (const row of ready) {
    const def = defs.get(row.step_key)!;
    const who = await assigneeOf(tx, def, inc.unitId, inc.unitPath, now);
    if (!who) {
      await store.updateRunStep(tx, row.id, { state: 'unassigned', created_at: now });
      await event(tx, inc.id, 'plan_step_unassigned', now, row.title, { runId, planId: run.plan_id, stepKey: row.step_key });
      continue;
    }
    toMake.push({ row, def, who });
  }
  if (toMake.length) {
    const prefix = inc.drill ? DRILL_PREFIX : '';
    const { taskIds } = await createLinkedTasks(tx, deps, ctx, {
      unitId: inc.unitId,
      source: 'plan',
      title: `${prefix}${version.title}：${inc.title}`,
      body: `${prefix}应急预案「${version.title}」（第 ${version.version} 版）因紧急事项「${inc.title}」启动。`,
      drill: inc.drill,
      allowPastDeadline: true,
      tasks: toMake.map((m) => ({
        unitId: m.who.unitId,
        responsiblePersonId: m.who.personId,
        title: `${prefix}${m.def.title}`,
        instructions: m.def.instructions ?? null,
        deadline: Number(m.row.deadline),
        evidence: m.def.evidence,
      })),
    });
    for (const [i, m] of toMake.entries()) {
      const taskId = taskIds[i]!;
      const result = m.def.action ? await runStepAction(tx, deps, ctx, inc, m.row, m.def, now) : null;
      await store.updateRunStep(tx, m.row.id, { state: 'task', task_id: taskId, created_at: now, action_result: result?.text ?? null });
      await event(tx, inc.id, 'plan_step_created', now, `${m.def.title} → ${m.who.name}`, { runId, planId: run.plan_id, stepKey: m.def.key, taskId });
      if (result?.simulated) await event(tx, inc.id, 'plan_step_simulated', now, `${m.def.title}：${result.text}`, { runId, planId: run.plan_id, stepKey: m.def.key });
    }
  }
  await completeIfDone(tx, deps, run, now);
}

async function completeIfDone(tx: Conn, deps: Deps, run: store.RunRow, now: number): Promise<void> {
  if (run.completed_at !== null) return;
  const rows = await store.stepsOfRuns(tx, [run.id]);
  if (rows.length === 0 || !rows.every((r) => r.state === 'done')) return;
  await store.updateRun(tx, run.id, { completed_at: now });
  await event(tx, run.incident_id, 'plan_completed', now, null, { runId: run.id, planId: run.plan_id });
  await recordAudit(tx, deps, systemCtx, { action: 'plan.run_completed', entity: 'plan', entityId: run.plan_id, unitId: null, after: { incidentId: run.incident_id, runId: run.id } });
}

/**
 * A plan task moved by the tasks module's own steps (registerLinkedTaskSource's onStatus): done (or
 * verified) marks its step done and frees the steps waiting on it; sent back (acknowledged) reopens
 * the step (tasks already made for its dependants stay).
 */
export async function onPlanTaskMoved(tx: Conn, deps: Deps, taskId: number, status: TaskStatus, at: number): Promise<void> {
  const step = await store.stepOfTask(tx, taskId);
  if (!step) return;
  const run = (await store.findRunById(tx, step.run_id))!;
  if ((status === 'done' || status === 'verified') && step.state !== 'done') {
    await store.updateRunStep(tx, step.id, { state: 'done', done_at: at });
    await event(tx, run.incident_id, 'plan_step_done', at, step.title, { runId: run.id, planId: run.plan_id, stepKey: step.step_key, taskId });
    await advanceRun(tx, deps, systemCtx, run.id, at);
  } else if ((status === 'assigned' || status === 'acknowledged') && step.state === 'done') {
    await store.updateRunStep(tx, step.id, { state: 'task', done_at: null });
  }
}
