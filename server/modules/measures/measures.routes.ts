import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ExceptionApprove,
  ExceptionItem,
  ExceptionListQuery,
  ExceptionPage,
  ExceptionRefuse,
  HistoryQuery,
  MeasureChangeResult,
  MeasureHistory,
  MeasureKeyParams,
  MeasureRemove,
  MeasureSet,
  MeasureTypeList,
  Register,
  RegisterQuery,
} from '../../../common/schemas/measures.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as measures from './measures.service.js';

/** Measures (防控措施): the catalogue, a unit's register, its own values, their history, and the exceptions the level above decides. */
export function measureRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['measures'];
  r.get('/api/v1/measure-types', { schema: { tags, summary: 'The catalogue of measure types: value type, unit, which way is stricter, bounds, built-in default', response: { 200: MeasureTypeList } } }, (req) =>
    measures.listMeasureTypes(ctxOf(req)),
  );
  r.get(
    '/api/v1/units/:id/measures',
    { schema: { tags, summary: "A unit's register on a day (default today): each measure's value in force and where it comes from", params: IdParams, querystring: RegisterQuery, response: { 200: Register } } },
    (req) => measures.getRegister(deps, ctxOf(req), req.params.id, req.query.day),
  );
  r.post(
    '/api/v1/units/:id/measures/:key',
    {
      schema: {
        tags,
        summary: "Set the unit's own value from a day (default today); stricter than the parent's is an exception needing a reason and the level above's approval",
        params: MeasureKeyParams,
        body: MeasureSet,
        response: { 201: MeasureChangeResult },
      },
    },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => measures.setMeasure(deps, ctx, req.params.id, req.params.key, req.body)),
  );
  r.post(
    '/api/v1/units/:id/measures/:key/remove',
    { schema: { tags, summary: "Remove the unit's own value from a day (default today): it inherits again", params: MeasureKeyParams, body: MeasureRemove, response: { 201: MeasureChangeResult } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => measures.removeMeasure(deps, ctx, req.params.id, req.params.key, req.body)),
  );
  r.get(
    '/api/v1/units/:id/measures/:key/history',
    { schema: { tags, summary: 'What applied at the unit span by span, and every change along its chain', params: MeasureKeyParams, querystring: HistoryQuery, response: { 200: MeasureHistory } } },
    (req) => measures.measureHistory(deps, ctxOf(req), req.params.id, req.params.key, req.query.from),
  );
  r.get(
    '/api/v1/measure-exceptions',
    { schema: { tags, summary: 'Every exception (stricter than the parent) in scope — pending, approved, refused, withdrawn — pending first', querystring: ExceptionListQuery, response: { 200: ExceptionPage } } },
    (req) => measures.listExceptions(deps, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/measure-exceptions/:id/approve',
    { schema: { tags, summary: 'Approve a pending exception (the level above; not the requester)', params: IdParams, body: ExceptionApprove, response: { 200: ExceptionItem } } },
    (req) => measures.approveException(deps, ctxOf(req), req.params.id, req.body.note),
  );
  r.post(
    '/api/v1/measure-exceptions/:id/refuse',
    { schema: { tags, summary: 'Refuse a pending exception, saying why (the level above; not the requester)', params: IdParams, body: ExceptionRefuse, response: { 200: ExceptionItem } } },
    (req) => measures.refuseException(deps, ctxOf(req), req.params.id, req.body.note),
  );
}
