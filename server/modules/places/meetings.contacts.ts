import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';

/**
 * What the contact search (contacts.*, helper `dining`) reads of meeting registrations: who sat in
 * a meeting with a person. Only attendee lists count (an expected count names nobody); cancelled
 * and refused meetings never took place.
 */

export interface SharedMeetings {
  /** Another person on the attendee list of a meeting the person was listed for. */
  personId: number;
  /** How many such meetings. */
  meetings: number;
  /** Their total length in minutes. */
  minutes: number;
}

/**
 * For each other attendee of a meeting (not cancelled, not refused) that `personId` attended and
 * that started in [from, to) (epoch ms): how many meetings they shared and for how many minutes.
 * One statement; most shared minutes first. Scope is the caller's business (the contact search
 * filters its candidates by the reader's health.read scope).
 */
export async function sharedMeetings(db: Conn, personId: number, from: number, to: number): Promise<SharedMeetings[]> {
  const rows = await db
    .selectFrom('meeting_attendees as mine')
    .innerJoin('meeting_registrations as m', 'm.id', 'mine.meeting_id')
    .innerJoin('meeting_attendees as other', 'other.meeting_id', 'm.id')
    .where('mine.person_id', '=', personId)
    .where('other.person_id', '<>', personId)
    .where('m.status', 'not in', ['cancelled', 'refused'])
    .where('m.start_at', '>=', from)
    .where('m.start_at', '<', to)
    .groupBy('other.person_id')
    .select(['other.person_id as personId', sql<number>`count(*)`.as('meetings'), sql<number>`sum(m.minutes)`.as('minutes')])
    .execute();
  return rows
    .map((r) => ({ personId: Number(r.personId), meetings: Number(r.meetings), minutes: Number(r.minutes) }))
    .sort((a, b) => b.minutes - a.minutes || b.meetings - a.meetings || a.personId - b.personId);
}
