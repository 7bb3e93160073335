import type { Conn } from '../server/db/database.js';
import type { Deps } from '../server/deps.js';
import { JobRunner } from '../server/jobs/jobs.js';
import { deliverToChannel, pushLive } from '../server/modules/notify/deliveries.service.js';
import { DELIVER_JOB, LIVE_JOB } from '../server/modules/notify/outbox.js';

/**
 * What the outbox queued for channels (robots, webhooks, e-mail): one row per delivery, with the
 * message's text as the channel gets it. Tests of other modules check what a unit's robot is told
 * here rather than in the delivery jobs' payloads (which carry only the delivery's id).
 */
export async function channelMessages(db: Conn): Promise<{ channelId: number; text: string; title: string; entity: string; entityId: string; mentions: string[]; state: string }[]> {
  const rows = await db
    .selectFrom('notify_deliveries')
    .innerJoin('notify_messages', 'notify_messages.id', 'notify_deliveries.message_id')
    .select(['notify_deliveries.channel_id as channelId', 'notify_deliveries.state as state', 'notify_messages.text as text', 'notify_messages.title as title', 'notify_messages.entity as entity', 'notify_messages.entity_id as entityId', 'notify_messages.mentions as mentions'])
    .where('notify_deliveries.route', '=', 'channel')
    .orderBy('notify_deliveries.id')
    .execute();
  return rows.map((r) => ({ ...r, channelId: Number(r.channelId), mentions: JSON.parse(r.mentions) as string[] }));
}

/** A job runner with only the outbox's two delivery jobs (robots, webhooks, e-mail; the live push). */
export function deliveryRunner(deps: Deps): JobRunner {
  const r = new JobRunner(deps);
  r.register(DELIVER_JOB, deliverToChannel);
  r.register(LIVE_JOB, pushLive);
  return r;
}

/** Run every delivery that is due now, and those its runs made due. */
export async function drainDeliveries(deps: Deps): Promise<void> {
  const r = deliveryRunner(deps);
  while ((await r.tick()) > 0);
}
