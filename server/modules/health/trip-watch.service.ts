import { addDays } from '../../../common/day.js';
import type { Conn } from '../../db/database.js';
import type { RiskAreaRow, TripRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRole } from '../notify/notify.service.js';
import { todayOf } from './checkins.service.js';
import { areasMeeting } from './risk-areas.store.js';
import { openHealthWatch, watchDays } from './watches.service.js';
import * as store from './trips.store.js';

/**
 * The rule of 掌握员工流动情况: a return from an area that was on the risk list (any level) on any
 * day of the trip — [start day, return day] meets [valid from, valid until] — opens a health watch
 * for the person and tells their unit's liaisons. It runs in two places, each inside the transaction that
 * causes it: the return, and an area added or widened later, for people who came back from it
 * within the watch period (the command office would want to know about them too).
 * `trips.watch_area_id` is set once, so a trip opens one watch whichever path sees it first.
 */

interface WatchSubject {
  trip: TripRow;
  personName: string;
  unitId: number;
  unitName: string;
}

/** Whole days from `a` to `b` (both 'YYYY-MM-DD'). */
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * Open the watch for one trip and one area, tell the unit's liaisons, and mark the trip: all in
 * the caller's transaction. The watch runs the command office's number of days counted from the
 * return day, so a return reported late or an area listed late gets only the days that remain;
 * none remain: nothing opens.
 */
async function startWatch(tx: Conn, deps: Deps, ctx: Ctx, s: WatchSubject, area: RiskAreaRow, days: number): Promise<TripRow> {
  const remaining = days - daysBetween(s.trip.returned_on!, todayOf(deps));
  if (remaining < 1) return s.trip;
  const trip = await store.updateTrip(tx, s.trip.id, { watch_area_id: area.id, updated_at: deps.clock.now() });
  const place = `${area.city}${area.district ?? ''}`;
  await openHealthWatch(tx, deps, { personId: trip.person_id, reason: 'trip_return', sourceEntity: 'trip', sourceId: String(trip.id), days: remaining, openedByUserId: ctx.actor?.userId ?? null });
  await notifyUnitRole(tx, deps, s.unitId, ['liaison'], {
    kind: 'health.trip_return',
    params: { person: s.personName, unit: s.unitName, area: place },
    unitId: s.unitId,
    entity: 'trip',
    entityId: String(trip.id),
    link: '/health/trips',
  });
  await recordAudit(tx, deps, ctx, { action: 'trip.watch_opened', entity: 'trip', entityId: trip.id, unitId: s.unitId, note: { personId: trip.person_id, areaId: area.id, days: remaining } });
  return trip;
}

/** On a return: the first (most severe) area the trip met, if any, opens the watch. */
export async function openWatchOnReturn(tx: Conn, deps: Deps, ctx: Ctx, s: WatchSubject): Promise<TripRow> {
  const t = s.trip;
  if (t.returned_on === null || t.watch_area_id !== null) return t;
  const [area] = await areasMeeting(tx, { city: t.destination_city, district: t.destination_district }, t.start_on, t.returned_on);
  return area ? startWatch(tx, deps, ctx, s, area, await watchDays(tx)) : t;
}

/**
 * An area was added or changed: every returned trip it reaches whose watch period is still running
 * (returned within the last `watch days`) opens a watch for the days that remain. Runs inside the
 * area's own transaction: the trips it can reach are one city's returns of the last few weeks, a
 * short indexed read, and the area and its consequences then commit together. Trips that already
 * have a watch are skipped, so an edit that runs it again opens nothing twice.
 */
export async function watchReturnsFromArea(tx: Conn, deps: Deps, ctx: Ctx, area: RiskAreaRow): Promise<number> {
  const days = await watchDays(tx);
  const today = todayOf(deps);
  // The watch of a return on day R runs through R + days - 1.
  const trips = await store.returnedTripsMeeting(tx, area, addDays(today, -(days - 1)));
  let opened = 0;
  for (const t of trips) {
    const after = await startWatch(tx, deps, ctx, { trip: t, personName: t.person_name, unitId: t.person_unit_id, unitName: t.unit_name }, area, days);
    if (after.watch_area_id !== null) opened++;
  }
  return opened;
}
