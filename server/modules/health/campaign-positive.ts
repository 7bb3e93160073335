import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/database.js';
import type { Ctx } from '../../http/actor.js';
import { notifyUnitRole } from '../notify/notify.service.js';
import { findPerson } from '../org/people.store.js';
import type { CampaignWithTargets } from './campaigns.store.js';
import { openHealthWatch } from './watches.service.js';

/**
 * What a new positive result sets off, inside the import's transaction: a health watch for the
 * person (which tells their liaison), and word to their unit head and to the command office at the
 * root of their organisation. A re-import finds the result unchanged and sets off nothing again.
 */
export async function onPositiveResult(tx: Tx, deps: Deps, ctx: Ctx, p: { campaign: CampaignWithTargets; personId: number; resultId: number }): Promise<void> {
  const { campaign, resultId } = p;
  const person = (await findPerson(tx, p.personId))!;
  await openHealthWatch(tx, deps, { personId: person.id, reason: 'test_positive', sourceEntity: 'campaign_result', sourceId: String(resultId), openedByUserId: ctx.actor?.userId ?? null });
  const n = {
    kind: 'health.test_positive',
    params: { person: person.name, unit: person.unit_name, campaign: campaign.name },
    unitId: person.unit_id,
    entity: 'campaign_result',
    entityId: String(resultId),
    link: `/health/campaigns/${campaign.id}`,
  };
  await notifyUnitRole(tx, deps, person.unit_id, ['unit_head'], n);
  const rootId = Number(person.unit_path.split('/').filter(Boolean)[0]);
  await notifyUnitRole(tx, deps, rootId, ['command'], { ...n, unitId: rootId });
}
