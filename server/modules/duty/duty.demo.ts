import type { Day } from '../../../common/day.js';
import { Pattern } from '../../../common/schemas/duty.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { scheduleShiftReminder } from './duty.jobs.js';
import { planShifts, type PlannedShift } from './duty.pattern.js';
import * as store from './duty.store.js';

/** A roster the demo organisation keeps: its unit and the people of its two rotations. */
export interface DemoRoster {
  unitId: number;
  leaderIds: number[];
  officerIds: number[];
}

/**
 * The demo organisation's rosters (called inside the demo's own transaction): 24-hour shifts handed
 * over at 08:00, a leader on duty and one duty officer each, rotating daily over the days given —
 * exactly what "generate from a pattern" makes in the console, so the duty pages, "who is on duty
 * now" and incident delivery have someone to show from the first minute. Returns, per roster, the
 * shifts laid down.
 */
export async function seedDemoRosters(tx: Conn, deps: Deps, rosters: readonly DemoRoster[], from: Day, to: Day): Promise<Map<number, PlannedShift[]>> {
  const now = deps.clock.now();
  const out = new Map<number, PlannedShift[]>();
  for (const r of rosters) {
    const pattern = Pattern.parse({ leaderIds: r.leaderIds, officerIds: r.officerIds, rotation: 'daily', shiftHours: 24, handoverHour: 8 });
    const planned = planShifts(pattern, from, to, deps.config.timeZone);
    await store.insertRoster(tx, { unit_id: r.unitId, note: '演示值班表（每日 08:00 交接班）', created_by_user_id: null, now });
    const members: { shiftId: number; leaderIds: number[]; officerIds: number[] }[] = [];
    for (const p of planned) {
      const s = await store.insertShift(tx, { unit_id: r.unitId, starts_at: p.startsAt, ends_at: p.endsAt, note: null, source: 'generated', created_by_user_id: null }, now);
      members.push({ shiftId: s.id, leaderIds: p.leaderIds, officerIds: p.officerIds });
      await scheduleShiftReminder(tx, deps, s);
    }
    await store.insertMembers(tx, members);
    await store.updateRoster(tx, r.unitId, { pattern: JSON.stringify(pattern), updated_at: now });
    out.set(r.unitId, planned);
  }
  return out;
}
