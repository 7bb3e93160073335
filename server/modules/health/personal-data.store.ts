import type { Conn } from '../../db/database.js';

/** Everything the organisation holds about one person, table by table (the personal data report's reads). */

export async function unitNames(db: Conn, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function accountsOf(db: Conn, personId: number) {
  return db.selectFrom('users').select(['username', 'created_at', 'disabled_at']).where('person_id', '=', personId).orderBy('id').execute();
}

export async function watchesOf(db: Conn, personId: number) {
  const watches = await db
    .selectFrom('health_watches')
    .select(['id', 'reason', 'start_day', 'end_day', 'status', 'outcome'])
    .where('person_id', '=', personId)
    .orderBy('start_day', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const notes =
    watches.length === 0
      ? []
      : await db
          .selectFrom('health_watch_notes')
          .select(['watch_id', 'day', 'note', 'temperature'])
          .where(
            'watch_id',
            'in',
            watches.map((w) => w.id),
          )
          .orderBy('day')
          .orderBy('id')
          .execute();
  return { watches, notes };
}

export async function tripsOf(db: Conn, personId: number) {
  return db
    .selectFrom('trips')
    .select(['id', 'destination_city', 'destination_district', 'start_on', 'end_on', 'purpose', 'status', 'returned_on'])
    .where('person_id', '=', personId)
    .orderBy('start_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
