import type { z } from 'zod';
import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import type {
  PlaceListQuery} from '../../../common/schemas/places.js';
import {
  DEFAULT_CHECKLIST,
  MAX_CHECKLIST_ITEMS,
  type ChecklistItemCreate,
  type ChecklistItemUpdate,
  type Place,
  type PlaceCreate,
  type PlaceDetail,
  type PlaceKind,
  type PlaceUpdate,
  type RiskLevel,
} from '../../../common/schemas/places.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import { canReadPlace, canWritePlace, placeAbilities } from './places.policy.js';
import * as store from './places.store.js';

/**
 * The register of key places (重点场所): a place of a unit with its kind, risk, responsible person,
 * inspection frequency and checklist. Items are renamed and retired, never deleted, so inspections
 * keep pointing at what they were made against. A place is archived, never deleted.
 */

/** The start of the day an inspection is next due: the day of `from` (the last inspection, else the registration) + the frequency, in the deployment's zone. */
export function dueAtOf(from: number, frequencyDays: number, timeZone: string): number {
  return startOfDay(addDays(dayOf(from, timeZone), frequencyDays), timeZone);
}

/** A place as every list shows it, with what the actor may do to it. */
export function presentPlace(actor: Actor, p: store.PlaceView, now: number): Place {
  const active = p.archived_at === null;
  return {
    id: p.id,
    unitId: p.unit_id,
    unitName: p.unit_name,
    name: p.name,
    kind: p.kind as PlaceKind,
    address: p.address,
    risk: p.risk as RiskLevel,
    responsiblePersonId: p.responsible_person_id,
    responsibleName: p.responsible_name,
    frequencyDays: p.frequency_days,
    lastInspectedAt: p.last_inspected_at === null ? null : Number(p.last_inspected_at),
    nextDueAt: active ? Number(p.due_at) : null,
    due: active && now >= Number(p.due_at),
    openFindings: p.open_findings,
    archivedAt: p.archived_at === null ? null : Number(p.archived_at),
    createdAt: Number(p.created_at),
    abilities: placeAbilities(actor, p),
  };
}

async function detailOf(db: Conn, deps: Deps, actor: Actor, p: store.PlaceView): Promise<PlaceDetail> {
  const [items, open] = await Promise.all([store.checklistsOf(db, [p.id]), db.selectFrom('place_findings').select('item_id').where('place_id', '=', p.id).where('status', '<>', 'verified').execute()]);
  const withFinding = new Set(open.map((r) => r.item_id));
  return {
    ...presentPlace(actor, p, deps.clock.now()),
    checklist: items.get(p.id)!.map((i) => ({ id: i.id, position: i.position, text: i.text, retiredAt: i.retired_at === null ? null : Number(i.retired_at), openFinding: withFinding.has(i.id) })),
    updatedAt: Number(p.updated_at),
  };
}

/** A place the actor may see (places.read over its unit), or not_found. */
export async function visiblePlace(db: Conn, actor: Actor, id: number): Promise<store.PlaceView> {
  const p = await store.findPlace(db, id);
  if (!p || !canReadPlace(actor, p.unit_path)) throw errors.notFound('place');
  return p;
}

/** A visible, active place the actor may change, or not_found / 403 / 409. */
async function writablePlace(db: Conn, actor: Actor, id: number): Promise<store.PlaceView> {
  const p = await visiblePlace(db, actor, id);
  if (!canWritePlace(actor, p.unit_path)) throw errors.forbidden('You may not change key places of this unit');
  if (p.archived_at !== null) throw errors.conflict('The place is archived', { status: 'archived' });
  return p;
}

/** The responsible person must be an active person of the place's unit subtree. */
async function checkResponsible(db: Conn, personId: number, unit: { path: string; name: string }): Promise<void> {
  if (!(await store.personIn(db, personId, unit.path))) throw errors.validation({ responsiblePersonId: `not an active person of ${unit.name} or a unit below it` });
}

/** One place with its checklist. */
export async function getPlace(deps: Deps, ctx: Ctx, id: number): Promise<PlaceDetail> {
  const actor = requireActor(ctx.actor);
  return detailOf(deps.db, deps, actor, await visiblePlace(deps.db, actor, id));
}

/** Register a key place at a unit; without a checklist it gets the default one. */
export async function createPlace(deps: Deps, ctx: Ctx, input: PlaceCreate): Promise<PlaceDetail> {
  const actor = requireActor(ctx.actor);
  const unit = await visibleUnit(deps, actor, input.unitId).catch(() => {
    throw errors.validation({ unitId: 'no such unit' });
  });
  if (!canReadPlace(actor, unit.path) && !canWritePlace(actor, unit.path)) throw errors.validation({ unitId: 'no such unit' });
  if (!canWritePlace(actor, unit.path)) throw errors.forbidden('You may not register key places at this unit');
  if (unit.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  if (input.responsiblePersonId !== undefined) await checkResponsible(deps.db, input.responsiblePersonId, unit);
  const checklist = input.checklist ?? DEFAULT_CHECKLIST.map((i) => i.zh);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const id = await store.insertPlace(tx, {
      unit_id: unit.id,
      name: input.name,
      kind: input.kind,
      address: input.address ?? null,
      risk: input.risk,
      responsible_person_id: input.responsiblePersonId ?? null,
      frequency_days: input.frequencyDays,
      last_inspected_at: null,
      due_at: dueAtOf(now, input.frequencyDays, deps.config.timeZone),
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
      archived_at: null,
    });
    await store.insertItems(
      tx,
      checklist.map((text, i) => ({ place_id: id, position: i + 1, text, retired_at: null, created_at: now, updated_at: now })),
    );
    const after = { name: input.name, kind: input.kind, risk: input.risk, responsiblePersonId: input.responsiblePersonId ?? null, frequencyDays: input.frequencyDays, checklist };
    await recordAudit(tx, deps, ctx, { action: 'place.created', entity: 'place', entityId: id, unitId: unit.id, after });
    return detailOf(tx, deps, actor, (await store.findPlace(tx, id))!);
  });
}

/** Change a place's name, kind, address, risk, responsible person or frequency (the next due day follows a new frequency). */
export async function updatePlace(deps: Deps, ctx: Ctx, id: number, input: PlaceUpdate): Promise<PlaceDetail> {
  const actor = requireActor(ctx.actor);
  const p = await writablePlace(deps.db, actor, id);
  if (input.responsiblePersonId != null) await checkResponsible(deps.db, input.responsiblePersonId, { path: p.unit_path, name: p.unit_name });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const set: Parameters<typeof store.updatePlace>[2] = { updated_at: now };
    if (input.name !== undefined) set.name = input.name;
    if (input.kind !== undefined) set.kind = input.kind;
    if (input.address !== undefined) set.address = input.address;
    if (input.risk !== undefined) set.risk = input.risk;
    if (input.responsiblePersonId !== undefined) set.responsible_person_id = input.responsiblePersonId;
    if (input.frequencyDays !== undefined) {
      set.frequency_days = input.frequencyDays;
      set.due_at = dueAtOf(Number(p.last_inspected_at ?? p.created_at), input.frequencyDays, deps.config.timeZone);
    }
    await store.updatePlace(tx, p.id, set);
    const before = { name: p.name, kind: p.kind, address: p.address, risk: p.risk, responsiblePersonId: p.responsible_person_id, frequencyDays: p.frequency_days };
    await recordAudit(tx, deps, ctx, { action: 'place.updated', entity: 'place', entityId: p.id, unitId: p.unit_id, before, after: input });
    return detailOf(tx, deps, actor, (await store.findPlace(tx, p.id))!);
  });
}

/** Archive a place: kept with its history, no longer listed, due or inspected. Its open findings keep their tasks. */
export async function archivePlace(deps: Deps, ctx: Ctx, id: number): Promise<PlaceDetail> {
  const actor = requireActor(ctx.actor);
  const p = await writablePlace(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await store.updatePlace(tx, p.id, { archived_at: now, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'place.archived', entity: 'place', entityId: p.id, unitId: p.unit_id, before: { archived: false }, after: { archived: true } });
    return detailOf(tx, deps, actor, (await store.findPlace(tx, p.id))!);
  });
}

const currentOf = (items: store.ChecklistItemRow[]) => items.filter((i) => i.retired_at === null);

/** Add an item to a place's checklist, at the end or at a position among the current items. */
export async function addChecklistItem(deps: Deps, ctx: Ctx, id: number, input: ChecklistItemCreate): Promise<PlaceDetail> {
  const actor = requireActor(ctx.actor);
  const p = await writablePlace(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const current = currentOf((await store.checklistsOf(tx, [p.id])).get(p.id)!);
    if (current.length >= MAX_CHECKLIST_ITEMS) throw errors.validation({ text: `a checklist holds at most ${MAX_CHECKLIST_ITEMS} items` });
    if (current.some((i) => i.text === input.text)) throw errors.validation({ text: 'already on the checklist' });
    const now = deps.clock.now();
    const at = Math.min(input.position ?? current.length + 1, current.length + 1);
    await store.insertItems(tx, [{ place_id: p.id, position: current.length + 1, text: input.text, retired_at: null, created_at: now, updated_at: now }]);
    const added = currentOf((await store.checklistsOf(tx, [p.id])).get(p.id)!).find((i) => i.text === input.text)!;
    const order = current.map((i) => i.id);
    order.splice(at - 1, 0, added.id);
    await store.renumber(tx, order, now);
    await recordAudit(tx, deps, ctx, { action: 'place.checklist_item_added', entity: 'place', entityId: p.id, unitId: p.unit_id, after: { itemId: added.id, text: input.text, position: at } });
    return detailOf(tx, deps, actor, (await store.findPlace(tx, p.id))!);
  });
}

/** Rename, move, retire or restore an item. Past inspections keep the text they were made against; an item with an unverified finding cannot be retired. */
export async function updateChecklistItem(deps: Deps, ctx: Ctx, id: number, itemId: number, input: ChecklistItemUpdate): Promise<PlaceDetail> {
  const actor = requireActor(ctx.actor);
  const p = await writablePlace(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const all = (await store.checklistsOf(tx, [p.id])).get(p.id)!;
    const item = all.find((i) => i.id === itemId);
    if (!item) throw errors.notFound('checklist item');
    const now = deps.clock.now();
    let current = currentOf(all);
    if (input.text !== undefined && input.text !== item.text && current.some((i) => i.id !== item.id && i.text === input.text)) throw errors.validation({ text: 'already on the checklist' });
    const retire = input.retired === true && item.retired_at === null;
    const restore = input.retired === false && item.retired_at !== null;
    if (retire) {
      if (current.length === 1) throw errors.validation({ retired: 'a checklist keeps at least one current item' });
      const open = await tx.selectFrom('place_findings').select('id').where('item_id', '=', item.id).where('status', '<>', 'verified').executeTakeFirst();
      if (open) throw errors.conflict(`The item has an unverified finding (${open.id}): it is closed by re-inspecting it`, { retired: 'unverified finding' });
    }
    if (restore && current.length >= MAX_CHECKLIST_ITEMS) throw errors.validation({ retired: `a checklist holds at most ${MAX_CHECKLIST_ITEMS} items` });
    const set: { text?: string; retired_at?: number | null; updated_at: number } = { updated_at: now };
    if (input.text !== undefined) set.text = input.text;
    if (retire) set.retired_at = now;
    if (restore) set.retired_at = null;
    await store.updateItem(tx, item.id, set);
    // Renumber the current items: the moved or restored one where asked (else kept, or at the end).
    current = current.filter((i) => i.id !== item.id);
    const isCurrent = restore || (item.retired_at === null && !retire);
    if (isCurrent) {
      const at = Math.min(input.position ?? (restore ? current.length + 1 : item.position), current.length + 1);
      current.splice(at - 1, 0, item);
    }
    await store.renumber(
      tx,
      current.map((i) => i.id),
      now,
    );
    const before = { text: item.text, position: item.position, retired: item.retired_at !== null };
    await recordAudit(tx, deps, ctx, { action: 'place.checklist_item_updated', entity: 'place', entityId: p.id, unitId: p.unit_id, before: { itemId: item.id, ...before }, after: { itemId: item.id, ...input } });
    return detailOf(tx, deps, actor, (await store.findPlace(tx, p.id))!);
  });
}

/** One page of the places of a subtree (default: the actor's places.read scope). */
export async function listPlaces(deps: Deps, ctx: Ctx, q: z.output<typeof PlaceListQuery>): Promise<{ items: Place[]; total: number; page: number; pageSize: number }> {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  const now = deps.clock.now();
  const { rows, total } = await store.listPlaces(
    deps.db,
    { paths, kind: q.kind, risk: q.risk, q: q.q, dueBy: q.due ? now : undefined, archived: q.archived === true },
    (q.page - 1) * q.pageSize,
    q.pageSize,
  );
  return { items: rows.map((r) => presentPlace(actor, r, now)), total, page: q.page, pageSize: q.pageSize };
}

/** The subtrees a places.read list covers: one visible unit's, or the actor's whole scope. */
export async function readPaths(deps: Deps, actor: Actor, unitId: number | undefined): Promise<string[]> {
  if (unitId === undefined) return requireScope(actor, 'places.read');
  if (scopeFor(actor, 'places.read').length === 0) throw errors.forbidden();
  const unit = await visibleUnit(deps, actor, unitId);
  if (!canReadPlace(actor, unit.path)) throw errors.notFound('unit');
  return [unit.path];
}
