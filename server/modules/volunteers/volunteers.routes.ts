import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../common/schemas/shared.js';
import {
  AssignmentCreate,
  AssignmentParams,
  HoursQuery,
  HoursReport,
  MySignUp,
  MyVolunteer,
  NowQuery,
  OnShiftNow,
  Post,
  PostCreate,
  PostListQuery,
  PostPage,
  PostUpdate,
  RequestCreate,
  RequestListQuery,
  RequestPage,
  Shift,
  ShiftCreate,
  ShiftGrid,
  ShiftList,
  ShiftPattern,
  ShiftQuery,
  Volunteer,
  VolunteerCreate,
  VolunteerListQuery,
  VolunteerPage,
  VolunteerRequest,
  VolunteerUpdate,
} from '../../../common/schemas/volunteers.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as posts from './posts.service.js';
import * as requests from './requests.service.js';
import { assign, unassign } from './volunteers.assign.js';
import { hoursReport, onShiftNow } from './volunteers.reports.js';
import * as pool from './volunteers.service.js';

/**
 * Front-line volunteers (党员先锋队 / 青年突击队, issue 8): the pool, posts and their shifts,
 * assignments, requests to the pool, who is on shift now and hours served, and the phone's sign-up.
 * The route list with permissions is at the top of common/schemas/volunteers.ts.
 */
export function volunteerRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['volunteers'];

  r.get('/api/v1/volunteers', { schema: { tags, summary: 'The volunteer pool of a subtree (tag, skill, q, left=true: those who left) (volunteers.read)', querystring: VolunteerListQuery, response: { 200: VolunteerPage } } }, (req) =>
    pool.listVolunteers(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/volunteers', { schema: { tags, summary: 'Add a person of the unit to the pool, noting their consent (volunteers.write; Idempotency-Key)', body: VolunteerCreate, response: { 201: Volunteer } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => pool.addVolunteer(deps, ctx, req.body)),
  );
  r.get('/api/v1/volunteers/now', { schema: { tags, summary: 'Volunteers on shift now, per post of a subtree (volunteers.read)', querystring: NowQuery, response: { 200: OnShiftNow } } }, (req) => onShiftNow(deps, ctxOf(req), req.query));
  r.get('/api/v1/volunteers/hours', { schema: { tags, summary: 'Hours of finished shifts per volunteer of a subtree over local days (volunteers.read)', querystring: HoursQuery, response: { 200: HoursReport } } }, (req) =>
    hoursReport(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/volunteers/:id', { schema: { tags, summary: 'One volunteer (volunteers.read)', params: IdParams, response: { 200: Volunteer } } }, (req) => pool.getVolunteer(deps, ctxOf(req), req.params.id));
  r.patch('/api/v1/volunteers/:id', { schema: { tags, summary: 'Change a volunteer’s tags, skills or availability (volunteers.write)', params: IdParams, body: VolunteerUpdate, response: { 200: Volunteer } } }, (req) =>
    pool.updateVolunteer(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/volunteers/:id/leave', { schema: { tags, summary: 'Take a volunteer out of the pool; shifts not yet started lose them (volunteers.write)', params: IdParams, response: { 200: Volunteer } } }, (req) =>
    pool.removeVolunteer(deps, ctxOf(req), req.params.id),
  );

  r.get('/api/v1/me/volunteer', { schema: { tags, summary: 'My volunteer profile (or null), my shifts not yet ended and my hours served (the phone)', response: { 200: MyVolunteer } } }, (req) => pool.myVolunteer(deps, ctxOf(req)));
  r.put('/api/v1/me/volunteer', { schema: { tags, summary: 'Sign up for the volunteer pool, rejoin it or change my profile (the phone)', body: MySignUp, response: { 200: MyVolunteer } } }, (req) => pool.signUp(deps, ctxOf(req), req.body));
  r.post('/api/v1/me/volunteer/leave', { schema: { tags, summary: 'Leave the volunteer pool (the phone)', response: { 200: MyVolunteer } } }, (req) => pool.leaveMyself(deps, ctxOf(req)));

  r.get('/api/v1/volunteer-posts', { schema: { tags, summary: 'Posts that need volunteers, of a subtree (kind, active) (volunteers.read)', querystring: PostListQuery, response: { 200: PostPage } } }, (req) => posts.listPosts(deps, ctxOf(req), req.query));
  r.post('/api/v1/volunteer-posts', { schema: { tags, summary: 'Create a post at a unit, optionally at a key place (volunteers.write; Idempotency-Key)', body: PostCreate, response: { 201: Post } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => posts.createPost(deps, ctx, req.body)),
  );
  r.get('/api/v1/volunteer-posts/:id', { schema: { tags, summary: 'One post (volunteers.read)', params: IdParams, response: { 200: Post } } }, (req) => posts.getPost(deps, ctxOf(req), req.params.id));
  r.patch('/api/v1/volunteer-posts/:id', { schema: { tags, summary: 'Change a post (volunteers.write)', params: IdParams, body: PostUpdate, response: { 200: Post } } }, (req) => posts.updatePost(deps, ctxOf(req), req.params.id, req.body));
  r.get(
    '/api/v1/volunteer-posts/:id/shifts',
    { schema: { tags, summary: 'A post’s shift grid over local days: shifts with assignees, short shifts, gaps (volunteers.read)', params: IdParams, querystring: ShiftQuery, response: { 200: ShiftGrid } } },
    (req) => posts.shiftGrid(deps, ctxOf(req), req.params.id, req.query),
  );
  r.post('/api/v1/volunteer-posts/:id/shifts', { schema: { tags, summary: 'Add one shift to a post (volunteers.write; Idempotency-Key)', params: IdParams, body: ShiftCreate, response: { 201: Shift } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => posts.addShift(deps, ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/volunteer-posts/:id/shifts/generate',
    { schema: { tags, summary: 'Lay shifts over days by a pattern, keeping existing identical ones (volunteers.write; Idempotency-Key)', params: IdParams, body: ShiftPattern, response: { 201: ShiftList } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => posts.generateShifts(deps, ctx, req.params.id, req.body)),
  );
  r.delete('/api/v1/volunteer-shifts/:id', { schema: { tags, summary: 'Remove a shift nobody is assigned to (volunteers.write)', params: IdParams, response: { 200: Ok } } }, (req) => posts.removeShift(deps, ctxOf(req), req.params.id));
  r.post(
    '/api/v1/volunteer-shifts/:id/assignments',
    {
      schema: {
        tags,
        summary: 'Assign a volunteer to a shift (409 naming an overlapping shift); with requestId, answer that request (volunteers.write; for a request: at an ancestor; Idempotency-Key)',
        params: IdParams,
        body: AssignmentCreate,
        response: { 201: Shift },
      },
    },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => assign(deps, ctx, req.params.id, req.body)),
  );
  r.delete('/api/v1/volunteer-shifts/:id/assignments/:volunteerId', { schema: { tags, summary: 'Take a volunteer off a shift (volunteers.write)', params: AssignmentParams, response: { 200: Shift } } }, (req) =>
    unassign(deps, ctxOf(req), req.params.id, req.params.volunteerId),
  );

  r.get('/api/v1/volunteer-requests', { schema: { tags, summary: 'Requests to the pool of a subtree, open first (volunteers.read)', querystring: RequestListQuery, response: { 200: RequestPage } } }, (req) =>
    requests.listRequests(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/volunteer-requests', { schema: { tags, summary: 'Ask the pool for people for a post (volunteers.write; Idempotency-Key)', body: RequestCreate, response: { 201: VolunteerRequest } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => requests.createRequest(deps, ctx, req.body)),
  );
  r.get('/api/v1/volunteer-requests/:id', { schema: { tags, summary: 'One request with the people assigned under it (volunteers.read)', params: IdParams, response: { 200: VolunteerRequest } } }, (req) =>
    requests.getRequest(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/volunteer-requests/:id/cancel', { schema: { tags, summary: 'Cancel a request that is not filled (volunteers.write)', params: IdParams, response: { 200: VolunteerRequest } } }, (req) =>
    requests.cancelRequest(deps, ctxOf(req), req.params.id),
  );
}
