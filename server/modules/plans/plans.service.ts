import type { IncidentKind, IncidentSeverity } from '../../../common/schemas/incidents.js';
import {
  PlanStep,
  type Plan,
  type PlanContent,
  type PlanCreate,
  type PlanDetail,
  type PlanEdit,
  type PlanListQuery,
  type PlanPage,
  type PlanSelectQuery,
  type PlanSelection,
  type PlanVersion,
  type PlanVersionState,
  type PlanUnitKind,
} from '../../../common/schemas/plans.js';
import type { Conn } from '../../db/database.js';
import { ancestorIds } from '../../db/tree.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { canReadPlan, canWritePlan, planAbilities } from './plans.policy.js';
import { selectPlanFor } from './plans.select.js';
import * as store from './plans.store.js';

/**
 * Emergency plans (应急预案): a plan of a unit for one incident kind, its versions (editing makes a
 * new one; the old one is kept read-only; a draft is edited before it becomes current), archiving,
 * and the preview of which plan an incident would start. A plan is never deleted.
 */

const parseSteps = (json: string) => (JSON.parse(json) as unknown[]).map((s) => PlanStep.parse(s));

/** A plan as lists show it. */
export function presentPlan(actor: Actor, p: store.PlanView): Plan {
  return {
    id: p.id,
    unitId: p.unit_id,
    unitName: p.unit_name,
    kind: p.kind as IncidentKind,
    title: p.title,
    severities: JSON.parse(p.severities) as IncidentSeverity[],
    version: p.version,
    stepCount: (JSON.parse(p.steps) as unknown[]).length,
    hasDraft: p.has_draft > 0,
    archivedAt: p.archived_at,
    updatedAt: p.updated_at,
    abilities: planAbilities(actor, p),
  };
}

async function presentVersion(db: Conn, v: store.VersionView): Promise<PlanVersion> {
  const steps = parseSteps(v.steps);
  const people = await store.peopleByIds(
    db,
    steps.flatMap((s) => (s.personId === undefined ? [] : [s.personId])),
  );
  return {
    id: v.id,
    planId: v.plan_id,
    version: v.version,
    state: v.state as PlanVersionState,
    title: v.title,
    description: v.description,
    severities: JSON.parse(v.severities) as IncidentSeverity[],
    steps: steps.map((s) => ({ ...s, personName: s.personId === undefined ? null : (people.get(s.personId)?.name ?? null) })),
    requiredUnitKinds: JSON.parse(v.required_unit_kinds) as PlanUnitKind[],
    reviewId: v.review_id,
    createdAt: Number(v.created_at),
    createdByName: v.created_by_name,
    publishedAt: v.published_at === null ? null : Number(v.published_at),
  };
}

/** One plan with its current version, its draft and its version list. */
export async function planDetail(db: Conn, actor: Actor, p: store.PlanView): Promise<PlanDetail> {
  const versions = await store.versionsOf(db, p.id);
  const current = versions.find((v) => v.id === p.current_version_id)!;
  const draft = versions.find((v) => v.state === 'draft');
  return {
    ...presentPlan(actor, p),
    current: await presentVersion(db, current),
    draft: draft ? await presentVersion(db, draft) : null,
    versions: versions.map((v) => ({ version: v.version, state: v.state as PlanVersionState, createdAt: Number(v.created_at), publishedAt: v.published_at === null ? null : Number(v.published_at), reviewId: v.review_id })),
  };
}

/** A plan the actor may read, or not_found. */
export async function visiblePlan(db: Conn, actor: Actor, id: number): Promise<store.PlanView> {
  const p = await store.findPlan(db, id);
  if (!p || !canReadPlan(actor, p.unit_path)) throw errors.notFound('plan');
  return p;
}

/** A visible, active plan the actor may change, or not_found / 403 / 409. */
export async function writablePlan(db: Conn, actor: Actor, id: number): Promise<store.PlanView> {
  const p = await visiblePlan(db, actor, id);
  if (!canWritePlan(actor, p.unit_path)) throw errors.forbidden('You may not change plans of this unit');
  if (p.archived_at !== null) throw errors.conflict('The plan is archived', { status: 'archived' });
  return p;
}

/** The path of steps that closes a cycle through `start`, if any. */
function cycleFrom(start: string, deps: Map<string, readonly string[]>): string[] | null {
  const path: string[] = [];
  const seen = new Set<string>();
  const walk = (k: string): string[] | null => {
    if (k === start && path.length > 0) return [...path, k];
    if (seen.has(k)) return null;
    seen.add(k);
    path.push(k);
    for (const d of deps.get(k) ?? []) {
      const c = walk(d);
      if (c) return c;
    }
    path.pop();
    return null;
  };
  return walk(start);
}

/** Check a version's steps: unique keys, known dependencies without cycles, each role's fields, named people in sight. 400 naming the step. */
export async function checkContent(db: Conn, actor: Actor, content: PlanContent): Promise<void> {
  const keys = new Map<string, number>();
  content.steps.forEach((s, i) => {
    if (keys.has(s.key)) throw errors.validation({ [`steps.${i}.key`]: `repeats step "${s.key}"` });
    keys.set(s.key, i);
  });
  content.steps.forEach((s, i) => {
    for (const d of s.dependsOn) {
      if (d === s.key) throw errors.validation({ [`steps.${i}.dependsOn`]: `step "${s.key}" cannot depend on itself` });
      if (!keys.has(d)) throw errors.validation({ [`steps.${i}.dependsOn`]: `no step "${d}" in this plan` });
    }
    if (s.role === 'person' && s.personId === undefined) throw errors.validation({ [`steps.${i}.personId`]: 'is required when the role is person' });
    if (s.role !== 'person' && s.personId !== undefined) throw errors.validation({ [`steps.${i}.personId`]: 'only for the role person' });
    if (s.action?.kind === 'open_care_cases' && !s.action.careKind) throw errors.validation({ [`steps.${i}.action.careKind`]: 'is required to open care cases' });
    if (s.action?.kind === 'publish_notice' && !s.action.text) throw errors.validation({ [`steps.${i}.action.text`]: 'is required to publish a notice' });
  });
  const graph = new Map(content.steps.map((s) => [s.key, s.dependsOn]));
  for (const [i, s] of content.steps.entries()) {
    const cycle = cycleFrom(s.key, graph);
    if (cycle) throw errors.validation({ [`steps.${i}.dependsOn`]: `step "${s.key}" depends on itself through ${cycle.join(' → ')}` });
  }
  const named = content.steps.flatMap((s, i) => (s.personId === undefined ? [] : [{ i, id: s.personId }]));
  const people = await store.peopleByIds(
    db,
    named.map((n) => n.id),
  );
  for (const n of named) {
    const p = people.get(n.id);
    if (!p || p.status !== 'active' || !can(actor, 'people.read', p.unit_path)) throw errors.validation({ [`steps.${n.i}.personId`]: 'no such person' });
  }
}

/** Another active plan of the unit for the kind covering one of these severities: 409. */
async function checkOverlap(db: Conn, unitId: number, kind: string, severities: readonly string[], exceptPlanId: number | null): Promise<void> {
  const others = (await store.activePlansAt(db, [unitId], kind)).filter((p) => p.id !== exceptPlanId);
  for (const o of others) {
    const both = (JSON.parse(o.severities) as string[]).filter((s) => severities.includes(s));
    if (both.length) throw errors.conflict(`Plan ${o.id} ("${o.title}") of this unit already covers ${both.join(', ')} for this kind`, { severities: `already covered by plan ${o.id}` });
  }
}

const versionRow = (content: PlanContent) => ({
  title: content.title,
  description: content.description ?? null,
  severities: JSON.stringify(content.severities),
  steps: JSON.stringify(content.steps),
  required_unit_kinds: JSON.stringify([...new Set(content.requiredUnitKinds)]),
});

/** Create a plan at a unit: version 1, current at once. */
export async function createPlan(deps: Deps, ctx: Ctx, input: PlanCreate): Promise<PlanDetail> {
  const actor = requireActor(ctx.actor);
  const unit = (await store.unitsByIds(deps.db, [input.unitId])).get(input.unitId);
  if (!unit || !canReadPlan(actor, unit.path)) throw errors.validation({ unitId: 'no such unit' });
  if (!canWritePlan(actor, unit.path)) throw errors.forbidden('You may not make plans for this unit');
  if (unit.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  await checkContent(deps.db, actor, input);
  return transact(deps, ctx, async (tx) => {
    await checkOverlap(tx, unit.id, input.kind, input.severities, null);
    const now = deps.clock.now();
    const id = await store.insertPlan(tx, { unit_id: unit.id, kind: input.kind, current_version_id: null, created_by_user_id: actor.userId, created_at: now, updated_at: now, archived_at: null });
    const versionId = await store.insertVersion(tx, { plan_id: id, version: 1, state: 'current', ...versionRow(input), review_id: null, created_by_user_id: actor.userId, created_at: now, published_at: now });
    await store.updatePlan(tx, id, { current_version_id: versionId });
    await recordAudit(tx, deps, ctx, { action: 'plan.created', entity: 'plan', entityId: id, unitId: unit.id, after: { kind: input.kind, version: 1, title: input.title, severities: input.severities, steps: input.steps.length } });
    return planDetail(tx, actor, (await store.findPlan(tx, id))!);
  });
}

/**
 * Edit a plan. asDraft: the content is saved as the plan's draft (made if none; not selected).
 * Otherwise it becomes a new current version (the draft, if any, is published with it) and the
 * previous one is kept read-only; runs already started keep theirs.
 */
export async function editPlan(deps: Deps, ctx: Ctx, id: number, input: PlanEdit): Promise<PlanDetail> {
  const actor = requireActor(ctx.actor);
  const p = await writablePlan(deps.db, actor, id);
  await checkContent(deps.db, actor, input);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const versions = await store.versionsOf(tx, p.id);
    const draft = versions.find((v) => v.state === 'draft');
    const next = Math.max(...versions.map((v) => v.version)) + 1;
    let number: number;
    if (input.asDraft) {
      if (draft) await store.updateVersion(tx, draft.id, { ...versionRow(input), created_by_user_id: actor.userId });
      else await store.insertVersion(tx, { plan_id: p.id, version: next, state: 'draft', ...versionRow(input), review_id: null, created_by_user_id: actor.userId, created_at: now, published_at: null });
      number = draft?.version ?? next;
    } else {
      await checkOverlap(tx, p.unit_id, p.kind, input.severities, p.id);
      let versionId: number;
      if (draft) {
        await store.updateVersion(tx, draft.id, { ...versionRow(input), state: 'current', published_at: now, created_by_user_id: actor.userId });
        versionId = draft.id;
        number = draft.version;
      } else {
        versionId = await store.insertVersion(tx, { plan_id: p.id, version: next, state: 'current', ...versionRow(input), review_id: null, created_by_user_id: actor.userId, created_at: now, published_at: now });
        number = next;
      }
      await store.updateVersion(tx, p.current_version_id!, { state: 'superseded' });
      await store.updatePlan(tx, p.id, { current_version_id: versionId });
    }
    await store.updatePlan(tx, p.id, { updated_at: now });
    await recordAudit(tx, deps, ctx, {
      action: input.asDraft ? 'plan.draft_saved' : 'plan.version_published',
      entity: 'plan',
      entityId: p.id,
      unitId: p.unit_id,
      before: { version: p.version },
      after: { version: number, title: input.title, severities: input.severities, steps: input.steps.length },
    });
    return planDetail(tx, actor, (await store.findPlan(tx, p.id))!);
  });
}

/** Archive a plan: no longer selected or listed as active; runs already started go on. */
export async function archivePlan(deps: Deps, ctx: Ctx, id: number): Promise<PlanDetail> {
  const actor = requireActor(ctx.actor);
  const p = await writablePlan(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await store.updatePlan(tx, p.id, { archived_at: now, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'plan.archived', entity: 'plan', entityId: p.id, unitId: p.unit_id, before: { archived: false }, after: { archived: true } });
    return planDetail(tx, actor, (await store.findPlan(tx, p.id))!);
  });
}

/** One plan. */
export async function getPlan(deps: Deps, ctx: Ctx, id: number): Promise<PlanDetail> {
  const actor = requireActor(ctx.actor);
  return planDetail(deps.db, actor, await visiblePlan(deps.db, actor, id));
}

/** One version of a plan as it was (read-only once superseded). */
export async function getPlanVersion(deps: Deps, ctx: Ctx, id: number, version: number): Promise<PlanVersion> {
  const actor = requireActor(ctx.actor);
  const p = await visiblePlan(deps.db, actor, id);
  const v = await store.versionByNumber(deps.db, p.id, version);
  if (!v) throw errors.notFound('plan version');
  return presentVersion(deps.db, v);
}

/** The subtrees (and the units above them) a plans.read list covers: one unit's, or the actor's whole scope. */
export async function readScope(deps: Deps, actor: Actor, unitId: number | undefined): Promise<{ paths: string[]; above: number[] }> {
  const scope = scopeFor(actor, 'plans.read');
  if (scope.length === 0) throw errors.forbidden();
  let paths = scope;
  if (unitId !== undefined) {
    const u = (await store.unitsByIds(deps.db, [unitId])).get(unitId);
    if (!u || !can(actor, 'plans.read', u.path)) throw errors.notFound('unit');
    paths = [u.path];
  }
  return { paths, above: [...new Set(paths.flatMap((p) => ancestorIds(p)))] };
}

/** Plans of a subtree (default: the actor's plans.read scope); the plan that applies from above is answered by previewSelection. */
export async function listPlans(deps: Deps, ctx: Ctx, q: PlanListQuery): Promise<PlanPage> {
  const actor = requireActor(ctx.actor);
  const { paths } = await readScope(deps, actor, q.unitId);
  const { rows, total } = await store.listPlans(deps.db, { paths, unitIds: [], kind: q.kind, archived: q.archived === true }, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: rows.map((r) => presentPlan(actor, r)), total, page: q.page, pageSize: q.pageSize };
}

/** Which plan an incident of (kind, severity) at the unit would start now. */
export async function previewSelection(deps: Deps, ctx: Ctx, q: PlanSelectQuery): Promise<PlanSelection> {
  const actor = requireActor(ctx.actor);
  const u = (await store.unitsByIds(deps.db, [q.unitId])).get(q.unitId);
  if (!u || !can(actor, 'plans.read', u.path)) throw errors.notFound('unit');
  const p = await selectPlanFor(deps.db, u.path, q.kind, q.severity);
  return { plan: p ? presentPlan(actor, p) : null };
}
