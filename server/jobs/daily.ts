import { addDays, dayOf, startOfDay, type Day } from '../../common/day.js';
import type { Deps } from '../deps.js';
import { enqueueJob, type JobHandler } from './jobs.js';

/**
 * Work that happens once a day at a set time of the deployment's day (the nightly retention
 * purge, the command office's digest). Each occurrence is its own job row keyed by kind and day,
 * so every process that enqueues it enqueues the same single row and only one can run it; each
 * run enqueues the next day's row before doing its work, so a crash mid-run loses no later day.
 *
 * Down past the time: the row is still due and fires once on return. Down past several
 * occurrences: only the latest one runs; the older rows find a later time already passed and
 * hand over to it, so a server back after a long weekend sends one digest, not three.
 */
export interface DailyJob {
  kind: string;
  /** Minutes after midnight, deployment time, the job runs at (read each time it is scheduled). */
  minutesAt(deps: Deps): Promise<number>;
  run(deps: Deps, day: Day): Promise<void>;
}

export const dailyKey = (kind: string, day: Day) => `${kind}:${day}`;

/** The instant of `minutes` after the start of `day` in the zone; 24:00 and later fall on the next day's start. */
export function instantOf(day: Day, minutes: number, timeZone: string): number {
  const m = Math.max(0, Math.min(minutes, 24 * 60));
  return m >= 24 * 60 ? startOfDay(addDays(day, 1), timeZone) : startOfDay(day, timeZone) + m * 60_000;
}

/** The latest day whose occurrence has come (today's if its time has passed, else yesterday's). */
export function latestDue(now: number, minutes: number, timeZone: string): Day {
  const today = dayOf(now, timeZone);
  return now >= instantOf(today, minutes, timeZone) ? today : addDays(today, -1);
}

async function enqueueOccurrence(deps: Deps, job: DailyJob, day: Day, minutes: number): Promise<void> {
  await enqueueJob(deps.db, deps.clock.now(), { kind: job.kind, key: dailyKey(job.kind, day), payload: { day }, runAt: instantOf(day, minutes, deps.config.timeZone), maxAttempts: 5 });
}

/** Make sure the next occurrence (today's if its time is still ahead, else tomorrow's) has its row. */
export async function ensureDailyJob(deps: Deps, job: DailyJob): Promise<void> {
  const minutes = await job.minutesAt(deps);
  await enqueueOccurrence(deps, job, addDays(latestDue(deps.clock.now(), minutes, deps.config.timeZone), 1), minutes);
}

/** The handler of a daily job's rows: run the occurrence unless a later one is already due. */
export function dailyHandler(job: DailyJob): JobHandler {
  return async (deps, payload) => {
    const { day } = payload as { day: Day };
    const minutes = await job.minutesAt(deps);
    const latest = latestDue(deps.clock.now(), minutes, deps.config.timeZone);
    if (day < latest) {
      // Superseded: a later occurrence is due too; that one runs (at once) and this one does not.
      await enqueueOccurrence(deps, job, latest, minutes);
      return;
    }
    // A row whose time was moved later by a settings change after it was enqueued still runs now:
    // the new time counts from the next occurrence.
    await enqueueOccurrence(deps, job, addDays(day, 1), minutes);
    await job.run(deps, day);
  };
}
