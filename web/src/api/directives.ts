import type { z } from 'zod';
import {
  DirectiveDetail,
  DirectivePage,
  DirectiveProgress,
  DueToday,
  MeetingDetail,
  MeetingPage,
  OnTimeRecord,
  TaskAssignResult,
  TaskDetail,
  TaskPage,
  TaskSettings,
  type DecisionAssign,
  type DirectiveCreate,
  type DirectiveSource,
  type DirectiveUpdate,
  type MeetingCreate,
  type TaskAssign,
  type TaskComplete,
  type TaskSplit,
  type TaskUpdate,
} from '../../../common/schemas/directives.js';
import { request } from './client';

export type { Directive, DirectiveDetail, DirectiveProgress, DueToday, Meeting, MeetingDetail, OnTimeRecord, ProgressFigures, ProgressNode, Task, TaskDetail, TaskEvent, TaskStatus, EvidenceKind, DirectiveSource, TaskTarget } from '../../../common/schemas/directives.js';
export type TaskAssignResultT = z.infer<typeof TaskAssignResult>;
export type TaskState = 'open' | 'overdue' | 'done' | 'verified' | 'all';

const V1 = '/api/v1';

// ── directives ──
export const listDirectives = (q: { unitId?: number; source?: DirectiveSource; q?: string; page?: number; pageSize?: number }) => request('GET', `${V1}/directives`, { schema: DirectivePage, query: { ...q } });
export const getDirective = (id: number) => request('GET', `${V1}/directives/${id}`, { schema: DirectiveDetail });
export const createDirective = (body: z.input<typeof DirectiveCreate>) => request('POST', `${V1}/directives`, { schema: DirectiveDetail, body });
export const updateDirective = (id: number, body: z.input<typeof DirectiveUpdate>) => request('PATCH', `${V1}/directives/${id}`, { schema: DirectiveDetail, body });
export const assignTasks = (id: number, body: z.input<typeof TaskAssign>) => request('POST', `${V1}/directives/${id}/tasks`, { schema: TaskAssignResult, body });
export const directiveProgress = (id: number, unitId?: number) => request('GET', `${V1}/boards/directives/${id}/progress`, { schema: DirectiveProgress, query: { unitId } });

// ── tasks ──
export interface TaskQuery {
  unitId?: number;
  directiveId?: number;
  state?: TaskState;
  ownUnitOnly?: boolean;
  page?: number;
  pageSize?: number;
}
export const listTasks = (q: TaskQuery) => request('GET', `${V1}/tasks`, { schema: TaskPage, query: { ...q, ownUnitOnly: q.ownUnitOnly === undefined ? undefined : String(q.ownUnitOnly) } });
export const getTask = (id: number) => request('GET', `${V1}/tasks/${id}`, { schema: TaskDetail });
export const acknowledgeTask = (id: number, note?: string) => request('POST', `${V1}/tasks/${id}/acknowledge`, { schema: TaskDetail, body: note ? { note } : {} });
export const completeTask = (id: number, body: z.input<typeof TaskComplete>) => request('POST', `${V1}/tasks/${id}/complete`, { schema: TaskDetail, body });
export const verifyTask = (id: number, note?: string) => request('POST', `${V1}/tasks/${id}/verify`, { schema: TaskDetail, body: note ? { note } : {} });
export const returnTask = (id: number, reason: string) => request('POST', `${V1}/tasks/${id}/return`, { schema: TaskDetail, body: { reason } });
export const splitTask = (id: number, body: z.input<typeof TaskSplit>) => request('POST', `${V1}/tasks/${id}/split`, { schema: TaskAssignResult, body });
export const updateTask = (id: number, body: z.input<typeof TaskUpdate>) => request('PATCH', `${V1}/tasks/${id}`, { schema: TaskDetail, body });

// ── boards ──
export const dueToday = (unitId?: number) => request('GET', `${V1}/boards/due-today`, { schema: DueToday, query: { unitId } });
export const onTimeRecord = (unitId: number, from: string, to: string) => request('GET', `${V1}/boards/units/${unitId}/on-time`, { schema: OnTimeRecord, query: { from, to } });

// ── meetings ──
export const listMeetings = (q: { unitId?: number; page?: number; pageSize?: number }) => request('GET', `${V1}/meetings`, { schema: MeetingPage, query: { ...q } });
export const getMeeting = (id: number) => request('GET', `${V1}/meetings/${id}`, { schema: MeetingDetail });
export const createMeeting = (body: z.input<typeof MeetingCreate>) => request('POST', `${V1}/meetings`, { schema: MeetingDetail, body });
export const addDecision = (id: number, text: string) => request('POST', `${V1}/meetings/${id}/decisions`, { schema: MeetingDetail, body: { text } });
export const assignDecision = (id: number, decisionId: number, body: z.input<typeof DecisionAssign>) => request('POST', `${V1}/meetings/${id}/decisions/${decisionId}/tasks`, { schema: TaskAssignResult, body });

// ── settings ──
/** The reminder lead time; only the command office of a root unit may read and set it (else 403/404). */
export const getTaskSettings = () => request('GET', `${V1}/settings/tasks`, { schema: TaskSettings });
export const putTaskSettings = (body: z.input<typeof TaskSettings>) => request('PUT', `${V1}/settings/tasks`, { schema: TaskSettings, body });
