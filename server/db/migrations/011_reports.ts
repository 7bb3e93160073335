import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Reports up (汇报 / 报送). A request holds the form (JSON field definitions) and the schedule; its
 * target units are resolved once, at creation, into report_request_units. Each occurrence is a
 * round (one per request and day: the unique key is what makes a re-run job create no second
 * round); each target unit submits at most once per round and may correct it until the deadline.
 * Who has not submitted is the target units without a submission row: nothing to keep in step.
 */
export function reports(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('report_requests'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('instructions', 'text')
        .addColumn('fields', 'text', (c) => c.notNull()) // JSON array of ReportField
        .addColumn('schedule', 'text', (c) => c.notNull()) // once | daily
        .addColumn('deadline_at', ms) // once: the round's deadline
        .addColumn('due_minutes', 'integer') // daily: minutes after midnight, deployment time
        .addColumn('remind_before_minutes', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // open | closed
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id')) // the topmost target, for the audit trail
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('closed_by_user_id', 'integer')
        .addColumn('closed_at', ms)
        .execute();
      await db.schema.createIndex('report_requests_created').on('report_requests').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('report_request_units')
        .addColumn('request_id', 'integer', (c) => c.notNull().references('report_requests.id').onDelete('cascade'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addPrimaryKeyConstraint('report_request_units_pk', ['request_id', 'unit_id'])
        .execute();
      await db.schema.createIndex('report_request_units_unit').on('report_request_units').columns(['unit_id', 'request_id']).execute();

      await id(db.schema.createTable('report_rounds'))
        .addColumn('request_id', 'integer', (c) => c.notNull().references('report_requests.id').onDelete('cascade'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('opened_at', ms, (c) => c.notNull())
        .addColumn('deadline_at', ms, (c) => c.notNull())
        .addColumn('reminded_at', ms) // set in the reminder's own transaction: reminded once
        .addUniqueConstraint('report_rounds_request_day', ['request_id', 'day'])
        .execute();

      await id(db.schema.createTable('report_submissions'))
        .addColumn('round_id', 'integer', (c) => c.notNull().references('report_rounds.id').onDelete('cascade'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('answers', 'text', (c) => c.notNull()) // JSON object keyed by field key
        .addColumn('late', 'integer', (c) => c.notNull()) // 1: first submitted after the deadline
        .addColumn('submitted_by_user_id', 'integer')
        .addColumn('submitted_at', ms, (c) => c.notNull())
        .addColumn('updated_by_user_id', 'integer')
        .addColumn('updated_at', ms, (c) => c.notNull())
        .addUniqueConstraint('report_submissions_round_unit', ['round_id', 'unit_id'])
        .execute();
      await db.schema.createIndex('report_submissions_unit').on('report_submissions').columns(['unit_id', 'round_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const t of ['report_submissions', 'report_rounds', 'report_request_units', 'report_requests']) await db.schema.dropTable(t).execute();
    },
  };
}
