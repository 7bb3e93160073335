import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Directives (部署), the tasks they are broken into and the log of every step of a task, and the
 * meetings whose decisions become directives. A task belongs to one unit and one responsible
 * person; a split task's parts point at it (parent_id), so a cascade is a tree of tasks.
 */
export function directives(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('meetings'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('held_at', ms, (c) => c.notNull())
        .addColumn('place', 'text')
        .addColumn('chair', 'text')
        .addColumn('attendees', 'text')
        .addColumn('minutes', 'text')
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meetings_unit').on('meetings').columns(['unit_id', 'held_at']).execute();

      await id(db.schema.createTable('directives'))
        // Recorded at this unit: whoever holds directives.write over it manages the directive.
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('source', 'text', (c) => c.notNull()) // city | district | group | meeting
        .addColumn('document_no', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('received_at', ms, (c) => c.notNull())
        .addColumn('attachment_ids', 'text', (c) => c.notNull()) // JSON array of file ids
        .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id'))
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('directives_unit').on('directives').columns(['unit_id', 'received_at']).execute();

      await id(db.schema.createTable('meeting_decisions'))
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        // Set once, when the decision is turned into tasks: a second call adds tasks to the same directive.
        .addColumn('directive_id', 'integer', (c) => c.references('directives.id'))
        .addColumn('created_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_decisions_meeting').on('meeting_decisions').columns(['meeting_id', 'position']).execute();

      await id(db.schema.createTable('tasks'))
        .addColumn('directive_id', 'integer', (c) => c.notNull().references('directives.id'))
        // The task this one is a part of (a split), null for a task assigned from the directive.
        .addColumn('parent_id', 'integer', (c) => c.references('tasks.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('instructions', 'text')
        .addColumn('responsible_person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('deadline', ms, (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull()) // comma-separated: report,photo,file
        .addColumn('status', 'text', (c) => c.notNull()) // assigned | acknowledged | done | verified
        .addColumn('assigned_by_user_id', 'integer')
        .addColumn('assigned_at', ms, (c) => c.notNull())
        .addColumn('acknowledged_at', ms)
        .addColumn('completed_at', ms)
        .addColumn('report', 'text')
        .addColumn('photo_ids', 'text', (c) => c.notNull()) // JSON arrays of file ids
        .addColumn('file_ids', 'text', (c) => c.notNull())
        .addColumn('verified_at', ms)
        .addColumn('return_reason', 'text')
        // Set by the deadline job when it found the task unfinished; cleared when re-dated.
        .addColumn('overdue_at', ms)
        // Set by the reminder job: a reminder goes out once, even when the job runs twice.
        .addColumn('reminded_at', ms)
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tasks_directive').on('tasks').columns(['directive_id', 'unit_id']).execute();
      await db.schema.createIndex('tasks_parent').on('tasks').columns(['parent_id']).execute();
      await db.schema.createIndex('tasks_unit_status').on('tasks').columns(['unit_id', 'status']).execute();
      await db.schema.createIndex('tasks_responsible').on('tasks').columns(['responsible_person_id', 'status']).execute();
      // The deadline and reminder jobs find the open tasks of one deadline; boards find a day's.
      await db.schema.createIndex('tasks_deadline').on('tasks').columns(['deadline', 'status']).execute();

      await id(db.schema.createTable('task_events'))
        .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_user_id', 'integer') // null: the system (a job)
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('task_events_task').on('task_events').columns(['task_id', 'id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('task_events').execute();
      await db.schema.dropTable('tasks').execute();
      await db.schema.dropTable('meeting_decisions').execute();
      await db.schema.dropTable('directives').execute();
      await db.schema.dropTable('meetings').execute();
    },
  };
}
