import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CheckinPeriod, CheckinTrend, PeriodQuery } from '../../../common/schemas/dashboard.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import * as dashboard from './dashboard.service.js';

/** The health dashboard's figures over time. */
export function dashboardRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['health'];
  r.get(
    '/api/v1/rollups/checkins/trend',
    { schema: { tags, summary: "Per day of a period (≤ 92 days, default the last 30): the subtree's headcount, check-ins, abnormal and on-time", querystring: PeriodQuery, response: { 200: CheckinTrend } } },
    (req) => dashboard.checkinTrend(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/rollups/checkins/period',
    { schema: { tags, summary: 'Completeness and timeliness over a period: the unit, each child subtree, the whole subtree', querystring: PeriodQuery, response: { 200: CheckinPeriod } } },
    (req) => dashboard.checkinPeriod(deps, ctxOf(req), req.query),
  );
}
