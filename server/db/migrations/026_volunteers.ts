import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Front-line volunteers (党员先锋队 / 青年突击队, issue 8).
 *
 * - `volunteers`: one row per person who ever joined the pool; `left_at` set when they leave, cleared
 *   when they rejoin. The unit is the person's (joined at read time), so moving a person moves them.
 *   `skills` is a JSON array of strings; a skill filter matches its quoted form.
 * - `volunteer_posts`: a post that needs people at a unit, optionally at a key place.
 * - `volunteer_shifts`: a post's shifts ([starts_at, ends_at), people needed).
 * - `volunteer_assignments`: a volunteer on a shift, optionally answering a request.
 * - `volunteer_requests`: a unit asking the pool for people for a post over a period.
 */
export function volunteers(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('volunteers'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').unique())
        .addColumn('party_member', 'integer', (c) => c.notNull())
        .addColumn('youth_league', 'integer', (c) => c.notNull())
        .addColumn('skills', 'text', (c) => c.notNull()) // JSON array of strings
        .addColumn('availability', 'text')
        .addColumn('consent_note', 'text') // null: signed up themselves
        .addColumn('added_by_user_id', 'integer')
        .addColumn('joined_at', ms, (c) => c.notNull())
        .addColumn('left_at', ms)
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('volunteers_left').on('volunteers').columns(['left_at']).execute();

      await id(db.schema.createTable('volunteer_posts'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('place_id', 'integer', (c) => c.references('places.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // checkpoint | testing_site | delivery | other
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('needed', 'integer', (c) => c.notNull())
        .addColumn('active_from', 'text', (c) => c.notNull()) // YYYY-MM-DD
        .addColumn('active_to', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('volunteer_posts_unit').on('volunteer_posts').columns(['unit_id', 'active_to']).execute();

      await id(db.schema.createTable('volunteer_shifts'))
        .addColumn('post_id', 'integer', (c) => c.notNull().references('volunteer_posts.id'))
        .addColumn('starts_at', ms, (c) => c.notNull())
        .addColumn('ends_at', ms, (c) => c.notNull())
        .addColumn('needed', 'integer', (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        .addUniqueConstraint('volunteer_shifts_once', ['post_id', 'starts_at', 'ends_at'])
        .execute();
      await db.schema.createIndex('volunteer_shifts_time').on('volunteer_shifts').columns(['starts_at', 'ends_at']).execute();

      await id(db.schema.createTable('volunteer_requests'))
        .addColumn('post_id', 'integer', (c) => c.notNull().references('volunteer_posts.id'))
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('from_at', ms, (c) => c.notNull())
        .addColumn('to_at', ms, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull()) // open | partly_filled | filled | cancelled
        .addColumn('asked_by_user_id', 'integer')
        .addColumn('asked_at', ms, (c) => c.notNull())
        .addColumn('closed_at', ms)
        .execute();
      await db.schema.createIndex('volunteer_requests_post').on('volunteer_requests').columns(['post_id', 'status']).execute();

      await id(db.schema.createTable('volunteer_assignments'))
        .addColumn('shift_id', 'integer', (c) => c.notNull().references('volunteer_shifts.id'))
        .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id'))
        .addColumn('request_id', 'integer', (c) => c.references('volunteer_requests.id'))
        .addColumn('assigned_by_user_id', 'integer')
        .addColumn('assigned_at', ms, (c) => c.notNull())
        .addUniqueConstraint('volunteer_assignments_once', ['shift_id', 'volunteer_id'])
        .execute();
      await db.schema.createIndex('volunteer_assignments_volunteer').on('volunteer_assignments').columns(['volunteer_id']).execute();
      await db.schema.createIndex('volunteer_assignments_request').on('volunteer_assignments').columns(['request_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('volunteer_assignments').execute();
      await db.schema.dropTable('volunteer_requests').execute();
      await db.schema.dropTable('volunteer_shifts').execute();
      await db.schema.dropTable('volunteer_posts').execute();
      await db.schema.dropTable('volunteers').execute();
    },
  };
}
