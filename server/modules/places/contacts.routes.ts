import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ContactAction, ContactActionResult, ContactCandidates, ContactParams, ContactQuery } from '../../../common/schemas/contacts.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { actOnContacts, contactCandidates } from './contacts.service.js';

/** Contact candidates (密接排查) of a person, and acting on them. */
export function contactRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];
  r.get(
    '/api/v1/people/:id/contact-candidates',
    { schema: { tags, summary: 'Who shared a unit, meeting, canteen slot or duty shift with a person over the last days, ranked (health.read; audited)', params: ContactParams, querystring: ContactQuery, response: { 200: ContactCandidates } } },
    (req) => contactCandidates(deps, ctxOf(req), req.params.id, req.query),
  );
  r.post(
    '/api/v1/people/:id/contact-candidates/actions',
    { schema: { tags, summary: 'Open health watches for candidates, or notify their units (health.read over the person and each candidate)', params: ContactParams, body: ContactAction, response: { 200: ContactActionResult } } },
    (req) => actOnContacts(deps, ctxOf(req), req.params.id, req.body),
  );
}
