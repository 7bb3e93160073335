import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DirectiveProgress, DueToday, DueTodayQuery, OnTimeQuery, OnTimeRecord, ProgressQuery } from '../../../common/schemas/directives.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import * as boards from './boards.service.js';

/** The boards of directives and tasks. */
export function boardRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['boards'];
  r.get(
    '/api/v1/boards/directives/:id/progress',
    {
      schema: {
        tags,
        summary: 'A directive’s progress by unit: the unit, each child subtree with tasks (drill down with unitId), totals, and where the cascade is stuck',
        params: IdParams,
        querystring: ProgressQuery,
        response: { 200: DirectiveProgress },
      },
    },
    (req) => boards.directiveProgress(deps, ctxOf(req), req.params.id, req.query),
  );
  r.get(
    '/api/v1/boards/due-today',
    { schema: { tags, summary: 'Tasks due today (deployment time zone) across the actor’s scope or one subtree', querystring: DueTodayQuery, response: { 200: DueToday } } },
    (req) => boards.dueToday(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/boards/units/:id/on-time',
    { schema: { tags, summary: 'A unit’s on-time record over a period: its own tasks, its subtree, each child', params: IdParams, querystring: OnTimeQuery, response: { 200: OnTimeRecord } } },
    (req) => boards.onTimeRecord(deps, ctxOf(req), req.params.id, req.query),
  );
}
