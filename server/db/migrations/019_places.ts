import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Key places (重点场所), their checklists, inspections and findings (issue 6).
 *
 * - `places`: a key place of a unit; `last_inspected_at` and `due_at` are kept with every inspection
 *   so that the blind-spot and due lists are one indexed pass, never a scan of inspections.
 * - `place_checklist_items`: the items of a place's checklist; renamed in place, retired (never
 *   deleted) so that history keeps pointing at them.
 * - `place_inspections` and `place_inspection_items`: one visit and its answers; each answer copies
 *   the item's text as it was, so a later rename does not rewrite what was inspected.
 * - `place_findings`: a failed item and its rectification task (a directives task); at most one
 *   unverified finding per (place, item): a repeat failure is recorded on it, not beside it.
 * - `place_finding_failures`: every failure recorded on a finding (the first one opened it).
 */
export function places(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('places'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // terminal | depot | station | canteen | office_building | dormitory | construction_site | other
        .addColumn('address', 'text')
        .addColumn('risk', 'text', (c) => c.notNull()) // high | medium | low
        .addColumn('responsible_person_id', 'integer', (c) => c.references('people.id')) // null: a blind spot
        .addColumn('frequency_days', 'integer', (c) => c.notNull())
        .addColumn('last_inspected_at', ms)
        // The start of the day (deployment's zone) the next inspection is due: the day of the last
        // inspection (else of registration) + frequency_days. Kept with every change of either, so that
        // "due" and "overdue" are comparisons with the start of today, in SQL, on both databases.
        .addColumn('due_at', ms, (c) => c.notNull())
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .addColumn('archived_at', ms)
        .execute();
      await db.schema.createIndex('places_unit').on('places').columns(['unit_id', 'archived_at']).execute();
      await db.schema.createIndex('places_due').on('places').columns(['archived_at', 'due_at']).execute();

      await id(db.schema.createTable('place_checklist_items'))
        .addColumn('place_id', 'integer', (c) => c.notNull().references('places.id'))
        .addColumn('position', 'integer', (c) => c.notNull()) // 1-based among current items
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('retired_at', ms)
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('place_checklist_items_place').on('place_checklist_items').columns(['place_id', 'position']).execute();

      await id(db.schema.createTable('place_inspections'))
        .addColumn('place_id', 'integer', (c) => c.notNull().references('places.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id')) // the place's unit then
        .addColumn('inspector_user_id', 'integer')
        .addColumn('inspected_at', ms, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('passed', 'integer', (c) => c.notNull())
        .addColumn('failed', 'integer', (c) => c.notNull())
        .addColumn('not_applicable', 'integer', (c) => c.notNull())
        .addColumn('photo_ids', 'text', (c) => c.notNull()) // JSON array of attachment ids (owner kind inspection)
        // The directive (source inspection) holding the rectification tasks this inspection opened.
        .addColumn('directive_id', 'integer')
        .execute();
      await db.schema.createIndex('place_inspections_place').on('place_inspections').columns(['place_id', 'inspected_at']).execute();

      await id(db.schema.createTable('place_inspection_items'))
        .addColumn('inspection_id', 'integer', (c) => c.notNull().references('place_inspections.id'))
        .addColumn('item_id', 'integer', (c) => c.notNull().references('place_checklist_items.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull()) // the item's text when inspected
        .addColumn('result', 'text', (c) => c.notNull()) // passed | failed | not_applicable
        .addColumn('note', 'text')
        .addColumn('photo_ids', 'text', (c) => c.notNull()) // JSON array of attachment ids
        .addColumn('finding_id', 'integer')
        .addUniqueConstraint('place_inspection_items_once', ['inspection_id', 'item_id'])
        .execute();

      await id(db.schema.createTable('place_findings'))
        .addColumn('place_id', 'integer', (c) => c.notNull().references('places.id'))
        .addColumn('item_id', 'integer', (c) => c.notNull().references('place_checklist_items.id'))
        .addColumn('item_text', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // open | fixed | verified
        .addColumn('note', 'text') // the latest failure's note
        .addColumn('opened_at', ms, (c) => c.notNull())
        .addColumn('opened_inspection_id', 'integer', (c) => c.notNull().references('place_inspections.id'))
        .addColumn('failure_count', 'integer', (c) => c.notNull())
        .addColumn('last_failed_at', ms, (c) => c.notNull())
        .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
        .addColumn('fixed_at', ms)
        .addColumn('verified_at', ms)
        .addColumn('verified_inspection_id', 'integer')
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('place_findings_place').on('place_findings').columns(['place_id', 'status']).execute();
      await db.schema.createIndex('place_findings_status').on('place_findings').columns(['status', 'opened_at']).execute();
      await db.schema.createIndex('place_findings_task').on('place_findings').columns(['task_id']).unique().execute();
      // One unverified finding per item: a repeat failure is recorded on it, whatever races.
      await db.schema
        .createIndex('place_findings_one_open')
        .on('place_findings')
        .columns(['place_id', 'item_id'])
        .unique()
        .where(sql.ref('status'), '<>', sql`'verified'`)
        .execute();

      await id(db.schema.createTable('place_finding_failures'))
        .addColumn('finding_id', 'integer', (c) => c.notNull().references('place_findings.id'))
        .addColumn('inspection_id', 'integer', (c) => c.notNull().references('place_inspections.id'))
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('note', 'text')
        .addUniqueConstraint('place_finding_failures_once', ['finding_id', 'inspection_id'])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('place_finding_failures').execute();
      await db.schema.dropTable('place_findings').execute();
      await db.schema.dropTable('place_inspection_items').execute();
      await db.schema.dropTable('place_inspections').execute();
      await db.schema.dropTable('place_checklist_items').execute();
      await db.schema.dropTable('places').execute();
    },
  };
}
