import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Health watches (健康监测): a period of closer follow-up for one person, opened by an abnormal
 * check-in, a positive test, a return from a risk area or by hand, with daily notes, closed with an
 * outcome. A person has at most one open watch: a second cause adds itself to it as a note.
 */
export function watches(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('health_watches'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        // The person's unit when the watch opened (who was told); scope follows their unit of today.
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('reason', 'text', (c) => c.notNull()) // checkin_abnormal | test_positive | trip_return | manual
        // What opened it ('checkin' 123, 'test_result' 45, 'trip' 6, 'user' 7): a retried cause finds it.
        .addColumn('source_entity', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('start_day', 'text', (c) => c.notNull())
        .addColumn('days', 'integer', (c) => c.notNull())
        .addColumn('end_day', 'text', (c) => c.notNull()) // the last day of the watch, inclusive
        .addColumn('status', 'text', (c) => c.notNull()) // open | closed
        .addColumn('outcome', 'text') // recovered | cleared | hospitalised | other, once closed
        .addColumn('outcome_note', 'text')
        .addColumn('opened_by_user_id', 'integer') // null: opened by the system (a job)
        .addColumn('closed_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .addColumn('closed_at', ms)
        .execute();
      await db.schema.createIndex('health_watches_unit_status').on('health_watches').columns(['unit_id', 'status']).execute();
      // A person's watches, newest first; and the join from a subtree's people to their watches.
      await db.schema.createIndex('health_watches_person').on('health_watches').columns(['person_id', 'start_day']).execute();
      await db.schema.createIndex('health_watches_source').on('health_watches').columns(['source_entity', 'source_id']).execute();
      // One open watch per person, enforced by the database, so two causes racing cannot open two.
      await sql`create unique index health_watches_one_open on health_watches (person_id) where status = 'open'`.execute(db);

      await id(db.schema.createTable('health_watch_notes'))
        .addColumn('watch_id', 'integer', (c) => c.notNull().references('health_watches.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('note', 'text') // null on a note that only records a cause
        .addColumn('temperature', 'integer') // tenths of a degree Celsius
        // Set when the note records a cause (the opening one, or one added to an open watch).
        .addColumn('reason', 'text')
        .addColumn('source_entity', 'text')
        .addColumn('source_id', 'text')
        .addColumn('author_user_id', 'integer') // null: written by the system
        .addColumn('created_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('health_watch_notes_watch').on('health_watch_notes').columns(['watch_id', 'id']).execute();
      await db.schema.createIndex('health_watch_notes_source').on('health_watch_notes').columns(['source_entity', 'source_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('health_watch_notes').execute();
      await db.schema.dropTable('health_watches').execute();
    },
  };
}
