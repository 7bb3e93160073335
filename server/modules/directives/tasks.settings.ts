import type { TaskSettings } from '../../../common/schemas/directives.js';
import { roleHas } from '../../../common/roles.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { isRootPath, requireActor } from '../org/org.policy.js';
import { putSetting } from '../setup/settings.store.js';
import { REMINDER_LEAD_SETTING, reminderLeadMs } from './tasks.jobs.js';

/**
 * The deployment-wide task settings: one set for the whole organisation, so only directives.write
 * held on a root unit counts (a subsidiary's command office may not change everyone's reminders).
 * A new lead time applies to deadlines set from then on; reminders already scheduled keep theirs.
 */
function requireRootWriter(ctx: Ctx): number {
  const actor = requireActor(ctx.actor);
  const root = actor.grants.find((g) => roleHas(g.role, 'directives.write') && isRootPath(g.path));
  if (!root) throw errors.forbidden();
  return root.unitId;
}

/** The task settings, for whoever may change them. */
export async function getTaskSettings(deps: Deps, ctx: Ctx): Promise<TaskSettings> {
  requireRootWriter(ctx);
  return { reminderLeadMinutes: (await reminderLeadMs(deps.db)) / 60_000 };
}

/** Replace the task settings. */
export async function putTaskSettings(deps: Deps, ctx: Ctx, input: TaskSettings): Promise<TaskSettings> {
  const unitId = requireRootWriter(ctx);
  return transact(deps, ctx, async (tx) => {
    const before = (await reminderLeadMs(tx)) / 60_000;
    await putSetting(tx, REMINDER_LEAD_SETTING, input.reminderLeadMinutes, deps.clock.now());
    await recordAudit(tx, deps, ctx, { action: 'settings.tasks_updated', entity: 'settings', entityId: 'tasks', unitId, before: { reminderLeadMinutes: before }, after: input });
    return { reminderLeadMinutes: input.reminderLeadMinutes };
  });
}
