import type { Deps } from '../../deps.js';
import { scopeFor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { isWithin } from '../../db/tree.js';
import { requireActor } from '../org/org.policy.js';
import type { IncidentBusEvent } from './incidents.live.js';
import { actingUnits } from './incidents.policy.js';
import * as store from './incidents.store.js';

/**
 * Who a live stream speaks to, worked out when it opens and again at each heartbeat (a shift that
 * began or ended, a grant revoked): the subtrees the user reads incidents in, the units they act for
 * (incidents.handle there, or on shift there among the units active incidents have reached), and the
 * unit the stream is narrowed to. No query per event.
 */
export interface StreamAudience {
  userId: number;
  readPaths: string[];
  acting: Set<number>;
  within(e: IncidentBusEvent): boolean;
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
  return {
    userId: actor.userId,
    readPaths: scopeFor(actor, 'incidents.read'),
    acting,
    within: (e) => withinPath === null || isWithin(e.unitPath, withinPath) || levelPaths(e).some((p) => isWithin(p, withinPath)),
  };
}
