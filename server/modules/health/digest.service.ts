import type { Day } from '../../../common/day.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import type { DailyJob } from '../../jobs/daily.js';
import { claimScheduledRun, notifyUnitRole } from '../notify/notify.service.js';
import { getSetting } from '../setup/settings.store.js';
import { rollupRows } from './reports.service.js';

/**
 * The daily digest: at a set time the command office of each organisation (the `command` role on
 * a root unit) gets the day's figures of the whole tree as a `health.digest` notification, in-app
 * and through the root unit's robots.
 */
export const DIGEST_SETTING = 'health.digest_time';
export const DEFAULT_DIGEST_MINUTES = 17 * 60;

/** 'HH:MM' (00:00–23:59) to minutes after midnight; anything else is 17:00. */
export function digestMinutes(value: unknown): number {
  const m = typeof value === 'string' ? /^(\d{2}):(\d{2})$/.exec(value) : null;
  if (!m) return DEFAULT_DIGEST_MINUTES;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : DEFAULT_DIGEST_MINUTES;
}

/**
 * Send the day's digest to the command office of every live root unit; returns the notifications
 * written. Each root's digest is claimed as a scheduled run in the transaction that sends it, so a
 * job re-run after a crash sends nothing twice.
 */
export async function sendDailyDigest(deps: Deps, day: Day): Promise<number> {
  const roots = await deps.db.selectFrom('units').select(['id', 'name', 'path']).where('parent_id', 'is', null).where('archived_at', 'is', null).execute();
  let sent = 0;
  for (const root of roots) {
    const [row] = await rollupRows(deps, root, day, 0);
    const f = row!.figures;
    sent += await transact(deps, systemCtx, async (tx) => {
      if (!(await claimScheduledRun(tx, deps, `health.digest:${day}:${root.id}`))) return 0;
      return notifyUnitRole(tx, deps, root.id, ['command'], {
        kind: 'health.digest',
        params: { day, checkedIn: f.checkedIn, headcount: f.headcount, abnormal: f.abnormal, notYet: f.notYet },
        unitId: root.id,
        entity: 'checkin_day',
        entityId: day,
        link: `/health/dashboard?unit=${root.id}`,
      });
    });
  }
  return sent;
}

/** The digest as a daily job at the set time (registered in server/jobs/registry.ts). */
export const digestJob: DailyJob = {
  kind: 'health.digest',
  minutesAt: async (deps) => digestMinutes(await getSetting(deps.db, DIGEST_SETTING)),
  run: async (deps, day) => void (await sendDailyDigest(deps, day)),
};
