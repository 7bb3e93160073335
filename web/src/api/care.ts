import type { z } from 'zod';
import {
  CareBoard,
  CareCaseDetail,
  CareCasePage,
  CareFigures,
  CareOfficerList,
  CareRequest as CareRequestSchema,
  CareRequestPage,
  CareSuggestionList,
  type CareActionCreate,
  type CareCaseClose,
  type CareCaseCreate,
  type CareCaseUpdate,
  type CareKind,
  type CareNeedCreate,
  type CareNeedUpdate,
  type CareRequestOpenCase,
  type CareRequestStatus,
  type CareStatus,
} from '../../../common/schemas/care.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export {
  CARE_ACTION_KINDS,
  CARE_KINDS,
  CARE_NEED_KINDS,
  CARE_NEED_STATES,
  CARE_OUTCOMES,
  CARE_REQUEST_STATUSES,
  CARE_SIGNALS,
  CARE_STATUSES,
  TimeZone,
} from '../../../common/schemas/care.js';
export type {
  CareAction,
  CareActionKind,
  CareCase,
  CareCounts,
  CareKind,
  CareNeed,
  CareNeedKind,
  CareNeedState,
  CareOutcome,
  CareRequestStatus,
  CareSignal,
  CareStatus,
  CareSuggestion,
} from '../../../common/schemas/care.js';
export type { CareBoard, CareCaseDetail, CareFigures };
export type CareRequest = z.infer<typeof CareRequestSchema>;
export type CareOfficer = z.infer<typeof CareOfficerList>['items'][number];

export interface CaseListQuery {
  unitId?: number;
  status?: CareStatus;
  kind?: CareKind;
  mine?: 'true';
  uncontacted?: 'true';
  q?: string;
  page?: number;
  pageSize?: number;
}

const V1 = '/api/v1/care';

// ── board and figures ──
export const careBoard = (unitId?: number) => request('GET', `${V1}/board`, { schema: CareBoard, query: { unitId } });
export const careFigures = (unitId?: number) => request('GET', `${V1}/figures`, { schema: CareFigures, query: { unitId } });

// ── cases ──
export const listCases = (q: CaseListQuery) => request('GET', `${V1}/cases`, { schema: CareCasePage, query: { ...q } });
export const getCase = (id: number) => request('GET', `${V1}/cases/${id}`, { schema: CareCaseDetail });
export const openCase = (body: z.input<typeof CareCaseCreate>) => request('POST', `${V1}/cases`, { schema: CareCaseDetail, body });
export const updateCase = (id: number, body: z.input<typeof CareCaseUpdate>) => request('PATCH', `${V1}/cases/${id}`, { schema: CareCaseDetail, body });
export const closeCase = (id: number, body: z.input<typeof CareCaseClose>) => request('POST', `${V1}/cases/${id}/close`, { schema: CareCaseDetail, body });
export const caseOfficers = (id: number) => request('GET', `${V1}/cases/${id}/officers`, { schema: CareOfficerList });
export const addNeed = (id: number, body: z.input<typeof CareNeedCreate>) => request('POST', `${V1}/cases/${id}/needs`, { schema: CareCaseDetail, body });
export const updateNeed = (id: number, needId: number, body: z.input<typeof CareNeedUpdate>) => request('PATCH', `${V1}/cases/${id}/needs/${needId}`, { schema: CareCaseDetail, body });
export const addAction = (id: number, body: z.input<typeof CareActionCreate>) => request('POST', `${V1}/cases/${id}/actions`, { schema: CareCaseDetail, body });

// ── suggestions ──
export const listSuggestions = (unitId?: number) => request('GET', `${V1}/suggestions`, { schema: CareSuggestionList, query: { unitId } });
export const openSuggestion = (key: string) => request('POST', `${V1}/suggestions/open`, { schema: CareCaseDetail, body: { key } });
export const dismissSuggestion = (key: string) => request('POST', `${V1}/suggestions/dismiss`, { schema: Ok, body: { key } });

// ── requests (求助) ──
export const listRequests = (q: { unitId?: number; status?: CareRequestStatus; page?: number; pageSize?: number }) => request('GET', `${V1}/requests`, { schema: CareRequestPage, query: { ...q } });
export const requestOpenCase = (id: number, body: z.input<typeof CareRequestOpenCase>) => request('POST', `${V1}/requests/${id}/open-case`, { schema: CareCaseDetail, body });
export const requestAddToCase = (id: number, caseId?: number) => request('POST', `${V1}/requests/${id}/add-to-case`, { schema: CareCaseDetail, body: caseId === undefined ? {} : { caseId } });
export const declineRequest = (id: number, answer: string) => request('POST', `${V1}/requests/${id}/decline`, { schema: CareRequestSchema, body: { answer } });
