import { randomUUID } from 'node:crypto';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { enqueueJobs, type JobSpec } from '../../jobs/jobs.js';
import { renderMessage, type Params } from './messages.js';
import type { NotificationInput } from './notify.service.js';
import type { ChannelRow } from './notify.store.js';
import * as store from './notify.store.js';
import * as outbox from './outbox.store.js';

/**
 * The outbox. Everything said is written in the caller's transaction: the message, the in-app
 * rows of its addressees, one delivery per way out (the live push to those addressees, each
 * enabled channel of its unit) and one job per delivery. The jobs (deliveries.service.ts) send,
 * retry with the runner's back-off and log each attempt; nothing goes out before the cause commits,
 * and nothing of a rolled-back cause ever does.
 */
export const DELIVER_JOB = 'notify.deliver';
export const LIVE_JOB = 'notify.live';
/** Attempts before a channel delivery is given up (the runner's back-off: 5 s, 10 s, 20 s … ~10 min). */
export const CHANNEL_ATTEMPTS = 8;
/** The live push is a convenience (the inbox has the row): a few tries, then given up. */
export const LIVE_ATTEMPTS = 3;

/** The payload of both delivery jobs. */
export interface DeliveryJobPayload {
  deliveryId: number;
}

export interface OutgoingMessage {
  n: NotificationInput;
  /** Active accounts, de-duplicated: each gets an in-app row, pushed live. */
  userIds: readonly number[];
  /** Enabled channels of the message's unit. */
  channels: readonly ChannelRow[];
  /** Added to the robots' and e-mails' text, and phones to mention. */
  extra?: { text?: string; mentions?: string[] };
}

/** Write these messages to the outbox inside `tx`; returns the in-app rows written. */
export async function writeOutbox(tx: Conn, deps: Deps, batch: readonly OutgoingMessage[]): Promise<number> {
  const items = batch.filter((b) => b.userIds.length > 0 || b.channels.length > 0).map((b) => ({ ...b, eventId: randomUUID() }));
  if (items.length === 0) return 0;
  const now = deps.clock.now();
  const ids = await outbox.insertMessages(
    tx,
    items.map(({ n, userIds, extra, eventId }) => {
      const { title, text } = renderMessage(n.kind, n.params as Params, 'zh-CN');
      return {
        event_id: eventId,
        kind: n.kind,
        params: JSON.stringify(n.params),
        unit_id: n.unitId,
        entity: n.entity,
        entity_id: n.entityId,
        link: n.link ?? null,
        title,
        text: extra?.text ? `${text}\n\n${extra.text}` : text,
        mentions: JSON.stringify(extra?.mentions ?? []),
        recipients: userIds.length,
        created_at: now,
      };
    }),
  );
  const inApp: store.NewNotification[] = [];
  const deliveries: Parameters<typeof outbox.insertDeliveries>[1][number][] = [];
  const base = { state: 'pending', attempts: 0, last_error: null, next_attempt_at: now, sent_at: null, created_at: now, updated_at: now };
  for (const { n, userIds, channels, eventId } of items) {
    const messageId = ids.get(eventId)!;
    const params = JSON.stringify(n.params);
    for (const userId of userIds) inApp.push({ user_id: userId, kind: n.kind, params, unit_id: n.unitId, entity: n.entity, entity_id: n.entityId, link: n.link ?? null, created_at: now, read_at: null, message_id: messageId });
    if (userIds.length > 0) deliveries.push({ ...base, message_id: messageId, route: 'live', unit_id: n.unitId, channel_id: null, channel_kind: null, channel_name: null });
    for (const c of channels) deliveries.push({ ...base, message_id: messageId, route: 'channel', unit_id: c.unit_id, channel_id: c.id, channel_kind: c.kind, channel_name: c.name });
  }
  await store.insertNotifications(tx, inApp);
  const written = await outbox.insertDeliveries(tx, deliveries);
  const jobs: JobSpec[] = written.map((d) => {
    const kind = d.route === 'live' ? LIVE_JOB : DELIVER_JOB;
    const payload: DeliveryJobPayload = { deliveryId: Number(d.id) };
    return { kind, key: `${kind}:${d.id}`, payload, runAt: now, maxAttempts: d.route === 'live' ? LIVE_ATTEMPTS : CHANNEL_ATTEMPTS };
  });
  await enqueueJobs(tx, now, jobs);
  return inApp.length;
}
