import { addDays, type Day } from '../../../common/day.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import type { DailyJob } from '../../jobs/daily.js';
import { recordAudit } from '../audit/audit.service.js';
import { purgeUnlinkedAttachments } from '../files/files.service.js';
import { getSetting } from '../setup/settings.store.js';
import { todayOf } from './checkins.service.js';
import { deleteCheckinsBefore } from './retention.store.js';

/**
 * Check-in details are kept for the retention period and then purged; the per-(day, unit) counts
 * stay, so a roll-up of any past day still answers. The purge runs nightly as a daily job.
 */
export const RETENTION_SETTING = 'health.retention_days';
export const DEFAULT_RETENTION_DAYS = 90;
/** A week is the least: the data-quality flags and "same as yesterday" read the last days. */
export const MIN_RETENTION_DAYS = 7;

/**
 * Rows per purge transaction. On SQLite one transaction holds the only writer (and, with one
 * connection, the event loop): 5,000 rows take tens of milliseconds, then the check-ins queued
 * behind it go in before the next batch (figures in docs/operations.md).
 */
export const PURGE_BATCH = 5000;

/** The purge's time of night: 03:00 deployment time, after the day's digest and before the morning's check-ins. */
export const PURGE_AT_MINUTES = 3 * 60;

/** The setting as a whole number of days (at least MIN_RETENTION_DAYS); anything else is the default. */
export function retentionDaysOf(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) return DEFAULT_RETENTION_DAYS;
  return Math.max(MIN_RETENTION_DAYS, n);
}

export async function retentionDays(deps: Deps): Promise<number> {
  return retentionDaysOf(await getSetting(deps.db, RETENTION_SETTING));
}

/** The first day kept: today and the (retention − 1) days before it stay. */
export const firstKeptDay = (today: Day, days: number): Day => addDays(today, -(days - 1));

export interface PurgeResult {
  deleted: number;
  /** Check-ins of days before this one are gone. */
  beforeDay: Day;
  batches: number;
}

/**
 * Delete the check-ins older than the retention period, in batches of PURGE_BATCH rows, each its
 * own short transaction. The run writes one audit row, in the transaction of its last batch (the
 * one that finds less than a full batch left): one row per night keeps the chain readable and
 * takes the audit chain's lock once, not once per batch. If the process dies mid-run the job runs
 * again and its row counts what that run deleted; the earlier batches are covered by it saying
 * every check-in before `beforeDay` is gone.
 */
export async function purgeOldCheckins(deps: Deps, batchSize = PURGE_BATCH): Promise<PurgeResult> {
  const days = await retentionDays(deps);
  const beforeDay = firstKeptDay(todayOf(deps), days);
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const last = await transact(deps, systemCtx, async (tx) => {
      const n = await deleteCheckinsBefore(tx, beforeDay, batchSize);
      deleted += n;
      batches++;
      if (n === batchSize) return false;
      await recordAudit(tx, deps, systemCtx, {
        action: 'checkins.purged',
        entity: 'checkins',
        entityId: addDays(beforeDay, -1),
        note: { deleted, upToDay: addDays(beforeDay, -1), retentionDays: days, batches },
      });
      return true;
    });
    if (last) break;
    // Let queued requests (check-ins on the same SQLite connection) in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { deleted, beforeDay, batches };
}

/** The nightly purge as a daily job (registered in server/jobs/registry.ts); it also drops uploads never attached to anything. */
export const retentionJob: DailyJob = {
  kind: 'health.retention',
  minutesAt: async () => PURGE_AT_MINUTES,
  run: async (deps) => {
    await purgeOldCheckins(deps);
    await purgeUnlinkedAttachments(deps);
  },
};
