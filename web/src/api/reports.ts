import type { z } from 'zod';
import {
  ReportRequest as ReportRequestSchema,
  ReportRequestPage,
  ReportRoundPage,
  ReportRoundView as ReportRoundViewSchema,
  Submission as SubmissionSchema,
  ToSubmitPage,
  type ReportRequestCreate,
} from '../../../common/schemas/reports.js';
import { buildUrl, request } from './client';

export type ReportRequest = z.infer<typeof ReportRequestSchema>;
export type ReportRoundSummary = z.infer<typeof ReportRoundPage>['items'][number];
export type ReportRoundView = z.infer<typeof ReportRoundViewSchema>;
export type RoundUnitRow = ReportRoundView['rows'][number];
export type ToSubmitItem = z.infer<typeof ToSubmitPage>['items'][number];
export type Submission = z.infer<typeof SubmissionSchema>;

export const listReportRequests = (q: { status?: 'open' | 'closed'; page?: number; pageSize?: number }) => request('GET', '/api/v1/report-requests', { schema: ReportRequestPage, query: { ...q } });
export const getReportRequest = (id: number) => request('GET', `/api/v1/report-requests/${id}`, { schema: ReportRequestSchema });
export const createReportRequest = (body: z.input<typeof ReportRequestCreate>) => request('POST', '/api/v1/report-requests', { schema: ReportRequestSchema, body });
export const closeReportRequest = (id: number) => request('POST', `/api/v1/report-requests/${id}/close`, { schema: ReportRequestSchema });
export const listRounds = (id: number, q: { page: number; pageSize: number }) => request('GET', `/api/v1/report-requests/${id}/rounds`, { schema: ReportRoundPage, query: { ...q } });
export const getRound = (id: number) => request('GET', `/api/v1/report-rounds/${id}`, { schema: ReportRoundViewSchema });
export const listToSubmit = (q: { page: number; pageSize: number }) => request('GET', '/api/v1/report-rounds/to-submit', { schema: ToSubmitPage, query: { ...q } });
/** Submit (or correct before the deadline) a unit's answers. */
export const submitReport = (roundId: number, body: { unitId: number; answers: Record<string, unknown> }) => request('POST', `/api/v1/report-rounds/${roundId}/submissions`, { schema: SubmissionSchema, body });
/** The round as .xlsx: a plain link (the browser downloads it with the session cookie). */
export const roundExportUrl = (roundId: number) => buildUrl(`/api/v1/report-rounds/${roundId}/export`);
