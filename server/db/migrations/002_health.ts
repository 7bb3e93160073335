import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns, type TableBuilder } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */
type B = TableBuilder;

/**
 * Daily health check-ins and the per-(day, unit) counts kept beside them. The counts are written in
 * the same transaction as each check-in, so a roll-up reads at most one row per unit and day and
 * never counts the check-ins themselves.
 */
export function health(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  const count = (t: B, name: string): B => t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(0));
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('checkins'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        // The person's unit when they checked in: the counts are kept per this unit.
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('temperature', 'integer', (c) => c.notNull()) // tenths of a degree Celsius
        .addColumn('symptoms', 'text', (c) => c.notNull()) // JSON array of strings
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('abnormal', 'integer', (c) => c.notNull())
        .addColumn('on_time', 'integer', (c) => c.notNull())
        // The user who checked in for the person (a liaison), or null when the person did it.
        .addColumn('on_behalf_of_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .addUniqueConstraint('checkins_person_day', ['person_id', 'day'])
        .execute();
      await db.schema.createIndex('checkins_day_unit').on('checkins').columns(['day', 'unit_id']).execute();

      let counts = db.schema.createTable('checkin_counts').addColumn('day', 'text', (c) => c.notNull()).addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'));
      for (const c of ['checked_in', 'normal', 'abnormal', 'at_work', 'remote', 'leave', 'trip', 'quarantine', 'on_time']) counts = count(counts, c);
      await counts.addPrimaryKeyConstraint('checkin_counts_pk', ['day', 'unit_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('checkin_counts').execute();
      await db.schema.dropTable('checkins').execute();
    },
  };
}
