import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * A per-(day, unit) snapshot of active people, taken once per day (docs/health.md, "headcount
 * snapshot"). A past day's completeness divides by the people that day had, so it does not move
 * when people join, leave or move later.
 */
export function headcounts(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      // Keyed unit first: a subtree's days are one short range per unit of the subtree. On SQLite
      // the rows live in the key's b-tree itself (without rowid), so a range read touches nothing else.
      const table = db.schema
        .createTable('headcounts')
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('headcount', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('headcounts_pk', ['unit_id', 'day']);
      await (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table).execute();
      // A big subtree (the whole organisation) is read day by day instead: this index covers that read.
      await db.schema.createIndex('headcounts_day').on('headcounts').columns(['day', 'unit_id', 'headcount']).execute();
      // The days that have a snapshot: a day's row commits with its snapshot, and the first one stands.
      await db.schema
        .createTable('headcount_days')
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('taken_at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('headcount_days').execute();
      await db.schema.dropTable('headcounts').execute();
    },
  };
}
