import { z } from 'zod';
import { Id } from './shared.js';
import { WATCH_DAYS_MAX } from './watches.js';

/** Check-in reminders (one action to chase a subtree's non-reporters) and the deployment's health settings. */

export const ReminderSend = z.strictObject({ unitId: Id });
export const ReminderSent = z.object({
  /** Non-reporters of today in the subtree who were reminded. */
  sent: z.number().int(),
  day: z.string(),
});
export type ReminderSent = z.infer<typeof ReminderSent>;

const hhmm = (max: number) =>
  z.string().refine((s) => {
    const m = /^(\d{2}):(\d{2})$/.exec(s);
    return m !== null && Number(m[2]) < 60 && Number(m[1]) * 60 + Number(m[2]) <= max;
  }, `must be a time of day as HH:MM (00:00–${max === 24 * 60 ? '24:00' : '23:59'})`);

/** Minutes after midnight of an 'HH:MM' the schema has accepted. */
export const minutesOfHHMM = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

export const HealthSettings = z.strictObject({
  /** Check-ins lock at this time of the day; 24:00 = the end of the day. */
  cutoff: hhmm(24 * 60),
  /** When everyone who has not checked in yet is reminded (deployment time zone), earliest first. */
  reminderTimes: z
    .array(hhmm(24 * 60 - 1))
    .max(12)
    .refine((ts) => new Set(ts).size === ts.length, 'each time once'),
  /** When the command office gets the day's digest. */
  digestTime: hhmm(24 * 60 - 1),
  /** How long a health watch opened by a check-in, a test or a trip lasts. */
  watchDays: z.number().int().min(1).max(WATCH_DAYS_MAX),
  /** Check-in details older than this are purged; the daily counts stay. */
  retentionDays: z.number().int().min(7).max(3650),
});
export type HealthSettings = z.infer<typeof HealthSettings>;
