import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DecisionAssign, DecisionParams, MeetingCreate, MeetingDecisionCreate, MeetingDetail, MeetingListQuery, MeetingPage, TaskAssignResult } from '../../../common/schemas/directives.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as meetings from './meetings.service.js';

/** Meetings with their decisions; a decision becomes tasks in one step. */
export function meetingRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['directives'];
  r.get('/api/v1/meetings', { schema: { tags, summary: 'Meetings recorded in the actor’s scope, latest first', querystring: MeetingListQuery, response: { 200: MeetingPage } } }, (req) =>
    meetings.listMeetings(deps, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/meetings',
    { schema: { tags, summary: 'Record a meeting with its decisions (Idempotency-Key)', body: MeetingCreate, response: { 201: MeetingDetail } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => meetings.createMeeting(deps, ctx, req.body)),
  );
  r.get('/api/v1/meetings/:id', { schema: { tags, summary: 'One meeting with its decisions', params: IdParams, response: { 200: MeetingDetail } } }, (req) =>
    meetings.getMeeting(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/meetings/:id/decisions',
    { schema: { tags, summary: 'Add a decision to a meeting (Idempotency-Key)', params: IdParams, body: MeetingDecisionCreate, response: { 201: MeetingDetail } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => meetings.addDecision(deps, ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/meetings/:id/decisions/:decisionId/tasks',
    {
      schema: {
        tags,
        summary: 'Turn a decision into tasks in one step: its directive (source meeting) is made the first time (Idempotency-Key)',
        params: DecisionParams,
        body: DecisionAssign,
        response: { 201: TaskAssignResult },
      },
    },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => meetings.assignDecision(deps, ctx, req.params.id, req.params.decisionId, req.body)),
  );
}
