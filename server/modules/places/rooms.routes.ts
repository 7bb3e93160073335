import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Room, RoomCreate, RoomListQuery, RoomPage, RoomPatch } from '../../../common/schemas/meetings.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as rooms from './rooms.service.js';

/** Rooms (会议室) for meeting registrations. */
export function roomRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['meetings'];
  r.get(
    '/api/v1/rooms',
    { schema: { tags, summary: "Rooms in the places.read scope (unitId: that subtree), or those a meeting of forUnitId may use (its own and its ancestors')", querystring: RoomListQuery, response: { 200: RoomPage } } },
    (req) => rooms.listRooms(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/rooms', { schema: { tags, summary: 'Keep a room at a unit (places.write) (Idempotency-Key)', body: RoomCreate, response: { 201: Room } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => rooms.createRoom(deps, ctx, req.body)),
  );
  r.get('/api/v1/rooms/:id', { schema: { tags, summary: 'One room (places.read over its unit)', params: IdParams, response: { 200: Room } } }, (req) => rooms.getRoom(deps, ctxOf(req), req.params.id));
  r.patch('/api/v1/rooms/:id', { schema: { tags, summary: 'Change a room (places.write)', params: IdParams, body: RoomPatch, response: { 200: Room } } }, (req) =>
    rooms.updateRoom(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/rooms/:id/archive', { schema: { tags, summary: 'Archive a room (places.write); its meetings keep it', params: IdParams, response: { 200: Room } } }, (req) =>
    rooms.archiveRoom(deps, ctxOf(req), req.params.id),
  );
}
