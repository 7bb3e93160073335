import { GAP_HORIZON_DAYS, type DutyRole, type Gap } from '../../../common/schemas/duty.js';
import type { Conn } from '../../db/database.js';
import * as store from './duty.store.js';

const DAY = 86_400_000;

/**
 * The stretches of [from, to) not covered by a shift with at least one person of `role`, given
 * shifts as [start, end) intervals in any order. Touching shifts (one ends as the next starts)
 * leave no gap.
 */
export function uncovered(intervals: readonly { start: number; end: number }[], from: number, to: number): { start: number; end: number }[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  let cursor = from;
  for (const i of sorted) {
    if (i.end <= cursor) continue;
    if (i.start >= to) break;
    if (i.start > cursor) out.push({ start: cursor, end: i.start });
    cursor = Math.max(cursor, i.end);
    if (cursor >= to) break;
  }
  if (cursor < to) out.push({ start: cursor, end: to });
  return out;
}

/**
 * Coverage gaps of these units (that keep duty) from `now` for `days` days: every stretch without a
 * leader on duty, and every stretch without a duty officer. Two queries for all the units.
 */
export async function coverageGaps(db: Conn, units: readonly { id: number; name: string }[], now: number, days = GAP_HORIZON_DAYS): Promise<Gap[]> {
  const to = now + days * DAY;
  const shifts = await store.shiftsOfUnitsOverlapping(
    db,
    units.map((u) => u.id),
    now,
    to,
  );
  const counts = await store.roleCounts(
    db,
    shifts.map((s) => s.id),
  );
  const byUnit = new Map<number, typeof shifts>();
  for (const s of shifts) {
    const list = byUnit.get(s.unit_id) ?? [];
    list.push(s);
    byUnit.set(s.unit_id, list);
  }
  const out: Gap[] = [];
  for (const u of units) {
    const own = byUnit.get(u.id) ?? [];
    for (const role of ['leader', 'officer'] as DutyRole[]) {
      const covered = own
        .filter((s) => {
          const c = counts.get(s.id);
          return (role === 'leader' ? c?.leaders : c?.officers) ?? 0;
        })
        .map((s) => ({ start: Number(s.starts_at), end: Number(s.ends_at) }));
      for (const g of uncovered(covered, now, to)) out.push({ unitId: u.id, unitName: u.name, role, startsAt: g.start, endsAt: g.end });
    }
  }
  return out.sort((a, b) => a.startsAt - b.startsAt || a.unitId - b.unitId);
}
