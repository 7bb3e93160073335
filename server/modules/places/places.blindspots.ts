import { dayOf, startOfDay } from '../../../common/day.js';
import type { BlindSpot, BlindSpotList, BlindSpotReason, InspectablePlaceList, PlaceKind, RiskLevel } from '../../../common/schemas/places.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Ctx } from '../../http/actor.js';
import { requireActor } from '../org/org.policy.js';
import { readPaths } from './places.service.js';
import * as store from './places.store.js';

/**
 * No blind spots (无死角): every active place whose inspection is overdue — the day it was due
 * (the last inspection's day, else the registration's, + its frequency) has ended without one — and
 * every active place without a responsible person. Days are the deployment's. One indexed pass over
 * places (due_at is kept with every inspection), never a scan of inspections.
 */

/** At most this many blind spots are listed (the total counts them all). */
export const MAX_BLIND_SPOTS = 500;

const DAY_MS = 86_400_000;

/** Whole days between two day starts (a day of 23 or 25 hours still counts one). */
const daysBetween = (fromStart: number, toStart: number) => Math.round((toStart - fromStart) / DAY_MS);

/**
 * The blind spots of one subtree at `now`, most overdue first: what the places page lists and what
 * the supervision view (issue 7) calls. `timeZone`: the deployment's.
 */
export async function blindSpotsIn(db: Conn, unitPath: string, now: number, timeZone: string): Promise<BlindSpotList> {
  return blindSpotsOf(db, [unitPath], now, timeZone);
}

async function blindSpotsOf(db: Conn, paths: readonly string[], now: number, timeZone: string): Promise<BlindSpotList> {
  const today = startOfDay(dayOf(now, timeZone), timeZone);
  const { rows, total } = await store.blindPlaces(db, paths, today, MAX_BLIND_SPOTS);
  const items = rows.map((p): BlindSpot => {
    const dueAt = Number(p.due_at);
    const overdue = dueAt < today;
    const reasons: BlindSpotReason[] = [];
    if (overdue) reasons.push(p.last_inspected_at === null ? 'never_inspected' : 'overdue');
    if (p.responsible_person_id === null) reasons.push('no_responsible');
    return {
      placeId: p.id,
      placeName: p.name,
      kind: p.kind as PlaceKind,
      risk: p.risk as RiskLevel,
      unitId: p.unit_id,
      unitName: p.unit_name,
      reasons,
      responsiblePersonId: p.responsible_person_id,
      responsibleName: p.responsible_name,
      frequencyDays: p.frequency_days,
      lastInspectedAt: p.last_inspected_at === null ? null : Number(p.last_inspected_at),
      nextDueAt: dueAt,
      daysOverdue: overdue ? daysBetween(dueAt, today) : 0,
    };
  });
  return { items, total };
}

/** GET /places/blind-spots: the blind spots of a subtree (default: the actor's places.read scope). */
export async function listBlindSpots(deps: Deps, ctx: Ctx, q: { unitId?: number | undefined }): Promise<BlindSpotList> {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  return blindSpotsOf(deps.db, paths, deps.clock.now(), deps.config.timeZone);
}

/** The places the actor may inspect, soonest due first (the phone's list); empty without places.inspect. */
export async function inspectablePlaces(deps: Deps, ctx: Ctx, q: { q?: string | undefined }): Promise<InspectablePlaceList> {
  const actor = requireActor(ctx.actor);
  const paths = scopeFor(actor, 'places.inspect');
  if (paths.length === 0) return { items: [] };
  const now = deps.clock.now();
  const rows = await store.inspectablePlaces(deps.db, paths, q.q, 200);
  return {
    items: rows.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind as PlaceKind,
      risk: p.risk as RiskLevel,
      unitId: p.unit_id,
      unitName: p.unit_name,
      address: p.address,
      lastInspectedAt: p.last_inspected_at === null ? null : Number(p.last_inspected_at),
      nextDueAt: Number(p.due_at),
      due: now >= Number(p.due_at),
      openFindings: p.open_findings,
      itemCount: p.item_count,
    })),
  };
}
