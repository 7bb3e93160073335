import { addDays } from '../../../common/day.js';
import type { Conn } from '../../db/database.js';
import type { RiskAreaRow, TripRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { getSetting } from '../setup/settings.store.js';
import { todayOf } from './checkins.service.js';
import { areasMeeting } from './risk-areas.store.js';
import * as store from './trips.store.js';

/**
 * The rule of 掌握员工流动情况: a return from an area that was on the risk list (any level) on any
 * day of the trip — [start day, return day] meets [valid from, valid until] — opens a health watch
 * for the person and tells their unit's liaisons. It runs in two places, each inside the transaction that
 * causes it: the return, and an area added or widened later, for people who came back from it
 * within the watch period (the command office would want to know about them too).
 * `trips.watch_area_id` is set once, so a trip opens one watch whichever path sees it first.
 */

export const WATCH_DAYS_SETTING = 'health.watch_days';
export const DEFAULT_WATCH_DAYS = 14;

/** The command office's number of watch days; anything unusable falls back to the default. */
export async function watchDays(db: Conn): Promise<number> {
  const v = await getSetting(db, WATCH_DAYS_SETTING);
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 365 ? v : DEFAULT_WATCH_DAYS;
}

interface WatchSubject {
  trip: TripRow;
  personName: string;
  unitId: number;
  unitName: string;
}

/** Open the watch for one trip and one area, tell the liaisons, and mark the trip: one transaction's worth. */
async function startWatch(tx: Conn, deps: Deps, ctx: Ctx, s: WatchSubject, area: RiskAreaRow, days: number | undefined): Promise<TripRow> {
  const trip = await store.updateTrip(tx, s.trip.id, { watch_area_id: area.id, updated_at: deps.clock.now() });
  await recordAudit(tx, deps, ctx, {
    action: 'trip.watch_opened',
    entity: 'trip',
    entityId: trip.id,
    unitId: s.unitId,
    note: { personId: trip.person_id, areaId: area.id, level: area.level, days: days ?? null },
  });
  return trip;
}

/** On a return: the first (most severe) area the trip met, if any, opens the watch. */
export async function openWatchOnReturn(tx: Conn, deps: Deps, ctx: Ctx, s: WatchSubject): Promise<TripRow> {
  const t = s.trip;
  if (t.returned_on === null || t.watch_area_id !== null) return t;
  const [area] = await areasMeeting(tx, { city: t.destination_city, district: t.destination_district }, t.start_on, t.returned_on);
  return area ? startWatch(tx, deps, ctx, s, area, undefined) : t;
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
  for (const t of trips) {
    const elapsed = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${t.returned_on}T00:00:00Z`)) / 86_400_000);
    await startWatch(tx, deps, ctx, { trip: t, personName: t.person_name, unitId: t.person_unit_id, unitName: t.unit_name }, area, days - elapsed);
  }
  return trips.length;
}
