import type { z } from 'zod';
import { addDays, dayOf } from '../../../common/day.js';
import { MEASURE_TYPES, compareStrictness, decodeMeasureValue, encodeMeasureValue, type MeasureTypeDef } from '../../../common/measures.catalogue.js';
import type {
  ExceptionItem,
  ExceptionListQuery,
  MeasureChange,
  MeasureHistory,
  MeasureRemove,
  MeasureSet,
  Register,
  RegisterEntry,
} from '../../../common/schemas/measures.js';
import type { Conn } from '../../db/database.js';
import type { UnitRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import { ancestorIds } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRole, notifyUsers } from '../notify/notify.service.js';
import { assertAllowed, assertVisible, requireActor, requireScope } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import { levelsOf } from './measures.effective.js';
import { mayDecide, registerAbilities } from './measures.policy.js';
import { defOf, presentChange, presentException } from './measures.present.js';
import { changeDays, ownRowOn, resolveMeasure, type Resolution } from './measures.rules.js';
import * as store from './measures.store.js';

const today = (deps: Deps): string => dayOf(deps.clock.now(), deps.config.timeZone);

type NamedChainRow = Awaited<ReturnType<typeof store.chainRows>>[number];

/** A unit the actor may read measures of, or not_found (out of scope reads as absent). */
async function visibleUnit(db: Conn, actor: Actor, id: number): Promise<UnitRow> {
  const unit = await findUnit(db, id);
  assertVisible(actor, 'measures.read', unit?.path, 'unit');
  return unit!;
}

/** The catalogue of measure types, for anyone who may read measures somewhere. */
export function listMeasureTypes(ctx: Ctx) {
  requireScope(requireActor(ctx.actor), 'measures.read');
  return { items: MEASURE_TYPES.map((m) => ({ ...m })) };
}

// ── the register ─────────────────────────────────────────────────────────────────────────────────

function sourceOf(r: Resolution<NamedChainRow>, unit: UnitRow): RegisterEntry['source'] {
  const row = r.row;
  if (!row) return { kind: 'default', unitId: null, unitName: null, approvedBy: null, approvedAt: null, changeId: null };
  const approved = row.status === 'approved';
  const kind = row.unit_id !== unit.id ? 'inherited' : approved && r.ownVsParent === 'stricter' ? 'exception' : 'own';
  return {
    kind,
    unitId: row.unit_id,
    unitName: row.unit_name,
    approvedBy: approved && row.decided_by_user_id !== null ? { userId: row.decided_by_user_id, name: row.decider_name ?? String(row.decided_by_user_id) } : null,
    approvedAt: approved && row.decided_at !== null ? Number(row.decided_at) : null,
    changeId: row.id,
  };
}

/** Every measure at a unit on a day: the value in force, where it comes from, the parent's requirement, the unit's own and pending values. */
export async function getRegister(deps: Deps, ctx: Ctx, unitId: number, day?: string): Promise<Register> {
  const actor = requireActor(ctx.actor);
  const unit = await visibleUnit(deps.db, actor, unitId);
  const on = day ?? today(deps);
  const [rows, open] = await Promise.all([store.chainRows(deps.db, unit.id), store.openChangesAt(deps.db, unit.id, on)]);
  const items = MEASURE_TYPES.map((def): RegisterEntry => {
    const r = resolveMeasure(def, levelsOf(rows.filter((x) => x.measure_key === def.key), unit.id), on);
    const waiting = open.find((p) => p.measure_key === def.key && p.status === 'pending' && p.id !== r.own?.id);
    // The next change already scheduled at this unit (the earliest after the day).
    const next = open.filter((p) => p.measure_key === def.key && p.status === 'set').sort((x, y) => (x.effective_from < y.effective_from ? -1 : 1))[0];
    return {
      key: def.key,
      value: decodeMeasureValue(def, r.value),
      source: sourceOf(r, unit),
      parentValue: decodeMeasureValue(def, r.parentValue),
      own:
        r.own && r.own.value !== null && r.ownState && r.ownVsParent
          ? { changeId: r.own.id, value: decodeMeasureValue(def, r.own.value), effectiveFrom: r.own.effective_from, state: r.ownState, vsParent: r.ownVsParent }
          : null,
      pending: waiting ? presentChange(waiting) : null,
      scheduled: next ? presentChange(next) : null,
      abilities: registerAbilities(actor, unit.path, r.own !== null || waiting !== undefined),
    };
  });
  return { unitId: unit.id, unitName: unit.name, isRoot: unit.parent_id === null, day: on, items };
}

// ── who follows a measure ────────────────────────────────────────────────────────────────────────

/** What a module that reads a measure hears of a change that may move its value (made, removed, approved). */
export interface MeasureChanged {
  key: string;
  unitId: number;
  /** A root's value: the organisation's own, which every unit without one of its own follows. */
  atRoot: boolean;
  effectiveFrom: string;
}
type MeasureFollower = (tx: Conn, deps: Deps, change: MeasureChanged) => Promise<void>;
const followers = new Map<string, MeasureFollower[]>();

/**
 * Be told, inside the change's own transaction, whenever measure `key` changes somewhere: a module
 * that planned work by a measure (the health module's cut-off job) re-plans it in the same commit.
 */
export function followMeasure(key: string, follower: MeasureFollower): void {
  followers.set(key, [...(followers.get(key) ?? []), follower]);
}

async function measureChanged(tx: Conn, deps: Deps, key: string, unit: Pick<UnitRow, 'id' | 'parent_id'>, effectiveFrom: string): Promise<void> {
  for (const f of followers.get(key) ?? []) await f(tx, deps, { key, unitId: unit.id, atRoot: unit.parent_id === null, effectiveFrom });
}

// ── setting and removing a unit's own value ─────────────────────────────────────────────────────

/** A unit the actor may change measures at, and the day a change takes effect (today or later). */
async function writableUnit(db: Conn, deps: Deps, actor: Actor, unitId: number, effectiveFrom: string | undefined) {
  const unit = await visibleUnit(db, actor, unitId);
  assertAllowed(actor, 'measures.write', unit.path);
  const now = today(deps);
  const day = effectiveFrom ?? now;
  // The past is history: what applied on a day that has begun is never rewritten.
  if (day < now) throw errors.validation({ effectiveFrom: `must be today (${now}) or later` });
  return { unit, day, now };
}

/** The parent's effective value on `day`, in a transaction (at a root: the built-in default). */
async function parentValueOn(tx: Conn, def: MeasureTypeDef, unit: UnitRow, day: string): Promise<number> {
  const rows = await store.chainRows(tx, unit.id, def.key);
  return resolveMeasure(def, levelsOf(rows, unit.id), day).parentValue;
}

/** A new change supersedes the unit's requests still waiting for this measure. */
async function withdrawPending(tx: Conn, deps: Deps, ctx: Ctx, unit: UnitRow, key: string, now: string, byChange: number): Promise<void> {
  for (const p of await store.pendingOf(tx, unit.id, key)) {
    if (p.id === byChange) continue;
    const done = await store.decide(tx, p.id, { status: 'withdrawn', decided_by_user_id: ctx.actor?.userId ?? null, decided_at: deps.clock.now(), decided_day: now, decision_note: `superseded by change ${byChange}` });
    if (done) await recordAudit(tx, deps, ctx, { action: 'measure.exception_withdrawn', entity: 'measure_value', entityId: p.id, unitId: unit.id, after: { status: 'withdrawn', by: byChange } });
  }
}

/**
 * Set a unit's own value of a measure from a day. At a root, or looser than or equal to the
 * parent's effective value that day, it is in force at once; stricter, it is an exception: it needs
 * a reason, waits for the parent level's approval, and the parent's value applies until then.
 */
export async function setMeasure(deps: Deps, ctx: Ctx, unitId: number, key: string, input: MeasureSet): Promise<{ change: MeasureChange; needsApproval: boolean }> {
  return transact(deps, ctx, (tx) => setMeasureIn(tx, deps, ctx, unitId, key, input));
}

/** setMeasure inside a caller's transaction (the health settings set the root's check-in cut-off with their own change). */
export async function setMeasureIn(
  tx: Conn,
  deps: Deps,
  ctx: Ctx,
  unitId: number,
  key: string,
  input: MeasureSet,
): Promise<{ change: MeasureChange; needsApproval: boolean }> {
  const actor = requireActor(ctx.actor);
  const def = defOf(key);
  const { unit, day, now } = await writableUnit(tx, deps, actor, unitId, input.effectiveFrom);
  const encoded = encodeMeasureValue(def, input.value);
  if (!encoded.ok) throw errors.validation({ value: encoded.message });
  const isRoot = unit.parent_id === null;
  const parentValue = await parentValueOn(tx, def, unit, day);
  const stricter = !isRoot && compareStrictness(def, encoded.stored, parentValue) === 'stricter';
  if (stricter && !input.reason) {
    throw errors.validation({
      reason: `required: ${String(input.value)} is stricter than what the level above requires (${String(decodeMeasureValue(def, parentValue))}), so it is an exception the level above must approve, and it needs a written reason`,
    });
  }
  const row = await store.insertMeasureValue(tx, {
    unit_id: unit.id,
    measure_key: key,
    value: encoded.stored,
    effective_from: day,
    status: stricter ? 'pending' : 'set',
    reason: input.reason ?? null,
    parent_value: isRoot ? null : parentValue,
    requested_by_user_id: actor.userId,
    requested_at: deps.clock.now(),
    decided_by_user_id: null,
    decided_at: null,
    decided_day: null,
    decision_note: null,
  });
  await withdrawPending(tx, deps, ctx, unit, key, now, row.id);
  await recordAudit(tx, deps, ctx, {
    action: stricter ? 'measure.exception_requested' : 'measure.set',
    entity: 'measure_value',
    entityId: row.id,
    unitId: unit.id,
    after: { key, value: input.value, effectiveFrom: day, status: row.status, parentValue: isRoot ? null : decodeMeasureValue(def, parentValue) },
  });
  if (stricter && unit.parent_id !== null) {
    // The level above decides: its unit heads (or the command office) are told at once.
    await notifyUnitRole(tx, deps, unit.parent_id, ['unit_head', 'command'], {
      kind: 'measures.exception_requested',
      params: { unit: unit.name, measure: key, value: String(input.value), parentValue: String(decodeMeasureValue(def, parentValue)), day, reason: input.reason ?? '' },
      unitId: unit.parent_id,
      entity: 'measure_value',
      entityId: String(row.id),
      link: '/measures?tab=exceptions',
    });
  }
  if (!stricter) await measureChanged(tx, deps, key, unit, day);
  return { change: presentChange((await store.findChange(tx, row.id))!), needsApproval: stricter };
}

/** Remove a unit's own value from a day: from then on it inherits again (a root: the built-in default). */
export async function removeMeasure(deps: Deps, ctx: Ctx, unitId: number, key: string, input: MeasureRemove): Promise<{ change: MeasureChange; needsApproval: boolean }> {
  const actor = requireActor(ctx.actor);
  defOf(key);
  return transact(deps, ctx, async (tx) => {
    const { unit, day, now } = await writableUnit(tx, deps, actor, unitId, input.effectiveFrom);
    const rows = (await store.chainRows(tx, unit.id, key)).filter((r) => r.unit_id === unit.id);
    const own = ownRowOn(rows, day);
    const waiting = rows.some((r) => r.status === 'pending');
    if ((!own || own.value === null) && !waiting) throw errors.conflict('the unit has no value of its own for this measure on that day', { key: 'no value of its own' });
    const row = await store.insertMeasureValue(tx, {
      unit_id: unit.id,
      measure_key: key,
      value: null,
      effective_from: day,
      status: 'set',
      reason: input.reason ?? null,
      parent_value: null,
      requested_by_user_id: actor.userId,
      requested_at: deps.clock.now(),
      decided_by_user_id: null,
      decided_at: null,
      decided_day: null,
      decision_note: null,
    });
    await withdrawPending(tx, deps, ctx, unit, key, now, row.id);
    await recordAudit(tx, deps, ctx, { action: 'measure.removed', entity: 'measure_value', entityId: row.id, unitId: unit.id, after: { key, effectiveFrom: day } });
    await measureChanged(tx, deps, key, unit, day);
    return { change: presentChange((await store.findChange(tx, row.id))!), needsApproval: false };
  });
}

// ── history ──────────────────────────────────────────────────────────────────────────────────────

/**
 * What applied at a unit, span by span, from `from` (default: the first change along its chain, or
 * today) on, and every change at the unit and those of its ancestors the actor may read.
 */
export async function measureHistory(deps: Deps, ctx: Ctx, unitId: number, key: string, from?: string): Promise<MeasureHistory> {
  const actor = requireActor(ctx.actor);
  const def = defOf(key);
  const unit = await visibleUnit(deps.db, actor, unitId);
  const rows = await store.chainRows(deps.db, unit.id, key);
  const levels = levelsOf(rows, unit.id);
  const first = rows.reduce((min, r) => (r.effective_from < min ? r.effective_from : min), today(deps));
  const start = from ?? first;
  const spans: MeasureHistory['spans'] = [];
  for (const d of changeDays(levels, start)) {
    const r = resolveMeasure(def, levels, d);
    const source = sourceOf(r, unit);
    const prev = spans.at(-1);
    if (prev && prev.source.changeId === source.changeId && prev.source.kind === source.kind) continue;
    if (prev) prev.to = addDays(d, -1);
    spans.push({ from: d, to: null, value: decodeMeasureValue(def, r.value), source });
  }
  // The register names the unit a value is inherited from; the reasons behind changes above the actor's scope stay there.
  const readable = [...ancestorIds(unit.path), unit.id].filter((id) => {
    const row = rows.find((r) => r.unit_id === id);
    return id === unit.id || (row !== undefined && can(actor, 'measures.read', row.unit_path));
  });
  const changes = await store.changesAt(deps.db, readable, key);
  return { unitId: unit.id, key, spans, changes: changes.map(presentChange) };
}

// ── exceptions ───────────────────────────────────────────────────────────────────────────────────

/** Every exception (pending, approved, refused, withdrawn) at units in the actor's scope or one subtree of it: pending first. */
export async function listExceptions(deps: Deps, ctx: Ctx, q: z.infer<typeof ExceptionListQuery>) {
  const actor = requireActor(ctx.actor);
  let paths = requireScope(actor, 'measures.read');
  if (q.unitId !== undefined) paths = [(await visibleUnit(deps.db, actor, q.unitId)).path];
  const { rows, total } = await store.listExceptions(deps.db, { paths, ...(q.status ? { status: q.status } : {}), ...(q.key ? { key: q.key } : {}) }, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: rows.map((r) => presentException(actor, r)), total, page: q.page, pageSize: q.pageSize };
}

async function decideException(deps: Deps, ctx: Ctx, id: number, decision: 'approved' | 'refused', note: string | null): Promise<ExceptionItem> {
  const actor = requireActor(ctx.actor);
  const found = await store.findChange(deps.db, id);
  // Only exceptions are decided: a plain change reads as no such exception.
  assertVisible(actor, 'measures.read', found && found.status !== 'set' ? found.unit_path : undefined, 'exception');
  const x = found!;
  if (!mayDecide(actor, x.unit_path, x.requested_by_user_id)) {
    throw errors.forbidden(x.requested_by_user_id === actor.userId ? 'You may not decide your own request' : 'Only the level above may decide this exception');
  }
  if (x.status !== 'pending') throw errors.conflict(`this exception is already ${x.status}`, { id: x.status });
  const def = defOf(x.measure_key);
  return transact(deps, ctx, async (tx) => {
    const now = today(deps);
    // An approval counts from the later of the requested day and today: the days before it keep the value that applied.
    const decidedDay = decision === 'approved' && x.effective_from > now ? x.effective_from : now;
    const done = await store.decide(tx, x.id, { status: decision, decided_by_user_id: actor.userId, decided_at: deps.clock.now(), decided_day: decidedDay, decision_note: note });
    if (!done) throw errors.conflict('this exception was decided meanwhile', { id: 'decided' });
    await recordAudit(tx, deps, ctx, {
      action: decision === 'approved' ? 'measure.exception_approved' : 'measure.exception_refused',
      entity: 'measure_value',
      entityId: x.id,
      unitId: x.unit_id,
      before: { status: 'pending' },
      after: { status: decision, decidedDay, note },
    });
    if (decision === 'approved') await measureChanged(tx, deps, x.measure_key, { id: x.unit_id, parent_id: x.unit_parent_id }, decidedDay);
    if (x.requested_by_user_id !== null) {
      await notifyUsers(tx, deps, [x.requested_by_user_id], {
        kind: 'measures.exception_decided',
        params: { unit: x.unit_name, measure: x.measure_key, value: String(x.value === null ? '' : decodeMeasureValue(def, x.value)), decision },
        unitId: null,
        entity: 'measure_value',
        entityId: String(x.id),
        link: '/measures?tab=exceptions',
      });
    }
    return presentException(actor, (await store.findChange(tx, x.id))!);
  });
}

/** Approve a pending exception: the level above (measures.write over the parent unit), never the requester. */
export function approveException(deps: Deps, ctx: Ctx, id: number, note?: string): Promise<ExceptionItem> {
  return decideException(deps, ctx, id, 'approved', note ?? null);
}

/** Refuse a pending exception, saying why; the request and its reason stay listed. */
export function refuseException(deps: Deps, ctx: Ctx, id: number, note: string): Promise<ExceptionItem> {
  return decideException(deps, ctx, id, 'refused', note);
}
