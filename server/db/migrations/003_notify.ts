import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Notifications: the in-app inbox of every account, the chat robots (DingTalk, WeCom, Feishu, a
 * signed generic webhook) a unit delivers to, the once-only markers of scheduled runs, and the
 * last manual check-in reminder of each unit (the 10-minute guard against resending).
 * Robot deliveries themselves are job rows, written in the transaction of their notification.
 */
export function notify(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('notifications'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // a key of server/modules/notify/messages.ts
        .addColumn('params', 'text', (c) => c.notNull()) // JSON object of the message's parameters
        .addColumn('unit_id', 'integer')
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('link', 'text')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('read_at', ms)
        .execute();
      // A user's inbox, unread first or newest first, and the unread count: one index range each.
      await db.schema.createIndex('notifications_user_read').on('notifications').columns(['user_id', 'read_at', 'id']).execute();
      // Reaching people means finding their accounts: a reminder to 100,000 people looks up each one's.
      await db.schema.createIndex('users_person').on('users').column('person_id').execute();

      await id(db.schema.createTable('unit_channels'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // dingtalk | wecom | feishu | generic
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        // The robots take about 20 messages a minute and then block for minutes: a sliding count
        // kept here (updated atomically by whichever process delivers) keeps us under it.
        .addColumn('window_started_at', ms, (c) => c.notNull().defaultTo(0))
        .addColumn('window_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_sent_at', ms)
        .addColumn('last_error', 'text')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('unit_channels_unit').on('unit_channels').columns(['unit_id']).execute();

      // A scheduled run (a day's reminder at 09:00, a day's cut-off report, a digest) that happened,
      // written in the run's own transaction: a job re-run after a crash finds it and does nothing.
      await db.schema
        .createTable('scheduled_runs')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('at', ms, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('checkin_reminder_sends')
        .addColumn('unit_id', 'integer', (c) => c.primaryKey().references('units.id'))
        .addColumn('sent_at', ms, (c) => c.notNull())
        .addColumn('sent_by_user_id', 'integer')
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('users_person').execute();
      await db.schema.dropTable('checkin_reminder_sends').execute();
      await db.schema.dropTable('scheduled_runs').execute();
      await db.schema.dropTable('unit_channels').execute();
      await db.schema.dropTable('notifications').execute();
    },
  };
}
