import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * A daily report request may end: `last_day` ('YYYY-MM-DD', the deployment's day) is the day of its
 * last round; null runs until the request is closed by hand, as before.
 */
export function reportUntil() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('report_requests').addColumn('last_day', 'text').execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('report_requests').dropColumn('last_day').execute();
    },
  };
}
