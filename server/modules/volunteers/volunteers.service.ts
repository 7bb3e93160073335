import type { z } from 'zod';
import type { MySignUp, MyVolunteer, Volunteer, VolunteerCreate, VolunteerListQuery, VolunteerPage, VolunteerUpdate } from '../../../common/schemas/volunteers.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import { canReadVolunteers, canWriteVolunteers, volunteerAbilities } from './volunteers.policy.js';
import { dropFutureAssignments } from './volunteers.assign.js';
import * as store from './volunteers.store.js';

/**
 * The volunteer pool (志愿者库): people who signed up on the phone, or whom a unit added with their
 * consent noted, with their tags (党员, 团员), skills and availability. Leaving keeps the row (and
 * the hours served); rejoining clears `left_at`.
 */

export const parseSkills = (json: string): string[] => JSON.parse(json) as string[];

/** A volunteer as every list shows them, with what the actor may do. */
export function presentVolunteer(actor: Actor | null, v: store.VolunteerView): Volunteer {
  return {
    id: v.id,
    personId: v.person_id,
    name: v.name,
    unitId: v.unit_id,
    unitName: v.unit_name,
    partyMember: v.party_member === 1,
    youthLeague: v.youth_league === 1,
    skills: parseSkills(v.skills),
    availability: v.availability,
    consentNote: v.consent_note,
    selfSignedUp: v.consent_note === null,
    joinedAt: Number(v.joined_at),
    leftAt: v.left_at === null ? null : Number(v.left_at),
    abilities: actor ? volunteerAbilities(actor, { unit_path: v.unit_path, left_at: v.left_at }) : { edit: false, assign: false, leave: false },
  };
}

/** A volunteer the actor may see (volunteers.read over their unit), or not_found. */
export async function visibleVolunteer(db: Conn, actor: Actor, id: number): Promise<store.VolunteerView> {
  const v = await store.findVolunteer(db, id);
  if (!v || !canReadVolunteers(actor, v.unit_path)) throw errors.notFound('volunteer');
  return v;
}

/** The subtrees a volunteers.read list covers: one visible unit's, or the actor's whole scope. */
export async function readPaths(deps: Deps, actor: Actor, unitId: number | undefined): Promise<string[]> {
  if (unitId === undefined) return requireScope(actor, 'volunteers.read');
  if (scopeFor(actor, 'volunteers.read').length === 0) throw errors.forbidden();
  const unit = await visibleUnit(deps, actor, unitId);
  if (!canReadVolunteers(actor, unit.path)) throw errors.notFound('unit');
  return [unit.path];
}

/** The pool of a subtree, filtered by tag, skill and name. */
export async function listVolunteers(deps: Deps, ctx: Ctx, q: z.output<typeof VolunteerListQuery>): Promise<VolunteerPage> {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  const { rows, total } = await store.listVolunteers(deps.db, { paths, tag: q.tag, skill: q.skill, q: q.q, left: q.left === true }, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: rows.map((r) => presentVolunteer(actor, r)), total, page: q.page, pageSize: q.pageSize };
}

/** One volunteer. */
export async function getVolunteer(deps: Deps, ctx: Ctx, id: number): Promise<Volunteer> {
  const actor = requireActor(ctx.actor);
  return presentVolunteer(actor, await visibleVolunteer(deps.db, actor, id));
}

const profileOf = (v: { partyMember: boolean; youthLeague: boolean; skills: string[]; availability?: string | null | undefined }) => ({
  party_member: v.partyMember ? 1 : 0,
  youth_league: v.youthLeague ? 1 : 0,
  skills: JSON.stringify(v.skills),
  availability: v.availability ?? null,
});

/** Put a person in the pool (or back in it) with the given profile; returns the volunteer's id. */
async function join(tx: Conn, deps: Deps, ctx: Ctx, person: { id: number; unit_id: number }, profile: ReturnType<typeof profileOf>, consentNote: string | null): Promise<number> {
  const now = deps.clock.now();
  const existing = await store.volunteerOfPerson(tx, person.id);
  let id: number;
  if (existing) {
    id = existing.id;
    const rejoin = existing.left_at !== null;
    await store.updateVolunteer(tx, id, { ...profile, ...(rejoin ? { joined_at: now, left_at: null, consent_note: consentNote, added_by_user_id: ctx.actor?.userId ?? null } : {}), updated_at: now });
    await recordAudit(tx, deps, ctx, { action: rejoin ? 'volunteer.rejoined' : 'volunteer.updated', entity: 'volunteer', entityId: id, unitId: person.unit_id, after: { ...profile, consentNote } });
  } else {
    id = await store.insertVolunteer(tx, { person_id: person.id, ...profile, consent_note: consentNote, added_by_user_id: ctx.actor?.userId ?? null, joined_at: now, left_at: null, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'volunteer.joined', entity: 'volunteer', entityId: id, unitId: person.unit_id, after: { ...profile, consentNote } });
  }
  return id;
}

/** A unit adds one of its people to the pool, noting how they consented (409 when already in it). */
export async function addVolunteer(deps: Deps, ctx: Ctx, input: VolunteerCreate): Promise<Volunteer> {
  const actor = requireActor(ctx.actor);
  const person = await store.activePerson(deps.db, input.personId);
  if (!person || !canReadVolunteers(actor, person.path)) throw errors.validation({ personId: 'no such person' });
  if (!canWriteVolunteers(actor, person.path)) throw errors.forbidden('You may not add volunteers of this unit');
  const existing = await store.volunteerOfPerson(deps.db, person.id);
  if (existing && existing.left_at === null) throw errors.conflict(`${person.name} is already in the volunteer pool`, { personId: 'already in the pool' });
  return transact(deps, ctx, async (tx) => {
    const id = await join(tx, deps, ctx, person, profileOf(input), input.consentNote);
    return presentVolunteer(actor, (await store.findVolunteer(tx, id))!);
  });
}

/** Change a volunteer's tags, skills or availability. */
export async function updateVolunteer(deps: Deps, ctx: Ctx, id: number, input: VolunteerUpdate): Promise<Volunteer> {
  const actor = requireActor(ctx.actor);
  const v = await visibleVolunteer(deps.db, actor, id);
  if (!canWriteVolunteers(actor, v.unit_path)) throw errors.forbidden('You may not change volunteers of this unit');
  if (v.left_at !== null) throw errors.conflict('The volunteer has left the pool', { status: 'left' });
  return transact(deps, ctx, async (tx) => {
    const set: Parameters<typeof store.updateVolunteer>[2] = { updated_at: deps.clock.now() };
    if (input.partyMember !== undefined) set.party_member = input.partyMember ? 1 : 0;
    if (input.youthLeague !== undefined) set.youth_league = input.youthLeague ? 1 : 0;
    if (input.skills !== undefined) set.skills = JSON.stringify(input.skills);
    if (input.availability !== undefined) set.availability = input.availability;
    await store.updateVolunteer(tx, id, set);
    await recordAudit(tx, deps, ctx, { action: 'volunteer.updated', entity: 'volunteer', entityId: id, unitId: v.unit_id, after: input });
    return presentVolunteer(actor, (await store.findVolunteer(tx, id))!);
  });
}

/** Take a volunteer out of the pool: shifts not yet started lose them (their requests reopen); past ones stay for the hours. */
async function leave(tx: Conn, deps: Deps, ctx: Ctx, v: store.VolunteerView): Promise<void> {
  const now = deps.clock.now();
  await store.updateVolunteer(tx, v.id, { left_at: now, updated_at: now });
  const dropped = await dropFutureAssignments(tx, deps, v.id, now);
  await recordAudit(tx, deps, ctx, { action: 'volunteer.left', entity: 'volunteer', entityId: v.id, unitId: v.unit_id, after: { droppedShifts: dropped } });
}

/** A unit takes a volunteer out of the pool. */
export async function removeVolunteer(deps: Deps, ctx: Ctx, id: number): Promise<Volunteer> {
  const actor = requireActor(ctx.actor);
  const v = await visibleVolunteer(deps.db, actor, id);
  if (!canWriteVolunteers(actor, v.unit_path)) throw errors.forbidden('You may not change volunteers of this unit');
  if (v.left_at !== null) throw errors.conflict('The volunteer has already left the pool', { status: 'left' });
  return transact(deps, ctx, async (tx) => {
    await leave(tx, deps, ctx, v);
    return presentVolunteer(actor, (await store.findVolunteer(tx, id))!);
  });
}

// ── me (the phone) ───────────────────────────────────────────────────────────────────────────────

const hoursOf = (ms: number) => Math.round(ms / 360_000) / 10;

/** My volunteer profile, my shifts not yet ended and the hours I have served. */
export async function myVolunteer(deps: Deps, ctx: Ctx): Promise<MyVolunteer> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { profile: null, upcoming: [], hoursServed: 0 };
  const v = await store.volunteerOfPerson(deps.db, actor.personId);
  if (!v) return { profile: null, upcoming: [], hoursServed: 0 };
  const now = deps.clock.now();
  const [shifts, ms] = await Promise.all([store.shiftsOfVolunteer(deps.db, v.id, now, 100), store.servedMs(deps.db, v.id, now)]);
  return {
    profile: presentVolunteer(null, v),
    upcoming: shifts.map((s) => ({ shiftId: s.shift_id, postId: s.post_id, title: s.title, kind: s.kind as MyVolunteer['upcoming'][number]['kind'], unitName: s.unit_name, placeName: s.place_name, startsAt: s.starts_at, endsAt: s.ends_at })),
    hoursServed: hoursOf(ms),
  };
}

function myPerson(actor: Actor): number {
  if (actor.personId === null) throw errors.conflict('Your account is not linked to a person', { personId: 'none' });
  return actor.personId;
}

/** Sign up for the pool (or rejoin, or change my profile). */
export async function signUp(deps: Deps, ctx: Ctx, input: MySignUp): Promise<MyVolunteer> {
  const actor = requireActor(ctx.actor);
  const person = await store.activePerson(deps.db, myPerson(actor));
  if (!person) throw errors.conflict('Your person record is not active', { personId: 'not active' });
  await transact(deps, ctx, (tx) => join(tx, deps, ctx, person, profileOf(input), null));
  return myVolunteer(deps, ctx);
}

/** Leave the pool myself. */
export async function leaveMyself(deps: Deps, ctx: Ctx): Promise<MyVolunteer> {
  const actor = requireActor(ctx.actor);
  const v = await store.volunteerOfPerson(deps.db, myPerson(actor));
  if (!v || v.left_at !== null) throw errors.conflict('You are not in the volunteer pool', { status: 'not_in_pool' });
  await transact(deps, ctx, (tx) => leave(tx, deps, ctx, v));
  return myVolunteer(deps, ctx);
}
