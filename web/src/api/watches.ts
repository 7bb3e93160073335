import { WatchDetail as WatchDetailSchema, WatchNote as WatchNoteSchema, WatchPage, type WatchClose, type WatchNoteInput, type WatchOpen } from '../../../common/schemas/watches.js';
import type { z } from 'zod';
import { request } from './client';

export type WatchListItem = z.infer<typeof WatchPage>['items'][number];
export type WatchDetail = z.infer<typeof WatchDetailSchema>;
export type WatchNote = z.infer<typeof WatchNoteSchema>;

export interface WatchQuery {
  unitId?: number;
  status?: 'open' | 'closed';
  page?: number;
  pageSize?: number;
}
export const listWatches = (q: WatchQuery) => request('GET', '/api/v1/health-watches', { schema: WatchPage, query: { ...q } });
export const getWatch = (id: number) => request('GET', `/api/v1/health-watches/${id}`, { schema: WatchDetailSchema });
export const openWatch = (body: WatchOpen) => request('POST', '/api/v1/health-watches', { schema: WatchDetailSchema, body });
export const addWatchNote = (id: number, body: WatchNoteInput) => request('POST', `/api/v1/health-watches/${id}/notes`, { schema: WatchNoteSchema, body });
export const closeWatch = (id: number, body: WatchClose) => request('POST', `/api/v1/health-watches/${id}/close`, { schema: WatchDetailSchema, body });
