/**
 * The deployment's days. "Today", the end of a day (the same-day rule's deadline) and check-in days
 * are all computed here, in the deployment's time zone, whatever the server's own TZ is.
 */
export type Day = string; // YYYY-MM-DD

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(ms: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** Offset of the zone from UTC at instant `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

// The last day asked for in each zone, with its bounds: "today" is asked on every check-in, and
// formatting an instant in a zone is the costly part (two of them for a day's start).
const lastDay = new Map<string, { day: Day; from: number; to: number }>();
const starts = new Map<string, number>();

/** The day (YYYY-MM-DD) that instant `ms` falls on in `timeZone`. */
export function dayOf(ms: number, timeZone: string): Day {
  const last = lastDay.get(timeZone);
  if (last && ms >= last.from && ms < last.to) return last.day;
  const day = rawDayOf(ms, timeZone);
  const from = startOfDay(day, timeZone);
  const to = startOfDay(addDays(day, 1), timeZone);
  // Kept only when the bounds are exactly the day's (not so where a midnight repeats or is skipped).
  const exact = ms >= from && ms < to && rawDayOf(from, timeZone) === day && rawDayOf(to - 1, timeZone) === day && rawDayOf(from - 1, timeZone) !== day && rawDayOf(to, timeZone) !== day;
  if (exact) lastDay.set(timeZone, { day, from, to });
  return day;
}

function rawDayOf(ms: number, timeZone: string): Day {
  const p = parts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant a day starts in `timeZone` (handles DST by re-checking the offset). */
export function startOfDay(day: Day, timeZone: string): number {
  const key = `${timeZone} ${day}`;
  let ms = starts.get(key);
  if (ms === undefined) {
    ms = computeStartOfDay(day, timeZone);
    if (starts.size >= 1000) starts.clear();
    starts.set(key, ms);
  }
  return ms;
}

function computeStartOfDay(day: Day, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let ms = guess - offsetAt(guess, timeZone);
  ms = guess - offsetAt(ms, timeZone);
  return ms;
}

/** The last millisecond of a day in `timeZone`: the default deadline under the same-day rule. */
export function endOfDay(day: Day, timeZone: string): number {
  return startOfDay(addDays(day, 1), timeZone) - 1;
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD): 0 for the same day, negative when `to` is earlier. */
export function daysFrom(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// Every check-in asks for the same few days (tomorrow's start is today's cut-off at 24:00).
const shifted = new Map<string, Day>();

export function addDays(day: Day, n: number): Day {
  const key = `${day} ${n}`;
  let out = shifted.get(key);
  if (out === undefined) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    out = new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
    if (shifted.size >= 1000) shifted.clear();
    shifted.set(key, out);
  }
  return out;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD HH:MM' of an instant in the time zone: how a message names a deadline or a moment. */
export function localDateTime(ms: number, timeZone: string): string {
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateTimeFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
