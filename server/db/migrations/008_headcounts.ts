import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * A per-(day, unit) snapshot of active people, taken once per day (docs/health.md, "headcount
 * snapshot"). A past day's completeness divides by the people that day had, so it does not move
 * when people join, leave or move later.
 */
export function headcounts() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('headcounts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('headcount', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('headcounts_pk', ['day', 'unit_id'])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('headcounts').execute();
    },
  };
}
