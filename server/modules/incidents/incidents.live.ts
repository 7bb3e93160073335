import { IncidentChanged } from '../../../common/schemas/incidents.js';
import type { Deps } from '../../deps.js';
import { liveBusFor } from '../../live/bus.js';
import { isWithin } from '../../db/tree.js';

/**
 * Live incident events: after each committed change, one small message on the bus (across
 * processes on PostgreSQL). It carries what a stream needs to decide, without a query, whether its
 * client may hear of it: the incident's unit path and the units of the levels it reached.
 */
export const INCIDENTS_TOPIC = 'incidents';

export interface IncidentBusEvent extends IncidentChanged {
  unitPath: string;
  levelUnitIds: number[];
  filedByUserId: number | null;
}

/** Publish after the commit; a lost event costs a screen a refresh, never data, so a failure is swallowed. */
export async function publishIncidentChange(deps: Deps, e: IncidentBusEvent | null): Promise<void> {
  if (!e) return;
  try {
    await liveBusFor(deps).publish(INCIDENTS_TOPIC, e);
  } catch {
    // the bus is down: clients refresh when their stream reconnects
  }
}

/** Whether a client that reads these subtrees and acts for these units may hear of this event. */
export function audienceIncludes(e: IncidentBusEvent, userId: number, readPaths: readonly string[], actingUnitIds: ReadonlySet<number>): boolean {
  return e.filedByUserId === userId || readPaths.some((p) => isWithin(e.unitPath, p)) || e.levelUnitIds.some((id) => actingUnitIds.has(id));
}

export function parseBusEvent(payload: unknown): IncidentBusEvent | null {
  const base = IncidentChanged.safeParse(payload);
  if (!base.success) return null;
  const p = payload as Partial<IncidentBusEvent>;
  if (typeof p.unitPath !== 'string' || !Array.isArray(p.levelUnitIds)) return null;
  const filedByUserId = typeof p.filedByUserId === 'number' ? p.filedByUserId : null;
  return { ...base.data, unitPath: p.unitPath, levelUnitIds: p.levelUnitIds.filter((x): x is number => typeof x === 'number'), filedByUserId };
}
