import {
  HoursReport,
  OnShiftNow,
  Post,
  PostPage,
  RequestPage,
  Shift,
  ShiftGrid,
  ShiftList,
  Volunteer,
  VolunteerPage,
  VolunteerRequest,
  type AssignmentCreate,
  type HoursQuery,
  type PostCreate,
  type PostListQuery,
  type PostUpdate,
  type RequestCreate,
  type RequestListQuery,
  type ShiftCreate,
  type ShiftPattern,
  type VolunteerCreate,
  type VolunteerListQuery,
  type VolunteerUpdate,
} from '../../../common/schemas/volunteers.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export { POST_KINDS, REQUEST_STATUSES, SUGGESTED_SKILLS, VOLUNTEER_TAGS } from '../../../common/schemas/volunteers.js';
export type { Assignee, PostGap, PostKind, RequestStatus, VolunteerTag } from '../../../common/schemas/volunteers.js';
export type { HoursReport, OnShiftNow, Post, Shift, ShiftGrid, Volunteer, VolunteerRequest };

/** A list's query as the client sends it (the schemas' coerced ids and pages take `unknown` in). */
type Paged<Q> = { [K in keyof Q]?: Q[K] extends infer V ? (unknown extends V ? number : V) : never };

const V1 = '/api/v1';

// ── the pool ──
export const listVolunteers = (q: Paged<VolunteerListQuery>) => request('GET', `${V1}/volunteers`, { schema: VolunteerPage, query: { ...q } });
export const addVolunteer = (body: VolunteerCreate) => request('POST', `${V1}/volunteers`, { schema: Volunteer, body });
export const updateVolunteer = (id: number, body: VolunteerUpdate) => request('PATCH', `${V1}/volunteers/${id}`, { schema: Volunteer, body });
export const removeVolunteer = (id: number) => request('POST', `${V1}/volunteers/${id}/leave`, { schema: Volunteer, body: {} });
export const onShiftNow = (unitId?: number) => request('GET', `${V1}/volunteers/now`, { schema: OnShiftNow, query: { unitId } });
export const hoursReport = (q: Paged<HoursQuery>) => request('GET', `${V1}/volunteers/hours`, { schema: HoursReport, query: { ...q } });

// ── posts and shifts ──
export const listPosts = (q: Paged<PostListQuery>) => request('GET', `${V1}/volunteer-posts`, { schema: PostPage, query: { ...q } });
export const createPost = (body: PostCreate) => request('POST', `${V1}/volunteer-posts`, { schema: Post, body });
export const updatePost = (id: number, body: PostUpdate) => request('PATCH', `${V1}/volunteer-posts/${id}`, { schema: Post, body });
export const shiftGrid = (id: number, q: { from?: string; to?: string }) => request('GET', `${V1}/volunteer-posts/${id}/shifts`, { schema: ShiftGrid, query: { ...q } });
export const addShift = (id: number, body: ShiftCreate) => request('POST', `${V1}/volunteer-posts/${id}/shifts`, { schema: Shift, body });
export const generateShifts = (id: number, body: Partial<ShiftPattern> & Pick<ShiftPattern, 'from' | 'to'>) => request('POST', `${V1}/volunteer-posts/${id}/shifts/generate`, { schema: ShiftList, body });
export const removeShift = (id: number) => request('DELETE', `${V1}/volunteer-shifts/${id}`, { schema: Ok });
export const assign = (shiftId: number, body: AssignmentCreate) => request('POST', `${V1}/volunteer-shifts/${shiftId}/assignments`, { schema: Shift, body });
export const unassign = (shiftId: number, volunteerId: number) => request('DELETE', `${V1}/volunteer-shifts/${shiftId}/assignments/${volunteerId}`, { schema: Shift });

// ── requests ──
export const listRequests = (q: Paged<RequestListQuery>) => request('GET', `${V1}/volunteer-requests`, { schema: RequestPage, query: { ...q } });
export const createRequest = (body: RequestCreate) => request('POST', `${V1}/volunteer-requests`, { schema: VolunteerRequest, body });
export const cancelRequest = (id: number) => request('POST', `${V1}/volunteer-requests/${id}/cancel`, { schema: VolunteerRequest, body: {} });
