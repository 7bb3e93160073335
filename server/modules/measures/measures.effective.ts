import { dayOf } from '../../../common/day.js';
import { decodeMeasureValue, measureType, type MeasureTypeDef, type MeasureValue } from '../../../common/measures.catalogue.js';
import type { Deps } from '../../deps.js';
import { resolveMeasure, type Level, type Resolution } from './measures.rules.js';
import type { Conn } from '../../db/database.js';
import { chainRows, chainRowsOfMany, chainRowsOn, type ChainRow } from './measures.store.js';

/**
 * What other modules call: the value of a measure in force at a unit on a day.
 *
 * Cost: one statement per call, prepared once per connection (db/hot.ts), reading only the rows
 * of that one measure made at the unit or its ancestors — there is no cache, so there is nothing
 * to invalidate: every server process reads the committed rows, and a change made by any process
 * is seen by the next call of every other. (A cache would need every process told of each change,
 * e.g. PostgreSQL LISTEN/NOTIFY, and would still have to fall back to this query after a lost
 * connection; with a handful of rows per measure the query is already as cheap as a lookup.)
 */

export interface EffectiveMeasure {
  key: string;
  /** In the API's form: a number, or 'HH:MM' for a time of day. */
  value: MeasureValue;
  /** The stored form: the number itself, hundredths of a decimal, minutes after midnight of a time. */
  stored: number;
  /** The unit whose value applies; null: the built-in default. */
  fromUnitId: number | null;
}

/** Group rows into the levels of one unit's chain, root first; the unit itself is always the last level. */
export function levelsOf<R extends ChainRow>(rows: readonly R[], unitId: number): Level<R>[] {
  const byUnit = new Map<number, R[]>();
  for (const r of rows) byUnit.set(r.unit_id, [...(byUnit.get(r.unit_id) ?? []), r]);
  const levels = [...byUnit.values()]
    .sort((x, y) => x[0]!.unit_path.length - y[0]!.unit_path.length)
    .map((rs): Level<R> => ({ unitId: rs[0]!.unit_id, root: rs[0]!.unit_parent_id === null, rows: rs }));
  if (levels.at(-1)?.unitId !== unitId) levels.push({ unitId, root: false, rows: [] });
  return levels;
}

function definition(key: string): MeasureTypeDef {
  const def = measureType(key);
  // A caller's typo, not a user's: fail loudly rather than answer a default.
  if (!def) throw new Error(`effectiveMeasure: no measure '${key}' in the catalogue`);
  return def;
}

const present = (def: MeasureTypeDef, r: Resolution): EffectiveMeasure => ({ key: def.key, value: decodeMeasureValue(def, r.value), stored: r.value, fromUnitId: r.fromUnitId });

/**
 * The value of measure `key` in force at `unitId` on `day` (default: today in the deployment's time
 * zone). A unit that does not exist gets the built-in default. Throws on a key not in the catalogue.
 */
export async function effectiveMeasure(deps: Deps, key: string, unitId: number, day?: string): Promise<EffectiveMeasure> {
  const def = definition(key);
  const on = day ?? dayOf(deps.clock.now(), deps.config.timeZone);
  const rows = (await chainRowsOn(deps.handle, unitId, key, on)) as ChainRow[];
  return present(def, resolveMeasure(def, levelsOf(rows, unitId), on));
}

/**
 * effectiveMeasure through a given connection: inside a transaction (which on SQLite holds the one
 * connection, so the prepared statement of effectiveMeasure would have to wait for it).
 */
export async function effectiveMeasureIn(db: Conn, deps: Deps, key: string, unitId: number, day?: string): Promise<EffectiveMeasure> {
  const def = definition(key);
  const on = day ?? dayOf(deps.clock.now(), deps.config.timeZone);
  return present(def, resolveMeasure(def, levelsOf(await chainRows(db, unitId, key), unitId), on));
}

/** effectiveMeasure for many units at once, in one statement: a map from each unit id to its value. */
export async function effectiveMeasures(deps: Deps, key: string, unitIds: readonly number[], day?: string): Promise<Map<number, EffectiveMeasure>> {
  return effectiveMeasuresOn(deps.db, key, unitIds, day ?? dayOf(deps.clock.now(), deps.config.timeZone));
}

/** effectiveMeasures through a given connection on a given day (for callers that hold a connection, not the deps). */
export async function effectiveMeasuresOn(db: Conn, key: string, unitIds: readonly number[], on: string): Promise<Map<number, EffectiveMeasure>> {
  const def = definition(key);
  const rows = await chainRowsOfMany(db, [...new Set(unitIds)], key, on);
  const byTarget = new Map<number, ChainRow[]>();
  for (const r of rows) byTarget.set(r.target_id, [...(byTarget.get(r.target_id) ?? []), r]);
  const out = new Map<number, EffectiveMeasure>();
  for (const id of unitIds) out.set(id, present(def, resolveMeasure(def, levelsOf(byTarget.get(id) ?? [], id), on)));
  return out;
}
