import type { Conn } from '../../db/database.js';
import type { MeetingDecisionRow, MeetingRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The queries of meetings and their decisions. Rules live in meetings.service.ts. */

export type MeetingView = MeetingRow & { unit_name: string; unit_path: string; decision_count: number };

function views(db: Conn) {
  return db
    .selectFrom('meetings')
    .innerJoin('units', 'units.id', 'meetings.unit_id')
    .selectAll('meetings')
    .select((eb) => [
      'units.name as unit_name',
      'units.path as unit_path',
      eb.selectFrom('meeting_decisions').select(eb.fn.countAll<number>().as('n')).whereRef('meeting_decisions.meeting_id', '=', 'meetings.id').as('decision_count'),
    ]);
}

const normalise = (r: Omit<MeetingView, 'decision_count'> & { decision_count: unknown }): MeetingView => ({ ...r, decision_count: Number(r.decision_count ?? 0) });

export async function insertMeeting(tx: Conn, row: Omit<MeetingRow, 'id'>): Promise<MeetingRow> {
  return tx.insertInto('meetings').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertDecisions(tx: Conn, rows: readonly Omit<MeetingDecisionRow, 'id'>[]): Promise<void> {
  if (rows.length) await tx.insertInto('meeting_decisions').values([...rows]).execute();
}

export async function findMeeting(db: Conn, id: number): Promise<MeetingView | undefined> {
  const r = await views(db).where('meetings.id', '=', id).executeTakeFirst();
  return r && normalise(r);
}

export async function decisionsOf(db: Conn, meetingId: number): Promise<MeetingDecisionRow[]> {
  return db.selectFrom('meeting_decisions').selectAll().where('meeting_id', '=', meetingId).orderBy('position').orderBy('id').execute();
}

export async function findDecision(db: Conn, meetingId: number, id: number): Promise<MeetingDecisionRow | undefined> {
  return db.selectFrom('meeting_decisions').selectAll().where('meeting_id', '=', meetingId).where('id', '=', id).executeTakeFirst();
}

/** Link a decision to the directive made for it, unless another request linked one first; false then. */
export async function linkDecision(tx: Conn, id: number, directiveId: number): Promise<boolean> {
  const r = await tx.updateTable('meeting_decisions').set({ directive_id: directiveId }).where('id', '=', id).where('directive_id', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function nextPosition(db: Conn, meetingId: number): Promise<number> {
  const r = await db.selectFrom('meeting_decisions').select((eb) => eb.fn.max('position').as('p')).where('meeting_id', '=', meetingId).executeTakeFirst();
  return Number(r?.p ?? 0) + 1;
}

/** One page of the meetings recorded in these subtrees, latest first. */
export async function listMeetings(db: Conn, paths: readonly string[], offset: number, limit: number): Promise<{ rows: MeetingView[]; total: number }> {
  const where = (q: ReturnType<typeof views>) => q.where((eb) => pathInSubtrees(eb, 'units.path', paths));
  const [rows, count] = await Promise.all([
    where(views(db)).orderBy('meetings.held_at', 'desc').orderBy('meetings.id', 'desc').offset(offset).limit(limit).execute(),
    where(views(db))
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalise), total: Number(count.n) };
}
