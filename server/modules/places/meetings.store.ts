import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { dialectOf, type Conn } from '../../db/database.js';
import type { MeetingRegistrationsTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of meeting registrations and their attendee lists. */

/** The statuses of a meeting that will take place (or did): they hold their room. */
export const LIVE_STATUSES = ['registered', 'pending', 'approved'] as const;

export type MeetingRow = Selectable<MeetingRegistrationsTable> & {
  unit_name: string;
  unit_path: string;
  room_name: string | null;
  room_building: string | null;
  room_capacity: number | null;
  room_ventilated: number | null;
  registered_by: string | null;
  decided_by: string | null;
  list_size: number;
};

function meetingQuery(db: Conn) {
  return db
    .selectFrom('meeting_registrations as m')
    .innerJoin('units as u', 'u.id', 'm.unit_id')
    .leftJoin('rooms as r', 'r.id', 'm.room_id')
    .leftJoin('users as ru', 'ru.id', 'm.registered_by_user_id')
    .leftJoin('users as du', 'du.id', 'm.decided_by_user_id')
    .selectAll('m')
    .select((eb) => [
      'u.name as unit_name',
      'u.path as unit_path',
      'r.name as room_name',
      'r.building as room_building',
      'r.capacity as room_capacity',
      'r.ventilated as room_ventilated',
      eb.fn.coalesce('ru.display_name', 'ru.username').as('registered_by'),
      eb.fn.coalesce('du.display_name', 'du.username').as('decided_by'),
      eb.selectFrom('meeting_attendees as a').whereRef('a.meeting_id', '=', 'm.id').select((e) => e.fn.countAll<number>().as('n')).as('list_size'),
    ]);
}

export async function findMeeting(db: Conn, id: number): Promise<MeetingRow | undefined> {
  return (await meetingQuery(db).where('m.id', '=', id).executeTakeFirst()) as MeetingRow | undefined;
}

export interface MeetingFilter {
  /** Subtrees the reader sees meetings in… */
  paths: readonly string[];
  /** …and the meetings they registered themselves, wherever. */
  registeredBy: number;
  /** Narrowed to this subtree. */
  within?: string;
  day?: string;
  from?: string;
  to?: string;
  building?: string;
  status?: string;
  overLimit?: boolean;
}

/** One page of meetings; a day's list runs by building then start, any other by start, latest first. */
export async function listMeetings(db: Conn, f: MeetingFilter, offset: number, limit: number): Promise<{ rows: MeetingRow[]; total: number }> {
  const filtered = <Q extends ReturnType<typeof base>>(q: Q): Q => {
    let out = q.where((eb) => eb.or([pathInSubtrees(eb, 'u.path', f.paths), eb('m.registered_by_user_id', '=', f.registeredBy)]));
    if (f.within) {
      const within = f.within;
      out = out.where((eb) => pathInSubtrees(eb, 'u.path', [within]));
    }
    if (f.day) out = out.where('m.day', '=', f.day);
    if (f.from) out = out.where('m.day', '>=', f.from);
    if (f.to) out = out.where('m.day', '<=', f.to);
    if (f.building !== undefined) out = out.where(sql`coalesce(r.building, '')`, '=', f.building);
    if (f.status) out = out.where('m.status', '=', f.status);
    if (f.overLimit !== undefined) out = out.where('m.over_limit', '=', f.overLimit ? 1 : 0);
    return out as Q;
  };
  const base = () => db.selectFrom('meeting_registrations as m').innerJoin('units as u', 'u.id', 'm.unit_id').leftJoin('rooms as r', 'r.id', 'm.room_id');
  const ids = filtered(base()).select('m.id');
  let page = meetingQuery(db).where('m.id', 'in', ids);
  page = f.day ? page.orderBy(sql`coalesce(r.building, '')`).orderBy('m.start_at').orderBy('m.id') : page.orderBy('m.start_at', 'desc').orderBy('m.id', 'desc');
  const [rows, count] = await Promise.all([page.offset(offset).limit(limit).execute(), filtered(base()).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
  return { rows: rows as MeetingRow[], total: Number(count.n) };
}

/**
 * On PostgreSQL, lock the room's row for the rest of the transaction: two registrations of one room
 * then check for an overlap one after the other, not both before either writes. (SQLite runs one
 * write transaction at a time already.)
 */
export async function lockRoom(tx: Conn, roomId: number): Promise<void> {
  if (dialectOf(tx) === 'postgres') await tx.selectFrom('rooms').select('id').where('id', '=', roomId).forUpdate().execute();
}

/**
 * On PostgreSQL, lock a registration's row before reading it for a change, a decision or a
 * cancellation: an approval racing a change of the same meeting then sees the change (and finds it
 * pending again, or not) instead of both writing over each other.
 */
export async function lockMeeting(tx: Conn, id: number): Promise<void> {
  if (dialectOf(tx) === 'postgres') await tx.selectFrom('meeting_registrations').select('id').where('id', '=', id).forUpdate().execute();
}

/** A live meeting in the room overlapping [startAt, endAt), other than `exceptId`. */
export async function overlapping(db: Conn, roomId: number, startAt: number, endAt: number, exceptId: number | null) {
  let q = db
    .selectFrom('meeting_registrations')
    .select(['id', 'title', 'start_at', 'end_at'])
    .where('room_id', '=', roomId)
    .where('status', 'in', [...LIVE_STATUSES])
    .where('start_at', '<', endAt)
    .where('end_at', '>', startAt);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return q.orderBy('start_at').executeTakeFirst();
}

export async function insertMeeting(tx: Conn, row: Insertable<MeetingRegistrationsTable>): Promise<number> {
  return (await tx.insertInto('meeting_registrations').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateMeeting(tx: Conn, id: number, set: Updateable<MeetingRegistrationsTable>): Promise<void> {
  await tx.updateTable('meeting_registrations').set(set).where('id', '=', id).execute();
}

/** Replace the attendee list. */
export async function replaceAttendees(tx: Conn, meetingId: number, personIds: readonly number[]): Promise<void> {
  await tx.deleteFrom('meeting_attendees').where('meeting_id', '=', meetingId).execute();
  for (let i = 0; i < personIds.length; i += 500)
    await tx
      .insertInto('meeting_attendees')
      .values(personIds.slice(i, i + 500).map((person_id) => ({ meeting_id: meetingId, person_id })))
      .execute();
}

export async function attendeeIdsOf(db: Conn, meetingId: number): Promise<number[]> {
  return (await db.selectFrom('meeting_attendees').select('person_id').where('meeting_id', '=', meetingId).orderBy('person_id').execute()).map((r) => r.person_id);
}

/** The listed people of a meeting within these subtrees, by name. */
export async function attendeesIn(db: Conn, meetingId: number, paths: readonly string[]) {
  return db
    .selectFrom('meeting_attendees as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .where('a.meeting_id', '=', meetingId)
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .select(['p.id as personId', 'p.name', 'p.employee_no as employeeNo', 'u.id as unitId', 'u.name as unitName'])
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}

/** People by id with their unit's path (to check each is within the registrar's scope). */
export async function peopleWithPaths(db: Conn, ids: readonly number[]) {
  const out: { id: number; status: string; path: string }[] = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('people as p')
        .innerJoin('units as u', 'u.id', 'p.unit_id')
        .select(['p.id', 'p.status', 'u.path'])
        .where('p.id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return out;
}
