import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Notices (通知公告) published down to the subtrees of some units, optionally to key groups (tags).
 * The audience is written out when the notice is published, one row per person with the unit they
 * were in, so the receipts' denominator never moves; a row's read_at is that person's receipt.
 */
export function notices(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('notices'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // guidance | news | other
        .addColumn('body', 'text', (c) => c.notNull()) // the Markdown subset's source (common/markup.ts)
        .addColumn('tags', 'text', (c) => c.notNull()) // JSON array; empty: everyone in the target units
        .addColumn('status', 'text', (c) => c.notNull()) // published | withdrawn
        .addColumn('audience', 'integer', (c) => c.notNull())
        // Kept with each first read, so a list of big notices never counts their receipts row by row.
        .addColumn('read_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('published_by_user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('published_at', ms, (c) => c.notNull())
        .addColumn('withdrawn_by_user_id', 'integer')
        .addColumn('withdrawn_at', ms)
        .addColumn('withdraw_reason', 'text')
        .execute();
      await db.schema.createIndex('notices_published').on('notices').columns(['published_at']).execute();

      await db.schema
        .createTable('notice_units')
        .addColumn('notice_id', 'integer', (c) => c.notNull().references('notices.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addPrimaryKeyConstraint('notice_units_pk', ['notice_id', 'unit_id'])
        .execute();
      await db.schema.createIndex('notice_units_unit').on('notice_units').columns(['unit_id']).execute();

      await db.schema
        .createTable('notice_recipients')
        .addColumn('notice_id', 'integer', (c) => c.notNull().references('notices.id'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        // The person's unit when published: receipts roll up by it, so a later transfer moves no count.
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('read_at', ms)
        .addColumn('reminded_at', ms)
        .addPrimaryKeyConstraint('notice_recipients_pk', ['notice_id', 'person_id'])
        .execute();
      // A person's notices, newest first (the mobile list); a notice's receipts by unit.
      await db.schema.createIndex('notice_recipients_person').on('notice_recipients').columns(['person_id', 'notice_id']).execute();
      await db.schema.createIndex('notice_recipients_unit').on('notice_recipients').columns(['notice_id', 'unit_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('notice_recipients').execute();
      await db.schema.dropTable('notice_units').execute();
      await db.schema.dropTable('notices').execute();
    },
  };
}
