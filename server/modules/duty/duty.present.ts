import type { Handover, Pattern, Roster, Shift, ShiftPerson } from '../../../common/schemas/duty.js';
import type { Conn } from '../../db/database.js';
import type { Actor } from '../../http/actor.js';
import { phoneAsSeenBy } from '../org/people.service.js';
import { canWriteDuty, shiftAbilities } from './duty.policy.js';
import * as store from './duty.store.js';

/** Turning rows into the shapes of common/schemas/duty.ts, phones masked as the actor may see them. */

export function presentPerson(actor: Actor, m: store.MemberRow): ShiftPerson {
  return { personId: m.person_id, name: m.name, phone: phoneAsSeenBy(actor, m), unitId: m.unit_id, unitName: m.unit_name };
}

export function presentRoster(actor: Actor, r: store.RosterRow): Roster {
  return {
    unitId: r.unit_id,
    unitName: r.unit_name,
    note: r.note,
    pattern: r.pattern ? (JSON.parse(r.pattern) as Pattern) : null,
    coveredUntil: r.covered_until === null || r.covered_until === undefined ? null : Number(r.covered_until),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    abilities: { write: canWriteDuty(actor, r.unit_path) },
  };
}

export function presentHandover(h: store.HandoverWithAuthor): Handover {
  return {
    id: h.id,
    shiftId: h.shift_id,
    unitId: h.unit_id,
    shiftStartsAt: Number(h.starts_at),
    shiftEndsAt: Number(h.ends_at),
    body: h.body,
    authorName: h.author_name,
    writtenAt: Number(h.written_at),
    updatedAt: Number(h.updated_at),
  };
}

/** Shifts with their people and whether each has a handover: two queries for the whole list. */
export async function presentShifts(db: Conn, actor: Actor, rows: readonly store.ShiftWithUnit[], now: number): Promise<Shift[]> {
  const ids = rows.map((r) => r.id);
  const members = await store.membersOf(db, ids);
  const handovers = new Set((await store.handoversOfShifts(db, ids)).map((h) => h.shift_id));
  const byShift = new Map<number, store.MemberRow[]>();
  for (const m of members) {
    const list = byShift.get(m.shift_id) ?? [];
    list.push(m);
    byShift.set(m.shift_id, list);
  }
  return rows.map((r) => {
    const ms = byShift.get(r.id) ?? [];
    return {
      id: r.id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      startsAt: Number(r.starts_at),
      endsAt: Number(r.ends_at),
      note: r.note,
      source: r.source === 'generated' ? 'generated' : 'manual',
      swapped: r.swapped_at !== null,
      leaders: ms.filter((m) => m.role === 'leader').map((m) => presentPerson(actor, m)),
      officers: ms.filter((m) => m.role === 'officer').map((m) => presentPerson(actor, m)),
      hasHandover: handovers.has(r.id),
      abilities: shiftAbilities(
        actor,
        r,
        ms.map((m) => m.person_id),
        now,
      ),
    };
  });
}

/** What the audit log keeps of a shift: times and who, by person id. */
export const shiftAuditView = (s: { starts_at: number; ends_at: number; note: string | null }, leaderIds: readonly number[], officerIds: readonly number[]) => ({
  startsAt: Number(s.starts_at),
  endsAt: Number(s.ends_at),
  note: s.note,
  leaderIds,
  officerIds,
});
