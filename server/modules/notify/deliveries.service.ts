import type { z } from 'zod';
import type { Delivery, DeliveryLog, DeliveryLogQuery, OutboxMessage } from '../../../common/schemas/notify.js';
import type { JobRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { backoffMs, enqueueJob } from '../../jobs/jobs.js';
import type { Ctx } from '../../http/actor.js';
import { liveBusFor } from '../../live/bus.js';
import { requireActor } from '../org/org.policy.js';
import { buildRequest, sendRequest, type ChannelKind, type RobotMessage } from './channels.js';
import { emailAddresses, sendEmail } from './email.js';
import { assertChannelsOfUnit } from './notify.policy.js';
import { DELIVER_JOB, type DeliveryJobPayload } from './outbox.js';
import * as store from './notify.store.js';
import * as outbox from './outbox.store.js';

/**
 * The delivery jobs of the outbox. Each attempt is logged (notify_attempts) and moves its delivery:
 * sent, failed (another attempt is due at next_attempt_at, the job runner's back-off), given up
 * (the attempts are spent), or cancelled (its channel was removed or turned off). A handler that
 * runs again after a crash finds the delivery sent and does nothing.
 */

/** The live events of new notifications: { messageId, userIds } (user ids cut into slices that fit a NOTIFY). */
export const NOTIFICATIONS_TOPIC = 'notifications';
const USERS_PER_EVENT = 800;

export interface NotificationsPushed {
  messageId: number;
  userIds: number[];
}

type Outcome = { ok: true } | { ok: false; error: string };

/** The message as the robots and e-mails take it. */
export function robotMessageOf(m: outbox.MessageRow): RobotMessage {
  return {
    eventId: m.event_id,
    title: m.title,
    text: m.text,
    mentions: JSON.parse(m.mentions) as string[],
    event: { kind: m.kind, params: JSON.parse(m.params) as Record<string, string | number>, unitId: m.unit_id, entity: m.entity, entityId: m.entity_id, link: m.link, createdAt: Number(m.created_at) },
  };
}

/** Log one attempt and move the delivery; a failure throws, so the runner schedules the next with its back-off. */
async function settle(deps: Deps, d: outbox.DeliveryRow, job: JobRow, outcome: Outcome): Promise<void> {
  const now = deps.clock.now();
  const attempt = Number(d.attempts) + 1;
  const error = outcome.ok ? null : outcome.error.slice(0, 1000);
  const givenUp = !outcome.ok && (job.attempts >= job.max_attempts || attempt >= job.max_attempts);
  await deps.db.transaction().execute(async (tx) => {
    await outbox.insertAttempt(tx, { delivery_id: d.id, attempt, at: now, ok: outcome.ok ? 1 : 0, error });
    await outbox.updateDelivery(tx, d.id, {
      attempts: attempt,
      state: outcome.ok ? 'sent' : givenUp ? 'given_up' : 'failed',
      last_error: error,
      sent_at: outcome.ok ? now : null,
      // The runner's back-off after this attempt (jobs.ts backoffMs), shown in the log.
      next_attempt_at: outcome.ok || givenUp ? null : now + backoffMs(job.attempts),
      updated_at: now,
    });
  });
  // The runner retries with its back-off, or (attempts spent) marks the job failed: the queue's failed count.
  if (!outcome.ok) throw new Error(outcome.error);
}

const finished = (state: string) => state === 'sent' || state === 'given_up' || state === 'cancelled';

/**
 * The channel delivery job: one message to one robot, webhook or e-mail list. A robot whose minute
 * is used up is not a failure: the delivery waits in a new job row for the next minute, so a burst
 * of hundreds drains at the robot's pace without using up its attempts.
 */
export async function deliverToChannel(deps: Deps, payload: unknown, job: JobRow): Promise<void> {
  const { deliveryId } = payload as DeliveryJobPayload;
  const d = await outbox.findDelivery(deps.db, deliveryId);
  if (!d || finished(d.state) || d.channel_id === null) return;
  const now = deps.clock.now();
  const channel = await store.findChannel(deps.db, d.channel_id);
  if (!channel || !channel.enabled) {
    await outbox.updateDelivery(deps.db, d.id, { state: 'cancelled', last_error: channel ? 'the channel was turned off' : 'the channel was removed', next_attempt_at: null, updated_at: now });
    return;
  }
  const kind = channel.kind as ChannelKind;
  const message = robotMessageOf(d.message);
  let outcome: Outcome;
  if (kind === 'email') {
    const to = emailAddresses(channel.url);
    outcome = to ? await sendEmail(deps.config.smtp, to, message) : { ok: false, error: 'the channel has no valid e-mail address' };
  } else {
    if (!(await store.claimSendSlot(deps.db, channel.id, now))) {
      const runAt = Math.max(now + 1000, Number(channel.window_started_at) + 60_000);
      await enqueueJob(deps.db, now, { kind: DELIVER_JOB, key: `${job.key}>${now}`, payload, runAt, maxAttempts: job.max_attempts });
      await outbox.updateDelivery(deps.db, d.id, { next_attempt_at: runAt, updated_at: now });
      return;
    }
    outcome = await sendRequest(kind, buildRequest({ kind, url: channel.url, secret: channel.secret }, message, now));
  }
  await store.recordDelivery(deps.db, channel.id, deps.clock.now(), outcome.ok ? null : outcome.error);
  await settle(deps, d, job, outcome);
}

/**
 * The live push job: after the cause committed, tell every process's streams which accounts have a
 * new notification (each stream then reads its own user's row). A lost event costs a screen only
 * its immediacy: the inbox has the row.
 */
export async function pushLive(deps: Deps, payload: unknown, job: JobRow): Promise<void> {
  const { deliveryId } = payload as DeliveryJobPayload;
  const d = await outbox.findDelivery(deps.db, deliveryId);
  if (!d || finished(d.state)) return;
  const userIds = await outbox.addresseesOf(deps.db, d.message_id);
  let outcome: Outcome = { ok: true };
  try {
    const bus = liveBusFor(deps);
    for (let i = 0; i < userIds.length; i += USERS_PER_EVENT) {
      const event: NotificationsPushed = { messageId: d.message_id, userIds: userIds.slice(i, i + USERS_PER_EVENT) };
      await bus.publish(NOTIFICATIONS_TOPIC, event);
    }
  } catch (err) {
    outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  await settle(deps, d, job, outcome);
}

// ── the delivery log ─────────────────────────────────────────────────────────────────────────────

export function presentDelivery(d: outbox.DeliveryRow): Delivery {
  return {
    id: d.id,
    messageId: d.message_id,
    route: d.route as Delivery['route'],
    channelId: d.channel_id,
    channelKind: d.channel_kind as Delivery['channelKind'],
    channelName: d.channel_name,
    state: d.state as Delivery['state'],
    attempts: Number(d.attempts),
    lastError: d.last_error,
    nextAttemptAt: d.next_attempt_at === null ? null : Number(d.next_attempt_at),
    sentAt: d.sent_at === null ? null : Number(d.sent_at),
    createdAt: Number(d.created_at),
    updatedAt: Number(d.updated_at),
  };
}

/**
 * The deliveries to a unit's channels, newest first. Who may read them: who may set the channels
 * up (units.write over the unit), as the channels themselves; anyone else reads not found or forbidden.
 */
export async function unitDeliveryLog(deps: Deps, ctx: Ctx, unitId: number, q: z.infer<typeof DeliveryLogQuery>): Promise<DeliveryLog> {
  const actor = requireActor(ctx.actor);
  assertChannelsOfUnit(actor, await store.unitPath(deps.db, unitId), 'unit');
  const { rows, total } = await outbox.deliveriesOfUnit(deps.db, unitId, { ...(q.state && { state: q.state }), ...(q.channelId !== undefined && { channelId: q.channelId }), offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
  return { items: rows.map((r) => ({ ...presentDelivery(r), messageTitle: r.message_title, messageKind: r.message_kind })), total, page: q.page, pageSize: q.pageSize };
}

/**
 * One message with every delivery and attempt. The same rule as the unit's log, over the message's
 * unit; a message with no unit (a personal one: in-app and live only) is nobody's to inspect here.
 */
export async function outboxMessage(deps: Deps, ctx: Ctx, id: number): Promise<OutboxMessage> {
  const actor = requireActor(ctx.actor);
  const m = await outbox.findMessage(deps.db, id);
  assertChannelsOfUnit(actor, m?.unit_id == null ? undefined : await store.unitPath(deps.db, m.unit_id), 'message');
  const deliveries = await outbox.deliveriesOfMessage(deps.db, id);
  const attempts = await outbox.attemptsOf(
    deps.db,
    deliveries.map((d) => d.id),
  );
  return {
    id: m!.id,
    eventId: m!.event_id,
    kind: m!.kind,
    title: m!.title,
    text: m!.text,
    unitId: m!.unit_id,
    entity: m!.entity,
    entityId: m!.entity_id,
    link: m!.link,
    recipients: Number(m!.recipients),
    createdAt: Number(m!.created_at),
    deliveries: deliveries.map((d) => ({
      ...presentDelivery(d),
      attemptLog: attempts.filter((a) => a.delivery_id === d.id).map((a) => ({ attempt: Number(a.attempt), at: Number(a.at), ok: Boolean(a.ok), error: a.error })),
    })),
  };
}
