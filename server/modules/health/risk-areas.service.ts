import type { z } from 'zod';
import { normaliseCity, normaliseDistrict, placeInArea } from '../../../common/city.js';
import type { RiskArea, RiskAreaWritten, RiskAreaCreate, RiskAreaEnd, RiskAreaListQuery, RiskAreaPatch } from '../../../common/schemas/trips.js';
import type { Conn } from '../../db/database.js';
import type { RiskAreaRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { todayOf } from './checkins.service.js';
import { queueReachBack } from './trip-watch.service.js';
import * as store from './risk-areas.store.js';

/**
 * The command office's list of medium and high risk areas. The list is public information (the
 * health authorities publish it), so anyone signed in reads it: an employee needs it before
 * travelling, and the mobile trip form shows whether the destination is on it. Writing it takes
 * riskareas.write, held anywhere: the list is one for the whole deployment, not per unit.
 */

const canWrite = (actor: Actor) => scopeFor(actor, 'riskareas.write').length > 0;

export function presentRiskArea(row: RiskAreaRow, today: string): RiskArea {
  return {
    id: row.id,
    city: row.city,
    district: row.district,
    level: row.level as RiskArea['level'],
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    note: row.note,
    active: row.valid_from <= today && (row.valid_until === null || row.valid_until >= today),
    createdByUserId: row.created_by_user_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const auditView = (r: RiskAreaRow) => ({ city: r.city, district: r.district, level: r.level, validFrom: r.valid_from, validUntil: r.valid_until, note: r.note });

/** Areas on the list on a day (default today), or every area with all=true; of one city when asked. */
export async function listRiskAreas(deps: Deps, ctx: Ctx, q: z.infer<typeof RiskAreaListQuery>) {
  const actor = requireActor(ctx.actor);
  const today = todayOf(deps);
  const rows = await store.listRiskAreas(deps.db, { day: q.all === 'true' ? null : (q.on ?? today), ...(q.city !== undefined ? { city: normaliseCity(q.city) } : {}) });
  return { items: rows.map((r) => presentRiskArea(r, today)), abilities: { write: canWrite(actor) } };
}

/** Put an area on the list; people back from it within the watch period get a watch from a job queued in the same transaction. */
export async function createRiskArea(deps: Deps, ctx: Ctx, input: RiskAreaCreate): Promise<RiskAreaWritten> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'riskareas.write');
  const now = deps.clock.now();
  const row = await transact(deps, ctx, async (tx) => {
    const r = await store.insertRiskArea(tx, {
      city: normaliseCity(input.city),
      district: normaliseDistrict(input.district),
      level: input.level,
      valid_from: input.validFrom,
      valid_until: input.validUntil ?? null,
      note: input.note ?? null,
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(tx, deps, ctx, { action: 'risk_area.created', entity: 'risk_area', entityId: r.id, after: auditView(r) });
    const returnsToWatch = await queueReachBack(tx, deps, ctx, r);
    return { r, returnsToWatch };
  });
  return { ...presentRiskArea(row.r, todayOf(deps)), returnsToWatch: row.returnsToWatch };
}

async function writableArea(deps: Deps, actor: Actor, id: number): Promise<RiskAreaRow> {
  requireScope(actor, 'riskareas.write');
  const row = await store.findRiskArea(deps.db, id);
  if (!row) throw errors.notFound('risk area');
  return row;
}

/** Correct an area (city, district, level, days, note); the days are checked as they will stand. */
export async function updateRiskArea(deps: Deps, ctx: Ctx, id: number, patch: RiskAreaPatch): Promise<RiskAreaWritten> {
  const actor = requireActor(ctx.actor);
  const before = await writableArea(deps, actor, id);
  const validFrom = patch.validFrom ?? before.valid_from;
  const validUntil = patch.validUntil !== undefined ? patch.validUntil : before.valid_until;
  if (validUntil !== null && validUntil < validFrom) throw errors.validation(patch.validUntil !== undefined ? { validUntil: 'must not be before validFrom' } : { validFrom: 'must not be after validUntil' });
  const row = await transact(deps, ctx, async (tx) => {
    const r = await store.updateRiskArea(tx, id, {
      ...(patch.city !== undefined ? { city: normaliseCity(patch.city) } : {}),
      ...(patch.district !== undefined ? { district: normaliseDistrict(patch.district) } : {}),
      ...(patch.level !== undefined ? { level: patch.level } : {}),
      valid_from: validFrom,
      valid_until: validUntil,
      ...(patch.note !== undefined ? { note: patch.note } : {}),
      updated_at: Math.max(deps.clock.now(), Number(before.updated_at) + 1),
    });
    await recordAudit(tx, deps, ctx, { action: 'risk_area.updated', entity: 'risk_area', entityId: id, before: auditView(before), after: auditView(r) });
    const returnsToWatch = await queueReachBack(tx, deps, ctx, r);
    return { r, returnsToWatch };
  });
  return { ...presentRiskArea(row.r, todayOf(deps)), returnsToWatch: row.returnsToWatch };
}

/** Take an area off the list: its last day on it is `lastDay` (default today). */
export async function endRiskArea(deps: Deps, ctx: Ctx, id: number, input: z.infer<typeof RiskAreaEnd>): Promise<RiskArea> {
  const actor = requireActor(ctx.actor);
  const before = await writableArea(deps, actor, id);
  const lastDay = input.lastDay ?? todayOf(deps);
  if (lastDay < before.valid_from) throw errors.validation({ lastDay: 'must not be before the area was put on the list' });
  if (before.valid_until !== null && before.valid_until <= lastDay) throw errors.conflict('the area is already off the list by that day', { lastDay: 'already ended' });
  const row = await transact(deps, ctx, async (tx) => {
    const r = await store.updateRiskArea(tx, id, { valid_until: lastDay, updated_at: deps.clock.now() });
    await recordAudit(tx, deps, ctx, { action: 'risk_area.ended', entity: 'risk_area', entityId: id, before: auditView(before), after: auditView(r) });
    return r;
  });
  return presentRiskArea(row, todayOf(deps));
}

/** The most severe area on the list on `day` holding each place; keyed by the caller's own key. */
export async function riskOnDay<K>(db: Conn, places: ReadonlyMap<K, { city: string; district: string | null }>, day: string): Promise<Map<K, RiskAreaRow>> {
  const areas = await store.activeAreasIn(db, [...places.values()].map((p) => p.city), day);
  const out = new Map<K, RiskAreaRow>();
  for (const [k, place] of places) {
    const hits = areas.filter((a) => placeInArea(place, a)).sort((a, b) => (a.level === b.level ? a.id - b.id : a.level === 'high' ? -1 : 1));
    if (hits[0]) out.set(k, hits[0]);
  }
  return out;
}
