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

/** Samples taken and results received in testing campaigns, with the campaign's name. */
export async function testsOf(db: Conn, personId: number) {
  const [samples, results] = await Promise.all([
    db
      .selectFrom('campaign_samples')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_samples.campaign_id')
      .select(['campaigns.name as campaign', 'campaign_samples.day as day'])
      .where('campaign_samples.person_id', '=', personId)
      .execute(),
    db
      .selectFrom('campaign_results')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_results.campaign_id')
      .select(['campaigns.name as campaign', 'campaign_results.sample_day as day', 'campaign_results.result as result', 'campaign_results.lab as lab'])
      .where('campaign_results.person_id', '=', personId)
      .execute(),
  ]);
  return [
    ...samples.map((s) => ({ campaign: s.campaign, day: s.day, kind: 'sample' as const, result: null, lab: null })),
    ...results.map((r) => ({ campaign: r.campaign, day: r.day, kind: 'result' as const, result: r.result, lab: r.lab })),
  ].sort((a, b) => (a.day === b.day ? (a.kind < b.kind ? -1 : 1) : a.day < b.day ? 1 : -1)); // newest first, a result before its sample
}
