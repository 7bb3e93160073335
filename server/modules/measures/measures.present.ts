import { decodeMeasureValue, measureType, type MeasureTypeDef } from '../../../common/measures.catalogue.js';
import type { ExceptionItem, MeasureChange } from '../../../common/schemas/measures.js';
import type { Actor } from '../../http/actor.js';
import { exceptionAbilities } from './measures.policy.js';
import type { ChangeRow } from './measures.store.js';

/** Rows in the API's shape. */

export function defOf(key: string): MeasureTypeDef {
  const def = measureType(key);
  if (!def) throw new Error(`measure '${key}' is stored but not in the catalogue`);
  return def;
}

const personOf = (userId: number | null, name: string | null) => (userId === null ? null : { userId, name: name ?? String(userId) });

export function presentChange(r: ChangeRow): MeasureChange {
  const def = defOf(r.measure_key);
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    key: r.measure_key,
    value: r.value === null ? null : decodeMeasureValue(def, r.value),
    effectiveFrom: r.effective_from,
    status: r.status as MeasureChange['status'],
    reason: r.reason,
    parentValue: r.parent_value === null ? null : decodeMeasureValue(def, r.parent_value),
    requestedBy: personOf(r.requested_by_user_id, r.requester_name),
    requestedAt: Number(r.requested_at),
    decidedBy: personOf(r.decided_by_user_id, r.decider_name),
    decidedAt: r.decided_at === null ? null : Number(r.decided_at),
    decidedDay: r.decided_day,
    decisionNote: r.decision_note,
  };
}

export function presentException(actor: Actor, r: ChangeRow): ExceptionItem {
  return {
    ...presentChange(r),
    parentUnitId: r.unit_parent_id,
    parentUnitName: r.parent_name,
    abilities: exceptionAbilities(actor, r.unit_path, r.requested_by_user_id, r.status),
  };
}
