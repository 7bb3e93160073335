import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { Database, TripRow, TripsTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/**
 * The queries of trips. A trip is scoped by its person's unit of today (a transferred person's
 * trip is their new unit's concern); `trips.unit_id` keeps the unit at report time as history.
 * "Away" is read from the days, not the stored status alone: a planned trip whose start day has
 * come is away whether or not anything has rewritten its row yet.
 */

export type NewTrip = Omit<TripsTable, 'id'>;
export type TripWithPerson = TripRow & { person_name: string; employee_no: string; phone: string | null; person_unit_id: number; unit_name: string; unit_path: string };
export type EffectiveStatus = 'planned' | 'away' | 'returned' | 'cancelled';

export async function insertTrip(tx: Conn, row: NewTrip): Promise<TripRow> {
  return tx.insertInto('trips').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Planned trips whose start day has come are away: how many changed. */
export async function markDepartures(tx: Conn, today: string, now: number): Promise<number> {
  const r = await tx.updateTable('trips').set({ status: 'away', updated_at: now }).where('status', '=', 'planned').where('start_on', '<=', today).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function updateTrip(tx: Conn, id: number, set: Partial<NewTrip>): Promise<TripRow> {
  return tx.updateTable('trips').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

function withPerson(db: Conn) {
  return db
    .selectFrom('trips')
    .innerJoin('people', 'people.id', 'trips.person_id')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .selectAll('trips')
    .select(['people.name as person_name', 'people.employee_no as employee_no', 'people.phone as phone', 'people.unit_id as person_unit_id', 'units.name as unit_name', 'units.path as unit_path']);
}

/** A trip with its person's unit path (what scope is checked against). */
export async function findTrip(db: Conn, id: number): Promise<TripWithPerson | undefined> {
  return withPerson(db).where('trips.id', '=', id).executeTakeFirst();
}

/** A person's trips, newest start first (at most `limit`). */
export async function tripsOfPerson(db: Conn, personId: number, limit: number): Promise<TripRow[]> {
  return db.selectFrom('trips').selectAll().where('person_id', '=', personId).orderBy('start_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The person's other trips, not cancelled, whose days meet [from, until] (an unreturned trip runs to its planned end or today, the later). */
export async function overlappingTrips(db: Conn, personId: number, from: string, until: string, today: string, exceptId: number | null): Promise<TripRow[]> {
  let q = db
    .selectFrom('trips')
    .selectAll()
    .where('person_id', '=', personId)
    .where('status', '!=', 'cancelled')
    .where('start_on', '<=', until)
    .where((eb) =>
      eb.or([
        eb('returned_on', '>=', from),
        // Unreturned: runs to today at least, so it meets any span that starts by today.
        eb.and([eb('returned_on', 'is', null), today >= from ? sql<SqlBool>`1 = 1` : eb('end_on', '>=', from)]),
      ]),
    );
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  return q.execute();
}

type TB = ExpressionBuilder<Database, 'trips'>;

/** SQL for "the trip's status as of `today`" equal to `status`. */
export function statusIs(eb: TB, status: EffectiveStatus, today: string) {
  switch (status) {
    case 'planned':
      return eb.and([eb('trips.status', '=', 'planned'), eb('trips.start_on', '>', today)]);
    case 'away':
      return eb.and([eb('trips.status', 'in', ['planned', 'away']), eb('trips.start_on', '<=', today)]);
    default:
      return eb('trips.status', '=', status);
  }
}

/**
 * Away on `day`: not cancelled, started on or before it, and not back by it (the return day counts
 * as back). From today on nobody can be back yet (a return day is never in the future), so it is the
 * open trips alone: the few rows the (status, start_on) index holds under planned and away.
 */
function awayOn(eb: TB, day: string, today: string) {
  if (day >= today) return eb.and([eb('trips.status', 'in', ['planned', 'away']), eb('trips.start_on', '<=', day)]);
  return eb.and([
    eb('trips.status', '!=', 'cancelled'),
    eb('trips.start_on', '<=', day),
    eb.or([eb('trips.returned_on', 'is', null), eb('trips.returned_on', '>', day)]),
  ]);
}

export interface TripFilter {
  paths: readonly string[];
  status?: EffectiveStatus;
  destination?: string;
  today: string;
}

function filteredTrips(db: Conn, f: TripFilter) {
  let q = db
    .selectFrom('trips')
    .innerJoin('people', 'people.id', 'trips.person_id')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .where((eb) => pathInSubtrees(eb, 'units.path', f.paths));
  if (f.status) q = q.where((eb) => statusIs(eb as unknown as TB, f.status!, f.today));
  if (f.destination !== undefined) q = q.where('trips.destination_city', '=', f.destination);
  return q;
}

/** One page of trips in the subtrees, newest start first, and how many there are. */
export async function listTrips(db: Conn, f: TripFilter, offset: number, limit: number): Promise<{ rows: TripWithPerson[]; total: number }> {
  const [rows, count] = await Promise.all([
    filteredTrips(db, f)
      .selectAll('trips')
      .select(['people.name as person_name', 'people.employee_no as employee_no', 'people.phone as phone', 'people.unit_id as person_unit_id', 'units.name as unit_name', 'units.path as unit_path'])
      .orderBy('trips.start_on', 'desc')
      .orderBy('trips.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    filteredTrips(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

function awayQuery(db: Conn, path: string, day: string, today: string) {
  return db
    .selectFrom('trips')
    .innerJoin('people', 'people.id', 'trips.person_id')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .where((eb) => awayOn(eb as unknown as TB, day, today))
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]));
}

/** The trips of people of the subtree who are away on `day`, in tree then name order. */
export async function awayIn(db: Conn, path: string, day: string, today: string, offset: number, limit: number): Promise<{ rows: TripWithPerson[]; total: number }> {
  const [rows, count] = await Promise.all([
    awayQuery(db, path, day, today)
      .selectAll('trips')
      .select(['people.name as person_name', 'people.employee_no as employee_no', 'people.phone as phone', 'people.unit_id as person_unit_id', 'units.name as unit_name', 'units.path as unit_path'])
      .orderBy('units.path')
      .orderBy('people.name')
      .orderBy('trips.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    awayQuery(db, path, day, today).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface DestinationRow {
  city: string;
  trips: number;
  people: number;
  away_now: number;
}

/**
 * Trips (not cancelled) of the subtree's people whose days meet [from, to], counted per destination
 * city in one grouped pass. An unreturned trip runs to its planned end or today, the later.
 *
 * Two plans, picked by the subtree's size. A unit below the top is reached from its people (the
 * units range, then each person's trips by the person index): 12 ms for 1,000 people. A whole
 * organisation would visit every trip ever reported that way, so there the trips that can meet
 * the period are taken as two index ranges instead, the returned ones by return day and the open
 * ones by status and start (whole tree of 100k people and 105k trips: 625 → ~360 ms on SQLite).
 */
export async function countByDestination(db: Conn, path: string, from: string, to: string, today: string): Promise<DestinationRow[]> {
  const cols = ['trips.person_id', 'trips.destination_city', 'trips.start_on', 'trips.returned_on'] as const;
  let source;
  if (path.split('/').filter(Boolean).length === 1) {
    const returned = db.selectFrom('trips').select(cols).where('trips.status', '=', 'returned').where('trips.returned_on', '>=', from).where('trips.start_on', '<=', to);
    let open = db.selectFrom('trips').select(cols).where('trips.status', 'in', ['planned', 'away']).where('trips.start_on', '<=', to);
    // Unreturned: runs to today at least, so it meets any span that starts by today.
    if (today < from) open = open.where('trips.end_on', '>=', from);
    source = returned.unionAll(open);
  } else {
    source = db
      .selectFrom('trips')
      .select(cols)
      .where('trips.status', '!=', 'cancelled')
      .where('trips.start_on', '<=', to)
      .where((eb) => eb.or([eb('trips.returned_on', '>=', from), eb.and([eb('trips.returned_on', 'is', null), today >= from ? sql<SqlBool>`1 = 1` : eb('trips.end_on', '>=', from)])]));
  }
  const rows = await db
    .selectFrom(source.as('t'))
    .innerJoin('people', 'people.id', 't.person_id')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .select([
      't.destination_city as city',
      (eb) => eb.fn.countAll<number>().as('trips'),
      sql<number>`count(distinct t.person_id)`.as('people'),
      sql<number>`sum(case when t.start_on <= ${today} and t.returned_on is null then 1 else 0 end)`.as('away_now'),
    ])
    .groupBy('t.destination_city')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('t.destination_city')
    .limit(500)
    .execute();
  return rows.map((r) => ({ city: r.city, trips: Number(r.trips), people: Number(r.people), away_now: Number(r.away_now ?? 0) }));
}

/**
 * Returned trips, with no watch opened yet, to the area's city (and district, or no district named)
 * whose days [start, return] meet the area's validity, returned on or after `returnedSince`.
 */
export async function returnedTripsMeeting(
  db: Conn,
  area: { city: string; district: string | null; valid_from: string; valid_until: string | null },
  returnedSince: string,
  afterId = 0,
  limit: number | null = null,
): Promise<TripWithPerson[]> {
  let q = withPerson(db)
    .where('trips.status', '=', 'returned')
    .where('trips.watch_area_id', 'is', null)
    .where('trips.returned_on', '>=', returnedSince)
    .where('trips.returned_on', '>=', area.valid_from)
    .where('trips.destination_city', '=', area.city);
  if (area.valid_until !== null) q = q.where('trips.start_on', '<=', area.valid_until);
  if (area.district !== null) q = q.where((eb) => eb.or([eb('trips.destination_district', 'is', null), eb('trips.destination_district', '=', area.district)]));
  q = q.where('trips.id', '>', afterId).orderBy('trips.id');
  return (limit === null ? q : q.limit(limit)).execute();
}
