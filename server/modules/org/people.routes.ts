import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../../common/schemas/shared.js';
import { Person, PersonCreate, PersonListQuery, PersonPage, PersonPatch } from '../../../common/schemas/org.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as people from './people.service.js';

export function peopleRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];
  r.get('/api/v1/people', { schema: { tags, summary: 'Search and page through people in scope', querystring: PersonListQuery, response: { 200: PersonPage } } }, (req) =>
    people.listPeople(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/people', { schema: { tags, summary: 'Add a person', body: PersonCreate, response: { 201: Person } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => people.createPerson(deps, ctx, req.body)),
  );
  r.get('/api/v1/people/:id', { schema: { tags, summary: 'One person', params: IdParams, response: { 200: Person } } }, (req) =>
    people.getPerson(deps, ctxOf(req), req.params.id),
  );
  r.patch('/api/v1/people/:id', { schema: { tags, summary: 'Edit, transfer (unitId) or mark as left (status)', params: IdParams, body: PersonPatch, response: { 200: Person } } }, (req) =>
    people.updatePerson(deps, ctxOf(req), req.params.id, req.body),
  );
}
