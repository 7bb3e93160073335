import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planMeal, seatsPerSlot, slotsOf, type MealPlanInput } from './dining.planner.js';

const H = 60;

/** A canteen window of 1–8 slots from 06:00–19:00, and units with windows that mostly lie inside it. */
const mealInput: fc.Arbitrary<MealPlanInput> = fc
  .record({
    slotMinutes: fc.constantFrom(10, 15, 20, 30),
    slots: fc.integer({ min: 1, max: 8 }),
    startHour: fc.integer({ min: 6, max: 19 }),
    seats: fc.integer({ min: 0, max: 120 }),
  })
  .chain(({ slotMinutes, slots, startHour, seats }) => {
    const window = { from: startHour * H, to: startHour * H + slots * slotMinutes };
    const unitWindow = fc
      .tuple(fc.integer({ min: window.from - 30, max: window.to }), fc.integer({ min: 1, max: slots * slotMinutes + 30 }))
      .map(([from, len]) => ({ from, to: from + len }));
    const unit = fc.record({ headcount: fc.integer({ min: 0, max: 150 }), window: fc.option(unitWindow, { nil: undefined }) });
    return fc.array(unit, { maxLength: 40 }).map((us) => ({
      window,
      slotMinutes,
      seats,
      units: us.map((u, i) => ({ unitId: i + 1, headcount: u.headcount, window: u.window ?? window })),
    }));
  });

describe('the dining planner', () => {
  it('cuts a window into whole slots and takes seats as capacity × density, rounded down', () => {
    expect(slotsOf({ from: 11 * H, to: 12 * H + 10 }, 30)).toEqual([
      { start: 660, end: 690 },
      { start: 690, end: 720 },
    ]);
    expect(seatsPerSlot(101, 50)).toBe(50);
    expect(seatsPerSlot(100, 29)).toBe(29);
  });

  it('places the largest first in the least-loaded slot, keeps windows, reports what cannot be placed', () => {
    const p = planMeal({
      window: { from: 11 * H, to: 12 * H },
      slotMinutes: 20,
      seats: 50,
      units: [
        { unitId: 1, headcount: 30, window: { from: 11 * H, to: 12 * H } },
        { unitId: 2, headcount: 40, window: { from: 11 * H, to: 12 * H } },
        { unitId: 3, headcount: 25, window: { from: 11 * H, to: 11 * H + 40 } },
        { unitId: 4, headcount: 60, window: { from: 11 * H, to: 12 * H } },
        { unitId: 5, headcount: 20, window: { from: 11 * H + 45, to: 12 * H } },
        { unitId: 6, headcount: 30, window: { from: 11 * H, to: 11 * H + 20 } },
      ],
    });
    // 4 is too large; 2 (40) → 11:00; 6 (30, only 11:00) → full; 1 (30) → 11:20; 3 (25, 11:00–11:40)
    // → both its slots would pass 50; 5 (11:45–12:00) holds no whole slot.
    expect(p.slots.map((s) => [s.start, s.load, s.unitIds])).toEqual([
      [660, 40, [2]],
      [680, 30, [1]],
      [700, 0, []],
    ]);
    // In placing order: largest first, then the tightest window (6 before 1).
    expect(p.unplaced).toEqual([
      { unitId: 4, reason: 'too_large' },
      { unitId: 6, reason: 'window_full' },
      { unitId: 3, reason: 'window_full' },
      { unitId: 5, reason: 'no_slot_in_window' },
    ]);
  });

  it('never puts a slot over its seats', () => {
    fc.assert(
      fc.property(mealInput, (input) => {
        for (const s of planMeal(input).slots) expect(s.load).toBeLessThanOrEqual(s.seats);
      }),
      { numRuns: 300 },
    );
  });

  it('places every unit exactly once or reports it, never both', () => {
    fc.assert(
      fc.property(mealInput, (input) => {
        const p = planMeal(input);
        const inSlots = p.slots.flatMap((s) => s.unitIds);
        expect(new Set(inSlots).size).toBe(inSlots.length);
        const reported = p.unplaced.map((u) => u.unitId);
        expect([...inSlots, ...reported].sort((a, b) => a - b)).toEqual(input.units.map((u) => u.unitId));
        for (const [unitId, i] of p.placed) expect(p.slots[i]!.unitIds).toContain(unitId);
        // Loads are the placed units' headcounts.
        const head = new Map(input.units.map((u) => [u.unitId, u.headcount]));
        for (const s of p.slots) expect(s.load).toBe(s.unitIds.reduce((n, id) => n + head.get(id)!, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every placed unit inside its own window, and reports a reason that is true', () => {
    fc.assert(
      fc.property(mealInput, (input) => {
        const p = planMeal(input);
        const byId = new Map(input.units.map((u) => [u.unitId, u]));
        for (const [unitId, i] of p.placed) {
          const w = byId.get(unitId)!.window;
          expect(p.slots[i]!.start).toBeGreaterThanOrEqual(w.from);
          expect(p.slots[i]!.end).toBeLessThanOrEqual(w.to);
        }
        for (const { unitId, reason } of p.unplaced) {
          const u = byId.get(unitId)!;
          const fits = p.slots.filter((s) => s.start >= u.window.from && s.end <= u.window.to);
          if (reason === 'no_slot_in_window') expect(fits).toHaveLength(0);
          if (reason === 'too_large') expect(u.headcount).toBeGreaterThan(input.seats);
          // Full: even now, after everyone else, no slot of its window has room for it.
          if (reason === 'window_full') for (const s of fits) expect(s.load + u.headcount).toBeGreaterThan(s.seats);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same plan for the same input, whatever the order of the units', () => {
    fc.assert(
      fc.property(mealInput, fc.integer(), (input, seed) => {
        const shuffled = [...input.units].sort((a, b) => ((a.unitId * 7919 + seed) % 101) - ((b.unitId * 7919 + seed) % 101));
        const a = planMeal(input);
        const b = planMeal({ ...input, units: shuffled });
        expect(b.slots).toEqual(a.slots);
        expect(b.unplaced).toEqual(a.unplaced);
      }),
      { numRuns: 200 },
    );
  });

  it('plans 5,000 people in 200 units', () => {
    const window = { from: 11 * H, to: 13 * H };
    const units = Array.from({ length: 200 }, (_, i) => ({ unitId: i + 1, headcount: 10 + ((i * 37) % 31), window }));
    const total = units.reduce((n, u) => n + u.headcount, 0);
    const p = planMeal({ window, slotMinutes: 20, seats: 1000, units });
    expect(p.unplaced).toEqual([]);
    expect(p.slots.reduce((n, s) => n + s.load, 0)).toBe(total);
    // Even: the loads differ by no more than the largest unit.
    const loads = p.slots.map((s) => s.load);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(40);
  });
});
