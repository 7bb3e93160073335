import type { Deps } from '../../deps.js';
import { systemCtx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRole, notifyUsers } from '../notify/notify.service.js';
import { listRootUnits } from '../org/units.store.js';
import { uncontactedCases } from './care.figures.js';
import { CARE_WRITER_ROLES } from './care.service.js';
import * as store from './care.store.js';

/**
 * The no-contact alert: a case with no care action for more than `care.contact_days` days tells its
 * care officer (or, without one, the care officers of the person's unit) once per lapse. A lapse is
 * (case, the time the contact fell due): a claim row keyed by both makes "once" hold across runs and
 * processes; a contact starts a new count, and its own lapse, if any, is alerted again.
 *
 * Run by a recurring job row (server/jobs/registry.ts), hourly: the check is one pass over the open
 * cases, so a lapse is told within the hour it happens, and a server that was down tells it on return.
 */
export const CARE_CONTACT_JOB = 'care.contacts';
export const CARE_CONTACT_INTERVAL_MS = 60 * 60 * 1000;

/** Alert every lapse not yet alerted; returns how many were alerted now. */
export async function alertUncontactedCases(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  let alerted = 0;
  for (const root of await listRootUnits(deps.db)) {
    for (const c of await uncontactedCases(deps.db, root.path, now, { timeZone: deps.config.timeZone })) {
      const told = await deps.db.transaction().execute(async (tx) => {
        if (!(await store.claimContactAlert(tx, { case_id: c.caseId, due_at: c.dueAt, alerted_at: now, user_id: c.careOfficerUserId }))) return false;
        const days = Math.max(1, Math.floor((now - (c.lastContactAt ?? c.dueAt)) / 86_400_000));
        const n = { kind: 'care.uncontacted', params: { caseId: c.caseId, unit: c.unitName, days: c.lastContactAt === null ? '—' : days }, unitId: null, entity: 'care_case', entityId: String(c.caseId), link: `/care/cases/${c.caseId}` };
        if (c.careOfficerUserId !== null) await notifyUsers(tx, deps, [c.careOfficerUserId], n);
        else await notifyUnitRole(tx, deps, c.unitId, CARE_WRITER_ROLES, n);
        await recordAudit(tx, deps, systemCtx, { action: 'care_case.contact_alerted', entity: 'care_case', entityId: c.caseId, unitId: c.unitId, after: { dueAt: c.dueAt, careOfficerUserId: c.careOfficerUserId } });
        return true;
      });
      if (told) alerted++;
    }
  }
  return alerted;
}
