import type { z } from 'zod';
import { normaliseCity, normaliseDistrict } from '../../../common/city.js';
import type { AwayQuery, ByDestinationQuery, Trip, TripCreate, TripListQuery, TripPatch, TripReturn } from '../../../common/schemas/trips.js';
import { addDays } from '../../../common/day.js';
import type { Conn } from '../../db/database.js';
import type { RiskAreaRow, TripRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { can, systemCtx, type Actor, type Ctx } from '../../http/actor.js';
import type { DailyJob } from '../../jobs/daily.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { phoneAsSeenBy } from '../org/people.service.js';
import { findPerson } from '../org/people.store.js';
import { todayOf } from './checkins.service.js';
import { riskOnDay } from './risk-areas.service.js';
import { openWatchOnReturn } from './trip-watch.service.js';
import { actsOnTrip, effectiveStatus, isOverdue, seesTrip, tripAbilities } from './trips.policy.js';
import { healthUnit, healthSubtrees } from './health.access.js';
import * as store from './trips.store.js';

/**
 * Trips (出行报备): an employee reports where they go and when they are back; the unit sees who
 * is away and where people went. A return from a risk area opens a health watch (trip-watch.service.ts).
 */

const placeOf = (r: TripRow) => ({ city: r.destination_city, district: r.destination_district });
const auditView = (r: TripRow) => ({ personId: r.person_id, city: r.destination_city, district: r.destination_district, startOn: r.start_on, endOn: r.end_on, status: r.status, returnedOn: r.returned_on });

export function presentTrip(actor: Actor, row: TripRow, personUnitPath: string, today: string, risk: RiskAreaRow | undefined): Trip {
  return {
    id: row.id,
    personId: row.person_id,
    unitId: row.unit_id,
    city: row.destination_city,
    district: row.destination_district,
    startOn: row.start_on,
    endOn: row.end_on,
    purpose: row.purpose,
    status: effectiveStatus(row, today),
    returnedOn: row.returned_on,
    overdue: isOverdue(row, today),
    watchAreaId: row.watch_area_id,
    reportedByUserId: row.reported_by_user_id,
    riskNow: risk ? { id: risk.id, city: risk.city, district: risk.district, level: risk.level as 'medium' | 'high' } : null,
    abilities: tripAbilities(actor, row, personUnitPath, today),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

async function presentOne(deps: Deps, actor: Actor, row: TripRow, personUnitPath: string): Promise<Trip> {
  const today = todayOf(deps);
  const risk = await riskOnDay(deps.db, new Map([[row.id, placeOf(row)]]), today);
  return presentTrip(actor, row, personUnitPath, today, risk.get(row.id));
}

/** Whose trip this is: the actor's own person, or (with health.write over their unit) someone else's. */
async function subjectOf(deps: Deps, actor: Actor, personId: number | undefined) {
  if (personId === undefined || personId === actor.personId) {
    if (actor.personId === null) throw errors.validation({ personId: 'this account is not linked to a person; name the person to report for' });
    const self = await findPerson(deps.db, actor.personId);
    if (!self || self.status !== 'active') throw errors.conflict('only an active person can report a trip');
    return { person: self, onBehalf: false };
  }
  const person = await findPerson(deps.db, personId);
  // Out of scope reads as absent: the same answer as an id that does not exist.
  if (!person || !can(actor, 'people.read', person.unit_path)) throw errors.validation({ personId: 'no such person' });
  if (!can(actor, 'health.write', person.unit_path)) throw errors.forbidden();
  if (person.status !== 'active') throw errors.validation({ personId: 'the person has left' });
  return { person, onBehalf: true };
}

/** A person is in one place at a time: a trip may not share a day with another of theirs. */
async function assertNoOverlap(db: Conn, personId: number, startOn: string, endOn: string, today: string, exceptId: number | null) {
  const clash = await store.overlappingTrips(db, personId, startOn, endOn, today, exceptId);
  if (clash[0]) throw errors.conflict(`another trip (${clash[0].start_on}–${clash[0].returned_on ?? clash[0].end_on}) shares these days`, { startOn: 'overlaps another trip' });
}

/** Report a trip for oneself, or on someone's behalf with health.write over their unit. */
export async function reportTrip(deps: Deps, ctx: Ctx, input: TripCreate): Promise<Trip> {
  const actor = requireActor(ctx.actor);
  const { person, onBehalf } = await subjectOf(deps, actor, input.personId);
  const today = todayOf(deps);
  await assertNoOverlap(deps.db, person.id, input.startOn, input.endOn, today, null);
  const now = deps.clock.now();
  const row = await transact(deps, ctx, async (tx) => {
    const r = await store.insertTrip(tx, {
      person_id: person.id,
      unit_id: person.unit_id,
      destination_city: normaliseCity(input.city),
      destination_district: normaliseDistrict(input.district),
      start_on: input.startOn,
      end_on: input.endOn,
      purpose: input.purpose,
      status: input.startOn <= today ? 'away' : 'planned',
      returned_on: null,
      watch_area_id: null,
      reported_by_user_id: onBehalf ? actor.userId : null,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(tx, deps, ctx, { action: 'trip.created', entity: 'trip', entityId: r.id, unitId: person.unit_id, after: auditView(r) });
    return r;
  });
  return presentOne(deps, actor, row, person.unit_path);
}

/** A trip the actor may change, or not_found (unseen) / forbidden (seen, not theirs to change). */
async function actionableTrip(deps: Deps, actor: Actor, id: number) {
  const trip = await store.findTrip(deps.db, id);
  if (!trip || !seesTrip(actor, trip.person_id, trip.unit_path)) throw errors.notFound('trip');
  if (!actsOnTrip(actor, trip.person_id, trip.unit_path)) throw errors.forbidden();
  return trip;
}

/** Change a trip that has not started (destination, days, purpose). */
export async function updateTrip(deps: Deps, ctx: Ctx, id: number, patch: TripPatch): Promise<Trip> {
  const actor = requireActor(ctx.actor);
  const before = await actionableTrip(deps, actor, id);
  const today = todayOf(deps);
  if (effectiveStatus(before, today) !== 'planned') throw errors.conflict('only a trip that has not started can be changed');
  const startOn = patch.startOn ?? before.start_on;
  const endOn = patch.endOn ?? before.end_on;
  if (endOn < startOn) throw errors.validation(patch.endOn !== undefined ? { endOn: 'must not be before startOn' } : { startOn: 'must not be after endOn' });
  await assertNoOverlap(deps.db, before.person_id, startOn, endOn, today, id);
  const row = await transact(deps, ctx, async (tx) => {
    const r = await store.updateTrip(tx, id, {
      ...(patch.city !== undefined ? { destination_city: normaliseCity(patch.city) } : {}),
      ...(patch.district !== undefined ? { destination_district: normaliseDistrict(patch.district) } : {}),
      ...(patch.purpose !== undefined ? { purpose: patch.purpose } : {}),
      start_on: startOn,
      end_on: endOn,
      status: startOn <= today ? 'away' : 'planned',
      updated_at: deps.clock.now(),
    });
    await recordAudit(tx, deps, ctx, { action: 'trip.updated', entity: 'trip', entityId: id, unitId: before.person_unit_id, before: auditView(before), after: auditView(r) });
    return r;
  });
  return presentOne(deps, actor, row, before.unit_path);
}

/** Cancel a trip that has not started. */
export async function cancelTrip(deps: Deps, ctx: Ctx, id: number): Promise<Trip> {
  const actor = requireActor(ctx.actor);
  const before = await actionableTrip(deps, actor, id);
  if (effectiveStatus(before, todayOf(deps)) !== 'planned') throw errors.conflict('only a trip that has not started can be cancelled');
  const row = await transact(deps, ctx, async (tx) => {
    const r = await store.updateTrip(tx, id, { status: 'cancelled', updated_at: deps.clock.now() });
    await recordAudit(tx, deps, ctx, { action: 'trip.cancelled', entity: 'trip', entityId: id, unitId: before.person_unit_id, before: auditView(before), after: auditView(r) });
    return r;
  });
  return presentOne(deps, actor, row, before.unit_path);
}

/**
 * Report the return on `day` (from the start day to today). When the destination was on the risk
 * list on any day of [start, day], a health watch opens and the unit's liaisons are told, in the
 * same transaction as the return.
 */
export async function returnFromTrip(deps: Deps, ctx: Ctx, id: number, input: z.infer<typeof TripReturn>): Promise<Trip> {
  const actor = requireActor(ctx.actor);
  const before = await actionableTrip(deps, actor, id);
  const today = todayOf(deps);
  if (effectiveStatus(before, today) !== 'away') throw errors.conflict(before.status === 'returned' ? 'the return is already reported' : 'only a trip that has started can be returned from');
  if (input.day < before.start_on) throw errors.validation({ day: 'must not be before the trip started' });
  if (input.day > today) throw errors.validation({ day: 'must not be after today' });
  const row = await transact(deps, ctx, async (tx) => {
    let r = await store.updateTrip(tx, id, { status: 'returned', returned_on: input.day, updated_at: deps.clock.now() });
    await recordAudit(tx, deps, ctx, { action: 'trip.returned', entity: 'trip', entityId: id, unitId: before.person_unit_id, before: auditView(before), after: auditView(r) });
    r = await openWatchOnReturn(tx, deps, ctx, { trip: r, personName: before.person_name, unitId: before.person_unit_id, unitName: before.unit_name });
    return r;
  });
  return presentOne(deps, actor, row, before.unit_path);
}

/** The actor's own trips, newest first (the last 50). */
export async function myTrips(deps: Deps, ctx: Ctx): Promise<{ items: Trip[] }> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { items: [] };
  const person = await findPerson(deps.db, actor.personId);
  if (!person) return { items: [] };
  const rows = await store.tripsOfPerson(deps.db, person.id, 50);
  const today = todayOf(deps);
  const risk = await riskOnDay(deps.db, new Map(rows.map((r) => [r.id, placeOf(r)])), today);
  return { items: rows.map((r) => presentTrip(actor, r, person.unit_path, today, risk.get(r.id))) };
}

/** One page of trips in a subtree (default: the actor's whole health scope); an audited read. */
export async function listTrips(deps: Deps, ctx: Ctx, q: z.infer<typeof TripListQuery>) {
  const actor = requireActor(ctx.actor);
  const { paths, unitId } = await healthSubtrees(deps, actor, q.unitId);
  const today = todayOf(deps);
  const filter = { paths, today, ...(q.status ? { status: q.status } : {}), ...(q.destination !== undefined ? { destination: normaliseCity(q.destination) } : {}) };
  const { rows, total } = await store.listTrips(deps.db, filter, (q.page - 1) * q.pageSize, q.pageSize);
  const risk = await riskOnDay(deps.db, new Map(rows.map((r) => [r.id, placeOf(r)])), today);
  // People's movements are personal data: who read which page is recorded, as for check-ins.
  await transact(deps, ctx, (tx) => recordAudit(tx, deps, ctx, { action: 'trips.read', entity: 'trips', unitId, note: { status: q.status ?? null, page: q.page, count: rows.length } }));
  return {
    items: rows.map((r) => ({ ...presentTrip(actor, r, r.unit_path, today, risk.get(r.id)), personName: r.person_name, employeeNo: r.employee_no, unitName: r.unit_name })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Who of a subtree is away on a day (default today), with unit and phone (masked without people.phone); an audited read. */
export async function listAway(deps: Deps, ctx: Ctx, q: z.infer<typeof AwayQuery>) {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'health.read');
  const unit = await healthUnit(deps, actor, q.unitId);
  const today = todayOf(deps);
  const day = q.day ?? today;
  const { rows, total } = await store.awayIn(deps.db, unit.path, day, today, (q.page - 1) * q.pageSize, q.pageSize);
  await transact(deps, ctx, (tx) => recordAudit(tx, deps, ctx, { action: 'trips.away.read', entity: 'trips', entityId: day, unitId: unit.id, note: { day, page: q.page, count: rows.length } }));
  return {
    day,
    items: rows.map((r) => ({
      tripId: r.id,
      personId: r.person_id,
      name: r.person_name,
      employeeNo: r.employee_no,
      unitId: r.person_unit_id,
      unitName: r.unit_name,
      phone: phoneAsSeenBy(actor, r),
      city: r.destination_city,
      district: r.destination_district,
      startOn: r.start_on,
      endOn: r.end_on,
      overdue: r.returned_on === null && r.end_on < day,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Trips of a subtree's people meeting [from, to] (default the last 30 days), counted per destination city. */
export async function tripsByDestination(deps: Deps, ctx: Ctx, q: z.infer<typeof ByDestinationQuery>) {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'health.read');
  const unit = await healthUnit(deps, actor, q.unitId);
  const today = todayOf(deps);
  const to = q.to ?? (q.from !== undefined && q.from > today ? q.from : today);
  const from = q.from ?? addDays(to, -29);
  if (to < from) throw errors.validation({ to: 'must not be before from' });
  const rows = await store.countByDestination(deps.db, unit.path, from, to, today);
  const risk = await riskOnDay(deps.db, new Map(rows.map((r) => [r.city, { city: r.city, district: null }])), today);
  return {
    from,
    to,
    items: rows.map((r) => ({ city: r.city, trips: r.trips, people: r.people, awayNow: r.away_now, riskNow: (risk.get(r.city)?.level as 'medium' | 'high' | undefined) ?? null })),
  };
}

/**
 * Every read already treats a planned trip whose start day has come as away; this daily job makes
 * the stored status say so too, for whatever reads the rows as they are (the personal data report,
 * exports). Just after midnight, deployment time; one audit row per run.
 */
export const departuresJob: DailyJob = {
  kind: 'trips.depart',
  minutesAt: async () => 1,
  run: async (deps, day) => {
    await transact(deps, systemCtx, async (tx) => {
      const n = await store.markDepartures(tx, day, deps.clock.now());
      if (n > 0) await recordAudit(tx, deps, systemCtx, { action: 'trips.departed', entity: 'trips', entityId: day, note: { day, count: n } });
    });
  },
};
