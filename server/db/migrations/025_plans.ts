import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Emergency plans (应急预案) and their runs, drills and reviews (issue 8).
 *
 * - `plans`: a plan of a unit for one incident kind; `current_version_id` is the version new runs take.
 * - `plan_versions`: every version of a plan, kept read-only once superseded; its severities, steps
 *   and coverage rule are JSON (a version is read and written whole, never queried by a step).
 * - `plan_runs`: one plan started on one incident (once per plan per incident), with the version it
 *   started with; `drill` copies the incident's.
 * - `plan_run_steps`: a run's steps as they stand: waiting, their task (a directives task of source
 *   'plan'), done; `task_id` is how a task's move finds its step.
 * - `plan_reviews`: what went well, what was late, what to change, written after an incident or a
 *   drill; `draft_version_id` is the draft "open changes" made from it.
 */
export function plans(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('plans'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // an incident kind
        .addColumn('current_version_id', 'integer')
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .addColumn('archived_at', ms)
        .execute();
      await db.schema.createIndex('plans_unit').on('plans').columns(['unit_id', 'kind']).execute();

      await id(db.schema.createTable('plan_versions'))
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull()) // draft | current | superseded
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('severities', 'text', (c) => c.notNull()) // JSON array of severities
        .addColumn('steps', 'text', (c) => c.notNull()) // JSON array of PlanStep
        .addColumn('required_unit_kinds', 'text', (c) => c.notNull()) // JSON array of unit kinds
        .addColumn('review_id', 'integer')
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('published_at', ms)
        .addUniqueConstraint('plan_versions_once', ['plan_id', 'version'])
        .execute();

      await id(db.schema.createTable('plan_runs'))
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
        .addColumn('version_id', 'integer', (c) => c.notNull().references('plan_versions.id'))
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('trigger', 'text', (c) => c.notNull()) // filed | level
        .addColumn('drill', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('occurred_at', ms, (c) => c.notNull())
        .addColumn('started_at', ms, (c) => c.notNull())
        .addColumn('completed_at', ms)
        .addUniqueConstraint('plan_runs_once', ['plan_id', 'incident_id'])
        .execute();
      await db.schema.createIndex('plan_runs_incident').on('plan_runs').columns(['incident_id']).execute();
      await db.schema.createIndex('plan_runs_drill').on('plan_runs').columns(['drill', 'started_at']).execute();

      await id(db.schema.createTable('plan_run_steps'))
        .addColumn('run_id', 'integer', (c) => c.notNull().references('plan_runs.id'))
        .addColumn('step_key', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('depends_on', 'text', (c) => c.notNull()) // JSON array of step keys
        .addColumn('deadline', ms, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull()) // waiting | task | done | unassigned
        .addColumn('task_id', 'integer')
        .addColumn('created_at', ms)
        .addColumn('done_at', ms)
        .addColumn('action', 'text')
        .addColumn('action_result', 'text')
        .addUniqueConstraint('plan_run_steps_once', ['run_id', 'step_key'])
        .execute();
      await db.schema.createIndex('plan_run_steps_task').on('plan_run_steps').columns(['task_id']).execute();

      await id(db.schema.createTable('plan_reviews'))
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
        .addColumn('version_id', 'integer', (c) => c.notNull())
        .addColumn('went_well', 'text', (c) => c.notNull())
        .addColumn('late', 'text', (c) => c.notNull())
        .addColumn('changes', 'text', (c) => c.notNull()) // JSON array of {stepKey?, text}
        .addColumn('written_by_user_id', 'integer')
        .addColumn('written_at', ms, (c) => c.notNull())
        .addColumn('draft_version_id', 'integer')
        .execute();
      await db.schema.createIndex('plan_reviews_incident').on('plan_reviews').columns(['incident_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('plan_reviews').execute();
      await db.schema.dropTable('plan_run_steps').execute();
      await db.schema.dropTable('plan_runs').execute();
      await db.schema.dropTable('plan_versions').execute();
      await db.schema.dropTable('plans').execute();
    },
  };
}
