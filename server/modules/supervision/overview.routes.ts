import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Overview, OverviewQuery } from '../../../common/schemas/overview.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { overview } from './overview.service.js';

/**
 * The command office's overview (总览, issue 7):
 *
 *   GET /api/v1/overview?unitId=    any grant over the unit → Overview
 *
 * Each section is present only when the actor holds its module's permission over the unit
 * (checkins and watches: health.read; incidents: incidents.read; tasks: tasks.read; duty: duty.read;
 * care: care.figures; scorecard: supervision.read). A unit outside every grant is 404; a unit in
 * scope with none of those permissions is 200 with no sections.
 */
export function overviewRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/overview',
    { schema: { tags: ['overview'], summary: 'The day at a glance for a unit’s subtree, each section as the actor’s permissions allow, each figure with its console link', querystring: OverviewQuery, response: { 200: Overview } } },
    (req) => overview(deps, ctxOf(req), req.query),
  );
}
