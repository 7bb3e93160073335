import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/database.js';
import type { Ctx } from '../../http/actor.js';
import type { PersonWithPath } from '../org/import.store.js';
import type { CampaignWithTargets } from './campaigns.store.js';

/**
 * What a new positive result sets off, inside the import's transaction: a health watch for the
 * person, and word to their unit head and to the command office at the root.
 */
export async function onPositiveResult(_tx: Tx, _deps: Deps, _ctx: Ctx, _p: { campaign: CampaignWithTargets; person: PersonWithPath; resultId: number }): Promise<void> {
  // Wired to openHealthWatch and notifyUnitRole once the watch and notify modules land.
}
