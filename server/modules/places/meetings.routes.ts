import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  MeetingApprove,
  MeetingCancel,
  MeetingCheck,
  MeetingRefuse,
  MeetingRegistration,
  MeetingRegistrationCreate,
  MeetingRegistrationListQuery,
  MeetingRegistrationPage,
  MeetingRegistrationPatch,
} from '../../../common/schemas/meetings.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as meetings from './meetings.service.js';
import { roomRoutes } from './rooms.routes.js';

/**
 * Meeting registrations (会议报备) and the rooms they use. Not /api/v1/meetings: those are the
 * command's own meetings (directives).
 */
export function meetingRegistrationRoutes(app: FastifyInstance, deps: Deps): void {
  roomRoutes(app, deps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['meetings'];
  const base = '/api/v1/meeting-registrations';
  r.get(
    base,
    { schema: { tags, summary: "A day's meetings per unit and building (day, unitId, building, status), or the over-limit ones over a period (overLimit=true, from, to)", querystring: MeetingRegistrationListQuery, response: { 200: MeetingRegistrationPage } } },
    (req) => meetings.listMeetings(deps, ctxOf(req), req.query),
  );
  r.post(`${base}/check`, { schema: { tags, summary: 'Dry run: the limits in force and the breaches of a registration; nothing is saved (meetings.register)', body: MeetingRegistrationCreate, response: { 200: MeetingCheck } } }, (req) =>
    meetings.checkRegistration(deps, ctxOf(req), req.body),
  );
  r.post(
    base,
    { schema: { tags, summary: 'Register a meeting (meetings.register): within limits registered at once, over a limit pending with a reason (Idempotency-Key)', body: MeetingRegistrationCreate, response: { 201: MeetingRegistration } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => meetings.registerMeeting(deps, ctx, req.body)),
  );
  r.get(`${base}/:id`, { schema: { tags, summary: "One registration, with the listed attendees in the reader's scope", params: IdParams, response: { 200: MeetingRegistration } } }, (req) =>
    meetings.getMeeting(deps, ctxOf(req), req.params.id),
  );
  r.patch(
    `${base}/:id`,
    { schema: { tags, summary: 'Change a registration; a change of time, room or size is checked again and a breach sends it back to pending', params: IdParams, body: MeetingRegistrationPatch, response: { 200: MeetingRegistration } } },
    (req) => meetings.changeMeeting(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(`${base}/:id/approve`, { schema: { tags, summary: 'Approve a pending registration (meetings.approve)', params: IdParams, body: MeetingApprove, response: { 200: MeetingRegistration } } }, (req) =>
    meetings.decideMeeting(deps, ctxOf(req), req.params.id, 'approve', req.body.note),
  );
  r.post(`${base}/:id/refuse`, { schema: { tags, summary: 'Refuse a pending registration, saying why (meetings.approve)', params: IdParams, body: MeetingRefuse, response: { 200: MeetingRegistration } } }, (req) =>
    meetings.decideMeeting(deps, ctxOf(req), req.params.id, 'refuse', req.body.note),
  );
  r.post(`${base}/:id/cancel`, { schema: { tags, summary: 'Cancel a registration (its organiser, or meetings.approve)', params: IdParams, body: MeetingCancel, response: { 200: MeetingRegistration } } }, (req) =>
    meetings.cancelMeeting(deps, ctxOf(req), req.params.id, req.body.note),
  );
}
