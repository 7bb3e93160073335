import { compareStrictness, defaultStored, type MeasureTypeDef } from '../../../common/measures.catalogue.js';

/**
 * The inheritance and exception rules (the 层层加码 guard), as pure functions over the rows of one
 * measure at a unit and its ancestors. Nothing here reads the database: the store hands over the
 * rows, so a rule is tested as a table of cases and the same code answers the register, the
 * history and effectiveMeasure.
 *
 * What applies at a unit on a day, walking from the root down:
 *  - a level's own value is its latest row with effective_from ≤ day (a removal row means it has
 *    none: it inherits again); a refused or withdrawn request counts as a pending one until the day
 *    it was decided, so a past day's answer never changes afterwards;
 *  - at the root every own value applies (there is no level above to approve);
 *  - below it, a value looser than or equal to the parent's effective value applies at once;
 *  - a stricter one (an exception) applies only from the day its approval counts (decided_day),
 *    and until then the parent's value applies — while pending, or if never approved.
 * Decided and documented in docs/measures.md:
 *  - "stricter" always means stricter than the parent's EFFECTIVE value, whatever ancestor set it,
 *    so tightening below an ancestor's approved tightening is again an exception for the parent;
 *  - the comparison is made on every day, not once: when the parent later loosens, an approved
 *    exception stays in force (it was approved), but a value that was equal or looser when set and
 *    is now stricter was never approved, so the parent's value applies until it is;
 *  - when the parent tightens past a child's value, the child's value is now looser and, as the
 *    rule says, applies; the register flags it as looser than the parent so the level above sees it.
 */

export interface RuleRow {
  id: number;
  unit_id: number;
  value: number | null;
  effective_from: string;
  status: string; // set | pending | approved | refused | withdrawn
  decided_day: string | null;
}

/** One level of the chain: the unit and its rows of this measure (any order). */
export interface Level<R extends RuleRow = RuleRow> {
  unitId: number;
  /** A root unit: no level above it to approve, so every own value applies. */
  root: boolean;
  rows: readonly R[];
}

export type OwnState = 'applies' | 'pending' | 'not_approved';

export interface Resolution<R extends RuleRow = RuleRow> {
  /** The value in force (stored form). */
  value: number;
  /** The row whose value is in force; null: the built-in default. */
  row: R | null;
  /** The unit whose row is in force; null: the built-in default. */
  fromUnitId: number | null;
  /** The parent's effective value (at a root: the built-in default). */
  parentValue: number;
  /** The unit's own row that day, if it has a value of its own (not a removal). */
  own: R | null;
  /** How its own value stands: applies, waits for approval, or stricter with no approval at all. */
  ownState: OwnState | null;
  /** The own value compared with the parent's effective value. */
  ownVsParent: 'stricter' | 'equal' | 'looser' | null;
}

/** Whether the row is part of its unit's timeline on `day`. */
function inTimeline(r: RuleRow, day: string): boolean {
  if (r.effective_from > day) return false;
  if (r.status === 'refused' || r.status === 'withdrawn') return r.decided_day !== null && r.decided_day > day;
  return true;
}

/** The level's own row on `day`: the latest effective_from, the newest row among equals. */
export function ownRowOn<R extends RuleRow>(rows: readonly R[], day: string): R | null {
  let best: R | null = null;
  for (const r of rows) {
    if (!inTimeline(r, day)) continue;
    if (!best || r.effective_from > best.effective_from || (r.effective_from === best.effective_from && r.id > best.id)) best = r;
  }
  return best;
}

const approvedOn = (r: RuleRow, day: string) => r.status === 'approved' && r.decided_day !== null && r.decided_day <= day;

/**
 * What applies at the last level of `chain` (root first) on `day`. Levels without rows may be left
 * out: they inherit and change nothing.
 */
export function resolveMeasure<R extends RuleRow>(def: MeasureTypeDef, chain: readonly Level<R>[], day: string): Resolution<R> {
  let value = defaultStored(def);
  let row: R | null = null;
  let fromUnitId: number | null = null;
  let last: Resolution<R> = { value, row, fromUnitId, parentValue: value, own: null, ownState: null, ownVsParent: null };
  for (const level of chain) {
    const parentValue = value;
    const own = ownRowOn(level.rows, day);
    let ownState: OwnState | null = null;
    let ownVsParent: Resolution['ownVsParent'] = null;
    if (own && own.value !== null) {
      ownVsParent = compareStrictness(def, own.value, parentValue);
      if (level.root || ownVsParent !== 'stricter' || approvedOn(own, day)) ownState = 'applies';
      else ownState = own.status === 'pending' || own.status === 'refused' || own.status === 'withdrawn' || own.status === 'approved' ? 'pending' : 'not_approved';
      if (ownState === 'applies') {
        value = own.value;
        row = own;
        fromUnitId = level.unitId;
      }
    }
    last = { value, row, fromUnitId, parentValue, own: own && own.value !== null ? own : null, ownState, ownVsParent };
  }
  return last;
}

/**
 * The days on which what applies can change for the chain, from `from` on: every effective_from
 * and every decision day. Between two of them the answer is constant, so a history is computed by
 * resolving once per such day.
 */
export function changeDays(chain: readonly Level[], from: string): string[] {
  const days = new Set<string>([from]);
  for (const l of chain)
    for (const r of l.rows) {
      if (r.effective_from > from) days.add(r.effective_from);
      if (r.decided_day !== null && r.decided_day > from) days.add(r.decided_day);
    }
  return [...days].sort();
}
