import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ReportRequest,
  ReportRequestCreate,
  ReportRequestListQuery,
  ReportRequestPage,
  ReportRoundPage,
  ReportRoundView,
  RoundListQuery,
  Submission,
  SubmissionCreate,
  ToSubmitPage,
  ToSubmitQuery,
} from '../../../common/schemas/reports.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated, respondIdempotent } from '../../http/respond.js';
import { XLSX_MIME } from '../org/import.template.js';
import { exportRound } from './reports.export.js';
import * as rounds from './reports.rounds.service.js';
import * as requests from './reports.service.js';

/** Reports up (汇报 / 报送): requests, their rounds, and the units' submissions. */
export function reportRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  r.post(
    '/api/v1/report-requests',
    { schema: { tags, summary: 'Ask units for a situation report, once (with a deadline) or daily (due at a time of day); the units are resolved now', body: ReportRequestCreate, response: { 201: ReportRequest } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => requests.createReportRequest(deps, ctx, req.body)),
  );
  r.get('/api/v1/report-requests', { schema: { tags, summary: "Report requests asking a unit in the actor's tasks.read scope, newest first", querystring: ReportRequestListQuery, response: { 200: ReportRequestPage } } }, (req) =>
    requests.listReportRequests(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/report-requests/:id', { schema: { tags, summary: 'One report request with its form', params: IdParams, response: { 200: ReportRequest } } }, (req) =>
    requests.getReportRequest(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/report-requests/:id/close', { schema: { tags, summary: 'Close a report request: no more rounds, reminders or submissions', params: IdParams, response: { 200: ReportRequest } } }, (req) =>
    requests.closeReportRequest(deps, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/report-requests/:id/rounds',
    { schema: { tags, summary: "A request's rounds, newest first, counted over the units in the actor's scope", params: IdParams, querystring: RoundListQuery, response: { 200: ReportRoundPage } } },
    (req) => rounds.listRounds(deps, ctxOf(req), req.params.id, req.query),
  );
  r.get('/api/v1/report-rounds/to-submit', { schema: { tags, summary: "What the units in the actor's tasks.work scope are asked to fill in, soonest deadline first", querystring: ToSubmitQuery, response: { 200: ToSubmitPage } } }, (req) =>
    rounds.listToSubmit(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/report-rounds/:id', { schema: { tags, summary: "A round side by side: every visible unit's state and answers", params: IdParams, response: { 200: ReportRoundView } } }, (req) =>
    rounds.getRound(deps, ctxOf(req), req.params.id),
  );
  r.get('/api/v1/report-rounds/:id/export', { schema: { tags, summary: 'A round as .xlsx: a unit a row, a field a column (an audited read)', params: IdParams } }, async (req, reply) => {
    const out = await exportRound(deps, ctxOf(req), req.params.id);
    return reply.type(XLSX_MIME).header('content-disposition', out.contentDisposition).send(out.data);
  });
  r.post(
    '/api/v1/report-rounds/:id/submissions',
    {
      schema: {
        tags,
        summary: "Submit a unit's report for the round (201), or correct it until the deadline (200); late first submissions are taken and marked late",
        params: IdParams,
        body: SubmissionCreate,
        response: { 200: Submission, 201: Submission },
      },
    },
    (req, reply) => respondIdempotent(deps, req, reply, (ctx) => rounds.submitReport(deps, ctx, req.params.id, req.body)),
  );
}
