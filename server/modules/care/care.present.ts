import type { CareAction, CareActionKind, CareCase, CareKind, CareNeed, CareNeedKind, CareNeedState, CareOutcome, CareRequest, CareRequestStatus, CareSource } from '../../../common/schemas/care.js';
import type { Actor } from '../../http/actor.js';
import { decryptNote } from './care.crypto.js';
import { contactDueAt } from './care.figures.js';
import { careAbilities, canReadCounsellingNote } from './care.policy.js';
import type * as store from './care.store.js';

/** How cases, needs, actions and requests leave the server. */

export function presentCase(actor: Actor | null, c: store.CaseView, contactDays: number, now: number): CareCase {
  const open = c.status === 'open';
  const due = open ? contactDueAt({ opened_at: Number(c.opened_at), last_contact_at: c.last_contact_at === null ? null : Number(c.last_contact_at) }, contactDays) : null;
  return {
    id: c.id,
    personId: c.person_id,
    personName: c.person_name,
    employeeNo: c.employee_no,
    unitId: c.person_unit_id,
    unitName: c.unit_name,
    kind: c.kind as CareKind,
    status: c.status as 'open' | 'closed',
    source: c.source as CareSource,
    startsOn: c.starts_on,
    expectedEnd: c.expected_end,
    careOfficerUserId: c.care_officer_user_id,
    careOfficerName: c.officer_name,
    timeZone: c.time_zone,
    note: c.note,
    outcome: c.outcome as CareOutcome | null,
    outcomeNote: c.outcome_note,
    openedAt: Number(c.opened_at),
    closedAt: c.closed_at === null ? null : Number(c.closed_at),
    lastContactAt: c.last_contact_at === null ? null : Number(c.last_contact_at),
    contactDueAt: due,
    uncontacted: due !== null && now >= due,
    needsOpen: c.needs_open,
    abilities: actor ? careAbilities(actor, c) : { write: false, close: false, reassign: false },
  };
}

export function presentNeed(n: store.NeedView): CareNeed {
  return {
    id: n.id,
    kind: n.kind as CareNeedKind,
    state: n.state as CareNeedState,
    note: n.note,
    requestId: n.request_id,
    createdAt: Number(n.created_at),
    updatedAt: Number(n.updated_at),
    updatedByName: n.updated_by_name,
  };
}

/** An action as the viewer may see it: a counselling note decrypted for its writer and the person, hidden from everyone else. */
export function presentAction(a: store.ActionView, viewer: { userId: number | null; personId: number | null }, casePersonId: number, key: Buffer): CareAction {
  let note = a.note;
  let noteHidden = false;
  if (a.note_cipher !== null) {
    if (canReadCounsellingNote(viewer, { writerUserId: a.user_id, casePersonId })) note = decryptNote(key, a.case_id, a.note_cipher, `care action ${a.id}`);
    else {
      note = null;
      noteHidden = true;
    }
  }
  return { id: a.id, kind: a.kind as CareActionKind, at: Number(a.at), userId: a.user_id, userName: a.user_name, note, noteHidden, createdAt: Number(a.created_at) };
}

export function presentRequest(r: store.RequestView): CareRequest {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    unitId: r.person_unit_id,
    unitName: r.unit_name,
    needKind: r.need_kind as CareNeedKind,
    note: r.note,
    status: r.status as CareRequestStatus,
    caseId: r.case_id,
    createdAt: Number(r.created_at),
    handledAt: r.handled_at === null ? null : Number(r.handled_at),
    handledByName: r.handled_by_name,
    answer: r.answer,
  };
}
