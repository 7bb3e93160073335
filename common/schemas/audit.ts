import { z } from 'zod';
import { Id, Page, pageOf } from './shared.js';

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.number().int(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  unitId: z.number().int().nullable(),
  detail: z.unknown(),
  hash: z.string(),
});
export const AuditQuery = z.strictObject({
  unitId: Id.optional(),
  actorUserId: Id.optional(),
  entity: z.string().trim().max(40).optional(),
  entityId: z.string().trim().max(40).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  ...Page,
});
export const AuditPage = pageOf(AuditEntry);
export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBadId: z.number().int().nullable(),
  reason: z.string().nullable(),
});
