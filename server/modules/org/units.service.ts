import type { z } from 'zod';
import type { UnitCreate, UnitListQuery, UnitMove, UnitPatch, Unit } from '../../../common/schemas/org.js';
import type { Deps } from '../../deps.js';
import type { UnitRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertAllowed, assertVisible, requireActor, requireScope, unitAbilities } from './org.policy.js';
import * as store from './units.store.js';

export function presentUnit(actor: Actor, row: UnitRow, headcount?: number): Unit {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    kind: row.kind as Unit['kind'],
    code: row.code,
    sortOrder: row.sort_order,
    depth: row.depth,
    archived: row.archived_at !== null,
    ...(headcount !== undefined ? { headcount } : {}),
    abilities: unitAbilities(actor, row.path),
  };
}

const auditView = (u: UnitRow) => ({ name: u.name, kind: u.kind, code: u.code, parentId: u.parent_id, sortOrder: u.sort_order, archived: u.archived_at !== null });

/** A unit the actor can see, or not_found. */
export async function visibleUnit(deps: Deps, actor: Actor, id: number): Promise<UnitRow> {
  const row = await store.findUnit(deps.db, id);
  assertVisible(actor, 'units.read', row?.path, 'unit');
  return row!;
}

/** Units in the actor's scope (or one subtree of it, or one parent's children), each with its subtree headcount. */
export async function listUnits(deps: Deps, ctx: Ctx, q: z.infer<typeof UnitListQuery>): Promise<{ items: Unit[] }> {
  const actor = requireActor(ctx.actor);
  const includeArchived = q.includeArchived === 'true';
  let paths = requireScope(actor, 'units.read');
  if (q.rootId !== undefined) paths = [(await visibleUnit(deps, actor, q.rootId)).path];
  let rows: UnitRow[];
  if (q.parentId !== undefined) {
    const parent = await visibleUnit(deps, actor, q.parentId);
    rows = await store.listChildren(deps.db, parent.id, includeArchived);
  } else {
    rows = await store.listUnitsIn(deps.db, paths, includeArchived);
  }
  const own = await store.ownHeadcounts(deps.db, q.parentId !== undefined ? rows.map((r) => r.path) : paths);
  const totals = subtreeTotals(rows, own);
  return { items: rows.map((r) => presentUnit(actor, r, totals.get(r.id) ?? 0)) };
}

/** Fold each unit's own headcount into every listed unit on its path: subtree totals in memory. */
function subtreeTotals(rows: UnitRow[], own: Map<string, number>): Map<number, number> {
  const listed = new Set(rows.map((r) => r.id));
  const totals = new Map<number, number>();
  for (const [path, n] of own) {
    for (const id of path.split('/').filter(Boolean).map(Number)) if (listed.has(id)) totals.set(id, (totals.get(id) ?? 0) + n);
  }
  return totals;
}

export async function getUnit(deps: Deps, ctx: Ctx, id: number): Promise<Unit> {
  const actor = requireActor(ctx.actor);
  const row = await visibleUnit(deps, actor, id);
  const own = await store.ownHeadcounts(deps.db, [row.path]);
  let total = 0;
  for (const n of own.values()) total += n;
  return presentUnit(actor, row, total);
}

/** Add a unit under a parent the actor may change. */
export async function createUnit(deps: Deps, ctx: Ctx, input: z.infer<typeof UnitCreate>): Promise<Unit> {
  const actor = requireActor(ctx.actor);
  const parent = await store.findUnit(deps.db, input.parentId);
  if (!parent || !scopeFor(actor, 'units.read').some((p) => parent.path.startsWith(p))) throw errors.validation({ parentId: 'no such unit' });
  assertAllowed(actor, 'units.write', parent.path);
  if (parent.archived_at !== null) throw errors.validation({ parentId: 'the parent unit is archived' });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const sortOrder = input.sortOrder ?? (await store.maxSortOrder(tx, parent.id)) + 1;
    const row = await store.insertUnit(
      tx,
      { parent_id: parent.id, name: input.name, kind: input.kind, code: input.code ?? null, sort_order: sortOrder, depth: parent.depth + 1, archived_at: null, created_at: now, updated_at: now },
      parent.path,
    );
    await recordAudit(tx, deps, ctx, { action: 'unit.created', entity: 'unit', entityId: row.id, unitId: row.id, after: auditView(row) });
    return presentUnit(actor, row, 0);
  });
}

/** Rename, reorder, re-kind, archive or restore a unit. Archiving needs the subtree free of active people. */
export async function updateUnit(deps: Deps, ctx: Ctx, id: number, patch: z.infer<typeof UnitPatch>): Promise<Unit> {
  const actor = requireActor(ctx.actor);
  const row = await visibleUnit(deps, actor, id);
  assertAllowed(actor, 'units.write', row.path);
  if (patch.archived !== undefined && row.parent_id === null) throw errors.validation({ archived: 'the organisation root cannot be archived' });
  if (patch.archived === true && row.archived_at === null) {
    const n = await store.countPeopleInSubtree(deps.db, row.path, true);
    if (n > 0) throw errors.conflict(`the unit still has ${n} active people; transfer them or mark them as left first`, { archived: 'unit has active people' });
  }
  if (patch.archived === false && row.parent_id !== null) {
    const parent = await store.findUnit(deps.db, row.parent_id);
    if (parent?.archived_at !== null) throw errors.validation({ archived: 'restore the parent unit first' });
  }
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const next = await store.updateUnit(tx, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.code !== undefined ? { code: patch.code } : {}),
      ...(patch.sortOrder !== undefined ? { sort_order: patch.sortOrder } : {}),
      ...(patch.archived !== undefined ? { archived_at: patch.archived ? (row.archived_at ?? now) : null } : {}),
      updated_at: now,
    });
    // Archiving a unit archives its branch: nothing below an archived unit stays live.
    if (patch.archived === true && row.archived_at === null) await store.archiveBelow(tx, row.path, now);
    const action = patch.archived === true ? 'unit.archived' : patch.archived === false ? 'unit.restored' : 'unit.updated';
    await recordAudit(tx, deps, ctx, { action, entity: 'unit', entityId: id, unitId: id, before: auditView(row), after: auditView(next) });
    return presentUnit(actor, next);
  });
}

/** Move a unit and its whole branch under another parent; both ends must be the actor's to change. */
export async function moveUnit(deps: Deps, ctx: Ctx, id: number, input: z.infer<typeof UnitMove>): Promise<Unit> {
  const actor = requireActor(ctx.actor);
  const row = await visibleUnit(deps, actor, id);
  assertAllowed(actor, 'units.write', row.path);
  if (row.parent_id === null) throw errors.validation({ id: 'the organisation root cannot be moved' });
  const parent = await store.findUnit(deps.db, input.parentId);
  if (!parent || !scopeFor(actor, 'units.read').some((p) => parent.path.startsWith(p))) throw errors.validation({ parentId: 'no such unit' });
  assertAllowed(actor, 'units.write', parent.path);
  if (parent.path.startsWith(row.path)) throw errors.validation({ parentId: 'a unit cannot move under itself or its own branch' });
  if (parent.archived_at !== null) throw errors.validation({ parentId: 'the new parent is archived' });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const newPath = `${parent.path}${row.id}/`;
    const moved = parent.id === row.parent_id ? 0 : await store.rewriteBranchPaths(tx, row.path, newPath, parent.depth + 1 - row.depth, now);
    const sortOrder = input.sortOrder ?? (parent.id === row.parent_id ? row.sort_order : (await store.maxSortOrder(tx, parent.id)) + 1);
    const next = await store.updateUnit(tx, id, { parent_id: parent.id, sort_order: sortOrder, updated_at: now });
    await recordAudit(tx, deps, ctx, {
      action: 'unit.moved',
      entity: 'unit',
      entityId: id,
      unitId: id,
      before: { parentId: row.parent_id },
      after: { parentId: parent.id, unitsMoved: moved },
    });
    return presentUnit(actor, next);
  });
}

/** Delete a unit that never had people or children; anything with history is archived instead. */
export async function deleteUnit(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const row = await visibleUnit(deps, actor, id);
  assertAllowed(actor, 'units.write', row.path);
  if (row.parent_id === null) throw errors.validation({ id: 'the organisation root cannot be deleted' });
  const children = await store.listChildren(deps.db, id, true);
  if (children.length > 0) throw errors.conflict('the unit has child units; move or delete them first');
  if ((await store.countPeopleInSubtree(deps.db, row.path, false)) > 0)
    throw errors.conflict('a unit with people cannot be deleted; archive it instead to keep its history');
  const referenced = await deps.db
    .selectFrom('grants')
    .select('id')
    .where('unit_id', '=', id)
    .union(deps.db.selectFrom('users').select('id').where('unit_id', '=', id))
    // A unit's measure changes are its history (what applied there on a day): archive, never delete.
    .union(deps.db.selectFrom('measure_values').select('id').where('unit_id', '=', id))
    .limit(1)
    .execute();
  if (referenced.length > 0) throw errors.conflict('accounts, grants or measures still refer to this unit; archive it instead');
  await transact(deps, ctx, async (tx) => {
    await store.deleteUnit(tx, id);
    await recordAudit(tx, deps, ctx, { action: 'unit.deleted', entity: 'unit', entityId: id, unitId: row.parent_id, before: auditView(row) });
  });
  return { ok: true };
}
