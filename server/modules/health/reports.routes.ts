import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CheckinReportQuery, DataReport, DataReportQuery, QualityPage, QualityQuery } from '../../../common/schemas/health-reports.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { XLSX_MIME } from '../org/import.template.js';
import * as personalData from './personal-data.service.js';
import * as quality from './quality.service.js';
import * as reports from './reports.service.js';

/** Reads built on the check-ins: data-quality flags, the day's report, a person's own data report. */
export function healthReportRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['health'];
  r.get(
    '/api/v1/checkins/quality',
    { schema: { tags, summary: 'People of a subtree whose check-ins of the last 7 days look unreal, with the reasons (flags, not blocks; an audited read)', querystring: QualityQuery, response: { 200: QualityPage } } },
    (req) => quality.qualityFlags(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/reports/checkins',
    {
      schema: {
        tags,
        summary: "The day's report of a unit as .xlsx: the roll-up down to `depth` levels below it, and the non-reporters per unit (an audited read)",
        querystring: CheckinReportQuery,
      },
    },
    async (req, reply) => {
      const out = await reports.checkinReport(deps, ctxOf(req), req.query);
      void reply.type(XLSX_MIME).header('content-disposition', out.contentDisposition);
      return reply.send(out.stream);
    },
  );
  // JSON by default; ?format=xlsx sends the same report as a workbook (bytes, outside the schema).
  const sendReport = (reply: FastifyReply, out: Awaited<ReturnType<typeof personalData.myDataReport>>) =>
    'data' in out ? reply.type(XLSX_MIME).header('content-disposition', out.contentDisposition).send(out.data) : reply.send(out);
  r.get(
    '/api/v1/me/data-report',
    { schema: { tags, summary: 'My personal data report: my profile and every health record kept about me (an audited read)', querystring: DataReportQuery, response: { 200: DataReport } } },
    async (req, reply) => sendReport(reply, await personalData.myDataReport(deps, ctxOf(req), req.query.format)),
  );
  r.get(
    '/api/v1/people/:id/data-report',
    {
      schema: {
        tags,
        summary: "A person's data report, for an administrator answering their request (people.write; an audited read)",
        params: IdParams,
        querystring: DataReportQuery,
        response: { 200: DataReport },
      },
    },
    async (req, reply) => sendReport(reply, await personalData.personDataReport(deps, ctxOf(req), req.params.id, req.query.format)),
  );
}
