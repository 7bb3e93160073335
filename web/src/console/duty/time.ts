import { addDays, dayOf, startOfDay, type Day } from '../../../../common/day.js';

/** The days of a month (YYYY-MM) as YYYY-MM-DD, in order. */
export function daysOfMonth(month: string): Day[] {
  const out: Day[] = [];
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) out.push(d);
  return out;
}

/** Monday = 0 … Sunday = 6: a calendar day's weekday does not depend on the time zone. */
export function weekdayOf(day: Day): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The instants a month covers in the deployment's time zone: [its first day's start, the next month's start). */
export function monthBounds(month: string, timeZone: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
  return { from: startOfDay(`${month}-01`, timeZone), to: startOfDay(`${next}-01`, timeZone) };
}

/** "HH:mm" of an instant in the zone. */
export function clockOf(ms: number, timeZone: string): string {
  const minutes = Math.round((ms - startOfDay(dayOf(ms, timeZone), timeZone)) / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "HH:mm" when the instant is on `day`, "<next day> HH:mm" on the day after, else "MM-DD HH:mm". */
export function clockFrom(day: Day, ms: number, timeZone: string, nextDay: string): string {
  const d = dayOf(ms, timeZone);
  if (d === day) return clockOf(ms, timeZone);
  return d === addDays(day, 1) ? `${nextDay} ${clockOf(ms, timeZone)}` : `${d.slice(5)} ${clockOf(ms, timeZone)}`;
}

interface Span {
  startsAt: number;
  endsAt: number;
}
interface Staffed extends Span {
  leaders: readonly unknown[];
  officers: readonly unknown[];
}
export interface Hole extends Span {
  role: 'leader' | 'officer';
}

/**
 * The stretches inside a roster's span (its first shift's start to its last shift's end, within
 * [from, to)) where nobody holds a role: a deleted or shortened shift. Before the roster starts or
 * after it ends is not a hole here: the coming week's edge is the server's coverage check's (GET
 * /duty/gaps), whose gaps the page adds to these.
 */
export function holesOf(shifts: readonly Staffed[], from: number, to: number): Hole[] {
  const out: Hole[] = [];
  for (const role of ['leader', 'officer'] as const) {
    const held = shifts.filter((s) => (role === 'leader' ? s.leaders : s.officers).length > 0).sort((a, b) => a.startsAt - b.startsAt);
    if (held.length === 0) continue;
    let reached = Math.max(from, held[0]!.startsAt);
    for (const s of held) {
      if (s.startsAt > reached && s.startsAt <= to) out.push({ role, startsAt: reached, endsAt: Math.min(s.startsAt, to) });
      reached = Math.max(reached, s.endsAt);
    }
  }
  return out;
}

/** Gaps of one role that overlap or touch become one, so a hole the server also reports shows once. */
export function mergeHoles<T extends Hole>(gaps: readonly T[]): Hole[] {
  const out: Hole[] = [];
  for (const g of [...gaps].sort((a, b) => (a.role === b.role ? a.startsAt - b.startsAt : a.role < b.role ? -1 : 1))) {
    const last = out[out.length - 1];
    if (last && last.role === g.role && g.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, g.endsAt);
    else out.push({ role: g.role, startsAt: g.startsAt, endsAt: g.endsAt });
  }
  return out;
}
