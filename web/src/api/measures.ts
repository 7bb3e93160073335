import type { z } from 'zod';
import {
  ExceptionItem as ExceptionItemSchema,
  ExceptionPage,
  MeasureChangeResult,
  MeasureHistory as MeasureHistorySchema,
  MeasureTypeList,
  Register as RegisterSchema,
  type MeasureRemove,
  type MeasureSet,
} from '../../../common/schemas/measures.js';
import { request } from './client';

export type Register = z.infer<typeof RegisterSchema>;
export type RegisterEntry = Register['items'][number];
export type ExceptionItem = z.infer<typeof ExceptionItemSchema>;
export type MeasureHistory = z.infer<typeof MeasureHistorySchema>;
export type ExceptionStatus = ExceptionItem['status'];

export interface ExceptionQuery {
  unitId?: number;
  status?: 'pending' | 'approved' | 'refused' | 'withdrawn';
  key?: string;
  page?: number;
  pageSize?: number;
}

const keyPath = (unitId: number, key: string) => `/api/v1/units/${unitId}/measures/${encodeURIComponent(key)}`;

export const listMeasureTypes = () => request('GET', '/api/v1/measure-types', { schema: MeasureTypeList });
export const getRegister = (unitId: number, day?: string) => request('GET', `/api/v1/units/${unitId}/measures`, { schema: RegisterSchema, query: { day } });
export const setMeasure = (unitId: number, key: string, body: MeasureSet) => request('POST', keyPath(unitId, key), { schema: MeasureChangeResult, body });
export const removeMeasure = (unitId: number, key: string, body: MeasureRemove) => request('POST', `${keyPath(unitId, key)}/remove`, { schema: MeasureChangeResult, body });
export const getMeasureHistory = (unitId: number, key: string) => request('GET', `${keyPath(unitId, key)}/history`, { schema: MeasureHistorySchema });
export const listExceptions = (q: ExceptionQuery) => request('GET', '/api/v1/measure-exceptions', { schema: ExceptionPage, query: { ...q } });
export const approveException = (id: number, note?: string) => request('POST', `/api/v1/measure-exceptions/${id}/approve`, { schema: ExceptionItemSchema, body: note ? { note } : {} });
export const refuseException = (id: number, note: string) => request('POST', `/api/v1/measure-exceptions/${id}/refuse`, { schema: ExceptionItemSchema, body: { note } });
