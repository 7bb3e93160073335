import { addDays, startOfDay, type Day } from '../../../common/day.js';

/**
 * Data-quality rules for check-ins: pure functions that flag a person whose recent check-ins look
 * unreal. They are flags for the liaison to look into, never blocks: a check-in is accepted as
 * sent, whatever these rules say about it.
 *
 * Every rule looks only at the last QUALITY_WINDOW_DAYS days ending on the day asked about, so the
 * query behind them reads a bounded range of the (day, unit_id) index, never a person's history.
 */

/**
 * How many days running the same answers at the same minute must last to be flagged. A week: a
 * habit (the one-tap "same as yesterday" at breakfast) varies by a few minutes from day to day;
 * a script or a colleague filling in for someone at a fixed time does not.
 */
export const QUALITY_WINDOW_DAYS = 7;

/** Below this a body temperature means hypothermia (a medical emergency), not "all normal". */
export const LOW_TEMPERATURE_TENTHS = 350;

/**
 * How many day-to-day changes of city, without being on a trip, make an itinerary unreal. One
 * change is a move; two are a return; three or more in a week, with no trip reported, is a city
 * field that is being typed at random (or two people sharing one phone).
 */
export const CITY_CHANGES_FLAGGED = 3;

export type QualityReason =
  | { code: 'identical_streak'; days: number; minute: string }
  | { code: 'low_temperature_normal'; day: Day; temperature: number }
  | { code: 'city_hopping'; changes: number; cities: string[] };

/** What the rules read of one check-in. */
export interface QualitySample {
  day: Day;
  temperature: number; // tenths of a degree
  symptoms: string[];
  location: string;
  city: string;
  /** When the check-in was first sent (epoch ms): the minute of the day is read from it. */
  createdAt: number;
}

/** Minutes after the start of the day in the deployment's zone. */
export function minuteOfDay(sample: Pick<QualitySample, 'day' | 'createdAt'>, timeZone: string): number {
  return Math.floor((sample.createdAt - startOfDay(sample.day, timeZone)) / 60_000);
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** City names as typed: "青岛市" and " 青岛 " are the same place. */
export function normaliseCity(city: string): string {
  return city.trim().replace(/\s+/g, '').replace(/市$/, '').toLowerCase();
}

// Exactly as sent: a script repeats itself to the character, and a person who varies the spelling
// is not the case this rule is for.
const answersKey = (s: QualitySample) => JSON.stringify([s.temperature, s.symptoms, s.location, s.city]);

/** The days of the window ending on `day`, oldest first. */
export function windowDays(day: Day, n = QUALITY_WINDOW_DAYS): Day[] {
  return Array.from({ length: n }, (_, i) => addDays(day, i - n + 1));
}

/**
 * The same answers (temperature to the tenth, symptoms, location, city) and the same minute of the
 * day on every one of the window's days. A missing day breaks the streak.
 */
export function identicalStreak(samples: readonly QualitySample[], day: Day, timeZone: string, n = QUALITY_WINDOW_DAYS): QualityReason | null {
  const byDay = new Map(samples.map((s) => [s.day, s]));
  const days = windowDays(day, n).map((d) => byDay.get(d));
  if (days.some((s) => s === undefined)) return null;
  const all = days as QualitySample[];
  const key = answersKey(all[0]!);
  const minute = minuteOfDay(all[0]!, timeZone);
  if (!all.every((s) => answersKey(s) === key && minuteOfDay(s, timeZone) === minute)) return null;
  return { code: 'identical_streak', days: n, minute: hhmm(minute) };
}

/** A temperature below 35.0 °C sent with no symptom: a reading that cannot be "all normal". The latest such day. */
export function lowTemperatureNormal(samples: readonly QualitySample[]): QualityReason | null {
  const hits = samples.filter((s) => s.temperature < LOW_TEMPERATURE_TENTHS && s.symptoms.length === 0).sort((a, b) => (a.day < b.day ? 1 : -1));
  const latest = hits[0];
  return latest ? { code: 'low_temperature_normal', day: latest.day, temperature: latest.temperature / 10 } : null;
}

/**
 * The city changing from one day to the next CITY_CHANGES_FLAGGED times or more, counting only
 * consecutive days on which the person was not on a trip (a trip explains a change of city).
 * Without coordinates we cannot tell far from near: a daily commute across a city line (北京 ↔ 廊坊)
 * is flagged too, which is why this is a flag for a person to judge and not a rule that blocks.
 */
export function cityHopping(samples: readonly QualitySample[]): QualityReason | null {
  const sorted = [...samples].sort((a, b) => (a.day < b.day ? -1 : 1));
  let changes = 0;
  const cities: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (addDays(prev.day, 1) !== cur.day) continue;
    if (prev.location === 'trip' || cur.location === 'trip') continue;
    if (normaliseCity(prev.city) === normaliseCity(cur.city)) continue;
    changes++;
    for (const c of [prev.city.trim(), cur.city.trim()]) if (!cities.includes(c)) cities.push(c);
  }
  return changes >= CITY_CHANGES_FLAGGED ? { code: 'city_hopping', changes, cities } : null;
}

/** Every reason one person's check-ins of the window are flagged for; empty when they look real. */
export function qualityReasons(samples: readonly QualitySample[], day: Day, timeZone: string): QualityReason[] {
  const inWindow = samples.filter((s) => s.day <= day && s.day >= addDays(day, -(QUALITY_WINDOW_DAYS - 1)));
  return [identicalStreak(inWindow, day, timeZone), lowTemperatureNormal(inWindow), cityHopping(inWindow)].filter((r): r is QualityReason => r !== null);
}
