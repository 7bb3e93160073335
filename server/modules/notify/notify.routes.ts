import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok } from '../../../common/schemas/shared.js';
import {
  Channel,
  ChannelCreate,
  ChannelList,
  ChannelPatch,
  ChannelTestResult,
  DeliveryLog,
  DeliveryLogQuery,
  Notification,
  NotificationLang,
  NotificationListQuery,
  NotificationPage,
  NotificationStreamQuery,
  OutboxMessage,
  ReadAllResult,
} from '../../../common/schemas/notify.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { currentActor } from '../../live/actor.js';
import { liveBusFor } from '../../live/bus.js';
import { eventStreams } from '../../live/sse.js';
import * as channels from './channels.service.js';
import * as deliveries from './deliveries.service.js';
import { langOf } from './messages.js';
import * as notify from './notify.service.js';

const LangQuery = z.strictObject({ lang: NotificationLang.optional() });

/** The reader's language: `lang` in the query, else Accept-Language, else zh-CN. */
const langOfRequest = (req: FastifyRequest, lang: string | undefined) => langOf(lang, req.headers['accept-language']);

export function notifyRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  r.get('/api/v1/notifications', { schema: { tags, summary: 'My notifications (unread first, or newest first) with the unread count', querystring: NotificationListQuery, response: { 200: NotificationPage } } }, (req) =>
    notify.listMyNotifications(deps, ctxOf(req), req.query, langOfRequest(req, req.query.lang)),
  );
  r.post('/api/v1/notifications/:id/read', { schema: { tags, summary: 'Mark one of my notifications read', params: IdParams, querystring: LangQuery, response: { 200: Notification } } }, (req) =>
    notify.markNotificationRead(deps, ctxOf(req), req.params.id, langOfRequest(req, req.query.lang)),
  );
  const stream = eventStreams(app);
  r.get(
    '/api/v1/notifications/stream',
    {
      schema: {
        tags,
        summary: 'Server-sent events for the signed-in user: `notification` {notification, unread} as each new one commits (from any server process), `ready` once subscribed, heartbeat comments every 25 s',
        querystring: NotificationStreamQuery,
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const userId = notify.streamUserOf(ctx);
      const lang = langOfRequest(req, req.query.lang);
      // Asked again at each heartbeat: a signed-out or disabled account ends the stream.
      const stillAllowed = async () => (await currentActor(deps, req))?.userId === userId;
      await stream(req, reply, (send) =>
        liveBusFor(deps).subscribe(deliveries.NOTIFICATIONS_TOPIC, (payload) => {
          const e = payload as Partial<deliveries.NotificationsPushed>;
          if (typeof e.messageId !== 'number' || !Array.isArray(e.userIds) || !e.userIds.includes(userId)) return;
          void notify.pushedTo(deps, userId, e.messageId, lang).then(
            (pushed) => pushed && send('notification', pushed),
            () => undefined, // the database closing under a stream: the inbox catches up on reload
          );
        }),
      stillAllowed);
    },
  );
  r.post('/api/v1/notifications/read-all', { schema: { tags, summary: 'Mark all my notifications read', response: { 200: ReadAllResult } } }, (req) =>
    notify.markAllNotificationsRead(deps, ctxOf(req)),
  );

  const ctags = ['channels'];
  r.get('/api/v1/units/:id/channels', { schema: { tags: ctags, summary: "A unit's chat robots (secrets shown only as set or not)", params: IdParams, response: { 200: ChannelList } } }, (req) =>
    channels.listChannels(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/units/:id/channels', { schema: { tags: ctags, summary: 'Add a chat robot (DingTalk, WeCom, Feishu) or a signed webhook to a unit', params: IdParams, body: ChannelCreate, response: { 201: Channel } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => channels.createChannel(deps, ctx, req.params.id, req.body)),
  );
  r.patch('/api/v1/channels/:id', { schema: { tags: ctags, summary: 'Change a chat robot', params: IdParams, body: ChannelPatch, response: { 200: Channel } } }, (req) =>
    channels.updateChannel(deps, ctxOf(req), req.params.id, req.body),
  );
  r.delete('/api/v1/channels/:id', { schema: { tags: ctags, summary: 'Remove a chat robot', params: IdParams, response: { 200: Ok } } }, (req) =>
    channels.deleteChannel(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/channels/:id/test', { schema: { tags: ctags, summary: 'Send a test message now and report whether the robot took it', params: IdParams, response: { 200: ChannelTestResult } } }, (req) =>
    channels.testChannel(deps, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/units/:id/deliveries',
    { schema: { tags: ctags, summary: "The delivery log of a unit's channels, newest first: state, attempts, last error, next attempt", params: IdParams, querystring: DeliveryLogQuery, response: { 200: DeliveryLog } } },
    (req) => deliveries.unitDeliveryLog(deps, ctxOf(req), req.params.id, req.query),
  );
  r.get(
    '/api/v1/outbox/messages/:id',
    { schema: { tags: ctags, summary: 'One message of the outbox with every delivery (live push, each channel) and each attempt', params: IdParams, response: { 200: OutboxMessage } } },
    (req) => deliveries.outboxMessage(deps, ctxOf(req), req.params.id),
  );
}
