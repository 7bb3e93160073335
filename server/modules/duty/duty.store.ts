import { dialectOf, type Conn } from '../../db/database.js';
import type { DutyShiftRow, DutySwapRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of the duty module: rosters, shifts and their people, swaps, handovers, gap alerts, feed tokens. */

const CHUNK = 500;
function chunks<T>(a: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += CHUNK) out.push(a.slice(i, i + CHUNK));
  return out;
}

// ── rosters ────────────────────────────────────────────────────────────────────────────────────

export interface RosterRow {
  unit_id: number;
  unit_name: string;
  unit_path: string;
  note: string | null;
  pattern: string | null;
  created_at: number;
  updated_at: number;
  covered_until: number | null;
}

function rosterQuery(db: Conn) {
  return db
    .selectFrom('duty_rosters as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select((eb) => [
      'r.unit_id',
      'u.name as unit_name',
      'u.path as unit_path',
      'r.note',
      'r.pattern',
      'r.created_at',
      'r.updated_at',
      eb
        .selectFrom('duty_shifts as s')
        .whereRef('s.unit_id', '=', 'r.unit_id')
        .select((e) => e.fn.max<number>('s.ends_at').as('m'))
        .as('covered_until'),
    ]);
}

export async function findRoster(db: Conn, unitId: number): Promise<RosterRow | undefined> {
  return rosterQuery(db).where('r.unit_id', '=', unitId).executeTakeFirst() as Promise<RosterRow | undefined>;
}

/** The rosters of units in these subtrees, in tree order. */
export async function rostersIn(db: Conn, paths: readonly string[]): Promise<RosterRow[]> {
  return rosterQuery(db)
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('u.archived_at', 'is', null)
    .orderBy('u.path')
    .execute() as Promise<RosterRow[]>;
}

/** Which of these units keep duty (have a roster). */
export async function unitsKeepingDuty(db: Conn, unitIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (const c of chunks([...new Set(unitIds)])) {
    const rows = await db.selectFrom('duty_rosters').select('unit_id').where('unit_id', 'in', c).execute();
    for (const r of rows) out.add(r.unit_id);
  }
  return out;
}

/**
 * Hold the unit's roster row until the transaction ends, so two changes of one roster (a generation
 * and a new shift) cannot both pass the overlap check. PostgreSQL only: SQLite runs one write
 * transaction at a time anyway.
 */
export async function lockRoster(tx: Conn, unitId: number): Promise<void> {
  if (dialectOf(tx) !== 'postgres') return;
  await tx.selectFrom('duty_rosters').select('id').where('unit_id', '=', unitId).forUpdate().execute();
}

export async function insertRoster(tx: Conn, row: { unit_id: number; note: string | null; created_by_user_id: number | null; now: number }): Promise<void> {
  await tx
    .insertInto('duty_rosters')
    .values({ unit_id: row.unit_id, note: row.note, pattern: null, created_by_user_id: row.created_by_user_id, created_at: row.now, updated_at: row.now })
    .execute();
}

export async function updateRoster(tx: Conn, unitId: number, set: { note?: string | null; pattern?: string | null; updated_at: number }): Promise<void> {
  await tx.updateTable('duty_rosters').set(set).where('unit_id', '=', unitId).execute();
}

export async function deleteRoster(tx: Conn, unitId: number): Promise<void> {
  await tx.deleteFrom('duty_rosters').where('unit_id', '=', unitId).execute();
}

// ── shifts ─────────────────────────────────────────────────────────────────────────────────────

export type ShiftWithUnit = DutyShiftRow & { unit_name: string; unit_path: string };

function shiftQuery(db: Conn) {
  return db.selectFrom('duty_shifts as s').innerJoin('units as u', 'u.id', 's.unit_id').selectAll('s').select(['u.name as unit_name', 'u.path as unit_path']);
}

export async function findShift(db: Conn, id: number): Promise<ShiftWithUnit | undefined> {
  return shiftQuery(db).where('s.id', '=', id).executeTakeFirst();
}

export async function findShifts(db: Conn, ids: readonly number[]): Promise<ShiftWithUnit[]> {
  if (ids.length === 0) return [];
  const out: ShiftWithUnit[] = [];
  for (const c of chunks([...new Set(ids)])) out.push(...(await shiftQuery(db).where('s.id', 'in', c).execute()));
  return out;
}

/** A unit's shifts overlapping [from, to), in time order. */
export async function shiftsOverlapping(db: Conn, unitId: number, from: number, to: number, exceptId?: number): Promise<ShiftWithUnit[]> {
  let q = shiftQuery(db).where('s.unit_id', '=', unitId).where('s.ends_at', '>', from).where('s.starts_at', '<', to);
  if (exceptId !== undefined) q = q.where('s.id', '!=', exceptId);
  return q.orderBy('s.starts_at').execute();
}

/** The shifts of these units overlapping [from, to) (the coverage check), in unit then time order. */
export async function shiftsOfUnitsOverlapping(db: Conn, unitIds: readonly number[], from: number, to: number): Promise<DutyShiftRow[]> {
  const out: DutyShiftRow[] = [];
  for (const c of chunks([...new Set(unitIds)])) {
    out.push(...(await db.selectFrom('duty_shifts').selectAll().where('unit_id', 'in', c).where('ends_at', '>', from).where('starts_at', '<', to).execute()));
  }
  return out.sort((a, b) => a.unit_id - b.unit_id || a.starts_at - b.starts_at);
}

/** The unit's shift that ended last at or before `at` (the one before a shift). */
export async function previousShift(db: Conn, unitId: number, at: number): Promise<DutyShiftRow | undefined> {
  return db.selectFrom('duty_shifts').selectAll().where('unit_id', '=', unitId).where('ends_at', '<=', at).orderBy('ends_at', 'desc').limit(1).executeTakeFirst();
}

export interface NewShift {
  unit_id: number;
  starts_at: number;
  ends_at: number;
  note: string | null;
  source: 'generated' | 'manual';
  created_by_user_id: number | null;
}

export async function insertShift(tx: Conn, s: NewShift, now: number): Promise<DutyShiftRow> {
  return tx
    .insertInto('duty_shifts')
    .values({ ...s, swapped_at: null, reminded_at: null, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateShift(tx: Conn, id: number, set: Partial<Omit<DutyShiftRow, 'id'>>): Promise<void> {
  await tx.updateTable('duty_shifts').set(set).where('id', '=', id).execute();
}

/** Remove shifts with their people, their handovers and the closed swaps that name them. */
export async function deleteShifts(tx: Conn, ids: readonly number[]): Promise<void> {
  for (const c of chunks([...new Set(ids)])) {
    await tx.deleteFrom('duty_shift_members').where('shift_id', 'in', c).execute();
    await tx.deleteFrom('duty_handovers').where('shift_id', 'in', c).execute();
    await tx
      .deleteFrom('duty_swaps')
      .where((eb) => eb.or([eb('shift_id', 'in', c), eb('counterpart_shift_id', 'in', c)]))
      .execute();
    await tx.deleteFrom('duty_shifts').where('id', 'in', c).execute();
  }
}

// ── people on shifts ───────────────────────────────────────────────────────────────────────────

export interface MemberRow {
  shift_id: number;
  person_id: number;
  role: string;
  position: number;
  name: string;
  phone: string | null;
  unit_id: number;
  unit_name: string;
  unit_path: string;
}

export async function membersOf(db: Conn, shiftIds: readonly number[]): Promise<MemberRow[]> {
  const out: MemberRow[] = [];
  for (const c of chunks([...new Set(shiftIds)])) {
    out.push(
      ...(await db
        .selectFrom('duty_shift_members as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .innerJoin('units as u', 'u.id', 'p.unit_id')
        .select(['m.shift_id', 'm.person_id', 'm.role', 'm.position', 'p.name', 'p.phone', 'p.unit_id', 'u.name as unit_name', 'u.path as unit_path'])
        .where('m.shift_id', 'in', c)
        .orderBy('m.shift_id')
        .orderBy('m.role')
        .orderBy('m.position')
        .execute()),
    );
  }
  return out;
}

export async function replaceMembers(tx: Conn, shiftId: number, leaderIds: readonly number[], officerIds: readonly number[]): Promise<void> {
  await tx.deleteFrom('duty_shift_members').where('shift_id', '=', shiftId).execute();
  await insertMembers(tx, [{ shiftId, leaderIds, officerIds }]);
}

export async function insertMembers(tx: Conn, shifts: readonly { shiftId: number; leaderIds: readonly number[]; officerIds: readonly number[] }[]): Promise<void> {
  const rows = shifts.flatMap((s) => [
    ...s.leaderIds.map((p, i) => ({ shift_id: s.shiftId, person_id: p, role: 'leader', position: i })),
    ...s.officerIds.map((p, i) => ({ shift_id: s.shiftId, person_id: p, role: 'officer', position: i })),
  ]);
  for (let i = 0; i < rows.length; i += 200) await tx.insertInto('duty_shift_members').values(rows.slice(i, i + 200)).execute();
}

/** How many active people of each role each shift has (the coverage check: someone who has left covers nothing). */
export async function roleCounts(db: Conn, shiftIds: readonly number[]): Promise<Map<number, { leaders: number; officers: number }>> {
  const out = new Map<number, { leaders: number; officers: number }>();
  for (const c of chunks([...new Set(shiftIds)])) {
    const rows = await db
      .selectFrom('duty_shift_members as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select((eb) => ['m.shift_id', 'm.role', eb.fn.countAll<number>().as('n')])
      .where('m.shift_id', 'in', c)
      .where('p.status', '=', 'active')
      .groupBy(['m.shift_id', 'm.role'])
      .execute();
    for (const r of rows) {
      const e = out.get(r.shift_id) ?? { leaders: 0, officers: 0 };
      if (r.role === 'leader') e.leaders = Number(r.n);
      else e.officers = Number(r.n);
      out.set(r.shift_id, e);
    }
  }
  return out;
}

/** Put `to` in `from`'s place on a shift (same role and position). */
export async function replaceMember(tx: Conn, shiftId: number, fromPersonId: number, toPersonId: number): Promise<void> {
  await tx.updateTable('duty_shift_members').set({ person_id: toPersonId }).where('shift_id', '=', shiftId).where('person_id', '=', fromPersonId).execute();
}

/** A person's shifts ending after `from` and starting before `to`, in time order. */
export async function shiftsOfPerson(db: Conn, personId: number, from: number, to: number): Promise<(ShiftWithUnit & { role: string })[]> {
  return shiftQuery(db)
    .innerJoin('duty_shift_members as m', 'm.shift_id', 's.id')
    .select('m.role')
    .where('m.person_id', '=', personId)
    .where('s.ends_at', '>', from)
    .where('s.starts_at', '<', to)
    .orderBy('s.starts_at')
    .execute();
}

/** Whether the person is on any shift of the unit (the unit's own roster reaches beyond its people). */
export async function isOnRosterOf(db: Conn, unitId: number, personId: number): Promise<boolean> {
  const r = await db
    .selectFrom('duty_shift_members as m')
    .innerJoin('duty_shifts as s', 's.id', 'm.shift_id')
    .select('m.shift_id')
    .where('m.person_id', '=', personId)
    .where('s.unit_id', '=', unitId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Shifts with an open swap (asked or accepted): a generation keeps them. */
export async function shiftsWithOpenSwaps(db: Conn, shiftIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (const c of chunks([...new Set(shiftIds)])) {
    const rows = await db
      .selectFrom('duty_swaps')
      .select(['shift_id', 'counterpart_shift_id'])
      .where('status', 'in', ['asked', 'accepted'])
      .where((eb) => eb.or([eb('shift_id', 'in', c), eb('counterpart_shift_id', 'in', c)]))
      .execute();
    for (const r of rows) {
      out.add(r.shift_id);
      if (r.counterpart_shift_id !== null) out.add(r.counterpart_shift_id);
    }
  }
  return out;
}

/** The shifts starting exactly at `startsAt` not yet reminded (the reminder job's slice). */
export async function markShiftReminded(tx: Conn, shiftId: number, startsAt: number, now: number): Promise<boolean> {
  const r = await tx.updateTable('duty_shifts').set({ reminded_at: now }).where('id', '=', shiftId).where('starts_at', '=', startsAt).where('reminded_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ── swaps ──────────────────────────────────────────────────────────────────────────────────────

export type SwapWithNames = DutySwapRow & { unit_name: string; unit_path: string; requester_name: string; counterpart_name: string; decided_by_name: string | null };

function swapQuery(db: Conn) {
  return db
    .selectFrom('duty_swaps as w')
    .innerJoin('units as u', 'u.id', 'w.unit_id')
    .innerJoin('people as rp', 'rp.id', 'w.requester_person_id')
    .innerJoin('people as cp', 'cp.id', 'w.counterpart_person_id')
    .leftJoin('users as du', 'du.id', 'w.decided_by_user_id')
    .selectAll('w')
    .select((eb) => [
      'u.name as unit_name',
      'u.path as unit_path',
      'rp.name as requester_name',
      'cp.name as counterpart_name',
      eb.fn.coalesce('du.display_name', 'du.username').as('decided_by_name'),
    ]);
}

export async function findSwap(db: Conn, id: number): Promise<SwapWithNames | undefined> {
  return swapQuery(db).where('w.id', '=', id).executeTakeFirst() as Promise<SwapWithNames | undefined>;
}

export async function swapsIn(db: Conn, paths: readonly string[], status: string | undefined, limit: number): Promise<SwapWithNames[]> {
  let q = swapQuery(db).where((eb) => pathInSubtrees(eb, 'u.path', paths));
  if (status) q = q.where('w.status', '=', status);
  return q.orderBy('w.id', 'desc').limit(limit).execute() as Promise<SwapWithNames[]>;
}

export async function swapsOfPerson(db: Conn, personId: number, limit: number): Promise<SwapWithNames[]> {
  return swapQuery(db)
    .where((eb) => eb.or([eb('w.requester_person_id', '=', personId), eb('w.counterpart_person_id', '=', personId)]))
    .orderBy('w.id', 'desc')
    .limit(limit)
    .execute() as Promise<SwapWithNames[]>;
}

export async function insertSwap(tx: Conn, row: Omit<DutySwapRow, 'id'>): Promise<number> {
  const r = await tx.insertInto('duty_swaps').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Move a swap on from one of `fromStatuses`; false when it was no longer in one (a race lost). */
export async function moveSwap(tx: Conn, id: number, fromStatuses: readonly string[], set: Partial<Omit<DutySwapRow, 'id'>>): Promise<boolean> {
  const r = await tx.updateTable('duty_swaps').set(set).where('id', '=', id).where('status', 'in', [...fromStatuses]).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ── handovers ──────────────────────────────────────────────────────────────────────────────────

export type HandoverWithAuthor = {
  id: number;
  shift_id: number;
  unit_id: number;
  body: string;
  written_at: number;
  updated_at: number;
  starts_at: number;
  ends_at: number;
  author_name: string | null;
};

function handoverQuery(db: Conn) {
  return db
    .selectFrom('duty_handovers as h')
    .innerJoin('duty_shifts as s', 's.id', 'h.shift_id')
    .leftJoin('people as p', 'p.id', 'h.author_person_id')
    .leftJoin('users as au', 'au.id', 'h.author_user_id')
    .select((eb) => [
      'h.id',
      'h.shift_id',
      'h.unit_id',
      'h.body',
      'h.written_at',
      'h.updated_at',
      's.starts_at',
      's.ends_at',
      eb.fn.coalesce('p.name', 'au.display_name', 'au.username').as('author_name'),
    ]);
}

export async function handoverOfShift(db: Conn, shiftId: number): Promise<HandoverWithAuthor | undefined> {
  return handoverQuery(db).where('h.shift_id', '=', shiftId).executeTakeFirst() as Promise<HandoverWithAuthor | undefined>;
}

export async function handoversOfShifts(db: Conn, shiftIds: readonly number[]): Promise<HandoverWithAuthor[]> {
  if (shiftIds.length === 0) return [];
  const out: HandoverWithAuthor[] = [];
  for (const c of chunks([...new Set(shiftIds)])) out.push(...((await handoverQuery(db).where('h.shift_id', 'in', c).execute()) as HandoverWithAuthor[]));
  return out;
}

export async function upsertHandover(
  tx: Conn,
  row: { shift_id: number; unit_id: number; body: string; author_person_id: number | null; author_user_id: number; now: number },
): Promise<'written' | 'rewritten'> {
  const existing = await tx.selectFrom('duty_handovers').select('id').where('shift_id', '=', row.shift_id).executeTakeFirst();
  if (existing) {
    await tx
      .updateTable('duty_handovers')
      .set({ body: row.body, author_person_id: row.author_person_id, author_user_id: row.author_user_id, updated_at: row.now })
      .where('id', '=', existing.id)
      .execute();
    return 'rewritten';
  }
  await tx
    .insertInto('duty_handovers')
    .values({ shift_id: row.shift_id, unit_id: row.unit_id, body: row.body, author_person_id: row.author_person_id, author_user_id: row.author_user_id, written_at: row.now, updated_at: row.now })
    .execute();
  return 'written';
}

// ── coverage gap alerts ────────────────────────────────────────────────────────────────────────

/** Whether a gap of (unit, role) overlapping [from, to) was already told. */
export async function gapAlreadyAlerted(db: Conn, unitId: number, role: string, from: number, to: number): Promise<boolean> {
  const r = await db
    .selectFrom('duty_gap_alerts')
    .select('unit_id')
    .where('unit_id', '=', unitId)
    .where('role', '=', role)
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Record a told gap; false when another run recorded the same one first. */
export async function insertGapAlert(tx: Conn, row: { unit_id: number; role: string; starts_at: number; ends_at: number; alerted_at: number }): Promise<boolean> {
  const r = await tx
    .insertInto('duty_gap_alerts')
    .values(row)
    .onConflict((oc) => oc.columns(['unit_id', 'role', 'starts_at']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function gapAlertsOf(db: Conn, unitIds: readonly number[]) {
  const out: { unit_id: number; role: string; starts_at: number; ends_at: number }[] = [];
  for (const c of chunks([...new Set(unitIds)])) out.push(...(await db.selectFrom('duty_gap_alerts').select(['unit_id', 'role', 'starts_at', 'ends_at']).where('unit_id', 'in', c).execute()));
  return out;
}

export async function deleteGapAlerts(db: Conn, rows: readonly { unit_id: number; role: string; starts_at: number }[]): Promise<void> {
  for (const r of rows) await db.deleteFrom('duty_gap_alerts').where('unit_id', '=', r.unit_id).where('role', '=', r.role).where('starts_at', '=', r.starts_at).execute();
}

// ── feed tokens ────────────────────────────────────────────────────────────────────────────────

export async function findFeedToken(db: Conn, userId: number) {
  return db.selectFrom('duty_feed_tokens').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function feedUserByHash(db: Conn, hash: string) {
  return db
    .selectFrom('duty_feed_tokens as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.user_id', 'u.person_id', 'u.disabled_at'])
    .where('f.token_hash', '=', hash)
    .executeTakeFirst();
}

export async function putFeedToken(tx: Conn, userId: number, hash: string, now: number): Promise<void> {
  await tx.deleteFrom('duty_feed_tokens').where('user_id', '=', userId).execute();
  await tx.insertInto('duty_feed_tokens').values({ user_id: userId, token_hash: hash, created_at: now, last_used_at: null }).execute();
}

export async function deleteFeedToken(tx: Conn, userId: number): Promise<number> {
  const r = await tx.deleteFrom('duty_feed_tokens').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function touchFeedToken(db: Conn, userId: number, now: number): Promise<void> {
  await db.updateTable('duty_feed_tokens').set({ last_used_at: now }).where('user_id', '=', userId).execute();
}
