import type { z } from 'zod';
import { dayOf } from '../../../common/day.js';
import { CARE_NEED_LABELS, type CareCaseDetail, type CareRequest, type CareRequestListQuery, type CareRequestOpenCase, type CareRequestPage, type MyCareRequestCreate } from '../../../common/schemas/care.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyPeopleInApp, notifyUnitRole } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { findPerson } from '../org/people.store.js';
import { canReadCare, canWriteCare } from './care.policy.js';
import { presentRequest } from './care.present.js';
import { addNeedTx, CARE_WRITER_ROLES, carablePerson, careReadPaths, caseDetail, checkOfficer, insertCaseTx } from './care.service.js';
import * as store from './care.store.js';

/**
 * Help asked for from the phone (求助): a person asks for a kind of need with a note; the care
 * officers of their unit (or the nearest unit above that has one) are told in-app — never through
 * a unit's robot, which a whole group reads — and turn it into a case, into a need on the person's
 * open case, or answer it without one. The person is told how it was answered.
 */

/** How many of a person's requests may wait unanswered at once. */
export const MAX_OPEN_REQUESTS = 10;

/** Ask for help (the signed-in person). */
export async function createMyRequest(deps: Deps, ctx: Ctx, input: MyCareRequestCreate): Promise<CareRequest> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) throw errors.forbidden('Your account is not linked to a person');
  const person = await findPerson(deps.db, actor.personId);
  if (!person || person.status !== 'active') throw errors.forbidden('Your account is not linked to an active person');
  return transact(deps, ctx, async (tx) => {
    const waiting = await tx.selectFrom('care_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', person.id).where('status', '=', 'open').executeTakeFirstOrThrow();
    if (Number(waiting.n) >= MAX_OPEN_REQUESTS) throw errors.conflict(`You have ${MAX_OPEN_REQUESTS} requests waiting for an answer already`, { needKind: 'too many open requests' });
    const now = deps.clock.now();
    const id = await store.insertRequest(tx, { person_id: person.id, unit_id: person.unit_id, need_kind: input.needKind, note: input.note ?? null, status: 'open', case_id: null, answer: null, created_at: now, handled_at: null, handled_by_user_id: null });
    await recordAudit(tx, deps, ctx, { action: 'care_request.created', entity: 'care_request', entityId: id, unitId: person.unit_id, after: { needKind: input.needKind } });
    await notifyUnitRole(tx, deps, person.unit_id, CARE_WRITER_ROLES, {
      kind: 'care.request',
      params: { unit: person.unit_name, need: CARE_NEED_LABELS[input.needKind].zh },
      unitId: null,
      entity: 'care_request',
      entityId: String(id),
      link: '/care/requests',
    });
    return presentRequest((await store.findRequest(tx, id))!);
  });
}

/** One page of the requests of a subtree (default: open, oldest first); an audited read. */
export async function listRequests(deps: Deps, ctx: Ctx, q: z.output<typeof CareRequestListQuery>): Promise<CareRequestPage> {
  const actor = requireActor(ctx.actor);
  const { paths, unitId } = await careReadPaths(deps, actor, q.unitId);
  const { rows, total } = await store.listRequests(deps.db, paths, q.status, q.q, (q.page - 1) * q.pageSize, q.pageSize);
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'care_requests.read', entity: 'care_requests', entityId: unitId, unitId, note: { status: q.status, page: q.page, count: rows.length } }),
  );
  return { items: rows.map(presentRequest), total, page: q.page, pageSize: q.pageSize };
}

/** A request the actor may answer: visible (care.read), writable (care.write), still open. */
async function answerableRequest(deps: Deps, actor: Actor, id: number): Promise<store.RequestView> {
  const r = await store.findRequest(deps.db, id);
  if (!r || !canReadCare(actor, r.unit_path)) throw errors.notFound('care request');
  if (!canWriteCare(actor, r.unit_path)) throw errors.forbidden('You may not answer care requests of this unit');
  if (r.status !== 'open') throw errors.conflict('The request has been answered already', { status: r.status });
  return r;
}

async function tellPerson(tx: Parameters<typeof notifyPeopleInApp>[0], deps: Deps, r: store.RequestView, answer: string): Promise<void> {
  await notifyPeopleInApp(tx, deps, [r.person_id], { kind: 'care.request_answered', params: { need: CARE_NEED_LABELS[r.need_kind as keyof typeof CARE_NEED_LABELS]?.zh ?? r.need_kind, answer }, unitId: null, entity: 'care_request', entityId: String(r.id), link: '/m/care' });
}

const answered = () => errors.conflict('The request has been answered already', { status: 'answered' });

/** Turn a request into a new case (source request) with the request's need on it. */
export async function openCaseFromRequest(deps: Deps, ctx: Ctx, id: number, input: CareRequestOpenCase): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const r = await answerableRequest(deps, actor, id);
  const person = await carablePerson(deps.db, actor, r.person_id);
  const officer = input.careOfficerUserId ?? actor.userId;
  await checkOfficer(deps.db, officer, person.unit_path);
  const startsOn = input.startsOn ?? dayOf(deps.clock.now(), deps.config.timeZone);
  if (input.expectedEnd && input.expectedEnd < startsOn) throw errors.validation({ expectedEnd: 'before the start' });
  return transact(deps, ctx, async (tx) => {
    const open = await store.openCaseOf(tx, person.id, input.kind);
    if (open) throw errors.conflict(`The person already has an open care case of this kind (${open.id}): add the request to it`, { kind: 'already open' });
    const { id: caseId } = await insertCaseTx(tx, deps, ctx, {
      personId: person.id,
      unitId: person.unit_id,
      kind: input.kind,
      source: 'request',
      sourceKey: String(r.id),
      startsOn,
      expectedEnd: input.expectedEnd ?? null,
      careOfficerUserId: officer,
      timeZone: input.timeZone ?? null,
      needs: [{ kind: r.need_kind as never, note: r.note, requestId: r.id }],
      byUserId: actor.userId,
    });
    if (!(await store.handleRequest(tx, r.id, { status: 'case_opened', case_id: caseId, handled_at: deps.clock.now(), handled_by_user_id: actor.userId }))) throw answered();
    await recordAudit(tx, deps, ctx, { action: 'care_request.answered', entity: 'care_request', entityId: r.id, unitId: r.person_unit_id, after: { status: 'case_opened', caseId } });
    await tellPerson(tx, deps, r, '已建立关爱帮扶');
    return caseDetail(tx, deps, actor, caseId, { userId: null, personId: null });
  });
}

/** Turn a request into a need on the person's open case (the one named, or their only one). */
export async function addRequestToCase(deps: Deps, ctx: Ctx, id: number, input: { caseId?: number }): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const r = await answerableRequest(deps, actor, id);
  const open = await store.openCasesOfPerson(deps.db, r.person_id);
  const target = input.caseId !== undefined ? open.find((c) => c.id === input.caseId) : open.length === 1 ? open[0] : undefined;
  if (!target) throw errors.validation({ caseId: input.caseId !== undefined ? 'not an open case of this person' : open.length === 0 ? 'the person has no open case: open one' : 'the person has several open cases: name one' });
  return transact(deps, ctx, async (tx) => {
    await addNeedTx(tx, deps, ctx, { id: target.id, person_unit_id: r.person_unit_id }, { kind: r.need_kind as never, state: 'open', note: r.note, requestId: r.id, byUserId: actor.userId });
    if (!(await store.handleRequest(tx, r.id, { status: 'added_to_case', case_id: target.id, handled_at: deps.clock.now(), handled_by_user_id: actor.userId }))) throw answered();
    await recordAudit(tx, deps, ctx, { action: 'care_request.answered', entity: 'care_request', entityId: r.id, unitId: r.person_unit_id, after: { status: 'added_to_case', caseId: target.id } });
    await tellPerson(tx, deps, r, '已纳入关爱帮扶');
    return caseDetail(tx, deps, actor, target.id, { userId: actor.userId, personId: actor.personId });
  });
}

/** Answer a request without a case. */
export async function declineRequest(deps: Deps, ctx: Ctx, id: number, input: { answer: string }): Promise<CareRequest> {
  const actor = requireActor(ctx.actor);
  const r = await answerableRequest(deps, actor, id);
  return transact(deps, ctx, async (tx) => {
    if (!(await store.handleRequest(tx, r.id, { status: 'declined', answer: input.answer, handled_at: deps.clock.now(), handled_by_user_id: actor.userId }))) throw answered();
    await recordAudit(tx, deps, ctx, { action: 'care_request.answered', entity: 'care_request', entityId: r.id, unitId: r.person_unit_id, after: { status: 'declined' } });
    await tellPerson(tx, deps, r, input.answer);
    return presentRequest((await store.findRequest(tx, r.id))!);
  });
}
