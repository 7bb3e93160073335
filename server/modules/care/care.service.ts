import type { z } from 'zod';
import { dayOf } from '../../../common/day.js';
import { roleHas, ROLES, type Role } from '../../../common/roles.js';
import type {
  CareActionCreate,
  CareCaseClose,
  CareCaseCreate,
  CareCaseDetail,
  CareCaseListQuery,
  CareCasePage,
  CareCaseUpdate,
  CareKind,
  CareNeedCreate,
  CareNeedKind,
  CareNeedUpdate,
  CareOfficerList,
} from '../../../common/schemas/care.js';
import type { Conn } from '../../db/database.js';
import { chainIds, isWithin } from '../../db/tree.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { grantsOfUser } from '../auth/auth.store.js';
import { notifyUsers } from '../notify/notify.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { findPerson } from '../org/people.store.js';
import { visibleUnit } from '../org/units.service.js';
import { careKeyFor, encryptNote } from './care.crypto.js';
import { contactDaysAt, contactDueAt } from './care.figures.js';
import { canReadCare, canWriteCare } from './care.policy.js';
import { presentAction, presentCase, presentNeed } from './care.present.js';
import * as store from './care.store.js';

/**
 * Care cases (关爱帮扶): open (by hand, from a suggestion, a request or a plan), needs and actions,
 * reassign, close. One transaction per change with its audit row; every read of a case is audited.
 * Audit rows never carry a note's text: a counselling note lives only encrypted in care_actions.
 */

/** The roles that may be a case's care officer (they hold care.write). */
export const CARE_WRITER_ROLES: readonly Role[] = ROLES.filter((r) => roleHas(r, 'care.write'));

/** Who sees counselling notes in an answer that is stored for Idempotency-Key replays: nobody. */
const NOBODY = { userId: null, personId: null } as const;

const today = (deps: Deps) => dayOf(deps.clock.now(), deps.config.timeZone);

/** A case the actor may read (care.read over the person's unit), or not_found. */
export async function visibleCase(db: Conn, actor: Actor, id: number): Promise<store.CaseView> {
  const c = await store.findCase(db, id);
  if (!c || !canReadCare(actor, c.unit_path)) throw errors.notFound('care case');
  return c;
}

/** A visible, open case the actor may change, or not_found / 403 / 409. */
async function writableCase(db: Conn, actor: Actor, id: number): Promise<store.CaseView> {
  const c = await visibleCase(db, actor, id);
  if (!canWriteCare(actor, c.unit_path)) throw errors.forbidden('You may not change care cases of this unit');
  if (c.status !== 'open') throw errors.conflict('The care case is closed', { status: 'closed' });
  return c;
}

/** The case with its needs and actions, counselling notes as `viewer` may see them. */
export async function caseDetail(db: Conn, deps: Deps, actor: Actor | null, id: number, viewer: { userId: number | null; personId: number | null }): Promise<CareCaseDetail> {
  const c = (await store.findCase(db, id))!;
  const now = deps.clock.now();
  const [needs, actions, days] = await Promise.all([store.needsOf(db, [id]), store.actionsOf(db, [id]), contactDaysAt(db, [c.person_unit_id], now, { timeZone: deps.config.timeZone })]);
  const contactDays = days.get(c.person_unit_id)!;
  const key = careKeyFor(deps.config);
  return {
    ...presentCase(actor, c, contactDays, now),
    needs: needs.get(id)!.map(presentNeed),
    actions: actions.get(id)!.map((a) => presentAction(a, viewer, c.person_id, key)),
    contactDays,
  };
}

const viewerOf = (actor: Actor) => ({ userId: actor.userId, personId: actor.personId });

/** Whether the user may be a care officer of a person of the unit at `unitPath` (care.write there, account enabled). */
async function mayCareFor(db: Conn, userId: number, unitPath: string): Promise<boolean> {
  const user = await db.selectFrom('users').select('disabled_at').where('id', '=', userId).executeTakeFirst();
  if (!user || user.disabled_at !== null) return false;
  return (await grantsOfUser(db, userId)).some((g) => roleHas(g.role, 'care.write') && isWithin(unitPath, g.path));
}

/** 400 naming the field unless the user may be a care officer of a person of that unit. */
export async function checkOfficer(db: Conn, userId: number, unitPath: string, field = 'careOfficerUserId'): Promise<void> {
  if (!(await mayCareFor(db, userId, unitPath))) throw errors.validation({ [field]: 'not a care officer of this person’s unit' });
}

export interface OpenCaseInput {
  personId: number;
  unitId: number;
  kind: CareKind;
  source: 'plan' | 'suggestion' | 'hand' | 'request';
  sourceKey?: string | null;
  startsOn: string;
  expectedEnd?: string | null;
  careOfficerUserId: number | null;
  timeZone?: string | null;
  note?: string | null;
  needs?: readonly { kind: CareNeedKind; note?: string | null; requestId?: number | null }[];
  byUserId: number | null;
}

/** Insert a case (or find the person's open one of that kind) with its first needs and its audit row, inside `tx`. */
export async function insertCaseTx(tx: Conn, deps: Deps, ctx: Ctx, input: OpenCaseInput): Promise<{ id: number; created: boolean }> {
  const existing = await store.openCaseOf(tx, input.personId, input.kind);
  if (existing) return { id: existing.id, created: false };
  const now = deps.clock.now();
  const id = await store.insertCase(tx, {
    person_id: input.personId,
    unit_id: input.unitId,
    kind: input.kind,
    status: 'open',
    source: input.source,
    source_key: input.sourceKey ?? null,
    starts_on: input.startsOn,
    expected_end: input.expectedEnd ?? null,
    care_officer_user_id: input.careOfficerUserId,
    time_zone: input.timeZone ?? null,
    note: input.note ?? null,
    outcome: null,
    outcome_note: null,
    opened_by_user_id: input.byUserId,
    opened_at: now,
    closed_by_user_id: null,
    closed_at: null,
    last_contact_at: null,
    updated_at: now,
  });
  for (const n of input.needs ?? []) {
    await store.insertNeed(tx, { case_id: id, kind: n.kind, state: 'open', note: n.note ?? null, request_id: n.requestId ?? null, created_at: now, updated_at: now, updated_by_user_id: input.byUserId });
  }
  const after = { personId: input.personId, kind: input.kind, source: input.source, startsOn: input.startsOn, expectedEnd: input.expectedEnd ?? null, careOfficerUserId: input.careOfficerUserId, needs: (input.needs ?? []).map((n) => n.kind) };
  await recordAudit(tx, deps, ctx, { action: 'care_case.opened', entity: 'care_case', entityId: id, unitId: input.unitId, after });
  if (input.careOfficerUserId !== null && input.careOfficerUserId !== ctx.actor?.userId) {
    await notifyUsers(tx, deps, [input.careOfficerUserId], { kind: 'care.assigned', params: { caseId: id }, unitId: null, entity: 'care_case', entityId: String(id), link: `/care/cases/${id}` });
  }
  return { id, created: true };
}

/**
 * Used by emergency plans (issue 8): opens or returns the person's open case of that kind, in tx,
 * with audit. The care officer is `byUserId` when that user may care for the person, else nobody
 * yet (the care officers in scope see the case and take it).
 */
export async function openCareCaseFor(
  tx: Conn,
  deps: Deps,
  input: { personId: number; kind: CareKind; source: 'plan' | 'suggestion' | 'hand' | 'request'; byUserId: number | null; note?: string | null },
): Promise<{ id: number; created: boolean }> {
  const person = await findPerson(tx, input.personId);
  if (!person) throw errors.validation({ personId: 'no such person' });
  const officer = input.byUserId !== null && (await mayCareFor(tx, input.byUserId, person.unit_path)) ? input.byUserId : null;
  const ctx: Ctx = { actor: null, ip: null };
  return insertCaseTx(tx, deps, ctx, {
    personId: person.id,
    unitId: person.unit_id,
    kind: input.kind,
    source: input.source,
    startsOn: today(deps),
    careOfficerUserId: officer,
    note: input.note ?? null,
    byUserId: input.byUserId,
  });
}

/** A person the actor may open a case for (care.write over their unit), or 400/403. */
export async function carablePerson(db: Conn, actor: Actor, personId: number, field = 'personId') {
  const person = await findPerson(db, personId);
  if (!person || (!canReadCare(actor, person.unit_path) && !canWriteCare(actor, person.unit_path))) throw errors.validation({ [field]: 'no such person' });
  if (!canWriteCare(actor, person.unit_path)) throw errors.forbidden('You may not open care cases for people of this unit');
  if (person.status !== 'active') throw errors.validation({ [field]: 'the person has left' });
  return person;
}

function checkDays(startsOn: string, expectedEnd: string | null | undefined): void {
  if (expectedEnd && expectedEnd < startsOn) throw errors.validation({ expectedEnd: 'before the start' });
}

/** Open a case by hand (source hand); 409 when the person already has an open case of that kind. */
export async function createCase(deps: Deps, ctx: Ctx, input: CareCaseCreate): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const person = await carablePerson(deps.db, actor, input.personId);
  const startsOn = input.startsOn ?? today(deps);
  checkDays(startsOn, input.expectedEnd);
  const officer = input.careOfficerUserId ?? actor.userId;
  await checkOfficer(deps.db, officer, person.unit_path);
  return transact(deps, ctx, async (tx) => {
    const open = await store.openCaseOf(tx, person.id, input.kind);
    if (open) throw errors.conflict(`The person already has an open care case of this kind (${open.id})`, { kind: 'already open' });
    const { id } = await insertCaseTx(tx, deps, ctx, {
      personId: person.id,
      unitId: person.unit_id,
      kind: input.kind,
      source: 'hand',
      startsOn,
      expectedEnd: input.expectedEnd ?? null,
      careOfficerUserId: officer,
      timeZone: input.timeZone ?? null,
      note: input.note ?? null,
      needs: [...new Set(input.needs ?? [])].map((kind) => ({ kind })),
      byUserId: actor.userId,
    });
    return caseDetail(tx, deps, actor, id, NOBODY);
  });
}

/** One case with its needs and actions; an audited read. */
export async function getCase(deps: Deps, ctx: Ctx, id: number): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCase(deps.db, actor, id);
  await transact(deps, ctx, (tx) => recordAudit(tx, deps, ctx, { action: 'care_case.read', entity: 'care_case', entityId: c.id, unitId: c.person_unit_id }));
  return caseDetail(deps.db, deps, actor, id, viewerOf(actor));
}

/** The subtrees a care list covers: one visible unit's, or the actor's whole care.read scope. */
export async function careReadPaths(deps: Deps, actor: Actor, unitId: number | undefined): Promise<{ paths: string[]; unitId: number | null }> {
  if (unitId === undefined) return { paths: requireScope(actor, 'care.read'), unitId: null };
  if (scopeFor(actor, 'care.read').length === 0) throw errors.forbidden();
  const unit = await visibleUnit(deps, actor, unitId);
  if (!canReadCare(actor, unit.path)) throw errors.notFound('unit');
  return { paths: [unit.path], unitId: unit.id };
}

/** One page of the cases of a subtree, least recently contacted first; an audited read. */
export async function listCases(deps: Deps, ctx: Ctx, q: z.output<typeof CareCaseListQuery>): Promise<CareCasePage> {
  const actor = requireActor(ctx.actor);
  const { paths, unitId } = await careReadPaths(deps, actor, q.unitId);
  const now = deps.clock.now();
  const opts = { timeZone: deps.config.timeZone };
  let ids: number[] | undefined;
  if (q.uncontacted) {
    // Each case's due time depends on the measure at its unit: decided here, then listed by id.
    const open = await store.openCasesIn(deps.db, paths);
    const days = await contactDaysAt(deps.db, open.map((r) => r.unit_id), now, opts);
    ids = open.filter((r) => now >= contactDueAt(r, days.get(r.unit_id)!)).map((r) => r.id);
  }
  const filter: store.CaseFilter = { paths, status: q.uncontacted ? 'open' : q.status, kind: q.kind, q: q.q, ids };
  if (q.mine) filter.officerUserId = actor.userId;
  const { rows, total } = await store.listCases(deps.db, filter, (q.page - 1) * q.pageSize, q.pageSize);
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'care_cases.read', entity: 'care_cases', entityId: unitId, unitId, note: { status: filter.status, kind: q.kind ?? null, page: q.page, count: rows.length, caseIds: rows.map((r) => r.id) } }),
  );
  const days = await contactDaysAt(deps.db, rows.map((r) => r.person_unit_id), now, opts);
  return { items: rows.map((r) => presentCase(actor, r, days.get(r.person_unit_id)!, now)), total, page: q.page, pageSize: q.pageSize };
}

/** Change a case's kind, days or time zone, or reassign its care officer. */
export async function updateCase(deps: Deps, ctx: Ctx, id: number, input: CareCaseUpdate): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const c = await writableCase(deps.db, actor, id);
  checkDays(input.startsOn ?? c.starts_on, input.expectedEnd === undefined ? c.expected_end : input.expectedEnd);
  if (input.careOfficerUserId !== undefined && input.careOfficerUserId !== c.care_officer_user_id) await checkOfficer(deps.db, input.careOfficerUserId, c.unit_path);
  return transact(deps, ctx, async (tx) => {
    if (input.kind !== undefined && input.kind !== c.kind) {
      const other = await store.openCaseOf(tx, c.person_id, input.kind);
      if (other) throw errors.conflict(`The person already has an open care case of this kind (${other.id})`, { kind: 'already open' });
    }
    const set: Parameters<typeof store.updateCase>[2] = { updated_at: deps.clock.now() };
    if (input.kind !== undefined) set.kind = input.kind;
    if (input.startsOn !== undefined) set.starts_on = input.startsOn;
    if (input.expectedEnd !== undefined) set.expected_end = input.expectedEnd;
    if (input.timeZone !== undefined) set.time_zone = input.timeZone;
    if (input.careOfficerUserId !== undefined) set.care_officer_user_id = input.careOfficerUserId;
    await store.updateCase(tx, c.id, set);
    const before = { kind: c.kind, startsOn: c.starts_on, expectedEnd: c.expected_end, timeZone: c.time_zone, careOfficerUserId: c.care_officer_user_id };
    await recordAudit(tx, deps, ctx, { action: 'care_case.updated', entity: 'care_case', entityId: c.id, unitId: c.person_unit_id, before, after: input });
    if (input.careOfficerUserId !== undefined && input.careOfficerUserId !== c.care_officer_user_id && input.careOfficerUserId !== actor.userId) {
      await notifyUsers(tx, deps, [input.careOfficerUserId], { kind: 'care.assigned', params: { caseId: c.id }, unitId: null, entity: 'care_case', entityId: String(c.id), link: `/care/cases/${c.id}` });
    }
    return caseDetail(tx, deps, actor, c.id, viewerOf(actor));
  });
}

/** Close a case with its outcome. */
export async function closeCase(deps: Deps, ctx: Ctx, id: number, input: CareCaseClose): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const c = await writableCase(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await store.updateCase(tx, c.id, { status: 'closed', outcome: input.outcome, outcome_note: input.note ?? null, closed_at: now, closed_by_user_id: actor.userId, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'care_case.closed', entity: 'care_case', entityId: c.id, unitId: c.person_unit_id, before: { status: 'open' }, after: { status: 'closed', outcome: input.outcome } });
    return caseDetail(tx, deps, actor, c.id, viewerOf(actor));
  });
}

/** Add a need inside `tx` (one per kind while it is not met or declined). */
export async function addNeedTx(tx: Conn, deps: Deps, ctx: Ctx, c: { id: number; person_unit_id: number }, input: { kind: CareNeedKind; state: string; note: string | null; requestId: number | null; byUserId: number | null }): Promise<number> {
  const needs = (await store.needsOf(tx, [c.id])).get(c.id)!;
  const pending = needs.find((n) => n.kind === input.kind && (n.state === 'open' || n.state === 'in_progress'));
  if (pending) throw errors.conflict(`The case already has this need, not yet met (${pending.id})`, { kind: 'already needed' });
  const now = deps.clock.now();
  const needId = await store.insertNeed(tx, { case_id: c.id, kind: input.kind, state: input.state, note: input.note, request_id: input.requestId, created_at: now, updated_at: now, updated_by_user_id: input.byUserId });
  await store.updateCase(tx, c.id, { updated_at: now });
  await recordAudit(tx, deps, ctx, { action: 'care_need.added', entity: 'care_case', entityId: c.id, unitId: c.person_unit_id, after: { needId, kind: input.kind, state: input.state, requestId: input.requestId } });
  return needId;
}

/** Add a need to a case. */
export async function addNeed(deps: Deps, ctx: Ctx, id: number, input: CareNeedCreate): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const c = await writableCase(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    await addNeedTx(tx, deps, ctx, c, { kind: input.kind, state: input.state, note: input.note ?? null, requestId: null, byUserId: actor.userId });
    return caseDetail(tx, deps, actor, c.id, viewerOf(actor));
  });
}

/** Move a need's state or change its note. */
export async function updateNeed(deps: Deps, ctx: Ctx, id: number, needId: number, input: CareNeedUpdate): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const c = await writableCase(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const need = await store.findNeed(tx, c.id, needId);
    if (!need) throw errors.notFound('care need');
    const now = deps.clock.now();
    const set: Parameters<typeof store.updateNeed>[2] = { updated_at: now, updated_by_user_id: actor.userId };
    if (input.state !== undefined) set.state = input.state;
    if (input.note !== undefined) set.note = input.note;
    await store.updateNeed(tx, need.id, set);
    await store.updateCase(tx, c.id, { updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'care_need.updated', entity: 'care_case', entityId: c.id, unitId: c.person_unit_id, before: { needId: need.id, state: need.state }, after: { needId: need.id, state: input.state ?? need.state } });
    return caseDetail(tx, deps, actor, c.id, viewerOf(actor));
  });
}

/**
 * Record a care action (a contact). A counselling session's note is stored only encrypted. The
 * answer is stored for Idempotency-Key replays, so it shows no counselling note: GET the case.
 */
export async function addAction(deps: Deps, ctx: Ctx, id: number, input: CareActionCreate): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const c = await writableCase(deps.db, actor, id);
  const now = deps.clock.now();
  const at = input.at ?? now;
  if (at > now + 60_000) throw errors.validation({ at: 'in the future' });
  if (at < Number(c.opened_at) - 24 * 60 * 60 * 1000) throw errors.validation({ at: 'before the case opened' });
  const key = careKeyFor(deps.config);
  return transact(deps, ctx, async (tx) => {
    const counselling = input.kind === 'counselling';
    const actionId = await store.insertAction(tx, {
      case_id: c.id,
      kind: input.kind,
      at,
      user_id: actor.userId,
      note: counselling ? null : (input.note ?? null),
      note_cipher: counselling && input.note ? encryptNote(key, c.id, input.note) : null,
      created_at: now,
    });
    const last = c.last_contact_at === null ? at : Math.max(Number(c.last_contact_at), at);
    await store.updateCase(tx, c.id, { last_contact_at: last, updated_at: now });
    // No note in the audit row: it would put a counselling note in the clear.
    await recordAudit(tx, deps, ctx, { action: 'care_action.recorded', entity: 'care_case', entityId: c.id, unitId: c.person_unit_id, after: { actionId, kind: input.kind, at, hasNote: Boolean(input.note) } });
    return caseDetail(tx, deps, actor, c.id, NOBODY);
  });
}

/** Who may be the case's care officer: users holding care.write by a grant on the person's unit or above. */
export async function officersFor(deps: Deps, ctx: Ctx, id: number): Promise<CareOfficerList> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCase(deps.db, actor, id);
  if (!canWriteCare(actor, c.unit_path)) throw errors.forbidden('You may not change care cases of this unit');
  const holders = await store.roleHoldersOn(deps.db, chainIds(c.unit_path), CARE_WRITER_ROLES);
  const seen = new Map<number, string>();
  for (const h of holders) if (!seen.has(h.user_id)) seen.set(h.user_id, h.name ?? String(h.user_id));
  return { items: [...seen].map(([userId, name]) => ({ userId, name })) };
}
