import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CoverageList,
  CoverageQuery,
  DrillListQuery,
  DrillPage,
  DrillStart,
  DrillStarted,
  PlanCreate,
  PlanDetail,
  PlanEdit,
  PlanListQuery,
  PlanPage,
  PlanReview,
  PlanReviewCreate,
  PlanReviewList,
  PlanRunList,
  PlanSelection,
  PlanSelectQuery,
  PlanVersion,
  PlanVersionParams,
} from '../../../common/schemas/plans.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { registerLinkedTaskSource } from '../directives/tasks.linked.js';
import { onIncidentLevelReached } from '../incidents/incidents.hooks.js';
import { coverageGaps } from './plans.coverage.js';
import { incidentPlanRuns, listDrills, startDrill } from './plans.drills.js';
import { listReviews, openChanges, writeReview } from './plans.reviews.js';
import { onLevelReached, onPlanTaskMoved } from './plans.run.js';
import * as plans from './plans.service.js';

/**
 * Emergency plans (应急预案), their runs on incidents, drills (演练) and reviews. The route list
 * with permissions is at the top of common/schemas/plans.ts.
 */
export function planRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['plans'];
  // A plan step's task is done when its responsible person completes it; the step moves with it.
  registerLinkedTaskSource('plan', { verifiedBy: 'closed by its emergency plan: a plan step is done when its task is completed', onStatus: onPlanTaskMoved });
  // Filing an incident, or its reaching a level, starts the matching plan in the same transaction.
  onIncidentLevelReached(onLevelReached);

  r.get('/api/v1/plans', { schema: { tags, summary: 'Plans of a subtree (plans.read)', querystring: PlanListQuery, response: { 200: PlanPage } } }, (req) =>
    plans.listPlans(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/plans', { schema: { tags, summary: 'Create an emergency plan at a unit (plans.write; Idempotency-Key)', body: PlanCreate, response: { 201: PlanDetail } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => plans.createPlan(deps, ctx, req.body)),
  );
  r.get(
    '/api/v1/plans/select',
    { schema: { tags, summary: 'Which plan an incident of this kind and severity at the unit would start (plans.read)', querystring: PlanSelectQuery, response: { 200: PlanSelection } } },
    (req) => plans.previewSelection(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/plans/coverage',
    { schema: { tags, summary: 'Units a plan’s coverage rule names that have no plan of their own for its kind (plans.read)', querystring: CoverageQuery, response: { 200: CoverageList } } },
    (req) => coverageGaps(deps, ctxOf(req), req.query.unitId),
  );
  r.get('/api/v1/plans/drills', { schema: { tags, summary: 'The drill record: when, plan, version, steps on time and late (plans.read)', querystring: DrillListQuery, response: { 200: DrillPage } } }, (req) =>
    listDrills(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/plans/:id', { schema: { tags, summary: 'One plan: current version, draft, versions (plans.read)', params: IdParams, response: { 200: PlanDetail } } }, (req) =>
    plans.getPlan(deps, ctxOf(req), req.params.id),
  );
  r.put('/api/v1/plans/:id', { schema: { tags, summary: 'Edit a plan: a new current version, or (asDraft) its draft (plans.write)', params: IdParams, body: PlanEdit, response: { 200: PlanDetail } } }, (req) =>
    plans.editPlan(deps, ctxOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/v1/plans/:id/versions/:version',
    { schema: { tags, summary: 'One version of a plan as it was (plans.read)', params: PlanVersionParams, response: { 200: PlanVersion } } },
    (req) => plans.getPlanVersion(deps, ctxOf(req), req.params.id, req.params.version),
  );
  r.post('/api/v1/plans/:id/archive', { schema: { tags, summary: 'Archive a plan; runs already started go on (plans.write)', params: IdParams, response: { 200: PlanDetail } } }, (req) =>
    plans.archivePlan(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/plans/:id/drill',
    { schema: { tags, summary: 'Run the plan as a drill: files a drill incident at the unit (plans.write there; Idempotency-Key)', params: IdParams, body: DrillStart, response: { 201: DrillStarted } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => startDrill(deps, ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/incidents/:id/plan-runs',
    { schema: { tags, summary: 'The plan runs of an incident, each step with its task’s state (whoever sees the incident)', params: IdParams, response: { 200: PlanRunList } } },
    (req) => incidentPlanRuns(deps, ctxOf(req), req.params.id),
  );
  r.get('/api/v1/incidents/:id/reviews', { schema: { tags, summary: 'The reviews of an incident (whoever sees the incident)', params: IdParams, response: { 200: PlanReviewList } } }, (req) =>
    listReviews(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/incidents/:id/reviews',
    { schema: { tags, summary: 'Review a drill, or a resolved incident, against its plan (plans.write over its unit or above; Idempotency-Key)', params: IdParams, body: PlanReviewCreate, response: { 201: PlanReview } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => writeReview(deps, ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/plan-reviews/:id/open-changes',
    { schema: { tags, summary: 'Open changes: a draft version of the reviewed plan, linked to the review (plans.write over the plan’s unit)', params: IdParams, response: { 200: PlanDetail } } },
    (req) => openChanges(deps, ctxOf(req), req.params.id),
  );
}
