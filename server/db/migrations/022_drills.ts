import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Drills (演练, issue 8): an incident run as a drill, and the directive its plan's tasks hang on,
 * carry `drill = 1`. They escalate and make tasks like real ones, and every real statistic and
 * scorecard (issue 7) leaves them out by this one column, so it is a shared column of both tables
 * rather than a side table each reader would have to join.
 */
export function drills() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('incidents').addColumn('drill', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('directives').addColumn('drill', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('incidents').dropColumn('drill').execute();
      await db.schema.alterTable('directives').dropColumn('drill').execute();
    },
  };
}
