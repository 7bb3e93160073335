import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditPage, AuditQuery, AuditVerifyResult } from '../../../common/schemas/audit.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import * as audit from './audit.service.js';

export function auditRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/audit', { schema: { tags: ['audit'], summary: 'Audit entries in scope, newest first', querystring: AuditQuery, response: { 200: AuditPage } } }, (req) =>
    audit.listAuditEntries(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/audit/verify', { schema: { tags: ['audit'], summary: 'Walk the hash chain and report the first bad row', response: { 200: AuditVerifyResult } } }, async (req) => {
    requireScope(requireActor(req.actor), 'audit.read');
    return audit.verifyAudit(deps);
  });
}
