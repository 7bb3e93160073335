import type { Insertable, Selectable } from 'kysely';
import { dialectOf, type Conn } from '../../db/database.js';
import type { VolunteerPostsTable, VolunteerRequestsTable, VolunteersTable } from '../../db/schema.js';
import { likeText } from '../../db/sql.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of the volunteer pool, posts, shifts, assignments and requests (issue 8). */

export type VolunteerRow = Selectable<VolunteersTable>;
export type PostRow = Selectable<VolunteerPostsTable>;
export type RequestRow = Selectable<VolunteerRequestsTable>;

/** A volunteer with their person's name and unit (the unit is always the person's current one). */
export interface VolunteerView extends VolunteerRow {
  name: string;
  unit_id: number;
  unit_name: string;
  unit_path: string;
}

function volunteerQuery(db: Conn) {
  return db
    .selectFrom('volunteers as v')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .selectAll('v')
    .select(['p.name as name', 'p.unit_id as unit_id', 'u.name as unit_name', 'u.path as unit_path']);
}

export async function findVolunteer(db: Conn, id: number): Promise<VolunteerView | undefined> {
  return (await volunteerQuery(db).where('v.id', '=', id).executeTakeFirst()) as VolunteerView | undefined;
}

export async function volunteerOfPerson(db: Conn, personId: number): Promise<VolunteerView | undefined> {
  return (await volunteerQuery(db).where('v.person_id', '=', personId).executeTakeFirst()) as VolunteerView | undefined;
}

export interface VolunteerFilter {
  paths: readonly string[];
  tag?: 'party_member' | 'youth_league' | undefined;
  skill?: string | undefined;
  q?: string | undefined;
  left: boolean;
}

/** One page of the pool, in tree order then by name. A skill matches its quoted form in the JSON array. */
export async function listVolunteers(db: Conn, f: VolunteerFilter, offset: number, limit: number): Promise<{ rows: VolunteerView[]; total: number }> {
  let base = volunteerQuery(db)
    .where((eb) => pathInSubtrees(eb, 'u.path', f.paths))
    .where('v.left_at', f.left ? 'is not' : 'is', null);
  if (f.tag === 'party_member') base = base.where('v.party_member', '=', 1);
  if (f.tag === 'youth_league') base = base.where('v.youth_league', '=', 1);
  if (f.skill) base = base.where('v.skills', 'like', `%${JSON.stringify(f.skill).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.q) {
    const text = f.q;
    base = base.where(() => likeText(db, 'p.name', text, 'contains'));
  }
  const [rows, count] = await Promise.all([
    base.orderBy('u.path').orderBy('p.name').orderBy('v.id').offset(offset).limit(limit).execute() as Promise<VolunteerView[]>,
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertVolunteer(tx: Conn, row: Insertable<VolunteersTable>): Promise<number> {
  const r = await tx.insertInto('volunteers').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateVolunteer(tx: Conn, id: number, set: Partial<Insertable<VolunteersTable>>): Promise<void> {
  await tx.updateTable('volunteers').set(set).where('id', '=', id).execute();
}

/** An active person and their unit's path, or undefined. */
export async function activePerson(db: Conn, personId: number): Promise<{ id: number; name: string; unit_id: number; path: string } | undefined> {
  return db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .select(['people.id', 'people.name', 'people.unit_id', 'units.path'])
    .where('people.id', '=', personId)
    .where('people.status', '=', 'active')
    .executeTakeFirst();
}

// ── posts ────────────────────────────────────────────────────────────────────────────────────────

export interface PostView extends PostRow {
  unit_name: string;
  unit_path: string;
  place_name: string | null;
  short_shifts: number;
  open_requests: number;
}

function postQuery(db: Conn, now: number) {
  return db
    .selectFrom('volunteer_posts as vp')
    .innerJoin('units as u', 'u.id', 'vp.unit_id')
    .leftJoin('places as pl', 'pl.id', 'vp.place_id')
    .selectAll('vp')
    .select((eb) => [
      'u.name as unit_name',
      'u.path as unit_path',
      'pl.name as place_name',
      eb
        .selectFrom('volunteer_shifts as s')
        .whereRef('s.post_id', '=', 'vp.id')
        .where('s.ends_at', '>', now)
        .where((e) => e(e.selectFrom('volunteer_assignments as a').whereRef('a.shift_id', '=', 's.id').select((x) => x.fn.countAll<number>().as('c')), '<', e.ref('s.needed')))
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('short_shifts'),
      eb
        .selectFrom('volunteer_requests as r')
        .whereRef('r.post_id', '=', 'vp.id')
        .where('r.status', 'in', ['open', 'partly_filled'])
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('open_requests'),
    ]);
}

const normalisePost = (r: PostView): PostView => ({ ...r, short_shifts: Number(r.short_shifts), open_requests: Number(r.open_requests) });

export async function findPost(db: Conn, id: number, now: number): Promise<PostView | undefined> {
  const r = (await postQuery(db, now).where('vp.id', '=', id).executeTakeFirst()) as PostView | undefined;
  return r && normalisePost(r);
}

export interface PostFilter {
  paths: readonly string[];
  kind?: string | undefined;
  /** true: active on this day; false: not. */
  activeOn?: { day: string; active: boolean } | undefined;
}

export async function listPosts(db: Conn, f: PostFilter, now: number, offset: number, limit: number): Promise<{ rows: PostView[]; total: number }> {
  let base = postQuery(db, now).where((eb) => pathInSubtrees(eb, 'u.path', f.paths));
  if (f.kind) base = base.where('vp.kind', '=', f.kind);
  if (f.activeOn) {
    const { day, active } = f.activeOn;
    base = active
      ? base.where('vp.active_from', '<=', day).where('vp.active_to', '>=', day)
      : base.where((eb) => eb.or([eb('vp.active_from', '>', day), eb('vp.active_to', '<', day)]));
  }
  const [rows, count] = await Promise.all([
    base.orderBy('vp.active_to', 'desc').orderBy('u.path').orderBy('vp.title').orderBy('vp.id').offset(offset).limit(limit).execute() as Promise<PostView[]>,
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalisePost), total: Number(count.n) };
}

export async function insertPost(tx: Conn, row: Insertable<VolunteerPostsTable>): Promise<number> {
  const r = await tx.insertInto('volunteer_posts').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updatePost(tx: Conn, id: number, set: Partial<Insertable<VolunteerPostsTable>>): Promise<void> {
  await tx.updateTable('volunteer_posts').set(set).where('id', '=', id).execute();
}

// ── shifts and assignments ───────────────────────────────────────────────────────────────────────

export interface ShiftRow {
  id: number;
  post_id: number;
  starts_at: number;
  ends_at: number;
  needed: number;
}

const shiftOf = (r: { id: number; post_id: number; starts_at: number | string; ends_at: number | string; needed: number }): ShiftRow => ({
  id: r.id,
  post_id: r.post_id,
  starts_at: Number(r.starts_at),
  ends_at: Number(r.ends_at),
  needed: r.needed,
});

export async function findShift(db: Conn, id: number): Promise<ShiftRow | undefined> {
  const r = await db.selectFrom('volunteer_shifts').select(['id', 'post_id', 'starts_at', 'ends_at', 'needed']).where('id', '=', id).executeTakeFirst();
  return r && shiftOf(r);
}

/** The post's shifts overlapping [from, to), by start. */
export async function shiftsOfPost(db: Conn, postId: number, from: number, to: number): Promise<ShiftRow[]> {
  const rows = await db
    .selectFrom('volunteer_shifts')
    .select(['id', 'post_id', 'starts_at', 'ends_at', 'needed'])
    .where('post_id', '=', postId)
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return rows.map(shiftOf);
}

/** Insert shifts, skipping any (post, start, end) that exists already; returns the ids of all of them. */
export async function insertShifts(tx: Conn, postId: number, shifts: readonly { starts_at: number; ends_at: number; needed: number }[], now: number): Promise<number[]> {
  const ids: number[] = [];
  for (const s of shifts) {
    const existing = await tx.selectFrom('volunteer_shifts').select('id').where('post_id', '=', postId).where('starts_at', '=', s.starts_at).where('ends_at', '=', s.ends_at).executeTakeFirst();
    if (existing) {
      ids.push(existing.id);
      continue;
    }
    const r = await tx.insertInto('volunteer_shifts').values({ post_id: postId, ...s, created_at: now }).returning('id').executeTakeFirstOrThrow();
    ids.push(r.id);
  }
  return ids;
}

export async function deleteShift(tx: Conn, id: number): Promise<void> {
  await tx.deleteFrom('volunteer_shifts').where('id', '=', id).execute();
}

export interface AssigneeRow {
  shift_id: number;
  volunteer_id: number;
  person_id: number;
  name: string;
  unit_name: string;
  party_member: number;
  youth_league: number;
  skills: string;
  request_id: number | null;
  assigned_at: number;
}

/** The people on these shifts, by shift then name. */
export async function assigneesOf(db: Conn, shiftIds: readonly number[]): Promise<Map<number, AssigneeRow[]>> {
  const out = new Map<number, AssigneeRow[]>(shiftIds.map((id) => [id, []]));
  if (shiftIds.length === 0) return out;
  const rows = await db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteers as v', 'v.id', 'a.volunteer_id')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['a.shift_id', 'a.volunteer_id', 'v.person_id', 'p.name', 'u.name as unit_name', 'v.party_member', 'v.youth_league', 'v.skills', 'a.request_id', 'a.assigned_at'])
    .where('a.shift_id', 'in', [...shiftIds])
    .orderBy('a.shift_id')
    .orderBy('p.name')
    .execute();
  for (const r of rows) out.get(r.shift_id)?.push({ ...r, assigned_at: Number(r.assigned_at) });
  return out;
}

/** Another shift of this volunteer overlapping [from, to), with its post's title; undefined when none. */
export async function overlappingAssignment(db: Conn, volunteerId: number, shiftId: number, from: number, to: number): Promise<{ shift_id: number; starts_at: number; ends_at: number; title: string } | undefined> {
  const r = await db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_shifts as s', 's.id', 'a.shift_id')
    .innerJoin('volunteer_posts as vp', 'vp.id', 's.post_id')
    .select(['a.shift_id', 's.starts_at', 's.ends_at', 'vp.title'])
    .where('a.volunteer_id', '=', volunteerId)
    .where('a.shift_id', '<>', shiftId)
    .where('s.starts_at', '<', to)
    .where('s.ends_at', '>', from)
    .orderBy('s.starts_at')
    .executeTakeFirst();
  return r && { ...r, starts_at: Number(r.starts_at), ends_at: Number(r.ends_at) };
}

export async function insertAssignment(tx: Conn, row: { shift_id: number; volunteer_id: number; request_id: number | null; assigned_by_user_id: number | null; assigned_at: number }): Promise<void> {
  await tx.insertInto('volunteer_assignments').values(row).execute();
}

export async function findAssignment(db: Conn, shiftId: number, volunteerId: number): Promise<{ id: number; request_id: number | null } | undefined> {
  return db.selectFrom('volunteer_assignments').select(['id', 'request_id']).where('shift_id', '=', shiftId).where('volunteer_id', '=', volunteerId).executeTakeFirst();
}

export async function deleteAssignment(tx: Conn, id: number): Promise<void> {
  await tx.deleteFrom('volunteer_assignments').where('id', '=', id).execute();
}

/** The volunteer's assignments on shifts starting after `after`: what leaving the pool drops. */
export async function futureAssignments(db: Conn, volunteerId: number, after: number): Promise<{ id: number; shift_id: number; request_id: number | null }[]> {
  return db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_shifts as s', 's.id', 'a.shift_id')
    .select(['a.id', 'a.shift_id', 'a.request_id'])
    .where('a.volunteer_id', '=', volunteerId)
    .where('s.starts_at', '>', after)
    .execute();
}

/** Shifts of one volunteer ending after `after` (or all, with hours of the finished ones), with their posts. */
export async function shiftsOfVolunteer(db: Conn, volunteerId: number, endingAfter: number, limit: number) {
  const rows = await db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_shifts as s', 's.id', 'a.shift_id')
    .innerJoin('volunteer_posts as vp', 'vp.id', 's.post_id')
    .innerJoin('units as u', 'u.id', 'vp.unit_id')
    .leftJoin('places as pl', 'pl.id', 'vp.place_id')
    .select(['s.id as shift_id', 'vp.id as post_id', 'vp.title', 'vp.kind', 'u.name as unit_name', 'pl.name as place_name', 's.starts_at', 's.ends_at'])
    .where('a.volunteer_id', '=', volunteerId)
    .where('s.ends_at', '>', endingAfter)
    .orderBy('s.starts_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, starts_at: Number(r.starts_at), ends_at: Number(r.ends_at) }));
}

/** Milliseconds of this volunteer's shifts that ended by `now`. */
export async function servedMs(db: Conn, volunteerId: number, now: number): Promise<number> {
  const r = await db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_shifts as s', 's.id', 'a.shift_id')
    .select((eb) => eb.fn.sum<number>(eb('s.ends_at', '-', eb.ref('s.starts_at'))).as('ms'))
    .where('a.volunteer_id', '=', volunteerId)
    .where('s.ends_at', '<=', now)
    .executeTakeFirst();
  return Number(r?.ms ?? 0);
}

// ── requests ─────────────────────────────────────────────────────────────────────────────────────

export interface RequestView extends RequestRow {
  post_title: string;
  unit_id: number;
  unit_name: string;
  unit_path: string;
  asked_by_name: string | null;
  filled: number;
}

function requestQuery(db: Conn) {
  return db
    .selectFrom('volunteer_requests as r')
    .innerJoin('volunteer_posts as vp', 'vp.id', 'r.post_id')
    .innerJoin('units as u', 'u.id', 'vp.unit_id')
    .leftJoin('users as au', 'au.id', 'r.asked_by_user_id')
    .selectAll('r')
    .select((eb) => [
      'vp.title as post_title',
      'vp.unit_id as unit_id',
      'u.name as unit_name',
      'u.path as unit_path',
      eb.fn.coalesce('au.display_name', 'au.username').as('asked_by_name'),
      eb
        .selectFrom('volunteer_assignments as a')
        .whereRef('a.request_id', '=', 'r.id')
        .select((e) => e.fn.count<number>('a.volunteer_id').distinct().as('n'))
        .as('filled'),
    ]);
}

const normaliseRequest = (r: RequestView): RequestView => ({ ...r, filled: Number(r.filled) });

export async function findRequest(db: Conn, id: number): Promise<RequestView | undefined> {
  const r = (await requestQuery(db).where('r.id', '=', id).executeTakeFirst()) as RequestView | undefined;
  return r && normaliseRequest(r);
}

export async function listRequests(db: Conn, paths: readonly string[], status: string | undefined, offset: number, limit: number): Promise<{ rows: RequestView[]; total: number }> {
  let base = requestQuery(db).where((eb) => pathInSubtrees(eb, 'u.path', paths));
  if (status) base = base.where('r.status', '=', status);
  const [rows, count] = await Promise.all([
    base
      .orderBy((eb) => eb.case().when('r.status', 'in', ['open', 'partly_filled']).then(0).else(1).end())
      .orderBy('r.asked_at', 'desc')
      .orderBy('r.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute() as Promise<RequestView[]>,
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normaliseRequest), total: Number(count.n) };
}

export async function insertRequest(tx: Conn, row: Insertable<VolunteerRequestsTable>): Promise<number> {
  const r = await tx.insertInto('volunteer_requests').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateRequest(tx: Conn, id: number, set: Partial<Insertable<VolunteerRequestsTable>>): Promise<void> {
  await tx.updateTable('volunteer_requests').set(set).where('id', '=', id).execute();
}

/** The people assigned under these requests, with their shifts. */
export async function requestAssignees(db: Conn, requestIds: readonly number[]) {
  if (requestIds.length === 0) return [];
  const rows = await db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_shifts as s', 's.id', 'a.shift_id')
    .innerJoin('volunteers as v', 'v.id', 'a.volunteer_id')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['a.request_id', 'a.shift_id', 's.starts_at', 's.ends_at', 'a.volunteer_id', 'v.person_id', 'p.name', 'u.name as unit_name', 'v.party_member', 'v.youth_league', 'v.skills', 'a.assigned_at'])
    .where('a.request_id', 'in', [...requestIds])
    .orderBy('s.starts_at')
    .orderBy('p.name')
    .execute();
  return rows.map((r) => ({ ...r, starts_at: Number(r.starts_at), ends_at: Number(r.ends_at), assigned_at: Number(r.assigned_at) }));
}

// ── now and hours ────────────────────────────────────────────────────────────────────────────────

/** Shifts running at `at` of posts in these subtrees, with their posts. */
export async function shiftsRunning(db: Conn, paths: readonly string[], at: number) {
  const rows = await db
    .selectFrom('volunteer_shifts as s')
    .innerJoin('volunteer_posts as vp', 'vp.id', 's.post_id')
    .innerJoin('units as u', 'u.id', 'vp.unit_id')
    .leftJoin('places as pl', 'pl.id', 'vp.place_id')
    .select(['s.id as shift_id', 's.starts_at', 's.ends_at', 's.needed', 'vp.id as post_id', 'vp.title', 'vp.kind', 'vp.unit_id', 'u.name as unit_name', 'pl.name as place_name'])
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('s.starts_at', '<=', at)
    .where('s.ends_at', '>', at)
    .orderBy('u.path')
    .orderBy('vp.title')
    .orderBy('s.starts_at')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ ...r, starts_at: Number(r.starts_at), ends_at: Number(r.ends_at) }));
}

/** Per volunteer of these subtrees: finished shifts (ended by `now`) starting in [from, to), and their length in ms. */
export async function hoursServed(db: Conn, paths: readonly string[], from: number, to: number, now: number) {
  const rows = await db
    .selectFrom('volunteer_assignments as a')
    .innerJoin('volunteer_shifts as s', 's.id', 'a.shift_id')
    .innerJoin('volunteers as v', 'v.id', 'a.volunteer_id')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', to)
    .where('s.ends_at', '<=', now)
    .groupBy(['v.id', 'p.name', 'u.name', 'v.party_member', 'v.youth_league'])
    .select((eb) => [
      'v.id as volunteer_id',
      'p.name',
      'u.name as unit_name',
      'v.party_member',
      'v.youth_league',
      eb.fn.countAll<number>().as('shifts'),
      eb.fn.sum<number>(eb('s.ends_at', '-', eb.ref('s.starts_at'))).as('ms'),
    ])
    .execute();
  return rows.map((r) => ({ ...r, shifts: Number(r.shifts), ms: Number(r.ms) }));
}

/**
 * On PostgreSQL, lock the shift's row and then the volunteer's for the rest of the transaction, so
 * two assignments at the same moment cannot both pass the "shift full" and the overlap checks
 * (always shift first, then volunteer: no two assignments wait on each other in a cycle). SQLite
 * runs one writing transaction at a time already.
 */
export async function lockForAssignment(tx: Conn, shiftId: number, volunteerId: number): Promise<void> {
  if (dialectOf(tx) !== 'postgres') return;
  await tx.selectFrom('volunteer_shifts').select('id').where('id', '=', shiftId).forUpdate().execute();
  await tx.selectFrom('volunteers').select('id').where('id', '=', volunteerId).forUpdate().execute();
}
