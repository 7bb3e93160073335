import { addDays, dayOf } from '../../../common/day.js';
import { minutesOfHHMM } from '../../../common/schemas/reminders.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { instantOf } from '../../jobs/daily.js';
import { enqueueJob } from '../../jobs/jobs.js';

/**
 * When scheduled reminders run. The reminder times form a chain of job rows: each run enqueues the
 * next time (today's next, else tomorrow's first) before it reminds anyone, and the server makes
 * sure the next one exists when it starts and whenever the times change. A row's key is its day
 * and time, so every process that plans it plans the same single row.
 */
export const REMIND_JOB = 'checkin.remind';
export const CUTOFF_JOB = 'checkin.cutoff';

export const remindKey = (day: string, time: string) => `${REMIND_JOB}:${day}T${time}`;

/** The first reminder time strictly after `now`, within today and tomorrow; null when there are no times. */
export function nextReminder(now: number, times: readonly string[], timeZone: string): { day: string; time: string; at: number } | null {
  const today = dayOf(now, timeZone);
  for (const day of [today, addDays(today, 1)]) {
    for (const time of [...times].sort()) {
      const at = instantOf(day, minutesOfHHMM(time), timeZone);
      if (at > now) return { day, time, at };
    }
  }
  return null;
}

/** The latest reminder time of today that has come, or null. */
export function latestReminderToday(now: number, times: readonly string[], timeZone: string): { day: string; time: string; at: number } | null {
  const day = dayOf(now, timeZone);
  let out: { day: string; time: string; at: number } | null = null;
  for (const time of [...times].sort()) {
    const at = instantOf(day, minutesOfHHMM(time), timeZone);
    if (at <= now) out = { day, time, at };
  }
  return out;
}

/** Make sure the next reminder's row exists. */
export async function ensureNextReminder(tx: Conn, deps: Deps, times: readonly string[]): Promise<void> {
  const next = nextReminder(deps.clock.now(), times, deps.config.timeZone);
  if (!next) return;
  await enqueueJob(tx, deps.clock.now(), { kind: REMIND_JOB, key: remindKey(next.day, next.time), payload: { day: next.day, time: next.time }, runAt: next.at, maxAttempts: 5 });
}
