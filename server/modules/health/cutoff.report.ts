import { addDays, dayOf, type Day } from '../../../common/day.js';
import { timeOfMinutes } from '../../../common/schemas/reports.js';
import type { Conn } from '../../db/database.js';
import { nearestUp } from '../../db/tree.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { systemCtx } from '../../http/actor.js';
import { instantOf } from '../../jobs/daily.js';
import { enqueueJob, type JobHandler } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { effectiveMeasureIn } from '../measures/measures.effective.js';
import { nameList } from '../notify/messages.js';
import { claimScheduledRun, notifyUsersMany } from '../notify/notify.service.js';
import { CUTOFF_MEASURE } from './health.policy.js';
import { CUTOFF_JOB } from './reminders.plan.js';
import * as store from './reminders.store.js';

/**
 * The cut-off report: a person still missing when check-ins lock is reported to the unit head of
 * their unit, or of its nearest ancestor that has one.
 *
 * Check-ins lock at each unit's own cut-off (the checkin.cutoff measure: the root's value, which a
 * unit may tighten for its subtree), so the report runs at every distinct cut-off in force, not once
 * at the root's. The units where a cut-off can differ from their parent's — the roots and the units
 * with a value of their own — are the report's *origins*; a person's cut-off is that of their
 * nearest origin. Each origin's day is claimed once (a scheduled-run row), so a job run twice, two
 * processes, or a job late after a restart report nobody twice.
 *
 * The runs form a chain of job rows like the reminders' (reminders.plan.ts): each run enqueues the
 * next distinct cut-off before reporting, the server makes sure the next row exists when it starts,
 * and a change of the measure anywhere enqueues the (possibly new) next one in its own transaction.
 * A row left at a time no longer in force finds nothing due and only passes the chain on.
 */
export interface CutoffOrigin {
  unitId: number;
  /** Minutes after midnight (24:00 = 1440: the end of the day). */
  minutes: number;
}

/** The origins and their cut-offs on a day. Read through `db`, so a measure's change sees its own uncommitted rows. */
export async function cutoffOrigins(db: Conn, deps: Deps, day: Day): Promise<CutoffOrigin[]> {
  const ids = await store.cutoffOriginUnits(db, CUTOFF_MEASURE);
  const out: CutoffOrigin[] = [];
  for (const unitId of ids) out.push({ unitId, minutes: (await effectiveMeasureIn(db, deps, CUTOFF_MEASURE, unitId, day)).stored });
  return out;
}

/** The first distinct cut-off strictly after `now` (yesterday's 24:00 is today's midnight), or null when there is no unit. */
async function nextCutoff(db: Conn, deps: Deps, now: number): Promise<{ day: Day; minutes: number; at: number } | null> {
  const tz = deps.config.timeZone;
  const today = dayOf(now, tz);
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
    const times = [...new Set((await cutoffOrigins(db, deps, day)).map((o) => o.minutes))].sort((x, y) => x - y);
    for (const minutes of times) {
      const at = instantOf(day, minutes, tz);
      if (at > now) return { day, minutes, at };
    }
  }
  return null;
}

const cutoffKey = (day: Day, minutes: number) => `${CUTOFF_JOB}:${day}T${timeOfMinutes(minutes)}`;

/** Make sure the next cut-off's row exists (at start, after a run, after a change of the measure). */
export async function ensureNextCutoff(db: Conn, deps: Deps): Promise<void> {
  const next = await nextCutoff(db, deps, deps.clock.now());
  if (!next) return;
  await enqueueJob(db, deps.clock.now(), { kind: CUTOFF_JOB, key: cutoffKey(next.day, next.minutes), payload: { day: next.day }, runAt: next.at, maxAttempts: 5 });
}

/**
 * Report, for `day`, the people missing under every origin whose cut-off has come and whose day
 * has not been reported yet; each unit head told gets one notification naming their missing people.
 * Returns the notifications written.
 */
export async function reportMissingAtCutoff(deps: Deps, day: Day): Promise<number> {
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  return transact(deps, systemCtx, async (tx) => {
    const origins = await cutoffOrigins(tx, deps, day);
    const due: CutoffOrigin[] = [];
    for (const o of origins) {
      if (instantOf(day, o.minutes, tz) <= now && (await claimScheduledRun(tx, deps, `${CUTOFF_JOB}:${day}#u${o.unitId}`))) due.push(o);
    }
    if (due.length === 0) return 0;
    const isOrigin = new Set(origins.map((o) => o.unitId));
    const reporting = new Set(due.map((o) => o.unitId));
    const [allMissing, heads] = await Promise.all([store.missingOn(tx, day, null), store.holdersOfRole(tx, 'unit_head')]);
    // Each person belongs to their nearest origin: reported now only if that origin's cut-off is.
    const missing = allMissing.filter((p) => {
      const origin = nearestUp(p.unit_path, (id) => isOrigin.has(id));
      return origin !== undefined && reporting.has(origin);
    });
    const headsOf = new Map<number, number[]>();
    for (const h of heads) {
      const list = headsOf.get(h.unit_id);
      if (list) list.push(h.user_id);
      else headsOf.set(h.unit_id, [h.user_id]);
    }
    const byUnit = new Map<number, string[]>();
    let unreported = 0;
    for (const p of missing) {
      const at = nearestUp(p.unit_path, (id) => headsOf.has(id));
      if (at === undefined) unreported++;
      else {
        const list = byUnit.get(at);
        if (list) list.push(p.name);
        else byUnit.set(at, [p.name]);
      }
    }
    const names = await store.unitNames(tx, [...byUnit.keys()]);
    const written = await notifyUsersMany(
      tx,
      deps,
      [...byUnit].map(([unitId, people]) => ({
        userIds: headsOf.get(unitId)!,
        n: {
          kind: 'checkin.missing_at_cutoff',
          params: { unit: names.get(unitId) ?? '', day, count: people.length, names: nameList(people) },
          unitId,
          entity: 'checkin_day',
          entityId: day,
          link: `/health/non-reporters?unitId=${unitId}&day=${day}`,
        },
      })),
    );
    await recordAudit(tx, deps, systemCtx, {
      action: 'checkins.missing_reported',
      entity: 'checkin_day',
      entityId: day,
      note: { day, people: missing.length, units: byUnit.size, withoutUnitHead: unreported, cutoffs: due.map((o) => ({ unitId: o.unitId, at: timeOfMinutes(o.minutes) })) },
    });
    return written;
  });
}

/**
 * A row of the chain: pass the chain on, then report its day. A day older than yesterday (the
 * server was down through it) is not reported any more: the report is for acting on the day.
 */
export const handleCutoffJob: JobHandler = async (deps, payload) => {
  const { day } = payload as { day: Day };
  await ensureNextCutoff(deps.db, deps);
  if (day < addDays(dayOf(deps.clock.now(), deps.config.timeZone), -1)) return;
  await reportMissingAtCutoff(deps, day);
};
