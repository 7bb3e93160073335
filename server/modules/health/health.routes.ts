import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Checkin, CheckinListQuery, CheckinPage, CheckinRollup, CheckinSubmit, MyCheckins, NonReporterPage, NonReporterQuery, RollupQuery } from '../../../common/schemas/health.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondIdempotent } from '../../http/respond.js';
import { closeCheckinWriter } from './checkin.writer.js';
import { closePgCheckinWriter } from './checkin.pgwriter.js';
import * as checkins from './checkins.service.js';
import { watchRoutes } from './watches.routes.js';
import { dashboardRoutes } from './dashboard.routes.js';
import { reminderRoutes } from './reminders.routes.js';
import { checkinAnswer } from './checkin.present.js';

export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['health'];
  // Queued check-ins are committed before the database closes.
  app.addHook('onClose', async () => closeCheckinWriter(deps));
  app.addHook('onClose', async () => closePgCheckinWriter(deps));

  r.post(
    '/api/v1/checkins',
    {
      schema: {
        tags,
        summary: "Check in for today (one's own, or personId on their behalf); a repeat replaces the day's check-in",
        body: CheckinSubmit,
        response: { 200: Checkin, 201: Checkin },
      },
    },
    // A phone resending a check-in it queued offline carries an Idempotency-Key: the retry gets the first answer, never a second write.
    (req, reply) =>
      respondIdempotent(deps, req, reply, async (ctx) => {
        const { statusCode, body } = checkinAnswer(await checkins.submitCheckin(deps, ctx, req.body));
        return { status: statusCode, body };
      }),
  );
  r.get('/api/v1/checkins', { schema: { tags, summary: "A day's check-ins in a subtree (an audited read of health data)", querystring: CheckinListQuery, response: { 200: CheckinPage } } }, (req) =>
    checkins.listCheckins(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/checkins/mine', { schema: { tags, summary: 'My check-ins of the last 14 days', response: { 200: MyCheckins } } }, (req) => checkins.myCheckins(deps, ctxOf(req)));
  r.get('/api/v1/checkins/non-reporters', { schema: { tags, summary: 'Active people in a subtree with no check-in on the day', querystring: NonReporterQuery, response: { 200: NonReporterPage } } }, (req) =>
    checkins.listNonReporters(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/rollups/checkins', { schema: { tags, summary: "A day's check-in figures: the unit, each child's subtree, the whole subtree", querystring: RollupQuery, response: { 200: CheckinRollup } } }, (req) =>
    checkins.checkinRollup(deps, ctxOf(req), req.query),
  );
  watchRoutes(app, deps);
  dashboardRoutes(app, deps);
  reminderRoutes(app, deps);
}
