import { addDays, dayOf } from '../../../common/day.js';
import type { Checkin, CheckinListQuery, CheckinRollup, CheckinSubmit, NonReporterQuery, RollupFigures, RollupQuery } from '../../../common/schemas/health.js';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { findPersonHot, type PersonWithUnit } from '../org/people.store.js';
import { checkinWriterFor, type CheckinWrite, type CheckinWritten } from './checkin.writer.js';
import { presentCheckin } from './checkin.present.js';
import { COUNT_COLUMNS, isAbnormal, lockedFrom, toTenths, type CheckinAnswers, type CountVector, type Location } from './health.policy.js';
import { pgCheckinWriterFor } from './checkin.pgwriter.js';
import { healthUnit, healthSubtrees, presentPersonToReach } from './health.access.js';
import * as store from './health.store.js';
import { ensureHeadcountSnapshot } from './dashboard.service.js';
import { unitCutoff } from './health-settings.service.js';
import { childrenWithFigures, ownFigures, type FiguresRow } from './rollup.store.js';

/** The deployment's today, in its time zone. */
export const todayOf = (deps: Deps): string => dayOf(deps.clock.now(), deps.config.timeZone);

/** The person a check-in is for: who, whether still active, and where. */
interface Subject {
  id: number;
  status: string;
  unitId: number;
  unitPath: string;
}

/** Whose check-in this is: the actor's own person, or (with health.write over their unit) someone else's. */
async function subjectOf(deps: Deps, actor: Actor, personId: number | undefined): Promise<{ person: Subject; onBehalf: boolean }> {
  if (personId === undefined || personId === actor.personId) {
    if (actor.personId === null) throw errors.validation({ personId: 'this account is not linked to a person; name the person to check in for' });
    // Read with the session as a rule (one statement less on the morning's commonest request).
    const self = actor.person !== undefined ? actor.person : subject(await findPersonHot(deps.handle, actor.personId));
    if (!self || self.status !== 'active') throw errors.conflict('only an active person can check in');
    return { person: self, onBehalf: false };
  }
  const person = subject(await findPersonHot(deps.handle, personId));
  // Out of scope reads as absent: the same answer as an id that does not exist.
  if (!person || !can(actor, 'people.read', person.unitPath)) throw errors.validation({ personId: 'no such person' });
  if (!can(actor, 'health.write', person.unitPath)) throw errors.forbidden();
  if (person.status !== 'active') throw errors.validation({ personId: 'the person has left' });
  return { person, onBehalf: true };
}

const subject = (p: PersonWithUnit | undefined): Subject | null => (p ? { id: p.id, status: p.status, unitId: p.unit_id, unitPath: p.unit_path } : null);

/**
 * Check in for today (the deployment's day), for oneself or on someone's behalf. A second
 * check-in on the same day replaces the first; after the day's cut-off the day is locked.
 */
export async function submitCheckin(deps: Deps, ctx: Ctx, input: CheckinSubmit): Promise<CheckinWritten> {
  const actor = requireActor(ctx.actor);
  const { person, onBehalf } = await subjectOf(deps, actor, input.personId);
  const now = deps.clock.now();
  const today = dayOf(now, deps.config.timeZone);
  // A phone that was offline sends the day its check-in was filled in: that day takes it while it
  // is still open, and a closed day refuses it like any late check-in.
  const day = input.day ?? today;
  if (day > today) throw errors.validation({ day: 'cannot check in for a day that has not begun' });
  // The cut-off of the person's unit that day: the root's, or one a unit above them tightened (a measure).
  const cutoff = await unitCutoff(deps, { id: person.unitId, path: person.unitPath }, day);
  // After the cut-off the day's check-ins are locked: no one corrects one, and a person no longer
  // checks in themselves. The one way in is the follow-up of a missing person: their liaison,
  // having reached them, records today's first check-in on their behalf, counted as late.
  const late = now >= lockedFrom(day, cutoff, deps.config.timeZone);
  if (late && !(onBehalf && day === today && !(await store.findCheckinHot(deps.handle, person.id, day))))
    throw errors.conflict(day === today ? "today's check-ins are closed (past the cut-off)" : `the check-ins of ${day} are closed`, { day: 'locked' });

  let answers: CheckinAnswers;
  if (input.sameAsYesterday) {
    const y = await store.findCheckinHot(deps.handle, person.id, addDays(day, -1));
    if (!y) throw errors.validation({ sameAsYesterday: 'there is no check-in yesterday to copy' });
    answers = { temperature: y.temperature, symptoms: JSON.parse(y.symptoms) as string[], location: y.location as Location, city: y.city, note: y.note };
  } else {
    // The schema has made sure every answer is there.
    answers = { temperature: toTenths(input.temperature!), symptoms: [...new Set(input.symptoms!)], location: input.location!, city: input.city!, note: input.note ?? null };
  }
  const write: CheckinWrite = {
    row: {
      person_id: person.id,
      unit_id: person.unitId,
      day,
      temperature: answers.temperature,
      symptoms: JSON.stringify(answers.symptoms),
      location: answers.location,
      city: answers.city,
      note: answers.note,
      abnormal: isAbnormal(answers) ? 1 : 0,
      // Timeliness: a check-in is on time when it arrived before the cut-off; an update keeps the first one's.
      on_time: late ? 0 : 1,
      on_behalf_of_user_id: onBehalf ? actor.userId : null,
    },
    now,
    actor: { userId: actor.userId, name: actor.username, ip: ctx.ip },
    ...(ctx.idempotency && {
      idempotency: {
        userId: actor.userId,
        key: ctx.idempotency.key,
        requestHash: ctx.idempotency.requestHash,
      },
    }),
  };
  // Group commit on both databases (checkin.writer.ts, checkin.pgwriter.ts): answered after the COMMIT of the check-in's batch.
  return (checkinWriterFor(deps) ?? pgCheckinWriterFor(deps)!).submit(write);
}

/** The actor's own check-ins of the last 14 days (today included), newest first. */
export async function myCheckins(deps: Deps, ctx: Ctx): Promise<{ items: Checkin[] }> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { items: [] };
  const rows = await store.checkinsOfPerson(deps.db, actor.personId, addDays(todayOf(deps), -13));
  return { items: rows.map(presentCheckin) };
}

/** One page of a day's check-ins in a subtree (default: the actor's whole health scope); an audited read. */
export async function listCheckins(deps: Deps, ctx: Ctx, q: z.infer<typeof CheckinListQuery>) {
  const actor = requireActor(ctx.actor);
  const { paths, unitId } = await healthSubtrees(deps, actor, q.unitId);
  const day = q.day ?? todayOf(deps);
  const { rows, total } = await store.listCheckins(deps.db, paths, day, (q.page - 1) * q.pageSize, q.pageSize);
  // Reading health details is recorded: one row per request, saying what was read and how much.
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'checkins.read', entity: 'checkins', entityId: day, unitId, note: { day, page: q.page, count: rows.length } }),
  );
  return {
    items: rows.map((r) => ({ ...presentCheckin(r), personName: r.person_name, employeeNo: r.employee_no, unitName: r.unit_name })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

const zero = (): RollupFigures => ({ headcount: 0, checkedIn: 0, notYet: 0, normal: 0, abnormal: 0, quarantine: 0, trip: 0, onTime: 0 });

function addInto(f: RollupFigures, c: CountVector | null, headcount: number): void {
  f.headcount += headcount;
  if (!c) return;
  f.checkedIn += c.checked_in;
  f.normal += c.normal;
  f.abnormal += c.abnormal;
  f.quarantine += c.quarantine;
  f.trip += c.trip;
  f.onTime += c.on_time;
}

const finish = (f: RollupFigures): RollupFigures => ({ ...f, notYet: Math.max(0, f.headcount - f.checkedIn) });

/**
 * The day's figures for a unit: its own people, each child's subtree and the whole subtree, from
 * the headcounts (kept by triggers on people) and the per-(day, unit) counts (kept by every
 * check-in), summed per child by the database (rollup.store.ts): neither people nor check-ins are
 * counted here, and a whole tree of 5,000 units answers in a few milliseconds.
 */
export async function checkinRollup(deps: Deps, ctx: Ctx, q: z.infer<typeof RollupQuery>): Promise<CheckinRollup> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'health.read');
  const unit = await healthUnit(deps, actor, q.unitId);
  const day = q.day ?? todayOf(deps);
  // Today's first roll-up takes the day's headcount snapshot (docs/health.md); after that, a lookup in memory.
  if (q.day === undefined) await ensureHeadcountSnapshot(deps, day);
  const [ownRow, childRows] = await Promise.all([ownFigures(deps.handle, unit.id, day), childrenWithFigures(deps.handle, unit.id, day)]);
  const figuresOf = (r: FiguresRow | undefined): RollupFigures => {
    const f = zero();
    if (r) addInto(f, r.checked_in === null ? null : (Object.fromEntries(COUNT_COLUMNS.map((k) => [k, Number(r[k])])) as CountVector), Number(r.active ?? 0));
    return f;
  };
  const own = figuresOf(ownRow);
  const total = { ...own };
  // Archived units hold no active people (archiving refuses them) but may hold an old day's counts:
  // they count in the total, and are not listed as children.
  const children = [];
  for (const c of childRows.sort((x, y) => x.sort_order - y.sort_order || x.id - y.id)) {
    const f = figuresOf(c);
    for (const k of Object.keys(total) as (keyof RollupFigures)[]) total[k] += f[k];
    if (c.archived_at === null) children.push({ id: c.id, name: c.name, hasChildren: Boolean(c.has_children), ...finish(f) });
  }
  return {
    day,
    unit: { id: unit.id, name: unit.name, hasChildren: children.length > 0, ...finish(own) },
    children,
    total: finish(total),
  };
}

/** Active people in a subtree with no check-in on the day, with their unit and phone (masked without people.phone). */
export async function listNonReporters(deps: Deps, ctx: Ctx, q: z.infer<typeof NonReporterQuery>) {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'health.read');
  const unit = await healthUnit(deps, actor, q.unitId);
  const day = q.day ?? todayOf(deps);
  const { rows, total } = await store.nonReporters(deps.db, unit.path, day, (q.page - 1) * q.pageSize, q.pageSize);
  return {
    items: rows.map((r) => presentPersonToReach(actor, r)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
