import type { Conn } from '../../db/database.js';
import type { CheckinRow, HealthWatchNoteRow, HealthWatchRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The queries of health watches. Rules live in watches.service.ts. */

export type NewWatch = Omit<HealthWatchRow, 'id'>;
export type NewWatchNote = Omit<HealthWatchNoteRow, 'id'>;

export async function insertWatch(tx: Conn, row: NewWatch): Promise<HealthWatchRow> {
  return tx.insertInto('health_watches').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateWatch(tx: Conn, id: number, set: Partial<NewWatch>): Promise<HealthWatchRow> {
  return tx.updateTable('health_watches').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function insertWatchNote(tx: Conn, row: NewWatchNote): Promise<HealthWatchNoteRow> {
  return tx.insertInto('health_watch_notes').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The person's open watch, if any (the partial unique index allows one). */
export async function openWatchOf(db: Conn, personId: number): Promise<HealthWatchRow | undefined> {
  return db.selectFrom('health_watches').selectAll().where('person_id', '=', personId).where('status', '=', 'open').executeTakeFirst();
}

/** The person's watch a cause already opened or joined, if any: what makes a retried cause do nothing. */
/** Which of these people have an open watch: one query per 500 ids. */
export async function openWatchPersonIds(db: Conn, personIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db.selectFrom('health_watches').select('person_id').where('status', '=', 'open').where('person_id', 'in', personIds.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.person_id);
  }
  return out;
}

export async function watchOfSource(db: Conn, personId: number, sourceEntity: string, sourceId: string): Promise<number | undefined> {
  const opened = await db
    .selectFrom('health_watches')
    .select('id')
    .where('source_entity', '=', sourceEntity)
    .where('source_id', '=', sourceId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (opened) return opened.id;
  const joined = await db
    .selectFrom('health_watch_notes')
    .innerJoin('health_watches', 'health_watches.id', 'health_watch_notes.watch_id')
    .select('health_watch_notes.watch_id')
    .where('health_watch_notes.source_entity', '=', sourceEntity)
    .where('health_watch_notes.source_id', '=', sourceId)
    .where('health_watches.person_id', '=', personId)
    .executeTakeFirst();
  return joined?.watch_id;
}

export type WatchWithPerson = HealthWatchRow & { person_name: string; employee_no: string; person_unit_id: number; unit_name: string; unit_path: string };

/** Watches joined to their person and the person's unit of today, which is what scope follows. */
function watchesWithPeople(db: Conn) {
  return db
    .selectFrom('health_watches')
    .innerJoin('people', 'people.id', 'health_watches.person_id')
    .innerJoin('units', 'units.id', 'people.unit_id');
}

const WITH_PERSON = ['people.name as person_name', 'people.employee_no as employee_no', 'people.unit_id as person_unit_id', 'units.name as unit_name', 'units.path as unit_path'] as const;

export async function findWatch(db: Conn, id: number): Promise<WatchWithPerson | undefined> {
  return watchesWithPeople(db).selectAll('health_watches').select(WITH_PERSON).where('health_watches.id', '=', id).executeTakeFirst();
}

export interface WatchFilter {
  paths: readonly string[];
  status?: 'open' | 'closed';
}

function filtered(db: Conn, f: WatchFilter) {
  let q = watchesWithPeople(db).where((eb) => pathInSubtrees(eb, 'units.path', f.paths));
  if (f.status) q = q.where('health_watches.status', '=', f.status);
  return q;
}

/** One page of the watches of people in the subtrees: open first, then those ending soonest, newest closed last. */
export async function listWatches(db: Conn, f: WatchFilter, offset: number, limit: number): Promise<{ rows: WatchWithPerson[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, f)
      .selectAll('health_watches')
      .select(WITH_PERSON)
      .orderBy('health_watches.status', 'desc') // 'open' sorts after 'closed'
      .orderBy('health_watches.end_day')
      .orderBy('health_watches.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export type WatchNoteWithAuthor = HealthWatchNoteRow & { author_name: string | null };

/** A watch's notes in the order they were written, with the author's display name. */
export async function notesOf(db: Conn, watchId: number): Promise<WatchNoteWithAuthor[]> {
  const rows = await db
    .selectFrom('health_watch_notes')
    .leftJoin('users', 'users.id', 'health_watch_notes.author_user_id')
    .selectAll('health_watch_notes')
    .select(['users.display_name as display_name', 'users.username as username'])
    .where('health_watch_notes.watch_id', '=', watchId)
    .orderBy('health_watch_notes.id')
    .execute();
  return rows.map(({ display_name, username, ...n }) => ({ ...n, author_name: display_name ?? username ?? null }));
}

/** The username of a user, for audit rows written on behalf of a caller that passed only an id. */
export async function usernameOf(db: Conn, userId: number): Promise<string | null> {
  const r = await db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
  return r?.username ?? null;
}

/** Close a watch that is still open; undefined when it was closed meanwhile. */
export async function closeWatchRow(
  tx: Conn,
  id: number,
  set: { outcome: string; outcome_note: string | null; closed_by_user_id: number; closed_at: number; updated_at: number },
): Promise<HealthWatchRow | undefined> {
  return tx.updateTable('health_watches').set({ ...set, status: 'closed' }).where('id', '=', id).where('status', '=', 'open').returningAll().executeTakeFirst();
}

/** The check-in a trigger job names (the job re-reads it: it may have been corrected since). */
export async function checkinById(db: Conn, id: number): Promise<CheckinRow | undefined> {
  return db.selectFrom('checkins').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Where the person was at their last check-in before `day`: what makes quarantine "new". */
export async function previousCheckinOf(db: Conn, personId: number, day: string): Promise<{ location: string } | undefined> {
  return db.selectFrom('checkins').select('location').where('person_id', '=', personId).where('day', '<', day).orderBy('day', 'desc').limit(1).executeTakeFirst();
}
