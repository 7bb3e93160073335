import { roleHas } from '../../../common/roles.js';
import { DEFAULT_INCIDENT_SETTINGS, IncidentSettings, type IncidentReach } from '../../../common/schemas/incidents.js';
import type { IncidentSeverity } from '../../../common/measures.catalogue.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { isRootPath, requireActor } from '../org/org.policy.js';
import { getSetting, putSetting } from '../setup/settings.store.js';

/**
 * How high each severity must go: one setting for the whole organisation, kept by whoever holds
 * incidents.handle on a root unit (the group's command office, an admin). A change applies to
 * incidents filed from then on: an incident's levels are fixed when it is filed.
 */
export const REACH_SETTING = 'incidents.reach';

/** The settings in force: the stored ones when readable, else the defaults. */
export async function incidentSettings(db: Conn): Promise<IncidentSettings> {
  const parsed = IncidentSettings.safeParse({ reach: await getSetting(db, REACH_SETTING) });
  return parsed.success ? parsed.data : DEFAULT_INCIDENT_SETTINGS;
}

/** The reach of one severity. */
export async function reachOf(db: Conn, severity: IncidentSeverity): Promise<IncidentReach> {
  return (await incidentSettings(db)).reach[severity];
}

function requireRootHandler(ctx: Ctx): number {
  const actor = requireActor(ctx.actor);
  const root = actor.grants.find((g) => roleHas(g.role, 'incidents.handle') && isRootPath(g.path));
  if (!root) throw errors.forbidden();
  return root.unitId;
}

/** The incident settings, for whoever may change them. */
export async function getIncidentSettings(deps: Deps, ctx: Ctx): Promise<IncidentSettings> {
  requireRootHandler(ctx);
  return incidentSettings(deps.db);
}

/** Replace the incident settings. */
export async function putIncidentSettings(deps: Deps, ctx: Ctx, input: IncidentSettings): Promise<IncidentSettings> {
  const unitId = requireRootHandler(ctx);
  return transact(deps, ctx, async (tx) => {
    const before = await incidentSettings(tx);
    await putSetting(tx, REACH_SETTING, input.reach, deps.clock.now());
    await recordAudit(tx, deps, ctx, { action: 'settings.incidents_updated', entity: 'settings', entityId: 'incidents', unitId, before, after: input });
    return input;
  });
}
