import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Canteen, CanteenCreate, CanteenList, CanteenListQuery, CanteenParams, CanteenPatch, MyDining, Plan, PlanList, PlanMove, PlanParams, PlanPublish, PlanRun } from '../../../common/schemas/dining.js';
import { Ok } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as canteens from './canteens.service.js';
import { contactRoutes } from './contacts.routes.js';
import { myDining } from './dining.me.js';
import * as plans from './dining.service.js';

/** Canteens, staggered dining plans (错峰就餐), my dining slot, and contact candidates. */
export function diningRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['dining'];

  r.get('/api/v1/canteens', { schema: { tags, summary: 'Canteens in a subtree (places.read)', querystring: CanteenListQuery, response: { 200: CanteenList } } }, (req) =>
    canteens.listCanteens(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/canteens', { schema: { tags, summary: 'Add a canteen with its windows and diner units (places.write; Idempotency-Key)', body: CanteenCreate, response: { 201: Canteen } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => canteens.createCanteen(deps, ctx, req.body)),
  );
  r.get('/api/v1/canteens/:id', { schema: { tags, summary: 'One canteen with its diner units (places.read)', params: CanteenParams, response: { 200: Canteen } } }, (req) =>
    canteens.getCanteen(deps, ctxOf(req), req.params.id),
  );
  r.patch('/api/v1/canteens/:id', { schema: { tags, summary: 'Change a canteen; diners replace the list (places.write)', params: CanteenParams, body: CanteenPatch, response: { 200: Canteen } } }, (req) =>
    canteens.updateCanteen(deps, ctxOf(req), req.params.id, req.body),
  );
  r.delete('/api/v1/canteens/:id', { schema: { tags, summary: 'Archive a canteen; its plans end today and stay as history (places.write)', params: CanteenParams, response: { 200: Ok } } }, (req) =>
    canteens.archiveCanteen(deps, ctxOf(req), req.params.id),
  );

  r.get('/api/v1/canteens/:id/plans', { schema: { tags, summary: 'A canteen’s dining plans, newest first (places.read)', params: CanteenParams, response: { 200: PlanList } } }, (req) =>
    plans.listPlans(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/canteens/:id/plans', { schema: { tags, summary: 'Run the planner for a day: a draft plan (dining.plan; Idempotency-Key)', params: CanteenParams, body: PlanRun, response: { 201: Plan } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => plans.runPlan(deps, ctx, req.params.id, req.body)),
  );
  r.get('/api/v1/canteens/:id/plans/:planId', { schema: { tags, summary: 'One plan with its slots and unplaced units (places.read)', params: PlanParams, response: { 200: Plan } } }, (req) =>
    plans.getPlan(deps, ctxOf(req), req.params.id, req.params.planId),
  );
  r.post('/api/v1/canteens/:id/plans/:planId/moves', { schema: { tags, summary: 'Move a unit to another slot of a draft (dining.plan)', params: PlanParams, body: PlanMove, response: { 200: Plan } } }, (req) =>
    plans.moveUnit(deps, ctxOf(req), req.params.id, req.params.planId, req.body),
  );
  r.post('/api/v1/canteens/:id/plans/:planId/publish', { schema: { tags, summary: 'Publish a draft from a day; the previous plan ends then (dining.plan)', params: PlanParams, body: PlanPublish, response: { 200: Plan } } }, (req) =>
    plans.publishPlan(deps, ctxOf(req), req.params.id, req.params.planId, req.body),
  );
  r.delete('/api/v1/canteens/:id/plans/:planId', { schema: { tags, summary: 'Discard a draft plan (dining.plan)', params: PlanParams, response: { 200: Ok } } }, (req) =>
    plans.discardPlan(deps, ctxOf(req), req.params.id, req.params.planId),
  );

  contactRoutes(app, deps);

  r.get('/api/v1/me/dining', { schema: { tags, summary: 'My dining slot per meal today, and the next plan’s (signed in)', response: { 200: MyDining } } }, (req) => myDining(deps, ctxOf(req)));
}
