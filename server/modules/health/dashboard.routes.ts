import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CheckinPeriod, CheckinsChanged, CheckinTrend, LiveQuery, PeriodQuery } from '../../../common/schemas/dashboard.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { closeLiveBus, liveBusFor } from '../../live/bus.js';
import { currentActor } from '../../live/actor.js';
import { eventStreams } from '../../live/sse.js';
import { cancelCheckinEvents, CHECKINS_TOPIC, touchesSubtree } from './checkin.events.js';
import * as dashboard from './dashboard.service.js';

/** The health dashboard's figures over time, and its live stream of check-in changes. */
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

  const stream = eventStreams(app);
  app.addHook('onClose', async () => {
    cancelCheckinEvents(deps);
    await closeLiveBus(deps);
  });
  r.get(
    '/api/v1/live/checkins',
    {
      schema: {
        tags,
        summary: 'Server-sent events: `checkins` {day, paths, prefixes} when check-ins in the subtree change (at most ~4 a second), `ready` once subscribed, heartbeat comments every 25 s',
        querystring: LiveQuery,
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (req, reply) => {
      const { unitId } = req.query;
      const path = await dashboard.liveSubtreeOf(deps, ctxOf(req), unitId);
      // Asked again at each heartbeat: a signed-out user, a revoked grant or a moved unit ends the stream.
      const stillAllowed = async () => {
        const actor = await currentActor(deps, req);
        return actor !== null && (await dashboard.liveSubtreeOf(deps, { actor, ip: req.ip }, unitId).catch(() => null)) === path;
      };
      await stream(
        req,
        reply,
        (send) =>
          liveBusFor(deps).subscribe(CHECKINS_TOPIC, (payload) => {
            const e = CheckinsChanged.safeParse(payload);
            if (e.success && touchesSubtree(e.data, path)) send('checkins', e.data);
          }),
        stillAllowed,
      );
    },
  );
}
