import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../../common/schemas/shared.js';
import { AwayPage, AwayQuery, ByDestination, ByDestinationQuery, MyTrips, Trip, TripCreate, TripListQuery, TripPage, TripPatch, TripReturn } from '../../../common/schemas/trips.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import * as trips from './trips.service.js';

export function tripRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['health'];

  r.post('/api/v1/trips', { schema: { tags, summary: "Report a trip (one's own, or personId on their behalf)", body: TripCreate, response: { 201: Trip } } }, async (req, reply) => {
    const out = await trips.reportTrip(deps, ctxOf(req), req.body);
    void reply.status(201);
    return out;
  });
  r.get('/api/v1/trips/mine', { schema: { tags, summary: 'My trips, newest first', response: { 200: MyTrips } } }, (req) => trips.myTrips(deps, ctxOf(req)));
  r.get('/api/v1/trips', { schema: { tags, summary: 'Trips of a subtree, by status and destination (an audited read)', querystring: TripListQuery, response: { 200: TripPage } } }, (req) =>
    trips.listTrips(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/trips/away', { schema: { tags, summary: 'Who of a subtree is away on a day (default today; an audited read)', querystring: AwayQuery, response: { 200: AwayPage } } }, (req) =>
    trips.listAway(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/trips/by-destination',
    { schema: { tags, summary: "Trips of a subtree's people in a period, counted per destination city", querystring: ByDestinationQuery, response: { 200: ByDestination } } },
    (req) => trips.tripsByDestination(deps, ctxOf(req), req.query),
  );
  r.patch('/api/v1/trips/:id', { schema: { tags, summary: 'Change a trip that has not started', params: IdParams, body: TripPatch, response: { 200: Trip } } }, (req) =>
    trips.updateTrip(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/trips/:id/cancel', { schema: { tags, summary: 'Cancel a trip that has not started', params: IdParams, response: { 200: Trip } } }, (req) =>
    trips.cancelTrip(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/trips/:id/return',
    { schema: { tags, summary: 'Report the return; a return from a risk area opens a health watch', params: IdParams, body: TripReturn, response: { 200: Trip } } },
    (req) => trips.returnFromTrip(deps, ctxOf(req), req.params.id, req.body),
  );
}
