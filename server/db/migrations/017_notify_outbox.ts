import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

const DELIVER_JOB = 'notify.deliver';

/**
 * The notification outbox. A message (what was said, about what, rendered for the robots) is
 * written in the transaction of its cause; each way it goes out is a delivery (the live push to
 * its in-app addressees, each robot, webhook or e-mail channel of its unit) with a state, a count
 * of attempts, its last error and its times; every attempt is a row of its own. Jobs deliver them
 * (payload: the delivery's id). The robot jobs queued before this migration carried the whole
 * message in their payload: each becomes a message and a delivery, and its job now points at it,
 * so nothing pending is lost.
 */
export function notifyOutbox(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('notify_messages'))
        .addColumn('event_id', 'text', (c) => c.notNull().unique()) // sent to receivers to de-duplicate
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer')
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('link', 'text')
        .addColumn('title', 'text', (c) => c.notNull()) // zh-CN, as the robots and e-mails get it
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('mentions', 'text', (c) => c.notNull()) // JSON array of phones
        .addColumn('recipients', 'integer', (c) => c.notNull()) // in-app rows written
        .addColumn('created_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notify_messages_unit').on('notify_messages').columns(['unit_id', 'id']).execute();

      await id(db.schema.createTable('notify_deliveries'))
        .addColumn('message_id', 'integer', (c) => c.notNull().references('notify_messages.id'))
        .addColumn('route', 'text', (c) => c.notNull()) // live | channel
        .addColumn('unit_id', 'integer') // the channel's unit (kept when the channel is removed)
        .addColumn('channel_id', 'integer') // no reference: a removed channel keeps its log
        .addColumn('channel_kind', 'text')
        .addColumn('channel_name', 'text')
        .addColumn('state', 'text', (c) => c.notNull()) // pending | sent | failed | given_up | cancelled
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('next_attempt_at', ms)
        .addColumn('sent_at', ms)
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notify_deliveries_message').on('notify_deliveries').columns(['message_id']).execute();
      await db.schema.createIndex('notify_deliveries_unit').on('notify_deliveries').columns(['unit_id', 'id']).execute();

      await id(db.schema.createTable('notify_attempts'))
        .addColumn('delivery_id', 'integer', (c) => c.notNull().references('notify_deliveries.id'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('notify_attempts_delivery').on('notify_attempts').columns(['delivery_id']).execute();

      // The in-app rows of a message: the live push finds its addressees by it.
      await db.schema.alterTable('notifications').addColumn('message_id', 'integer').execute();
      await db.schema.createIndex('notifications_message').on('notifications').columns(['message_id']).execute();

      // The robot deliveries still queued (or given up) become messages and deliveries.
      const jobs = await db.selectFrom('jobs').select(['id', 'payload', 'status', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at', 'updated_at']).where('kind', '=', DELIVER_JOB).where('status', '!=', 'done').orderBy('id').execute();
      const messageOf = new Map<string, number>();
      for (const j of jobs) {
        let payload: { channelId?: number; message?: { eventId: string; title: string; text: string; mentions: string[]; event: { kind: string; params: unknown; unitId: number | null; entity: string; entityId: string; link: string | null; createdAt: number } } };
        try {
          payload = JSON.parse(j.payload as string) as typeof payload;
        } catch {
          continue;
        }
        const m = payload.message;
        if (!m || typeof payload.channelId !== 'number') continue;
        let messageId = messageOf.get(m.eventId);
        if (messageId === undefined) {
          const row = await db
            .insertInto('notify_messages')
            .values({ event_id: m.eventId, kind: m.event.kind, params: JSON.stringify(m.event.params), unit_id: m.event.unitId, entity: m.event.entity, entity_id: m.event.entityId, link: m.event.link, title: m.title, text: m.text, mentions: JSON.stringify(m.mentions), recipients: 0, created_at: Number(m.event.createdAt) })
            .returning('id')
            .executeTakeFirstOrThrow();
          messageId = Number(row.id);
          messageOf.set(m.eventId, messageId);
        }
        const channel = await db.selectFrom('unit_channels').select(['unit_id', 'kind', 'name']).where('id', '=', payload.channelId).executeTakeFirst();
        const givenUp = j.status === 'failed';
        const delivery = await db
          .insertInto('notify_deliveries')
          .values({
            message_id: messageId,
            route: 'channel',
            unit_id: channel?.unit_id ?? m.event.unitId,
            channel_id: payload.channelId,
            channel_kind: channel?.kind ?? null,
            channel_name: channel?.name ?? null,
            state: givenUp ? 'given_up' : Number(j.attempts) > 0 ? 'failed' : 'pending',
            attempts: Number(j.attempts),
            last_error: j.last_error,
            next_attempt_at: givenUp ? null : Number(j.run_at),
            sent_at: null,
            created_at: Number(j.created_at),
            updated_at: Number(j.updated_at),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.updateTable('jobs').set({ payload: JSON.stringify({ deliveryId: Number(delivery.id) }) }).where('id', '=', j.id).execute();
      }
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('notifications_message').execute();
      await db.schema.alterTable('notifications').dropColumn('message_id').execute();
      await db.schema.dropTable('notify_attempts').execute();
      await db.schema.dropTable('notify_deliveries').execute();
      await db.schema.dropTable('notify_messages').execute();
    },
  };
}
