import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * The active people of each unit, now: the roll-up's headcounts, read in one indexed pass instead
 * of a GROUP BY over every person on every request (42 ms at 100,000 people).
 *
 * Kept by triggers on `people`, so every write that adds a person, moves one, changes a status or
 * deletes one — the people service, the import, the demo, and any written later — moves the count
 * in the same statement, hence the same transaction: the figure cannot drift from a fresh count
 * and is never stale on the next request. SQLite has row triggers only (an upsert each, a few
 * microseconds); PostgreSQL gets statement triggers over the transition tables, one grouped
 * upsert per statement, so a bulk insert of 100,000 people costs one pass, not 100,000 calls.
 */
export function rollup(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('unit_headcounts')
        .addColumn('unit_id', 'integer', (c) => c.primaryKey())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      if (dialect === 'postgres') {
        const upsert = (source: string) => `
          insert into unit_headcounts (unit_id, active)
            select unit_id, sum(d) from (${source}) x group by unit_id having sum(d) <> 0 order by unit_id
          on conflict (unit_id) do update set active = unit_headcounts.active + excluded.active`;
        const plus = `select unit_id, 1 as d from new_rows where status = 'active'`;
        const minus = `select unit_id, -1 as d from old_rows where status = 'active'`;
        const bodies: [string, string, string][] = [
          ['insert', 'referencing new table as new_rows', upsert(plus)],
          ['update', 'referencing old table as old_rows new table as new_rows', upsert(`${minus} union all ${plus}`)],
          ['delete', 'referencing old table as old_rows', upsert(minus)],
        ];
        for (const [event, referencing, body] of bodies) {
          await sql.raw(`create function people_headcount_${event}() returns trigger language plpgsql as $$ begin ${body}; return null; end $$`).execute(db);
          await sql.raw(`create trigger people_headcount_${event} after ${event} on people ${referencing} for each statement execute function people_headcount_${event}()`).execute(db);
        }
      } else {
        const add = (unit: string) =>
          `insert into unit_headcounts (unit_id, active) values (${unit}, 1) on conflict (unit_id) do update set active = active + 1`;
        const remove = (unit: string) => `update unit_headcounts set active = active - 1 where unit_id = ${unit}`;
        await sql.raw(`create trigger people_headcount_insert after insert on people when new.status = 'active' begin ${add('new.unit_id')}; end`).execute(db);
        await sql.raw(`create trigger people_headcount_delete after delete on people when old.status = 'active' begin ${remove('old.unit_id')}; end`).execute(db);
        // Leaving (or returning), or moving while active: out of the old unit's count, into the new one's.
        await sql
          .raw(
            `create trigger people_headcount_update_out after update of unit_id, status on people
               when old.status = 'active' and (new.status <> 'active' or new.unit_id <> old.unit_id)
               begin ${remove('old.unit_id')}; end`,
          )
          .execute(db);
        await sql
          .raw(
            `create trigger people_headcount_update_in after update of unit_id, status on people
               when new.status = 'active' and (old.status <> 'active' or new.unit_id <> old.unit_id)
               begin ${add('new.unit_id')}; end`,
          )
          .execute(db);
      }
      await sql`insert into unit_headcounts (unit_id, active) select unit_id, count(*) from people where status = 'active' group by unit_id`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      if (dialect === 'postgres') {
        for (const event of ['insert', 'update', 'delete']) {
          await sql.raw(`drop trigger people_headcount_${event} on people`).execute(db);
          await sql.raw(`drop function people_headcount_${event}()`).execute(db);
        }
      } else {
        for (const name of ['insert', 'delete', 'update_out', 'update_in']) await sql.raw(`drop trigger people_headcount_${name}`).execute(db);
      }
      await db.schema.dropTable('unit_headcounts').execute();
    },
  };
}
