import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../../common/schemas/shared.js';
import { WatchClose, WatchDetail, WatchListQuery, WatchNote, WatchNoteInput, WatchOpen, WatchPage } from '../../../common/schemas/watches.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated, respondIdempotent } from '../../http/respond.js';
import * as watches from './watches.service.js';

/** Health watches (健康监测): list, read, open by hand, daily notes, close with an outcome. */
export function watchRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['health'];
  r.get(
    '/api/v1/health-watches',
    { schema: { tags, summary: 'Health watches of people in a subtree, open first (an audited read of health data)', querystring: WatchListQuery, response: { 200: WatchPage } } },
    (req) => watches.listWatches(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/health-watches/:id', { schema: { tags, summary: 'One health watch with its notes (an audited read)', params: IdParams, response: { 200: WatchDetail } } }, (req) =>
    watches.getWatch(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/health-watches',
    { schema: { tags, summary: 'Put a person under health watch by hand; joins their open watch if they have one (200)', body: WatchOpen, response: { 200: WatchDetail, 201: WatchDetail } } },
    (req, reply) => respondIdempotent(deps, req, reply, (ctx) => watches.openWatchByHand(deps, ctx, req.body)),
  );
  r.post(
    '/api/v1/health-watches/:id/notes',
    { schema: { tags, summary: "Add the day's note (and temperature) to an open health watch", params: IdParams, body: WatchNoteInput, response: { 201: WatchNote } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => watches.addWatchNote(deps, ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/health-watches/:id/close',
    { schema: { tags, summary: 'Close an open health watch with its outcome', params: IdParams, body: WatchClose, response: { 200: WatchDetail } } },
    (req) => watches.closeWatch(deps, ctxOf(req), req.params.id, req.body),
  );
}
