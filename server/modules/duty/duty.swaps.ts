import type { z } from 'zod';
import type { DutyRole, Swap, SwapCreate, SwapListQuery } from '../../../common/schemas/duty.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { isWithin } from '../../db/tree.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { localDateTime } from '../../../common/day.js';
import { notifyPeople, notifyUnitRole, type NotificationInput } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { canReadDuty, canWriteDuty } from './duty.policy.js';
import { unitFor, visibleShift } from './duty.service.js';
import * as store from './duty.store.js';

/**
 * Swaps (换班): asked by a person on a shift, with another person — who takes the asker's place,
 * and for an exchange gives their own place on another shift of the same unit in return —,
 * accepted or declined by that person, then approved or refused by the unit head (duty.write).
 * Approval applies the change at once, in the same transaction, after checking again that both
 * are still where they were and neither shift has started. Every step tells the other parties.
 */

const OPEN = ['asked', 'accepted'];
const LIST_LIMIT = 200;

type Step = 'accept' | 'decline' | 'approve' | 'refuse' | 'cancel';

const STEPS: Record<Step, { from: string[]; to: string; action: string; notice: string }> = {
  accept: { from: ['asked'], to: 'accepted', action: 'duty.swap_accepted', notice: 'duty.swap_accepted' },
  decline: { from: ['asked'], to: 'declined', action: 'duty.swap_declined', notice: 'duty.swap_declined' },
  approve: { from: ['accepted'], to: 'approved', action: 'duty.swap_approved', notice: 'duty.swap_approved' },
  refuse: { from: OPEN, to: 'refused', action: 'duty.swap_refused', notice: 'duty.swap_refused' },
  cancel: { from: OPEN, to: 'cancelled', action: 'duty.swap_cancelled', notice: 'duty.swap_cancelled' },
};


/** Who may take a step at all, whatever the swap's status: the other person answers, the head decides, the asker cancels. */
function mayTake(actor: Actor, w: store.SwapWithNames, step: Step): boolean {
  const me = actor.personId;
  if (step === 'accept' || step === 'decline') return me !== null && me === w.counterpart_person_id;
  if (step === 'cancel') return me !== null && me === w.requester_person_id;
  return canWriteDuty(actor, w.unit_path);
}

function swapAbilities(actor: Actor, w: store.SwapWithNames) {
  const can = (step: Step) => mayTake(actor, w, step) && STEPS[step].from.includes(w.status);
  return { accept: can('accept'), decline: can('decline'), approve: can('approve'), refuse: can('refuse'), cancel: can('cancel') };
}

async function presentSwaps(db: Conn, actor: Actor, rows: readonly store.SwapWithNames[]): Promise<Swap[]> {
  const shiftIds = rows.flatMap((w) => (w.counterpart_shift_id === null ? [w.shift_id] : [w.shift_id, w.counterpart_shift_id]));
  const shifts = new Map((await store.findShifts(db, shiftIds)).map((s) => [s.id, s]));
  const members = await store.membersOf(db, shiftIds);
  const roleOf = (shiftId: number, personIds: number[]): DutyRole => {
    const m = members.find((x) => x.shift_id === shiftId && personIds.includes(x.person_id));
    return m?.role === 'leader' ? 'leader' : 'officer';
  };
  return rows.map((w) => {
    const s = shifts.get(w.shift_id)!;
    const cs = w.counterpart_shift_id === null ? null : shifts.get(w.counterpart_shift_id)!;
    const parties = [w.requester_person_id, w.counterpart_person_id];
    return {
      id: w.id,
      unitId: w.unit_id,
      unitName: w.unit_name,
      status: w.status as Swap['status'],
      requester: { personId: w.requester_person_id, name: w.requester_name },
      counterpart: { personId: w.counterpart_person_id, name: w.counterpart_name },
      shift: { id: s.id, startsAt: Number(s.starts_at), endsAt: Number(s.ends_at), role: roleOf(s.id, parties) },
      counterpartShift: cs ? { id: cs.id, startsAt: Number(cs.starts_at), endsAt: Number(cs.ends_at), role: roleOf(cs.id, parties) } : null,
      reason: w.reason,
      requestedAt: Number(w.requested_at),
      answeredAt: w.answered_at === null ? null : Number(w.answered_at),
      decidedAt: w.decided_at === null ? null : Number(w.decided_at),
      decidedByName: w.decided_by_name,
      decisionNote: w.decision_note,
      abilities: swapAbilities(actor, w),
    };
  });
}

/** A swap the actor may see: a party to it, or duty.read over its unit; 404 otherwise. */
async function visibleSwap(db: Conn, actor: Actor, id: number): Promise<store.SwapWithNames> {
  const w = await store.findSwap(db, id);
  const party = w && actor.personId !== null && (w.requester_person_id === actor.personId || w.counterpart_person_id === actor.personId);
  if (!w || !(party || canReadDuty(actor, w.unit_path))) throw errors.notFound('swap');
  return w;
}

async function present(db: Conn, actor: Actor, id: number): Promise<Swap> {
  return (await presentSwaps(db, actor, [(await store.findSwap(db, id))!]))[0]!;
}

/** The swaps of a subtree (duty.read), newest first. */
export async function listSwaps(deps: Deps, ctx: Ctx, q: z.infer<typeof SwapListQuery>): Promise<{ items: Swap[] }> {
  const actor = requireActor(ctx.actor);
  let paths = scopeFor(actor, 'duty.read');
  if (paths.length === 0) throw errors.forbidden();
  if (q.unitId !== undefined) paths = [(await unitFor(deps, actor, q.unitId, 'duty.read')).path];
  const rows = await store.swapsIn(deps.db, paths, q.status, LIST_LIMIT);
  return { items: await presentSwaps(deps.db, actor, rows) };
}

/** The swaps the signed-in person asked or was asked for. */
export async function mySwaps(deps: Deps, ctx: Ctx): Promise<{ items: Swap[] }> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { items: [] };
  const rows = await store.swapsOfPerson(deps.db, actor.personId, LIST_LIMIT);
  return { items: await presentSwaps(deps.db, actor, rows) };
}

export async function getSwap(deps: Deps, ctx: Ctx, id: number): Promise<Swap> {
  const actor = requireActor(ctx.actor);
  await visibleSwap(deps.db, actor, id);
  return present(deps.db, actor, id);
}

function swapNotice(kind: string, w: { id: number; unit_id: number }, params: Record<string, string>): NotificationInput {
  return { kind, params, unitId: null, entity: 'duty_swap', entityId: String(w.id), link: `/m/shifts?swap=${w.id}` };
}

/** Words of a swap for its notices. */
function swapParams(deps: Deps, w: store.SwapWithNames, shift: { starts_at: number }, unitName: string): Record<string, string> {
  return { unit: unitName, requester: w.requester_name, counterpart: w.counterpart_name, start: localDateTime(shift.starts_at, deps.config.timeZone) };
}

/** Ask a swap for one of my shifts that has not started. */
export async function askSwap(deps: Deps, ctx: Ctx, input: SwapCreate): Promise<Swap> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) throw errors.forbidden('Your account is not linked to a person');
  const me = actor.personId;
  const shift = await visibleShift(deps.db, actor, input.shiftId).catch(() => {
    throw errors.validation({ shiftId: 'shift not found' });
  });
  const now = deps.clock.now();
  const members = await store.membersOf(deps.db, [shift.id]);
  if (!members.some((m) => m.person_id === me)) throw errors.validation({ shiftId: 'you are not on this shift' });
  if (shift.starts_at <= now) throw errors.conflict('the shift has started', { shiftId: 'has started' });
  if (input.counterpartPersonId === me) throw errors.validation({ counterpartPersonId: 'must be someone else' });
  if (members.some((m) => m.person_id === input.counterpartPersonId)) throw errors.validation({ counterpartPersonId: 'is on this shift already' });
  // The other person is someone of the unit (its subtree) or already on its roster: a swap does not
  // reveal, or reach, anyone else in the organisation.
  const counterpart = await deps.db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .select(['people.id', 'people.status', 'units.path'])
    .where('people.id', '=', input.counterpartPersonId)
    .executeTakeFirst();
  const ofUnit = counterpart !== undefined && (isWithin(counterpart.path, shift.unit_path) || (await store.isOnRosterOf(deps.db, shift.unit_id, counterpart.id)));
  if (!counterpart || !ofUnit || counterpart.status !== 'active') throw errors.validation({ counterpartPersonId: 'person not found' });
  if (input.counterpartShiftId !== undefined) {
    const other = await store.findShift(deps.db, input.counterpartShiftId);
    if (!other || other.unit_id !== shift.unit_id) throw errors.validation({ counterpartShiftId: 'shift not found' });
    if (other.starts_at <= now) throw errors.validation({ counterpartShiftId: 'has started' });
    const om = await store.membersOf(deps.db, [other.id]);
    if (!om.some((m) => m.person_id === input.counterpartPersonId)) throw errors.validation({ counterpartShiftId: 'the other person is not on this shift' });
    if (om.some((m) => m.person_id === me)) throw errors.validation({ counterpartShiftId: 'you are on this shift already' });
  }
  return transact(deps, ctx, async (tx) => {
    const id = await store.insertSwap(tx, {
      unit_id: shift.unit_id,
      shift_id: shift.id,
      requester_person_id: me,
      counterpart_person_id: input.counterpartPersonId,
      counterpart_shift_id: input.counterpartShiftId ?? null,
      status: 'asked',
      reason: input.reason ?? null,
      requested_by_user_id: actor.userId,
      requested_at: now,
      answered_by_user_id: null,
      answered_at: null,
      decided_by_user_id: null,
      decided_at: null,
      decision_note: null,
      updated_at: now,
    });
    const w = (await store.findSwap(tx, id))!;
    await notifyPeople(tx, deps, [w.counterpart_person_id], swapNotice('duty.swap_asked', w, swapParams(deps, w, shift, shift.unit_name)));
    await recordAudit(tx, deps, ctx, { action: 'duty.swap_asked', entity: 'duty_swap', entityId: id, unitId: shift.unit_id, after: { shiftId: shift.id, counterpartPersonId: input.counterpartPersonId, counterpartShiftId: input.counterpartShiftId ?? null } });
    return present(tx, actor, id);
  });
}

/** Put the people of an approved swap in their new places; a conflict when things moved since it was asked. */
async function applySwap(tx: Conn, deps: Deps, w: store.SwapWithNames, now: number): Promise<void> {
  const ids = w.counterpart_shift_id === null ? [w.shift_id] : [w.shift_id, w.counterpart_shift_id];
  const shifts = await store.findShifts(tx, ids);
  if (shifts.length !== ids.length) throw errors.conflict('a shift of this swap no longer exists');
  if (shifts.some((s) => s.starts_at <= now)) throw errors.conflict('a shift of this swap has started; refuse it instead');
  const members = await store.membersOf(tx, ids);
  const on = (shiftId: number, personId: number) => members.some((m) => m.shift_id === shiftId && m.person_id === personId);
  if (!on(w.shift_id, w.requester_person_id) || on(w.shift_id, w.counterpart_person_id)) throw errors.conflict('the people of the shift changed since the swap was asked');
  await store.replaceMember(tx, w.shift_id, w.requester_person_id, w.counterpart_person_id);
  if (w.counterpart_shift_id !== null) {
    if (!on(w.counterpart_shift_id, w.counterpart_person_id) || on(w.counterpart_shift_id, w.requester_person_id)) throw errors.conflict('the people of the other shift changed since the swap was asked');
    await store.replaceMember(tx, w.counterpart_shift_id, w.counterpart_person_id, w.requester_person_id);
  }
  for (const id of ids) await store.updateShift(tx, id, { swapped_at: now, updated_at: now });
  void deps;
}

/** One step of a swap's life: accept, decline (the other person), approve, refuse (the head), cancel (the asker). */
export async function moveSwapOn(deps: Deps, ctx: Ctx, id: number, step: Step, note: string | undefined): Promise<Swap> {
  const actor = requireActor(ctx.actor);
  const w = await visibleSwap(deps.db, actor, id);
  const now = deps.clock.now();
  if (!mayTake(actor, w, step)) throw errors.forbidden();
  if (!STEPS[step].from.includes(w.status)) throw errors.conflict(`the swap is ${w.status}`);
  return transact(deps, ctx, async (tx) => {
    const s = STEPS[step];
    const by = step === 'accept' || step === 'decline' ? { answered_by_user_id: actor.userId, answered_at: now } : step === 'cancel' ? {} : { decided_by_user_id: actor.userId, decided_at: now, decision_note: note ?? null };
    if (!(await store.moveSwap(tx, id, s.from, { status: s.to, updated_at: now, ...by }))) throw errors.conflict('the swap changed meanwhile; reload it');
    if (step === 'approve') await applySwap(tx, deps, w, now);
    const shift = (await store.findShift(tx, w.shift_id))!;
    const params = swapParams(deps, w, shift, w.unit_name);
    const notice = swapNotice(s.notice, w, params);
    // Who hears of each step: the parties who did not take it, and the head once the other person agreed.
    if (step === 'accept') {
      await notifyPeople(tx, deps, [w.requester_person_id], notice);
      await notifyUnitRole(tx, deps, w.unit_id, ['unit_head'], swapNotice('duty.swap_to_approve', w, params));
    } else if (step === 'decline') await notifyPeople(tx, deps, [w.requester_person_id], notice);
    else if (step === 'cancel') await notifyPeople(tx, deps, [w.counterpart_person_id], notice);
    else await notifyPeople(tx, deps, [w.requester_person_id, w.counterpart_person_id], notice);
    await recordAudit(tx, deps, ctx, { action: s.action, entity: 'duty_swap', entityId: id, unitId: w.unit_id, before: { status: w.status }, after: { status: s.to, ...(note ? { note } : {}) } });
    return present(tx, actor, id);
  });
}
