import { addDays, daysFrom } from '../../../common/day.js';
import type { Conn } from '../../db/database.js';
import type { RiskAreaRow, TripRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { systemCtx, type Ctx } from '../../http/actor.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRole } from '../notify/notify.service.js';
import { todayOf } from './checkins.service.js';
import { effectiveMeasureIn } from '../measures/measures.effective.js';
import { areasMeeting, findRiskArea } from './risk-areas.store.js';
import { openHealthWatch, watchDays } from './watches.service.js';
import * as store from './trips.store.js';

/**
 * The rule of 掌握员工流动情况: a return from an area that was on the risk list (any level) on any
 * day of the trip — [start day, return day] meets [valid from, valid until] — opens a health watch
 * for the person and tells their unit's liaisons. It runs in two places: inside the transaction of the
 * return, and in a job queued by the transaction that adds or corrects an area, for people who
 * came back from it within the watch period (the command office would want to know about them too).
 * `trips.watch_area_id` is set once, so a trip opens one watch whichever path sees it first.
 */

interface WatchSubject {
  trip: TripRow;
  personName: string;
  unitId: number;
  unitName: string;
}

/**
 * How many days the watch after a return runs: the measure `trip.watch_days` in force at the
 * person's unit on the return day where some unit set it (a subsidiary with a stricter rule, or
 * the group at its root), else the health settings' watch days — so a deployment that only ever
 * set the setting keeps its number. Memoised per (unit, day) for a batch.
 */
function tripWatchDays(db: Conn, deps: Deps): (unitId: number, returnDay: string) => Promise<number> {
  const memo = new Map<string, Promise<number>>();
  let setting: Promise<number> | undefined;
  return (unitId, returnDay) => {
    const key = `${unitId}:${returnDay}`;
    let days = memo.get(key);
    if (!days) {
      days = effectiveMeasureIn(db, deps, 'trip.watch_days', unitId, returnDay).then((m) => (m.fromUnitId === null ? (setting ??= watchDays(db)) : (m.value as number)));
      memo.set(key, days);
    }
    return days;
  };
}

/** The longest watch a measure may set (the catalogue's bound): how far back a new area looks. */
const LONGEST_WATCH_DAYS = 90;


/**
 * Open the watch for one trip and one area, tell the unit's liaisons, and mark the trip: all in
 * the caller's transaction. The watch runs the command office's number of days counted from the
 * return day, so a return reported late or an area listed late gets only the days that remain;
 * none remain: nothing opens.
 */
async function startWatch(tx: Conn, deps: Deps, ctx: Ctx, s: WatchSubject, area: RiskAreaRow, days: number, openedByUserId: number | null): Promise<TripRow> {
  const remaining = days - daysFrom(s.trip.returned_on!, todayOf(deps));
  if (remaining < 1) return s.trip;
  const trip = await store.updateTrip(tx, s.trip.id, { watch_area_id: area.id, updated_at: deps.clock.now() });
  const place = `${area.city}${area.district ?? ''}`;
  const watch = await openHealthWatch(tx, deps, { personId: trip.person_id, reason: 'trip_return', sourceEntity: 'trip', sourceId: String(trip.id), days: remaining, openedByUserId });
  // A new watch tells the liaison itself (health.watch_opened, linking to the watch); one told
  // twice about the same return learns nothing more. Only a return that joins a watch already open
  // (which tells nobody) is announced here, with the area it came from.
  if (!watch.created) {
    await notifyUnitRole(tx, deps, s.unitId, ['liaison'], {
      kind: 'health.trip_return',
      params: { person: s.personName, unit: s.unitName, area: place },
      unitId: s.unitId,
      entity: 'trip',
      entityId: String(trip.id),
      link: '/health/trips',
    });
  }
  await recordAudit(tx, deps, ctx, { action: 'trip.watch_opened', entity: 'trip', entityId: trip.id, unitId: s.unitId, note: { personId: trip.person_id, areaId: area.id, days: remaining } });
  return trip;
}

/** On a return: the first (most severe) area the trip met, if any, opens the watch. */
export async function openWatchOnReturn(tx: Conn, deps: Deps, ctx: Ctx, s: WatchSubject): Promise<TripRow> {
  const t = s.trip;
  if (t.returned_on === null || t.watch_area_id !== null) return t;
  const [area] = await areasMeeting(tx, { city: t.destination_city, district: t.destination_district }, t.start_on, t.returned_on);
  return area ? startWatch(tx, deps, ctx, s, area, await tripWatchDays(tx, deps)(s.unitId, t.returned_on), ctx.actor?.userId ?? null) : t;
}

/** The job that reaches back over recent returns when an area is added or corrected. */
export const AREA_REACH_BACK_JOB = 'trips.area_reach_back';
/** Trips per transaction: a busy city's returns never hold the database's one writer for long. */
const REACH_BACK_BATCH = 50;

/**
 * The returned trips an area reaches whose watch period is still running, each with its watch
 * days (they differ by unit). `afterId` is where the next page starts: the page may keep fewer
 * trips than it read.
 */
async function reachableReturns(db: Conn, deps: Deps, area: RiskAreaRow, afterId: number, limit: number | null) {
  const today = todayOf(deps);
  // The watch of a return on day R runs through R + days - 1; no unit's watch is longer than the bound.
  const read = await store.returnedTripsMeeting(db, area, addDays(today, -(LONGEST_WATCH_DAYS - 1)), afterId, limit);
  const daysOf = tripWatchDays(db, deps);
  const trips: { trip: (typeof read)[number]; days: number }[] = [];
  for (const trip of read) {
    const days = await daysOf(trip.person_unit_id, trip.returned_on!);
    if (daysFrom(trip.returned_on!, today) < days) trips.push({ trip, days });
  }
  return { trips, nextAfterId: read.at(-1)?.id ?? null };
}

/**
 * In the transaction that adds or corrects an area: queue the reach-back job (keyed by the area's
 * version, so each change is looked at once) and say how many returns it will look at.
 */
export async function queueReachBack(tx: Conn, deps: Deps, ctx: Ctx, area: RiskAreaRow): Promise<number> {
  const { trips } = await reachableReturns(tx, deps, area, 0, null);
  if (trips.length === 0) return 0;
  const now = deps.clock.now();
  await enqueueJob(tx, now, { kind: AREA_REACH_BACK_JOB, key: `${AREA_REACH_BACK_JOB}:${area.id}:${Number(area.updated_at)}`, payload: { areaId: area.id, userId: ctx.actor?.userId ?? null }, runAt: now });
  return trips.length;
}

/**
 * The job: every returned trip the area reaches whose watch period is still running opens a watch
 * for the days that remain, as on a return. A batch of trips per transaction, in id order. Run
 * again after a crash it skips the trips already marked (and openHealthWatch ignores a cause it
 * has seen), so nothing opens twice.
 */
export async function reachBackFromArea(deps: Deps, payload: unknown): Promise<number> {
  const { areaId, userId } = payload as { areaId: number; userId: number | null };
  const area = await findRiskArea(deps.db, areaId);
  if (!area) return 0;
  // The audit rows name the user who changed the list; the system does the work.
  const ctx: Ctx = { ...systemCtx };
  let opened = 0;
  let afterId = 0;
  for (;;) {
    const { trips, nextAfterId } = await reachableReturns(deps.db, deps, area, afterId, REACH_BACK_BATCH);
    if (nextAfterId === null) return opened;
    afterId = nextAfterId;
    opened += await transact(deps, ctx, async (tx) => {
      let n = 0;
      for (const { trip: t, days } of trips) {
        // Re-read inside the transaction: a return, or another run, may have marked it meanwhile.
        const fresh = await store.findTrip(tx, t.id);
        if (!fresh || fresh.watch_area_id !== null || fresh.status !== 'returned') continue;
        const after = await startWatch(tx, deps, ctx, { trip: fresh, personName: fresh.person_name, unitId: fresh.person_unit_id, unitName: fresh.unit_name }, area, days, userId);
        if (after.watch_area_id !== null) n++;
      }
      return n;
    });
  }
}
