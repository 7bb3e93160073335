import { z } from 'zod';
import { Day } from './health.js';
import { TimeOfDay } from './reports.js';
import { Id, IdParams, Name, Timestamp } from './shared.js';

/**
 * Canteens and staggered dining (错峰就餐). A canteen belongs to a unit; it serves some meals, each
 * in one window ('HH:MM'–'HH:MM', the deployment's time zone) cut into slots of `slotMinutes`; its
 * diner units (never nested within one canteen; a unit eats at one canteen per meal) may each have
 * a narrower window per meal. The command office runs the planner for a canteen and a day (a draft
 * plan), adjusts it, and publishes it from a day: the previous published plan stays in force until
 * that day and is then superseded. Everyone sees their own slot (the plan covering their unit, the
 * nearest diner ancestor).
 *
 * Routes (all under /api/v1; permission over the canteen's unit in brackets):
 *
 *   GET    /canteens?unitId=                         canteens in a subtree (default: whole scope)  [places.read]  → CanteenList
 *   POST   /canteens                                 add a canteen                                 [places.write] CanteenCreate → Canteen (201)
 *   GET    /canteens/:id                             one canteen with its diner units              [places.read]  → Canteen
 *   PATCH  /canteens/:id                             change it (diners replace the whole list)     [places.write] CanteenPatch → Canteen
 *   DELETE /canteens/:id                             archive it (its plans stay as history)        [places.write] → Ok
 *   GET    /canteens/:id/plans                       its plans, newest first (history)             [places.read]  → PlanList
 *   POST   /canteens/:id/plans                       run the planner for a day → a draft           [dining.plan]  PlanRun → Plan (201)
 *   GET    /canteens/:id/plans/:planId               one plan with its slots and unplaced units    [places.read]  → Plan
 *   POST   /canteens/:id/plans/:planId/moves         move one unit to another slot (draft only)    [dining.plan]  PlanMove → Plan
 *   POST   /canteens/:id/plans/:planId/publish       publish from a day; supersedes the previous   [dining.plan]  PlanPublish → Plan
 *   DELETE /canteens/:id/plans/:planId               discard a draft                               [dining.plan]  → Ok
 *   GET    /me/dining                                my slot per meal today (and the next plan)    [signed in, linked to a person] → MyDining
 */

export const MEALS = ['breakfast', 'lunch', 'dinner'] as const;
export const Meal = z.enum(MEALS);
export type Meal = z.infer<typeof Meal>;

/** The slot lengths a canteen may use, in minutes. */
export const SLOT_MINUTES = [10, 15, 20, 30, 40, 45, 60] as const;
/** The most diner units one canteen may list. */
export const MAX_DINERS = 1_000;
/** The most seats a canteen may have. */
export const MAX_CAPACITY = 100_000;

/** Minutes after midnight of an 'HH:MM' the schema has accepted. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** 'HH:MM' of minutes after midnight (0–1439). */
export const hhmmOf = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** A window of one day, [from, to): 'HH:MM' in the deployment's zone, `from` before `to` (no window crosses midnight). */
export const Window = z
  .strictObject({ from: TimeOfDay, to: TimeOfDay })
  .refine((w) => minutesOf(w.from) < minutesOf(w.to), { message: 'must end after it starts', path: ['to'] });
export type Window = z.infer<typeof Window>;

/** A window per meal; a meal left out is not served (canteen) or not narrowed (diner). */
export const MealWindows = z.strictObject({ breakfast: Window.optional(), lunch: Window.optional(), dinner: Window.optional() });
export type MealWindows = z.infer<typeof MealWindows>;

/**
 * A diner unit: which meals it eats here (default: every meal the canteen serves) and, per meal,
 * its own narrower window (inside the canteen's window for that meal; the planner keeps it to the
 * slots lying wholly inside it).
 */
export const DinerInput = z.strictObject({
  unitId: Id,
  meals: z
    .array(Meal)
    .min(1)
    .max(3)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a meal')
    .optional(),
  windows: MealWindows.optional(),
});
export type DinerInput = z.infer<typeof DinerInput>;

const Diners = z
  .array(DinerInput)
  .max(MAX_DINERS)
  .refine((a) => new Set(a.map((d) => d.unitId)).size === a.length, 'must not repeat a unit');

const SlotMinutes = z
  .number()
  .int()
  .refine((m) => (SLOT_MINUTES as readonly number[]).includes(m), `must be one of ${SLOT_MINUTES.join(', ')}`);

/**
 * A new canteen. Each served meal's window must be a whole number of slots long (422 naming
 * `windows.<meal>`); diner units lie in the canteen unit's subtree, do not nest (422 naming
 * `diners.<i>.unitId`), and do not already eat that meal at another canteen (422 likewise).
 */
export const CanteenCreate = z.strictObject({
  unitId: Id,
  name: Name(100),
  capacity: z.number().int().min(1).max(MAX_CAPACITY),
  slotMinutes: SlotMinutes,
  windows: MealWindows,
  diners: Diners.default([]),
  note: Name(500).nullable().default(null),
});
export type CanteenCreate = z.infer<typeof CanteenCreate>;

/** A change: fields left out stay; `diners` replaces the whole list. The unit does not change. */
export const CanteenPatch = z.strictObject({
  name: Name(100).optional(),
  capacity: z.number().int().min(1).max(MAX_CAPACITY).optional(),
  slotMinutes: SlotMinutes.optional(),
  windows: MealWindows.optional(),
  diners: Diners.optional(),
  note: Name(500).nullable().optional(),
});
export type CanteenPatch = z.infer<typeof CanteenPatch>;

export const CanteenListQuery = z.strictObject({ unitId: Id.optional() });
export const CanteenParams = IdParams;
export const PlanParams = z.strictObject({ id: Id, planId: Id });

export const Diner = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  meals: z.array(Meal),
  windows: z.object({ breakfast: Window.optional(), lunch: Window.optional(), dinner: Window.optional() }),
  /** Active people today whose nearest diner unit for this unit's first meal here is this one (a unit's nested diners may differ by meal). */
  headcount: z.number().int(),
});
export type Diner = z.infer<typeof Diner>;

export const CanteenAbilities = z.object({
  /** Change or archive it (places.write over its unit). */
  write: z.boolean(),
  /** Run, adjust and publish plans (dining.plan over its unit). */
  plan: z.boolean(),
});

export const Canteen = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  name: z.string(),
  capacity: z.number().int(),
  slotMinutes: z.number().int(),
  windows: z.object({ breakfast: Window.optional(), lunch: Window.optional(), dinner: Window.optional() }),
  diners: z.array(Diner),
  note: z.string().nullable(),
  /** The plan in force today (published, from a day not after today), null with none. */
  currentPlanId: z.number().int().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  abilities: CanteenAbilities,
});
export type Canteen = z.infer<typeof Canteen>;

/** A canteen in a list: no diner details, just how many units and people. */
export const CanteenListItem = Canteen.omit({ diners: true }).extend({
  dinerUnits: z.number().int(),
  headcount: z.number().int(),
});
export type CanteenListItem = z.infer<typeof CanteenListItem>;
export const CanteenList = z.object({ items: z.array(CanteenListItem) });

// ── plans ──────────────────────────────────────────────────────────────────────────────────────

/**
 * draft: made by the planner, adjustable; published: in force from `fromDay`; superseded: a later
 * publication took over on `untilDay` (kept as history); discarded drafts are deleted.
 */
export const PLAN_STATUSES = ['draft', 'published', 'superseded'] as const;
export const PlanStatus = z.enum(PLAN_STATUSES);
export type PlanStatus = z.infer<typeof PlanStatus>;

/** Why the planner could not place a unit. */
export const UNPLACED_REASONS = [
  'too_large', // more people than one slot's seats: a unit stays together
  'window_full', // every slot of its window has too few seats left
  'no_slot_in_window', // its window holds no whole slot of the canteen
] as const;
export const UnplacedReason = z.enum(UNPLACED_REASONS);
export type UnplacedReason = z.infer<typeof UnplacedReason>;

/** Run the planner for `day` (default today): the density measure and headcounts of that day. */
export const PlanRun = z.strictObject({ day: Day.optional(), note: Name(500).optional() });
export type PlanRun = z.infer<typeof PlanRun>;

/**
 * Move a unit (placed or unplaced) to the slot starting at `slotStart` of `meal`. A move that puts
 * the slot over its seats is refused (422 naming `slotStart`) unless `force: true` with a `reason`,
 * which the plan keeps beside the assignment and the audit row. A slot outside the unit's window is
 * always refused.
 */
export const PlanMove = z
  .strictObject({
    unitId: Id,
    meal: Meal,
    slotStart: TimeOfDay,
    force: z.boolean().default(false),
    reason: Name(500).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.force && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required when force is true' });
  });
export type PlanMove = z.infer<typeof PlanMove>;

/** Publish a draft from `fromDay` (default today; not before today, not before the plan's day). */
export const PlanPublish = z.strictObject({ fromDay: Day.optional() });
export type PlanPublish = z.infer<typeof PlanPublish>;

export const PlanUnit = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  headcount: z.number().int(),
  /** Set when a move put it here over the slot's seats: the reason given. */
  forcedReason: z.string().nullable(),
});
export type PlanUnit = z.infer<typeof PlanUnit>;

export const PlanSlot = z.object({
  start: TimeOfDay,
  end: TimeOfDay,
  seats: z.number().int(),
  /** People assigned (the sum of the units' headcounts). */
  load: z.number().int(),
  units: z.array(PlanUnit),
});
export type PlanSlot = z.infer<typeof PlanSlot>;

export const Unplaced = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  headcount: z.number().int(),
  reason: UnplacedReason,
  /** The window it was allowed. */
  window: Window,
});
export type Unplaced = z.infer<typeof Unplaced>;

export const PlanMeal = z.object({ meal: Meal, window: Window, slots: z.array(PlanSlot), unplaced: z.array(Unplaced) });
export type PlanMeal = z.infer<typeof PlanMeal>;

export const PlanAbilities = z.object({ move: z.boolean(), publish: z.boolean(), discard: z.boolean() });

export const PlanSummary = z.object({
  id: z.number().int(),
  canteenId: z.number().int(),
  /** The day the planner ran for (its density and headcounts). */
  day: z.string(),
  status: PlanStatus,
  /** In force from this day (published or superseded), else null. */
  fromDay: z.string().nullable(),
  /** Superseded: in force until the day before this one; null while still in force or a draft. */
  untilDay: z.string().nullable(),
  density: z.number(),
  seatsPerSlot: z.number().int(),
  placedUnits: z.number().int(),
  unplacedUnits: z.number().int(),
  people: z.number().int(),
  note: z.string().nullable(),
  createdAt: Timestamp,
  createdByName: z.string().nullable(),
  publishedAt: Timestamp.nullable(),
  publishedByName: z.string().nullable(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;
export const PlanList = z.object({ items: z.array(PlanSummary) });

export const Plan = PlanSummary.extend({
  canteenName: z.string(),
  slotMinutes: z.number().int(),
  meals: z.array(PlanMeal),
  abilities: PlanAbilities,
});
export type Plan = z.infer<typeof Plan>;

// ── my slot ────────────────────────────────────────────────────────────────────────────────────

export const MySlot = z.object({
  meal: Meal,
  canteenId: z.number().int(),
  canteenName: z.string(),
  /** The diner unit the slot is for (mine or my nearest diner ancestor). */
  unitId: z.number().int(),
  unitName: z.string(),
  start: TimeOfDay,
  end: TimeOfDay,
  planId: z.number().int(),
  /** The day the plan came into force. */
  fromDay: z.string(),
});
export type MySlot = z.infer<typeof MySlot>;

/** My slot for each meal I have one today; `next`: slots of a plan already published from a later day. */
export const MyDining = z.object({
  day: z.string(),
  meals: z.array(MySlot),
  next: z.array(MySlot),
});
export type MyDining = z.infer<typeof MyDining>;
