import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import { CONTACT_SCORE, MAX_CANDIDATES, type ContactAction, type ContactActionResult, type ContactCandidate, type ContactCandidates, type ContactQuery } from '../../../common/schemas/contacts.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { sharedShifts } from '../duty/duty.contacts.js';
import { openHealthWatch, underOpenWatch } from '../health/watches.service.js';
import { effectiveMeasure } from '../measures/measures.effective.js';
import { notifyUnitRoleMany } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { findPerson } from '../org/people.store.js';
import { sharedSlots } from './contacts.slots.js';
import { activePeopleOfUnit, peopleByIds } from './contacts.store.js';
import { sharedMeetings } from './meetings.contacts.js';

/**
 * Contact candidates (密接排查) of a person: who shared their unit, a registered meeting, a canteen
 * slot or a duty shift over the last N days. One pass per source, then one look-up of the people
 * named; people outside the reader's health.read scope are dropped before anything is counted, so
 * they do not exist for the reader. Reading the list is an audited read of health data (it says
 * who may have been exposed to whom).
 */

/** The person, when the actor may read their health data; 404 otherwise. */
async function visiblePerson(deps: Deps, actor: Actor, personId: number) {
  const person = await findPerson(deps.db, personId);
  if (!person || !can(actor, 'health.read', person.unit_path)) throw errors.notFound('person');
  return person;
}

interface Shared {
  sameUnit: boolean;
  meetings: { count: number; minutes: number };
  slots: ContactCandidate['slots'];
  shifts: ContactCandidate['shifts'];
}

/** The documented score: meeting and shift minutes weigh most, then slot-days, then the unit. */
export function contactScore(s: Shared): number {
  return (
    s.meetings.minutes * CONTACT_SCORE.meetingMinute +
    s.shifts.reduce((n, x) => n + x.minutes, 0) * CONTACT_SCORE.shiftMinute +
    s.slots.reduce((n, x) => n + x.days, 0) * CONTACT_SCORE.slotDay +
    (s.sameUnit ? CONTACT_SCORE.unit : 0)
  );
}

/** The ranked contact candidates of a person over the last `days` days (default: the contact.lookback_days measure at their unit). */
export async function contactCandidates(deps: Deps, ctx: Ctx, personId: number, q: ContactQuery): Promise<ContactCandidates> {
  const actor = requireActor(ctx.actor);
  const person = await visiblePerson(deps, actor, personId);
  const tz = deps.config.timeZone;
  const now = deps.clock.now();
  const toDay = dayOf(now, tz);
  const days = q.days ?? Number((await effectiveMeasure(deps, 'contact.lookback_days', person.unit_id, toDay)).value);
  const fromDay = addDays(toDay, -(days - 1));
  const from = startOfDay(fromDay, tz);

  const shared = new Map<number, Shared>();
  const of = (id: number): Shared => {
    let s = shared.get(id);
    if (!s) shared.set(id, (s = { sameUnit: false, meetings: { count: 0, minutes: 0 }, slots: [], shifts: [] }));
    return s;
  };
  const [unitMates, meetings, shifts, slots] = await Promise.all([
    activePeopleOfUnit(deps.db, person.unit_id),
    sharedMeetings(deps.db, person.id, from, now),
    sharedShifts(deps.db, person.id, from, now),
    sharedSlots(deps.db, person.id, person.unit_path, fromDay, toDay),
  ]);
  for (const id of unitMates) if (id !== person.id) of(id).sameUnit = true;
  for (const m of meetings) of(m.personId).meetings = { count: m.meetings, minutes: m.minutes };
  for (const s of shifts) of(s.personId).shifts.push({ unitId: s.unitId, unitName: s.unitName, from: s.from, to: s.to, minutes: s.minutes });
  for (const [id, list] of slots) of(id).slots.push(...list);

  const people = (await peopleByIds(deps.db, [...shared.keys()])).filter((p) => can(actor, 'health.read', p.unit_path));
  const watched = await underOpenWatch(deps.db, people.map((p) => p.id));
  const ranked = people
    .map((p): ContactCandidate => {
      const s = shared.get(p.id)!;
      return { personId: p.id, name: p.name, employeeNo: p.employee_no, unitId: p.unit_id, unitName: p.unit_name, score: contactScore(s), ...s, underWatch: watched.has(p.id) };
    })
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name) || a.personId - b.personId);

  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'contact_candidates.read', entity: 'person', entityId: person.id, unitId: person.unit_id, note: { days, fromDay, toDay, count: ranked.length } }),
  );
  return {
    personId: person.id,
    personName: person.name,
    unitId: person.unit_id,
    unitName: person.unit_name,
    days,
    fromDay,
    toDay,
    total: ranked.length,
    items: ranked.slice(0, MAX_CANDIDATES),
    abilities: { act: true },
  };
}

/**
 * Act on candidates in one transaction: open a health watch (reason `contact`, one cause per
 * index person, so repeating the action joins nothing twice) or tell each candidate's unit
 * liaison and head in-app (one message per unit). Allowed with health.read over the person and
 * every candidate — the command office that reads the list acts on it; a candidate outside that
 * scope is refused naming `personIds.<i>`, and nothing changes.
 */
export async function actOnContacts(deps: Deps, ctx: Ctx, personId: number, input: ContactAction): Promise<ContactActionResult> {
  const actor = requireActor(ctx.actor);
  const person = await visiblePerson(deps, actor, personId);
  const found = new Map((await peopleByIds(deps.db, input.personIds)).map((p) => [p.id, p]));
  input.personIds.forEach((id, i) => {
    const p = found.get(id);
    if (!p || !can(actor, 'health.read', p.unit_path)) throw errors.validation({ [`personIds.${i}`]: 'no such person' });
    if (id === person.id) throw errors.validation({ [`personIds.${i}`]: 'is the person whose contacts these are' });
  });
  const targets = input.personIds.map((id) => found.get(id)!);
  return transact(deps, ctx, async (tx) => {
    let done = 0;
    let joined = 0;
    if (input.action === 'watch') {
      for (const p of targets) {
        if (p.status !== 'active') continue;
        const r = await openHealthWatch(tx, deps, {
          personId: p.id,
          reason: 'contact',
          sourceEntity: 'contact_of',
          sourceId: String(person.id),
          openedByUserId: actor.userId,
          ...(input.note ? { note: input.note } : {}),
        });
        if (r.created) done++;
        else joined++;
      }
    } else {
      const byUnit = new Map<number, typeof targets>();
      for (const p of targets) byUnit.set(p.unit_id, [...(byUnit.get(p.unit_id) ?? []), p]);
      await notifyUnitRoleMany(
        tx,
        deps,
        ['liaison', 'unit_head'],
        [...byUnit.values()].map((ps) => ({
          unitId: ps[0]!.unit_id,
          // Names the candidates, never the case: the unit acts on its own people.
          n: { kind: 'contact.candidates', params: { unit: ps[0]!.unit_name, count: ps.length, names: ps.slice(0, 30).map((p) => p.name).join('、') }, unitId: ps[0]!.unit_id, entity: 'unit', entityId: String(ps[0]!.unit_id) },
        })),
      );
      done = byUnit.size;
    }
    await recordAudit(tx, deps, ctx, { action: `contact_candidates.${input.action}`, entity: 'person', entityId: person.id, unitId: person.unit_id, after: { personIds: input.personIds, done, joined } });
    return { action: input.action, done, joined };
  });
}
