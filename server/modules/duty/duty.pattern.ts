import { addDays, startOfDay, type Day } from '../../../common/day.js';
import type { Pattern } from '../../../common/schemas/duty.js';

const H = 3_600_000;

/** One shift a pattern asks for. */
export interface PlannedShift {
  startsAt: number;
  endsAt: number;
  leaderIds: number[];
  officerIds: number[];
}

/** The days from `from` to `to` inclusive; empty when `to` is before `from`. */
export function daysBetween(from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The instant a day's hand-over happens: `hour` o'clock local time. */
export function handoverInstant(day: Day, hour: number, timeZone: string): number {
  return startOfDay(day, timeZone) + hour * H;
}

/**
 * The shifts a pattern lays over the local days [from, to]. Each day has 24 / shiftHours slots, the
 * first at the hand-over hour; the last slot of a day ends at the next day's hand-over, so the
 * shifts tile time without a hole even across a daylight-saving change. The rotation advances once
 * a day (daily) or once every 7 days counted from `from` (weekly); within a step, slot j takes the
 * j-th next people, so the two halves of a 12-hour day have different people.
 */
export function planShifts(p: Pattern, from: Day, to: Day, timeZone: string): PlannedShift[] {
  const days = daysBetween(from, to);
  const perDay = 24 / p.shiftHours;
  const out: PlannedShift[] = [];
  days.forEach((day, di) => {
    const base = handoverInstant(day, p.handoverHour, timeZone);
    const nextBase = handoverInstant(addDays(day, 1), p.handoverHour, timeZone);
    const step = p.rotation === 'daily' ? di : Math.floor(di / 7);
    for (let j = 0; j < perDay; j++) {
      const slot = step * perDay + j;
      const startsAt = base + j * p.shiftHours * H;
      const endsAt = j === perDay - 1 ? nextBase : startsAt + p.shiftHours * H;
      const leaderIds = [p.leaderIds[(p.leaderOffset + slot) % p.leaderIds.length]!];
      const officerIds: number[] = [];
      for (let i = 0; i < p.officersPerShift; i++) officerIds.push(p.officerIds[(p.officerOffset + slot * p.officersPerShift + i) % p.officerIds.length]!);
      out.push({ startsAt, endsAt, leaderIds, officerIds });
    }
  });
  return out;
}

/** What is wrong with a pattern beyond its shape, by field; null when nothing. */
export function patternProblems(p: Pattern): Record<string, string> | null {
  const fields: Record<string, string> = {};
  if (p.officersPerShift > p.officerIds.length) fields['pattern.officersPerShift'] = 'must not exceed the number of officers in the rotation';
  const leaders = new Set(p.leaderIds);
  if (p.officerIds.some((id) => leaders.has(id))) fields['pattern.officerIds'] = 'a person may not be in both the leaders and the officers rotation';
  return Object.keys(fields).length ? fields : null;
}
