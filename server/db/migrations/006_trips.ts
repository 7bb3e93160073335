import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Trips (出行报备) and the command office's list of risk areas (中高风险地区). Days are
 * 'YYYY-MM-DD' text in the deployment's zone, so "overlaps" and "away on a day" are plain text
 * comparisons on both databases. Cities are stored normalised (common/city.ts), so a trip to
 * "武汉市" and an area in "武汉" meet on equality and one index serves "trips by destination".
 */
export function trips(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('risk_areas'))
        .addColumn('city', 'text', (c) => c.notNull())
        // Null: the whole city is on the list.
        .addColumn('district', 'text')
        .addColumn('level', 'text', (c) => c.notNull()) // medium | high
        .addColumn('valid_from', 'text', (c) => c.notNull())
        // Null: still on the list; ending an area sets it.
        .addColumn('valid_until', 'text')
        .addColumn('note', 'text')
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('risk_areas_city').on('risk_areas').columns(['city', 'valid_from']).execute();

      await id(db.schema.createTable('trips'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        // The person's unit when the trip was reported (history); scope follows their unit of today.
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('destination_city', 'text', (c) => c.notNull())
        .addColumn('destination_district', 'text')
        .addColumn('start_on', 'text', (c) => c.notNull())
        .addColumn('end_on', 'text', (c) => c.notNull()) // the planned last day away
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // planned | away | returned | cancelled
        .addColumn('returned_on', 'text')
        // The risk area that opened a health watch on return (set once, so the watch opens once).
        .addColumn('watch_area_id', 'integer', (c) => c.references('risk_areas.id'))
        // The user who reported for the person (a liaison), or null when the person did it.
        .addColumn('reported_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      // Who is away: the open trips (planned or away) are few, found by status then start day.
      await db.schema.createIndex('trips_status_start').on('trips').columns(['status', 'start_on']).execute();
      await db.schema.createIndex('trips_person').on('trips').columns(['person_id', 'start_on']).execute();
      await db.schema.createIndex('trips_destination').on('trips').columns(['destination_city', 'start_on']).execute();
      // Returned trips by return day: what a risk area added later must look back over.
      await db.schema.createIndex('trips_returned').on('trips').columns(['returned_on']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('trips').execute();
      await db.schema.dropTable('risk_areas').execute();
    },
  };
}
