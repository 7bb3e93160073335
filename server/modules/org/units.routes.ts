import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../common/schemas/shared.js';
import { Unit, UnitCreate, UnitList, UnitListQuery, UnitMove, UnitPatch } from '../../../common/schemas/org.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as units from './units.service.js';

export function unitRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['units'];
  r.get('/api/v1/units', { schema: { tags, summary: 'Units in scope, each with its subtree headcount', querystring: UnitListQuery, response: { 200: UnitList } } }, (req) =>
    units.listUnits(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/units', { schema: { tags, summary: 'Add a unit under a parent', body: UnitCreate, response: { 201: Unit } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => units.createUnit(deps, ctx, req.body)),
  );
  r.get('/api/v1/units/:id', { schema: { tags, summary: 'One unit', params: IdParams, response: { 200: Unit } } }, (req) =>
    units.getUnit(deps, ctxOf(req), req.params.id),
  );
  r.patch('/api/v1/units/:id', { schema: { tags, summary: 'Rename, reorder, archive or restore a unit', params: IdParams, body: UnitPatch, response: { 200: Unit } } }, (req) =>
    units.updateUnit(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/units/:id/move', { schema: { tags, summary: 'Move a unit and its branch under another parent', params: IdParams, body: UnitMove, response: { 200: Unit } } }, (req) =>
    units.moveUnit(deps, ctxOf(req), req.params.id, req.body),
  );
  r.delete('/api/v1/units/:id', { schema: { tags, summary: 'Delete a unit that never had people', params: IdParams, response: { 200: Ok } } }, (req) =>
    units.deleteUnit(deps, ctxOf(req), req.params.id),
  );
}
