import type { z } from 'zod';
import {
  MeetingCheck,
  MeetingRegistration,
  MeetingRegistrationPage,
  Room,
  RoomPage,
  type MeetingRegistrationCreate,
  type MeetingRegistrationPatch,
  type MeetingStatus,
  type RoomCreate,
  type RoomPatch,
} from '../../../common/schemas/meetings.js';
import { request } from './client';

export type { BreachKind, MeetingBreach, MeetingCheck, MeetingLimits, MeetingRegistration, MeetingStatus, Room } from '../../../common/schemas/meetings.js';

const V1 = '/api/v1';

// ── rooms ──
/** Rooms of a subtree (unitId), or the rooms a meeting of a unit may use (forUnitId: its own and its ancestors'). */
export const listRooms = (q: { unitId?: number; forUnitId?: number; archived?: boolean; page?: number; pageSize?: number }) =>
  request('GET', `${V1}/rooms`, { schema: RoomPage, query: { ...q, archived: q.archived ? 'true' : undefined } });
export const createRoom = (body: z.input<typeof RoomCreate>) => request('POST', `${V1}/rooms`, { schema: Room, body });
export const updateRoom = (id: number, body: z.input<typeof RoomPatch>) => request('PATCH', `${V1}/rooms/${id}`, { schema: Room, body });
export const archiveRoom = (id: number) => request('POST', `${V1}/rooms/${id}/archive`, { schema: Room, body: {} });

// ── meeting registrations ──
export interface RegistrationQuery {
  unitId?: number;
  day?: string;
  from?: string;
  to?: string;
  building?: string;
  status?: MeetingStatus;
  overLimit?: boolean;
  page?: number;
  pageSize?: number;
}
export const listRegistrations = (q: RegistrationQuery) =>
  request('GET', `${V1}/meeting-registrations`, { schema: MeetingRegistrationPage, query: { ...q, overLimit: q.overLimit === undefined ? undefined : String(q.overLimit) } });
export const getRegistration = (id: number) => request('GET', `${V1}/meeting-registrations/${id}`, { schema: MeetingRegistration });
/** Dry run: the limits in force and the breaches, nothing saved. */
export const checkRegistration = (body: z.input<typeof MeetingRegistrationCreate>) => request('POST', `${V1}/meeting-registrations/check`, { schema: MeetingCheck, body });
export const register = (body: z.input<typeof MeetingRegistrationCreate>) => request('POST', `${V1}/meeting-registrations`, { schema: MeetingRegistration, body });
export const updateRegistration = (id: number, body: z.input<typeof MeetingRegistrationPatch>) => request('PATCH', `${V1}/meeting-registrations/${id}`, { schema: MeetingRegistration, body });
export const approveRegistration = (id: number, note?: string) => request('POST', `${V1}/meeting-registrations/${id}/approve`, { schema: MeetingRegistration, body: note ? { note } : {} });
export const refuseRegistration = (id: number, note: string) => request('POST', `${V1}/meeting-registrations/${id}/refuse`, { schema: MeetingRegistration, body: { note } });
export const cancelRegistration = (id: number, note?: string) => request('POST', `${V1}/meeting-registrations/${id}/cancel`, { schema: MeetingRegistration, body: note ? { note } : {} });
