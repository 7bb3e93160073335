import type { z } from 'zod';
import { AuditPage, AuditVerifyResult } from '../../../common/schemas/audit.js';
import { request } from './client';

export type AuditEntry = z.infer<typeof AuditPage>['items'][number];
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

export interface AuditQuery {
  unitId?: number;
  actorUserId?: number;
  entity?: string;
  from?: number;
  to?: number;
  page?: number;
  pageSize?: number;
}
export const listAudit = (q: AuditQuery) => request('GET', '/api/v1/audit', { schema: AuditPage, query: { ...q } });
export const verifyAudit = () => request('POST', '/api/v1/audit/verify', { schema: AuditVerifyResult });
