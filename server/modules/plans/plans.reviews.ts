import type { PlanDetail, PlanReview, PlanReviewCreate, PlanReviewList } from '../../../common/schemas/plans.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { getIncident } from '../incidents/incidents.service.js';
import { incidentForPlans } from '../incidents/incidents.hooks.js';
import { requireActor } from '../org/org.policy.js';
import { canReadPlan, canWritePlan } from './plans.policy.js';
import { planDetail } from './plans.service.js';
import * as store from './plans.store.js';

/**
 * Reviews (复盘) after a drill or a real incident (resolved or closed): what went well, what was
 * late, which steps to change. "Open changes" makes the reviewed plan's draft version from its
 * current one, linked to the review, for its editors to finish and publish (PUT /plans/:id).
 */

function present(actor: Actor, r: store.ReviewView): PlanReview {
  return {
    id: r.id,
    incidentId: r.incident_id,
    drill: Number(r.drill) === 1,
    planId: r.plan_id,
    version: r.version,
    wentWell: r.went_well,
    late: r.late,
    changes: JSON.parse(r.changes) as PlanReview['changes'],
    writtenByName: r.written_by_name,
    writtenAt: Number(r.written_at),
    draftVersion: r.draft_version ?? null,
    abilities: { openChanges: r.draft_version_id === null && canWritePlan(actor, r.plan_unit_path) },
  };
}

/** The reviews of an incident the actor sees. */
export async function listReviews(deps: Deps, ctx: Ctx, incidentId: number): Promise<PlanReviewList> {
  const actor = requireActor(ctx.actor);
  await getIncident(deps, ctx, incidentId);
  return { items: (await store.reviewsOfIncident(deps.db, incidentId)).map((r) => present(actor, r)) };
}

/** Write a review of an incident (a drill at any time; a real one once resolved or closed) for one of its plans. */
export async function writeReview(deps: Deps, ctx: Ctx, incidentId: number, input: PlanReviewCreate): Promise<PlanReview> {
  const actor = requireActor(ctx.actor);
  await getIncident(deps, { actor: ctx.actor, ip: ctx.ip }, incidentId);
  const inc = (await incidentForPlans(deps.db, incidentId))!;
  if (!can(actor, 'plans.write', inc.unitPath)) throw errors.forbidden('Reviews are written with plans.write over the incident’s unit or above');
  if (!inc.drill && inc.status === 'open') throw errors.conflict('A real incident is reviewed once it is resolved', { status: 'open' });
  const runs = await store.runsOfIncident(deps.db, incidentId);
  if (runs.length === 0) throw errors.conflict('No plan ran on this incident', { planId: 'no plan ran' });
  const run = input.planId === undefined ? runs[0]! : runs.find((r) => r.plan_id === input.planId);
  if (!run) throw errors.validation({ planId: 'no such plan ran on this incident' });
  const keys = new Set((JSON.parse(run.version_steps) as { key: string }[]).map((s) => s.key));
  input.changes.forEach((c, i) => {
    if (c.stepKey !== undefined && !keys.has(c.stepKey)) throw errors.validation({ [`changes.${i}.stepKey`]: `no step "${c.stepKey}" in version ${run.version}` });
  });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const id = await store.insertReview(tx, {
      incident_id: incidentId,
      plan_id: run.plan_id,
      version_id: run.version_id,
      went_well: input.wentWell,
      late: input.late,
      changes: JSON.stringify(input.changes),
      written_by_user_id: actor.userId,
      written_at: now,
      draft_version_id: null,
    });
    await recordAudit(tx, deps, ctx, { action: 'plan.reviewed', entity: 'plan', entityId: run.plan_id, unitId: inc.unitId, after: { incidentId, reviewId: id, version: run.version, changes: input.changes.length, drill: inc.drill } });
    return present(actor, (await store.findReview(tx, id))!);
  });
}

/** Open changes: a draft version of the reviewed plan from its current one, linked to the review. 409 when the plan already has a draft. */
export async function openChanges(deps: Deps, ctx: Ctx, reviewId: number): Promise<PlanDetail> {
  const actor = requireActor(ctx.actor);
  const r = await store.findReview(deps.db, reviewId);
  if (!r) throw errors.notFound('review');
  const p = await store.findPlan(deps.db, r.plan_id);
  if (!p || !canReadPlan(actor, p.unit_path)) throw errors.notFound('review');
  if (!canWritePlan(actor, p.unit_path)) throw errors.forbidden('Changes to a plan are opened with plans.write over its unit');
  if (p.archived_at !== null) throw errors.conflict('The plan is archived', { status: 'archived' });
  if (r.draft_version_id !== null) throw errors.conflict(`Changes are already open: draft version ${r.draft_version}`, { status: 'open' });
  return transact(deps, ctx, async (tx) => {
    const versions = await store.versionsOf(tx, p.id);
    const draft = versions.find((v) => v.state === 'draft');
    if (draft) throw errors.conflict(`The plan already has a draft (version ${draft.version}): publish it first`, { status: 'draft' });
    const current = versions.find((v) => v.id === p.current_version_id)!;
    const now = deps.clock.now();
    const next = Math.max(...versions.map((v) => v.version)) + 1;
    const draftId = await store.insertVersion(tx, {
      plan_id: p.id,
      version: next,
      state: 'draft',
      title: current.title,
      description: current.description,
      severities: current.severities,
      steps: current.steps,
      required_unit_kinds: current.required_unit_kinds,
      review_id: r.id,
      created_by_user_id: actor.userId,
      created_at: now,
      published_at: null,
    });
    await store.updateReview(tx, r.id, { draft_version_id: draftId });
    await store.updatePlan(tx, p.id, { updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'plan.changes_opened', entity: 'plan', entityId: p.id, unitId: p.unit_id, after: { reviewId: r.id, draftVersion: next, from: current.version } });
    return planDetail(tx, actor, (await store.findPlan(tx, p.id))!);
  });
}
