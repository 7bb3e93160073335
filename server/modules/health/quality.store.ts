import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';
import { CITY_CHANGES_FLAGGED, LOW_TEMPERATURE_TENTHS } from './quality.policy.js';

/**
 * Reads for the data-quality flags. Both read only the window's days of one subtree (the
 * (day, unit_id) index, or the (person_id, day) key for the candidates' rows), never a history.
 */

/**
 * The people whose window might break a rule: a cheap necessary condition per rule, in SQL, so only
 * their rows come back for the rules (quality.policy.ts) to decide on. `dayStarts` gives each day
 * of the window the instant it starts in the deployment's zone, which turns created_at into a
 * minute of the day the same way on both databases.
 */
export async function qualityCandidates(db: Conn, path: string, dayStarts: ReadonlyMap<string, number>): Promise<number[]> {
  const days = [...dayStarts.keys()];
  const start = sql.join([...dayStarts].map(([d, ms]) => sql`when ${d} then ${sql.lit(ms)}`), sql` `);
  const minute = sql<number>`(checkins.created_at - (case checkins.day ${start} end)) / 60000`;
  // Numbers and equality only: comparing text in order (min/max, distinct) under PostgreSQL's
  // collations costs more than the rest of the query. The rules re-check everything on the rows.
  const rows = await db
    .selectFrom('checkins')
    .select('checkins.person_id as person_id')
    // Each day of the window, each unit of the subtree: seeks on the (day, unit_id) index, so a
    // small subtree reads its own rows only.
    .where('checkins.day', 'in', days)
    .where('checkins.unit_id', 'in', (eb) => eb.selectFrom('units').select('units.id').where((w) => pathInSubtrees(w, 'units.path', [path])))
    .groupBy('checkins.person_id')
    .having(
      sql<boolean>`(count(*) = ${sql.lit(days.length)} and min(checkins.temperature) = max(checkins.temperature) and min(${minute}) = max(${minute}))
      or sum(case when checkins.temperature < ${sql.lit(LOW_TEMPERATURE_TENTHS)} and checkins.symptoms = '[]' then 1 else 0 end) > 0
      or (count(*) > ${sql.lit(CITY_CHANGES_FLAGGED)} and min(checkins.city) <> max(checkins.city))`,
    )
    .execute();
  return rows.map((r) => r.person_id);
}

export interface QualityRow {
  person_id: number;
  day: string;
  temperature: number;
  symptoms: string;
  location: string;
  city: string;
  created_at: number;
  unit_id: number;
  unit_name: string;
  unit_path: string;
  person_name: string;
  employee_no: string;
}

/** The window's check-ins of these people in the subtree, each person's by day. */
export async function qualityRows(db: Conn, path: string, fromDay: string, toDay: string, personIds: readonly number[]): Promise<QualityRow[]> {
  const out: QualityRow[] = [];
  // Bounded IN lists: PostgreSQL takes at most 65,535 parameters, SQLite 32,766.
  for (let i = 0; i < personIds.length; i += 1000) {
    const ids = personIds.slice(i, i + 1000);
    const rows = await db
      .selectFrom('checkins')
      .innerJoin('units', 'units.id', 'checkins.unit_id')
      .innerJoin('people', 'people.id', 'checkins.person_id')
      .select([
        'checkins.person_id as person_id',
        'checkins.day as day',
        'checkins.temperature as temperature',
        'checkins.symptoms as symptoms',
        'checkins.location as location',
        'checkins.city as city',
        'checkins.created_at as created_at',
        'checkins.unit_id as unit_id',
        'units.name as unit_name',
        'units.path as unit_path',
        'people.name as person_name',
        'people.employee_no as employee_no',
      ])
      .where('checkins.day', '>=', fromDay)
      .where('checkins.day', '<=', toDay)
      .where('checkins.person_id', 'in', ids)
      .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
      .orderBy('checkins.person_id')
      .orderBy('checkins.day')
      .execute();
    out.push(...rows.map((r) => ({ ...r, created_at: Number(r.created_at) })));
  }
  return out;
}
