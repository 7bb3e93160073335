import type { z } from 'zod';
import { dayOf } from '../../../common/day.js';
import {
  MEALS,
  hhmmOf,
  minutesOf,
  type Canteen,
  type CanteenCreate,
  type CanteenListItem,
  type CanteenListQuery,
  type CanteenPatch,
  type DinerInput,
  type Meal,
  type MealWindows,
  type Window,
} from '../../../common/schemas/dining.js';
import type { Conn } from '../../db/database.js';
import { isWithin } from '../../db/tree.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import { canReadCanteen, canteenAbilities } from './canteens.policy.js';
import * as store from './canteens.store.js';
import { dinerHeadcounts, keyOf } from './dining.headcounts.js';
import { endPlansFrom, plansInForce } from './dining.store.js';

/** A canteen's windows as stored: the served meals only, 'HH:MM'. */
export type StoredWindows = Partial<Record<Meal, Window>>;

export const parseWindows = (json: string): StoredWindows => JSON.parse(json) as StoredWindows;
const servedMeals = (w: StoredWindows): Meal[] => MEALS.filter((m) => w[m] !== undefined);

interface DinerConfig {
  unitId: number;
  meals: Meal[];
  windows: StoredWindows;
}

/** A canteen the actor may read (places.read over its unit), else 404. */
export async function visibleCanteen(db: Conn, actor: Actor, id: number): Promise<store.CanteenWithUnit> {
  const c = await store.findCanteen(db, id);
  if (!c || !canReadCanteen(actor, c.unit_path)) throw errors.notFound('canteen');
  return c;
}

/** Rows of the diner table for a canteen's diner list, after the rules: 422 naming the field otherwise. */
async function checkedDiners(db: Conn, canteenId: number | null, unitPath: string, windows: StoredWindows, diners: readonly DinerInput[]) {
  const served = servedMeals(windows);
  const units = new Map((await store.unitsByIds(db, diners.map((d) => d.unitId))).map((u) => [u.id, u]));
  const configs: DinerConfig[] = [];
  diners.forEach((d, i) => {
    const u = units.get(d.unitId);
    const field = `diners.${i}.unitId`;
    if (!u || u.archived_at !== null || !isWithin(u.path, unitPath)) throw errors.validation({ [field]: "unit not found in the canteen unit's subtree" });
    const meals = d.meals ?? served;
    for (const m of meals) if (!served.includes(m)) throw errors.validation({ [`diners.${i}.meals`]: `the canteen does not serve ${m}` });
    const own: StoredWindows = {};
    for (const m of MEALS) {
      const w = d.windows?.[m];
      if (!w) continue;
      const f = `diners.${i}.windows.${m}`;
      if (!meals.includes(m)) throw errors.validation({ [f]: `the unit does not eat ${m} here` });
      const c = windows[m]!;
      if (minutesOf(w.from) < minutesOf(c.from) || minutesOf(w.to) > minutesOf(c.to)) throw errors.validation({ [f]: `must lie inside the canteen's ${m} window ${c.from}–${c.to}` });
      own[m] = w;
    }
    configs.push({ unitId: d.unitId, meals, windows: own });
  });
  // No nesting within one canteen: a unit and its descendant would count the same people twice.
  diners.forEach((d, i) => {
    const p = units.get(d.unitId)!.path;
    const outer = diners.find((o) => o.unitId !== d.unitId && isWithin(p, units.get(o.unitId)!.path));
    if (outer) throw errors.validation({ [`diners.${i}.unitId`]: `lies inside unit ${outer.unitId}, already a diner unit of this canteen` });
  });
  const elsewhere = await store.dinersElsewhere(db, diners.map((d) => d.unitId), canteenId);
  configs.forEach((c, i) => {
    for (const m of MEALS) {
      const e = c.meals.includes(m) ? elsewhere.find((x) => x.unit_id === c.unitId && x.meal === m) : undefined;
      if (e) throw errors.validation({ [`diners.${i}.unitId`]: `already eats ${m} at canteen ${e.canteen_id}` });
    }
  });
  return configs.flatMap((c) =>
    c.meals.map((m) => ({ unit_id: c.unitId, meal: m, window_from: c.windows[m] ? minutesOf(c.windows[m].from) : null, window_to: c.windows[m] ? minutesOf(c.windows[m].to) : null })),
  );
}

/** The served meals' windows, each a whole number of slots long; at least one meal. */
function checkedWindows(windows: MealWindows, slotMinutes: number): StoredWindows {
  const out: StoredWindows = {};
  for (const m of MEALS) {
    const w = windows[m];
    if (!w) continue;
    if ((minutesOf(w.to) - minutesOf(w.from)) % slotMinutes !== 0) throw errors.validation({ [`windows.${m}`]: `must be a whole number of ${slotMinutes}-minute slots long` });
    out[m] = { from: w.from, to: w.to };
  }
  if (servedMeals(out).length === 0) throw errors.validation({ windows: 'must serve at least one meal' });
  return out;
}

function dinerInputsOf(rows: readonly store.DinerRow[]): DinerInput[] {
  const byUnit = new Map<number, DinerInput>();
  for (const r of rows) {
    const d = byUnit.get(r.unit_id) ?? { unitId: r.unit_id, meals: [], windows: {} };
    d.meals!.push(r.meal as Meal);
    if (r.window_from !== null && r.window_to !== null) d.windows![r.meal as Meal] = { from: hhmmOf(r.window_from), to: hhmmOf(r.window_to) };
    byUnit.set(r.unit_id, d);
  }
  return [...byUnit.values()];
}

async function present(db: Conn, deps: Deps, actor: Actor, cs: readonly store.CanteenWithUnit[]): Promise<Canteen[]> {
  const diners = await store.dinersOf(db, cs.map((c) => c.id));
  const counts = await dinerHeadcounts(db, diners);
  const inForce = await plansInForce(db, cs.map((c) => c.id), dayOf(deps.clock.now(), deps.config.timeZone));
  return cs.map((c) => {
    const own = diners.filter((d) => d.canteen_id === c.id);
    const units = new Map<number, Canteen['diners'][number]>();
    for (const d of own) {
      const u = units.get(d.unit_id) ?? { unitId: d.unit_id, unitName: d.unit_name, meals: [], windows: {}, headcount: 0 };
      u.meals.push(d.meal as Meal);
      if (d.window_from !== null && d.window_to !== null) u.windows[d.meal as Meal] = { from: hhmmOf(d.window_from), to: hhmmOf(d.window_to) };
      // The people it plans for at its first meal (a unit's nested diners may differ by meal).
      if (u.meals.length === 1) u.headcount = counts.get(keyOf(d.unit_id, d.meal)) ?? 0;
      units.set(d.unit_id, u);
    }
    for (const u of units.values()) u.meals.sort((a, b) => MEALS.indexOf(a) - MEALS.indexOf(b));
    return {
      id: c.id,
      unitId: c.unit_id,
      unitName: c.unit_name,
      name: c.name,
      capacity: c.capacity,
      slotMinutes: c.slot_minutes,
      windows: parseWindows(c.windows),
      diners: [...units.values()],
      note: c.note,
      currentPlanId: inForce.find((p) => p.canteen_id === c.id)?.id ?? null,
      createdAt: Number(c.created_at),
      updatedAt: Number(c.updated_at),
      abilities: canteenAbilities(actor, c.unit_path),
    };
  });
}

const auditView = (c: { name: string; capacity: number; slotMinutes: number; windows: StoredWindows; diners: number }) => c;

/** The live canteens in the actor's places.read scope, or in one visible unit's subtree. */
export async function listCanteens(deps: Deps, ctx: Ctx, q: z.infer<typeof CanteenListQuery>): Promise<{ items: CanteenListItem[] }> {
  const actor = requireActor(ctx.actor);
  let paths = scopeFor(actor, 'places.read');
  if (paths.length === 0) throw errors.forbidden();
  if (q.unitId !== undefined) {
    const unit = await findUnit(deps.db, q.unitId);
    if (!unit || !canReadCanteen(actor, unit.path)) throw errors.notFound('unit');
    paths = [unit.path];
  }
  const items = await present(deps.db, deps, actor, await store.canteensIn(deps.db, paths));
  return { items: items.map(({ diners, ...c }) => ({ ...c, dinerUnits: diners.length, headcount: diners.reduce((n, d) => n + d.headcount, 0) })) };
}

/** One canteen with its diner units. */
export async function getCanteen(deps: Deps, ctx: Ctx, id: number): Promise<Canteen> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCanteen(deps.db, actor, id);
  return (await present(deps.db, deps, actor, [c]))[0]!;
}

/** Add a canteen at a unit, with its windows and diner units. */
export async function createCanteen(deps: Deps, ctx: Ctx, input: CanteenCreate): Promise<Canteen> {
  const actor = requireActor(ctx.actor);
  const unit = await findUnit(deps.db, input.unitId);
  if (!unit || unit.archived_at !== null || !canReadCanteen(actor, unit.path)) throw errors.validation({ unitId: 'unit not found' });
  if (!can(actor, 'places.write', unit.path)) throw errors.forbidden();
  const windows = checkedWindows(input.windows, input.slotMinutes);
  return transact(deps, ctx, async (tx) => {
    const diners = await checkedDiners(tx, null, unit.path, windows, input.diners);
    const now = deps.clock.now();
    const id = await store.insertCanteen(tx, {
      unit_id: unit.id,
      name: input.name,
      capacity: input.capacity,
      slot_minutes: input.slotMinutes,
      windows: JSON.stringify(windows),
      note: input.note,
      archived_at: null,
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await store.replaceDiners(tx, id, diners);
    await recordAudit(tx, deps, ctx, { action: 'canteen.created', entity: 'canteen', entityId: id, unitId: unit.id, after: auditView({ name: input.name, capacity: input.capacity, slotMinutes: input.slotMinutes, windows, diners: input.diners.length }) });
    const c = (await store.findCanteen(tx, id))!;
    return (await present(tx, deps, actor, [c]))[0]!;
  });
}

/** Change a canteen; `diners` replaces the list; windows and diners are checked together. */
export async function updateCanteen(deps: Deps, ctx: Ctx, id: number, patch: CanteenPatch): Promise<Canteen> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCanteen(deps.db, actor, id);
  if (!can(actor, 'places.write', c.unit_path)) throw errors.forbidden();
  const slotMinutes = patch.slotMinutes ?? c.slot_minutes;
  const windows = checkedWindows(patch.windows ?? parseWindows(c.windows), slotMinutes);
  return transact(deps, ctx, async (tx) => {
    await store.lockCanteen(tx, id);
    const current = dinerInputsOf(await store.dinersOf(tx, [id]));
    const diners = await checkedDiners(tx, id, c.unit_path, windows, patch.diners ?? current);
    await store.updateCanteen(tx, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
      ...(patch.note !== undefined ? { note: patch.note } : {}),
      slot_minutes: slotMinutes,
      windows: JSON.stringify(windows),
      updated_at: deps.clock.now(),
    });
    await store.replaceDiners(tx, id, diners);
    const before = auditView({ name: c.name, capacity: c.capacity, slotMinutes: c.slot_minutes, windows: parseWindows(c.windows), diners: current.length });
    const after = auditView({ name: patch.name ?? c.name, capacity: patch.capacity ?? c.capacity, slotMinutes, windows, diners: (patch.diners ?? current).length });
    await recordAudit(tx, deps, ctx, { action: 'canteen.updated', entity: 'canteen', entityId: id, unitId: c.unit_id, before, after });
    return (await present(tx, deps, actor, [(await store.findCanteen(tx, id))!]))[0]!;
  });
}

/** Archive a canteen: it leaves the lists and frees its diner units; its plans stay as history. */
export async function archiveCanteen(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCanteen(deps.db, actor, id);
  if (!can(actor, 'places.write', c.unit_path)) throw errors.forbidden();
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await store.updateCanteen(tx, id, { archived_at: now, updated_at: now });
    await store.replaceDiners(tx, id, []);
    // Nobody eats at an archived canteen from today: its plans end (and stay as history).
    const ended = await endPlansFrom(tx, id, dayOf(now, deps.config.timeZone), now);
    await recordAudit(tx, deps, ctx, { action: 'canteen.archived', entity: 'canteen', entityId: id, unitId: c.unit_id, before: { name: c.name }, after: { plansEnded: ended } });
    return { ok: true as const };
  });
}
