import type { Deps } from '../../deps.js';
import { scopeFor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { isWithin } from '../../db/tree.js';
import { requireActor } from '../org/org.policy.js';
import { audienceIncludes, type IncidentBusEvent } from './incidents.live.js';
import { actingUnits } from './incidents.policy.js';
import * as store from './incidents.store.js';

/**
 * Who a live stream speaks to, worked out when it opens and again at each heartbeat (a shift that
 * began or ended, a grant revoked): the subtrees the user reads incidents in, the units they act for
 * (incidents.handle there, or on shift there), and the unit the stream is narrowed to. Who is on
 * shift is asked for the units active incidents have reached, and for a unit an event names that
 * was not asked about yet: no query per event otherwise.
 */
export interface StreamAudience {
  /** Whether the client may hear of this event. Asks who is on shift only at a unit it has not asked about yet (an incident's first arrival there). */
  admits(e: IncidentBusEvent): Promise<boolean>;
}

/** The path of a level's unit: levels are the incident's unit and its ancestors, so a prefix of its path. */
function levelPaths(e: IncidentBusEvent): string[] {
  const parts = e.unitPath.split('/').filter(Boolean);
  return e.levelUnitIds.flatMap((id) => {
    const i = parts.indexOf(String(id));
    return i < 0 ? [] : [`/${parts.slice(0, i + 1).join('/')}/`];
  });
}

export async function streamAudience(deps: Deps, ctx: Ctx, unitId: number | undefined): Promise<StreamAudience> {
  const actor = requireActor(ctx.actor);
  const now = deps.clock.now();
  const candidates = await store.reachedLevelUnits(deps.db, ['open', 'resolved']);
  const handleUnits = actor.grants.map((g) => g.unitId);
  const acting = await actingUnits(deps.db, actor, [...new Set([...candidates, ...handleUnits])], now);
  let withinPath: string | null = null;
  if (unitId !== undefined) {
    const unit = await store.findUnit(deps.db, unitId);
    if (!unit || !(actor.grants.some((g) => isWithin(unit.path, g.path)) || acting.has(unit.id))) throw errors.notFound('unit');
    withinPath = unit.path;
  }
  const readPaths = scopeFor(actor, 'incidents.read');
  const asked = new Set([...candidates, ...handleUnits]);
  const within = (e: IncidentBusEvent) => withinPath === null || isWithin(e.unitPath, withinPath) || levelPaths(e).some((p) => isWithin(p, withinPath));
  return {
    async admits(e) {
      if (!within(e)) return false;
      if (audienceIncludes(e, actor.userId, readPaths, acting)) return true;
      const fresh = e.levelUnitIds.filter((id) => !asked.has(id));
      if (fresh.length === 0) return false;
      for (const id of fresh) asked.add(id);
      for (const id of await actingUnits(deps.db, actor, fresh, deps.clock.now())) acting.add(id);
      return audienceIncludes(e, actor.userId, readPaths, acting);
    },
  };
}
