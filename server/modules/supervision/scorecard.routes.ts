import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Scorecard, ScorecardMissPage, ScorecardMissesQuery, ScorecardQuery } from '../../../common/schemas/scorecard.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { scorecard, scorecardMisses } from './scorecard.service.js';

/**
 * The unit scorecard (监督考核, issue 7). Routes (all read-only; 404 for a unit outside the actor's
 * supervision.read scope, 403 with supervision.read nowhere, 400 naming the field for a bad period):
 *
 *   GET /api/v1/supervision/scorecard?unitId=&from=&to=                 supervision.read → Scorecard
 *   GET /api/v1/supervision/scorecard/misses?unitId=&metric=&from=&to=&page=&pageSize=
 *                                                                       supervision.read → ScorecardMissPage
 *
 * (The overview, GET /api/v1/overview?unitId=, is in overview.routes.ts.)
 */
export function scorecardRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];
  r.get(
    '/api/v1/supervision/scorecard',
    { schema: { tags, summary: 'A unit’s scorecard and each child’s over a period: figures per metric, score, rank among siblings, the previous period and a daily series (supervision.read)', querystring: ScorecardQuery, response: { 200: Scorecard } } },
    (req) => scorecard(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/supervision/scorecard/misses',
    { schema: { tags, summary: 'The misses behind one metric of a unit’s scorecard, with the named people answerable for each; no health or care details (supervision.read)', querystring: ScorecardMissesQuery, response: { 200: ScorecardMissPage } } },
    (req) => scorecardMisses(deps, ctxOf(req), req.query),
  );
}
