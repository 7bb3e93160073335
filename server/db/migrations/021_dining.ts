import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Canteens and staggered dining (错峰就餐). A canteen's windows per meal are JSON
 * ({"lunch":{"from":"11:00","to":"13:00"}}); its diner units are rows keyed by (unit, meal), so
 * the database itself holds "a unit eats at one canteen per meal". A plan is a canteen's slots for
 * its meals, made by the planner for a day (draft), then published from a day and superseded by
 * the next publication (its until_day), never rewritten: the history is the rows. Times of day are
 * minutes after midnight in the deployment's zone; days are 'YYYY-MM-DD'.
 */
export function dining(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('canteens'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('slot_minutes', 'integer', (c) => c.notNull())
        .addColumn('windows', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        // Archived canteens leave every list but keep their plans, which contact searches still read.
        .addColumn('archived_at', ms)
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('canteens_unit').on('canteens').columns(['unit_id']).execute();

      await db.schema
        .createTable('canteen_diners')
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('meal', 'text', (c) => c.notNull()) // breakfast | lunch | dinner
        .addColumn('canteen_id', 'integer', (c) => c.notNull().references('canteens.id'))
        // The unit's own window for the meal; null: the canteen's.
        .addColumn('window_from', 'integer')
        .addColumn('window_to', 'integer')
        .addPrimaryKeyConstraint('canteen_diners_pk', ['unit_id', 'meal'])
        .execute();
      await db.schema.createIndex('canteen_diners_canteen').on('canteen_diners').columns(['canteen_id']).execute();

      await id(db.schema.createTable('dining_plans'))
        .addColumn('canteen_id', 'integer', (c) => c.notNull().references('canteens.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // draft | published | superseded
        .addColumn('from_day', 'text')
        .addColumn('until_day', 'text')
        // What the planner ran with, kept so the plan reads the same after the canteen changes.
        .addColumn('density', 'integer', (c) => c.notNull()) // hundredths
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('seats_per_slot', 'integer', (c) => c.notNull())
        .addColumn('slot_minutes', 'integer', (c) => c.notNull())
        .addColumn('windows', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('published_by_user_id', 'integer')
        .addColumn('published_at', ms)
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dining_plans_canteen').on('dining_plans').columns(['canteen_id', 'status', 'from_day']).execute();

      // One row per (plan, meal, unit): placed (slot_start set) or unplaced (reason set).
      await db.schema
        .createTable('dining_plan_units')
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('dining_plans.id'))
        .addColumn('meal', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('headcount', 'integer', (c) => c.notNull())
        .addColumn('window_from', 'integer', (c) => c.notNull())
        .addColumn('window_to', 'integer', (c) => c.notNull())
        .addColumn('slot_start', 'integer')
        .addColumn('slot_end', 'integer')
        .addColumn('reason', 'text') // too_large | window_full | no_slot_in_window
        .addColumn('forced_reason', 'text')
        .addPrimaryKeyConstraint('dining_plan_units_pk', ['plan_id', 'meal', 'unit_id'])
        .execute();
      // My slot and contact searches: the plans that place a unit.
      await db.schema.createIndex('dining_plan_units_unit').on('dining_plan_units').columns(['unit_id', 'plan_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('dining_plan_units').execute();
      await db.schema.dropTable('dining_plans').execute();
      await db.schema.dropTable('canteen_diners').execute();
      await db.schema.dropTable('canteens').execute();
    },
  };
}
