import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Rooms, meeting registrations (会议报备) and key groups (重点人群), issue 6.
 *
 * - `rooms`: a unit's meeting rooms with capacity and whether they are ventilated; archived, never deleted
 *   (registrations keep pointing at them).
 * - `meeting_registrations`: one registered gathering of a unit, the breaches found when it was last
 *   checked (JSON) and where it stands: registered | pending | approved | refused | cancelled.
 *   `end_at` is stored so an overlap in a room is one indexed range test; `day` is the deployment's
 *   day of the start, for "a day's meetings".
 * - `meeting_attendees`: the optional attendee list; the contact search reads it by person.
 * - `key_groups` (+ `key_group_units`): a saved selection of people, by units' subtrees and/or tags,
 *   resolved live. Archived, never deleted: campaigns and notices keep their `group_id`.
 * - `campaigns.group_id`, `notices.group_id`: the key group a target population came from, if any.
 */
export function meetings(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('rooms'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('building', 'text', (c) => c.notNull()) // free text; '' when none given
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('ventilated', 'integer', (c) => c.notNull()) // 1: windows or a fresh-air system
        .addColumn('archived_at', ms)
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rooms_unit').on('rooms').columns(['unit_id', 'archived_at']).execute();

      await id(db.schema.createTable('meeting_registrations'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id')) // the organiser
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('room_id', 'integer', (c) => c.references('rooms.id'))
        .addColumn('place', 'text') // outside rooms: free text, when room_id is null
        .addColumn('start_at', ms, (c) => c.notNull())
        .addColumn('end_at', ms, (c) => c.notNull()) // start_at + minutes
        .addColumn('minutes', 'integer', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull()) // 'YYYY-MM-DD' of start_at in the deployment's zone
        .addColumn('attendees', 'integer', (c) => c.notNull()) // expected count
        .addColumn('ventilated', 'integer', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('reason', 'text') // why it must go over a limit
        .addColumn('breaches', 'text', (c) => c.notNull()) // JSON array, as last checked; '[]' within limits
        .addColumn('over_limit', 'integer', (c) => c.notNull()) // 1 when breaches is not empty
        .addColumn('status', 'text', (c) => c.notNull()) // registered | pending | approved | refused | cancelled
        .addColumn('registered_by_user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('registered_at', ms, (c) => c.notNull())
        .addColumn('decided_by_user_id', 'integer')
        .addColumn('decided_at', ms)
        .addColumn('decision_note', 'text')
        .addColumn('cancelled_by_user_id', 'integer')
        .addColumn('cancelled_at', ms)
        .addColumn('cancel_note', 'text')
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_registrations_unit_day').on('meeting_registrations').columns(['unit_id', 'day']).execute();
      await db.schema.createIndex('meeting_registrations_room').on('meeting_registrations').columns(['room_id', 'start_at']).execute();
      await db.schema.createIndex('meeting_registrations_over').on('meeting_registrations').columns(['over_limit', 'day']).execute();

      await db.schema
        .createTable('meeting_attendees')
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting_registrations.id'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addPrimaryKeyConstraint('meeting_attendees_pk', ['meeting_id', 'person_id'])
        .execute();
      await db.schema.createIndex('meeting_attendees_person').on('meeting_attendees').columns(['person_id', 'meeting_id']).execute();

      await id(db.schema.createTable('key_groups'))
        .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('tags', 'text', (c) => c.notNull()) // JSON array: when not empty, only people with one of them
        .addColumn('archived_at', ms)
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('key_groups_owner').on('key_groups').columns(['owner_unit_id', 'archived_at']).execute();

      // Each unit's whole subtree; none: the owner's whole subtree.
      await db.schema
        .createTable('key_group_units')
        .addColumn('group_id', 'integer', (c) => c.notNull().references('key_groups.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addPrimaryKeyConstraint('key_group_units_pk', ['group_id', 'unit_id'])
        .execute();

      await db.schema.alterTable('campaigns').addColumn('group_id', 'integer', (c) => c.references('key_groups.id')).execute();
      await db.schema.alterTable('notices').addColumn('group_id', 'integer', (c) => c.references('key_groups.id')).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('notices').dropColumn('group_id').execute();
      await db.schema.alterTable('campaigns').dropColumn('group_id').execute();
      await db.schema.dropTable('key_group_units').execute();
      await db.schema.dropTable('key_groups').execute();
      await db.schema.dropTable('meeting_attendees').execute();
      await db.schema.dropTable('meeting_registrations').execute();
      await db.schema.dropTable('rooms').execute();
    },
  };
}
