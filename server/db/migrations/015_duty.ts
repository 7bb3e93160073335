import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Duty rosters (值班表). A unit keeps duty when it has a roster row; its shifts are [starts_at,
 * ends_at) instants that never overlap within the unit, each with a leader on duty (带班领导) and one
 * or more duty officers (值班员). Swaps between two people, handover notes (交接班), the coverage
 * gaps already told to the unit head, and the private calendar feeds' hashed tokens.
 */
export function duty(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('duty_rosters'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().unique().references('units.id'))
        .addColumn('note', 'text')
        // The last pattern a month was generated from (JSON), offered again by the console.
        .addColumn('pattern', 'text')
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();

      await id(db.schema.createTable('duty_shifts'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('starts_at', ms, (c) => c.notNull())
        .addColumn('ends_at', ms, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('source', 'text', (c) => c.notNull()) // generated | manual
        // Set when an approved swap changed the shift's people: a later generation leaves it alone.
        .addColumn('swapped_at', ms)
        // Set by the reminder job: the people are reminded once, even when the job runs twice.
        .addColumn('reminded_at', ms)
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      // Who is on duty at an instant: the last shift of a unit starting at or before it (the
      // shifts of a unit never overlap); a range of a roster; the reminders of one start time.
      await db.schema.createIndex('duty_shifts_unit_start').on('duty_shifts').columns(['unit_id', 'starts_at']).execute();
      await db.schema.createIndex('duty_shifts_unit_end').on('duty_shifts').columns(['unit_id', 'ends_at']).execute();
      await db.schema.createIndex('duty_shifts_start').on('duty_shifts').columns(['starts_at']).execute();

      await db.schema
        .createTable('duty_shift_members')
        .addColumn('shift_id', 'integer', (c) => c.notNull().references('duty_shifts.id'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('role', 'text', (c) => c.notNull()) // leader | officer
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('duty_shift_members_pk', ['shift_id', 'person_id'])
        .execute();
      // A person's shifts (my shifts, the calendar feed, overlap checks across units).
      await db.schema.createIndex('duty_shift_members_person').on('duty_shift_members').columns(['person_id', 'shift_id']).execute();

      await id(db.schema.createTable('duty_swaps'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        // The asker's shift and the asker; the other person and, for an exchange, their shift
        // (null: the other person just takes the asker's shift).
        .addColumn('shift_id', 'integer', (c) => c.notNull().references('duty_shifts.id'))
        .addColumn('requester_person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('counterpart_person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('counterpart_shift_id', 'integer', (c) => c.references('duty_shifts.id'))
        .addColumn('status', 'text', (c) => c.notNull()) // asked | accepted | approved | refused | declined | cancelled
        .addColumn('reason', 'text')
        .addColumn('requested_by_user_id', 'integer')
        .addColumn('requested_at', ms, (c) => c.notNull())
        .addColumn('answered_by_user_id', 'integer')
        .addColumn('answered_at', ms)
        .addColumn('decided_by_user_id', 'integer')
        .addColumn('decided_at', ms)
        .addColumn('decision_note', 'text')
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('duty_swaps_unit').on('duty_swaps').columns(['unit_id', 'status']).execute();
      await db.schema.createIndex('duty_swaps_shift').on('duty_swaps').columns(['shift_id']).execute();
      await db.schema.createIndex('duty_swaps_requester').on('duty_swaps').columns(['requester_person_id']).execute();
      await db.schema.createIndex('duty_swaps_counterpart').on('duty_swaps').columns(['counterpart_person_id']).execute();

      await id(db.schema.createTable('duty_handovers'))
        .addColumn('shift_id', 'integer', (c) => c.notNull().unique().references('duty_shifts.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('author_person_id', 'integer', (c) => c.references('people.id'))
        .addColumn('author_user_id', 'integer', (c) => c.notNull())
        .addColumn('written_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('duty_handovers_unit').on('duty_handovers').columns(['unit_id', 'written_at']).execute();

      // One row per coverage gap already told to the unit head: a gap is told once, not every run.
      await db.schema
        .createTable('duty_gap_alerts')
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('role', 'text', (c) => c.notNull()) // leader | officer
        .addColumn('starts_at', ms, (c) => c.notNull())
        .addColumn('ends_at', ms, (c) => c.notNull())
        .addColumn('alerted_at', ms, (c) => c.notNull())
        .addPrimaryKeyConstraint('duty_gap_alerts_pk', ['unit_id', 'role', 'starts_at'])
        .execute();

      // A user's private calendar feed: only the token's sha256 is kept; rotating replaces it.
      await db.schema
        .createTable('duty_feed_tokens')
        .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('last_used_at', ms)
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('duty_feed_tokens').execute();
      await db.schema.dropTable('duty_gap_alerts').execute();
      await db.schema.dropTable('duty_handovers').execute();
      await db.schema.dropTable('duty_swaps').execute();
      await db.schema.dropTable('duty_shift_members').execute();
      await db.schema.dropTable('duty_shifts').execute();
      await db.schema.dropTable('duty_rosters').execute();
    },
  };
}
