import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Group, GroupCreate, GroupListQuery, GroupMemberPage, GroupMembersQuery, GroupPage, GroupPatch } from '../../../common/schemas/groups.js';
import { IdParams, Ok } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as groups from './groups.service.js';

/** Key groups (重点人群): saved selections of people by units and tags. */
export function groupRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['groups'];
  r.get('/api/v1/groups', { schema: { tags, summary: 'Key groups owned in the people.read scope or above it (usable there)', querystring: GroupListQuery, response: { 200: GroupPage } } }, (req) =>
    groups.listGroups(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/groups', { schema: { tags, summary: 'Keep a key group (groups.write over the owner unit) (Idempotency-Key)', body: GroupCreate, response: { 201: Group } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => groups.createGroup(deps, ctx, req.body)),
  );
  r.get('/api/v1/groups/:id', { schema: { tags, summary: 'One key group', params: IdParams, response: { 200: Group } } }, (req) => groups.getGroup(deps, ctxOf(req), req.params.id));
  r.patch('/api/v1/groups/:id', { schema: { tags, summary: 'Change a key group (groups.write over the owner unit)', params: IdParams, body: GroupPatch, response: { 200: Group } } }, (req) =>
    groups.updateGroup(deps, ctxOf(req), req.params.id, req.body),
  );
  r.delete('/api/v1/groups/:id', { schema: { tags, summary: 'Archive a key group (groups.write); campaigns and notices keep its name', params: IdParams, response: { 200: Ok } } }, (req) =>
    groups.archiveGroup(deps, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/groups/:id/members',
    { schema: { tags, summary: "The group's members now, only those within the reader's people.read scope, with the count", params: IdParams, querystring: GroupMembersQuery, response: { 200: GroupMemberPage } } },
    (req) => groups.groupMembers(deps, ctxOf(req), req.params.id, req.query.page, req.query.pageSize),
  );
}
