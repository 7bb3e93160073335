import type { UnplacedReason } from '../../../common/schemas/dining.js';

/**
 * The staggered dining planner (错峰就餐): a pure function, no I/O, so it is tested by properties
 * and timed by the bench on its own. One meal at a time: the canteen's window is cut into slots of
 * `slotMinutes` from its start (the canteen's schema makes the window a whole number of slots),
 * each with `seats` seats; every unit goes whole into one slot lying wholly inside its own window.
 *
 * Greedy, largest units first (they have the fewest slots they fit in once the others are placed),
 * then the tightest windows, then the unit id so the same input always gives the same plan; each
 * unit takes the least-loaded slot of its window that still has room for it (the earliest on a
 * tie), which spreads people evenly. A unit that fits nowhere is reported with why. Cost:
 * O(units × slots) after a sort — 200 units × 144 slots is nothing.
 */

export interface MinuteWindow {
  /** Minutes after midnight, [from, to). */
  from: number;
  to: number;
}

export interface PlannerUnit {
  unitId: number;
  headcount: number;
  /** Where the unit may eat; the canteen's window when it has none of its own. */
  window: MinuteWindow;
}

export interface MealPlanInput {
  window: MinuteWindow;
  slotMinutes: number;
  seats: number;
  units: readonly PlannerUnit[];
}

export interface PlannedSlot {
  start: number;
  end: number;
  seats: number;
  load: number;
  /** In placing order. */
  unitIds: number[];
}

export interface MealPlan {
  slots: PlannedSlot[];
  /** unit id → index of its slot in `slots`. */
  placed: Map<number, number>;
  unplaced: { unitId: number; reason: UnplacedReason }[];
}

/** The slots of a window: pieces of `slotMinutes` from its start; a remainder shorter than a slot is not a slot. */
export function slotsOf(window: MinuteWindow, slotMinutes: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let s = window.from; s + slotMinutes <= window.to; s += slotMinutes) out.push({ start: s, end: s + slotMinutes });
  return out;
}

/** Seats of one slot: capacity × density, rounded down (a measure of 0.5 on 101 seats is 50). */
export function seatsPerSlot(capacity: number, densityHundredths: number): number {
  // Integer arithmetic: 0.29 × 100 is not 29 in floating point.
  return Math.floor((capacity * densityHundredths) / 100);
}

/** Indices of the slots lying wholly inside `w`. */
function allowedSlots(slots: readonly { start: number; end: number }[], w: MinuteWindow): number[] {
  const out: number[] = [];
  for (let i = 0; i < slots.length; i++) if (slots[i]!.start >= w.from && slots[i]!.end <= w.to) out.push(i);
  return out;
}

/** Plan one meal: each unit placed in exactly one slot of its window, no slot over its seats, or reported. */
export function planMeal(input: MealPlanInput): MealPlan {
  const slots: PlannedSlot[] = slotsOf(input.window, input.slotMinutes).map((s) => ({ ...s, seats: input.seats, load: 0, unitIds: [] }));
  const candidates = input.units.map((u) => ({ u, allowed: allowedSlots(slots, u.window) }));
  candidates.sort((a, b) => b.u.headcount - a.u.headcount || a.allowed.length - b.allowed.length || a.u.unitId - b.u.unitId);
  const placed = new Map<number, number>();
  const unplaced: MealPlan['unplaced'] = [];
  for (const { u, allowed } of candidates) {
    if (allowed.length === 0) {
      unplaced.push({ unitId: u.unitId, reason: 'no_slot_in_window' });
      continue;
    }
    if (u.headcount > input.seats) {
      unplaced.push({ unitId: u.unitId, reason: 'too_large' });
      continue;
    }
    let best = -1;
    for (const i of allowed) {
      const s = slots[i]!;
      if (s.load + u.headcount > s.seats) continue;
      if (best === -1 || s.load < slots[best]!.load) best = i;
    }
    if (best === -1) {
      unplaced.push({ unitId: u.unitId, reason: 'window_full' });
      continue;
    }
    slots[best]!.load += u.headcount;
    slots[best]!.unitIds.push(u.unitId);
    placed.set(u.unitId, best);
  }
  return { slots, placed, unplaced };
}
