import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Measure values (防控措施): one row per change a unit makes to one measure — a value from a day,
 * or a removal from a day (the unit inherits again). Rows are never updated except to record the
 * decision on an exception, so the table is its own history. What applies on a day is computed
 * from the rows of the unit and its ancestors (measures.rules.ts).
 */
export function measures(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('measure_values'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('measure_key', 'text', (c) => c.notNull())
        // The stored form (common/measures.catalogue.ts); null: a removal, the unit inherits from effective_from.
        .addColumn('value', 'integer')
        .addColumn('effective_from', 'text', (c) => c.notNull()) // YYYY-MM-DD in the deployment's time zone
        // set: in force as made (looser or equal to the parent, a root, a removal);
        // pending | approved | refused: an exception (stricter than the parent); withdrawn: a pending one superseded.
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        // The parent's effective value it was compared with on effective_from (stored form); null at a root.
        .addColumn('parent_value', 'integer')
        .addColumn('requested_by_user_id', 'integer')
        .addColumn('requested_at', ms, (c) => c.notNull())
        .addColumn('decided_by_user_id', 'integer')
        .addColumn('decided_at', ms)
        // The day an approval counts from: the later of effective_from and the day it was approved.
        .addColumn('decided_day', 'text')
        .addColumn('decision_note', 'text')
        .execute();
      // What applies: a unit's and its ancestors' rows of one key, by day.
      await db.schema.createIndex('measure_values_key_unit').on('measure_values').columns(['measure_key', 'unit_id', 'effective_from']).execute();
      // The exceptions list, pending first, for the supervision view.
      await db.schema.createIndex('measure_values_status').on('measure_values').columns(['status', 'requested_at']).execute();
      await db.schema.createIndex('measure_values_unit').on('measure_values').columns(['unit_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('measure_values').execute();
    },
  };
}
