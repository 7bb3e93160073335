import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../../common/schemas/shared.js';
import { RiskArea, RiskAreaCreate, RiskAreaEnd, RiskAreaList, RiskAreaListQuery, RiskAreaPatch, RiskAreaWritten } from '../../../common/schemas/trips.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import * as areas from './risk-areas.service.js';

export function riskAreaRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['health'];

  r.get('/api/v1/risk-areas', { schema: { tags, summary: 'Risk areas on the list on a day (default today), or all=true for every one', querystring: RiskAreaListQuery, response: { 200: RiskAreaList } } }, (req) =>
    areas.listRiskAreas(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/risk-areas', { schema: { tags, summary: 'Put an area on the risk list', body: RiskAreaCreate, response: { 201: RiskAreaWritten } } }, async (req, reply) => {
    const out = await areas.createRiskArea(deps, ctxOf(req), req.body);
    void reply.status(201);
    return out;
  });
  r.patch('/api/v1/risk-areas/:id', { schema: { tags, summary: 'Correct a risk area', params: IdParams, body: RiskAreaPatch, response: { 200: RiskAreaWritten } } }, (req) =>
    areas.updateRiskArea(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/risk-areas/:id/end', { schema: { tags, summary: 'Take an area off the list (its last day on it: lastDay, default today)', params: IdParams, body: RiskAreaEnd, response: { 200: RiskArea } } }, (req) =>
    areas.endRiskArea(deps, ctxOf(req), req.params.id, req.body),
  );
}
