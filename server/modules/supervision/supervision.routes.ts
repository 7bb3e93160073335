import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../common/schemas/shared.js';
import {
  EvidenceLink,
  EvidenceParams,
  FindingCreate,
  FindingDecisionInput,
  FindingListQuery,
  FindingUpdate,
  MatrixPage,
  MatrixQuery,
  OverduePage,
  OverdueQuery,
  SupervisionFinding,
  SupervisionFindingPage,
} from '../../../common/schemas/supervision.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as findings from './findings.service.js';
import { responsibilityMatrix } from './matrix.service.js';
import { listOverdue } from './overdue.service.js';

/**
 * Supervision (监督, issue 7): the responsibility matrix, the overdue view and findings. The route
 * list with permissions is at the top of common/schemas/supervision.ts; the scorecard and the
 * overview register their own routes (scorecard.routes.ts, overview.routes.ts).
 *
 *   GET    /api/v1/supervision/matrix                           [supervision.read]
 *   GET    /api/v1/supervision/overdue                          [supervision.read]
 *   GET    /api/v1/supervision/findings                         [supervision.findings; 404 without it]
 *   POST   /api/v1/supervision/findings                         [supervision.findings] (Idempotency-Key)
 *   GET    /api/v1/supervision/findings/:id                     [supervision.findings]
 *   PATCH  /api/v1/supervision/findings/:id                     [supervision.findings]
 *   POST   /api/v1/supervision/findings/:id/evidence            [supervision.findings]
 *   DELETE /api/v1/supervision/findings/:id/evidence/:evidenceId  [supervision.findings] always 409
 *   POST   /api/v1/supervision/findings/:id/decision            [supervision.findings]
 *   POST   /api/v1/supervision/findings/:id/close               [supervision.findings]
 */
export function supervisionRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];
  r.get(
    '/api/v1/supervision/matrix',
    { schema: { tags, summary: 'The responsibility matrix (责任到人) of a subtree: heads, liaisons, places’, tasks’ and today’s duty people, empty posts (supervision.read)', querystring: MatrixQuery, response: { 200: MatrixPage } } },
    (req) => responsibilityMatrix(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/supervision/overdue',
    { schema: { tags, summary: 'Everything overdue in a subtree with who answers for it, longest overdue first (supervision.read)', querystring: OverdueQuery, response: { 200: OverduePage } } },
    (req) => listOverdue(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/supervision/findings',
    { schema: { tags, summary: 'Findings (问题线索) of a subtree, open first (supervision.findings; 404 without it)', querystring: FindingListQuery, response: { 200: SupervisionFindingPage } } },
    (req) => findings.listFindings(deps, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/supervision/findings',
    { schema: { tags, summary: 'Open a finding about a unit or a person, with overdue items as evidence (supervision.findings; Idempotency-Key)', body: FindingCreate, response: { 201: SupervisionFinding } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => findings.openFinding(deps, ctx, req.body)),
  );
  r.get('/api/v1/supervision/findings/:id', { schema: { tags, summary: 'One finding with its evidence snapshots (supervision.findings)', params: IdParams, response: { 200: SupervisionFinding } } }, (req) =>
    findings.getFinding(deps, ctxOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/supervision/findings/:id',
    { schema: { tags, summary: 'Change an open finding’s title or description (supervision.findings)', params: IdParams, body: FindingUpdate, response: { 200: SupervisionFinding } } },
    (req) => findings.updateFinding(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/supervision/findings/:id/evidence',
    { schema: { tags, summary: 'Link overdue items as evidence: a snapshot of each as shown now, never changed (supervision.findings)', params: IdParams, body: EvidenceLink, response: { 200: SupervisionFinding } } },
    (req) => findings.linkEvidence(deps, ctxOf(req), req.params.id, req.body.refs),
  );
  r.delete(
    '/api/v1/supervision/findings/:id/evidence/:evidenceId',
    { schema: { tags, summary: 'Always 409: evidence cannot be removed or changed once linked (supervision.findings)', params: EvidenceParams, response: { 200: Ok } } },
    (req) => findings.removeEvidence(deps, ctxOf(req), req.params.id, req.params.evidenceId),
  );
  r.post(
    '/api/v1/supervision/findings/:id/decision',
    { schema: { tags, summary: 'Record the decision (约谈 / 通报 / 问责 / 不予处理) of an open finding (supervision.findings)', params: IdParams, body: FindingDecisionInput, response: { 200: SupervisionFinding } } },
    (req) => findings.decideFinding(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/supervision/findings/:id/close', { schema: { tags, summary: 'Close a decided finding (supervision.findings)', params: IdParams, response: { 200: SupervisionFinding } } }, (req) =>
    findings.closeFinding(deps, ctxOf(req), req.params.id),
  );
}
