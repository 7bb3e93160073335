import type { z } from 'zod';
import {
  MyNotice as MyNoticeSchema,
  MyNoticePage,
  Notice as NoticeSchema,
  NoticePage,
  NoticeReceipts as NoticeReceiptsSchema,
  RemindResult,
  UnreadPage,
  type NoticeCreate,
} from '../../../common/schemas/notices.js';
import { request } from './client';

export type Notice = z.infer<typeof NoticeSchema>;
export type NoticeSummary = z.infer<typeof NoticePage>['items'][number];
export type NoticeReceipts = z.infer<typeof NoticeReceiptsSchema>;
export type UnreadPerson = z.infer<typeof UnreadPage>['items'][number];
export type MyNotice = z.infer<typeof MyNoticeSchema>;
export type MyNoticeItem = z.infer<typeof MyNoticePage>['items'][number];

export const listNotices = (q: { status?: 'published' | 'withdrawn'; q?: string; page?: number; pageSize?: number }) => request('GET', '/api/v1/notices', { schema: NoticePage, query: { ...q } });
export const getNotice = (id: number) => request('GET', `/api/v1/notices/${id}`, { schema: NoticeSchema });
export const publishNotice = (body: z.input<typeof NoticeCreate>) => request('POST', '/api/v1/notices', { schema: NoticeSchema, body });
export const withdrawNotice = (id: number, reason: string) => request('POST', `/api/v1/notices/${id}/withdraw`, { schema: NoticeSchema, body: { reason } });
export const noticeReceipts = (id: number, unitId: number | null) => request('GET', `/api/v1/notices/${id}/receipts`, { schema: NoticeReceiptsSchema, query: { unitId } });
export const unreadPeople = (id: number, q: { unitId: number | null; page: number; pageSize: number }) => request('GET', `/api/v1/notices/${id}/unread`, { schema: UnreadPage, query: { ...q } });
export const remindUnread = (id: number, unitId: number | null) => request('POST', `/api/v1/notices/${id}/remind`, { schema: RemindResult, body: unitId ? { unitId } : {} });

export const myNotices = (q: { page?: number; pageSize?: number } = {}) => request('GET', '/api/v1/notices/mine', { schema: MyNoticePage, query: { ...q } });
export const myNotice = (id: number) => request('GET', `/api/v1/notices/mine/${id}`, { schema: MyNoticeSchema });
export const markNoticeRead = (id: number) => request('POST', `/api/v1/notices/mine/${id}/read`, { schema: MyNoticeSchema });
