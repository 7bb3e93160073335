import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DirectiveCreate, DirectiveDetail, DirectiveListQuery, DirectivePage, DirectiveUpdate, TaskAssign, TaskAssignResult } from '../../../common/schemas/directives.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { registerAttachmentOwner } from '../files/files.service.js';
import * as directives from './directives.service.js';

/** Directives from above (部署): record, correct, list, read, and break into tasks. */
export function directiveRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['directives'];
  // A directive's attachments are read by whoever sees the directive.
  registerAttachmentOwner('directive', (d, actor, id) => directives.canReadDirective(d, actor, id));
  r.get(
    '/api/v1/directives',
    { schema: { tags, summary: 'Directives recorded in, or reaching into, the actor’s scope, newest received first, with task progress', querystring: DirectiveListQuery, response: { 200: DirectivePage } } },
    (req) => directives.listDirectives(deps, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/directives',
    { schema: { tags, summary: 'Record a directive from above, optionally with its tasks (Idempotency-Key)', body: DirectiveCreate, response: { 201: DirectiveDetail } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => directives.createDirective(deps, ctx, req.body)),
  );
  r.get('/api/v1/directives/:id', { schema: { tags, summary: 'One directive with its top-level tasks', params: IdParams, response: { 200: DirectiveDetail } } }, (req) =>
    directives.getDirective(deps, ctxOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/directives/:id',
    { schema: { tags, summary: 'Correct a directive’s source, number, title, text or attachments', params: IdParams, body: DirectiveUpdate, response: { 200: DirectiveDetail } } },
    (req) => directives.updateDirective(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/directives/:id/tasks',
    {
      schema: {
        tags,
        summary: 'Send tasks of the directive to one unit or many at once (a list, every child of a unit, a subtree or one level of it) (Idempotency-Key)',
        params: IdParams,
        body: TaskAssign,
        response: { 201: TaskAssignResult },
      },
    },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => directives.assignTasks(deps, ctx, req.params.id, req.body)),
  );
}
