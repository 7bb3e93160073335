import { dayOf } from '../../../common/day.js';
import type { CareCaseDetail, CareKind, CareSignal, CareSuggestion, CareSuggestionList, CareSuggestionOpen } from '../../../common/schemas/care.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { openWatchSignals, quarantineCheckinSignals, tripSignals, type CareSignalRow } from '../health/care-signals.js';
import { requireActor } from '../org/org.policy.js';
import { peopleTaggedIn } from '../org/people.tags.js';
import { visibleUnit } from '../org/units.service.js';
import { canWriteCare } from './care.policy.js';
import { carablePerson, caseDetail, checkOfficer, insertCaseTx } from './care.service.js';
import * as store from './care.store.js';

/**
 * Suggested care cases, computed live from what the system already knows, for the care officers in
 * scope (care.write): an open health watch, today's check-in "in quarantine", a trip under way, the
 * 'overseas' and 'front_line' person tags. Minus people who already have an open case of the kind
 * proposed, and minus suggestions dismissed (by key: a new watch or trip is a new key, so it is
 * suggested again; a check-in's key is its day).
 *
 * Keys: `watch:<personId>:<watchId>`, `checkin:<personId>:<day>`, `trip:<personId>:<tripId>`,
 * `tag:<personId>:overseas`, `tag:<personId>:front_line`.
 */


/** The kind of case a signal proposes: a positive test means centralised quarantine; a watch or a quarantine check-in, home quarantine. */
function kindOf(signal: CareSignal, reason: string | null): CareKind {
  switch (signal) {
    case 'health_watch':
      return reason === 'test_positive' ? 'centralised_quarantine' : 'home_quarantine';
    case 'quarantine_checkin':
      return 'home_quarantine';
    case 'overseas_tag':
      return 'overseas_post';
    case 'front_line_tag':
      return 'front_line';
    default:
      return 'other';
  }
}

const MAX_SUGGESTIONS = 500;

/** Every suggestion for the subtrees, dismissed and already-open ones left out; one per (person, kind), strongest signal first. */
export async function suggestionsIn(deps: Deps, paths: readonly string[]): Promise<CareSuggestion[]> {
  const day = dayOf(deps.clock.now(), deps.config.timeZone);
  const [watches, checkins, trips, tags] = await Promise.all([
    openWatchSignals(deps.db, paths),
    quarantineCheckinSignals(deps.db, paths, day),
    tripSignals(deps.db, paths, day),
    peopleTaggedIn(deps.db, paths, ['overseas', 'front_line']),
  ]);
  const all: CareSuggestion[] = [];
  const add = (prefix: string, signal: CareSignal, r: CareSignalRow | (Omit<CareSignalRow, 'source' | 'since' | 'reason'> & { source: string; since: null; reason: null })) =>
    all.push({ key: `${prefix}:${r.person_id}:${r.source}`, signal, personId: r.person_id, personName: r.person_name, employeeNo: r.employee_no, unitId: r.unit_id, unitName: r.unit_name, kind: kindOf(signal, r.reason), since: r.since });
  for (const r of watches) add('watch', 'health_watch', r);
  for (const r of checkins) add('checkin', 'quarantine_checkin', r);
  for (const r of trips) add('trip', 'trip', r);
  for (const r of tags) add('tag', r.tag === 'overseas' ? 'overseas_tag' : 'front_line_tag', { ...r, source: r.tag, since: null, reason: null });
  const people = [...new Set(all.map((s) => s.personId))];
  const [open, dismissed] = await Promise.all([store.openKindsOf(deps.db, people), store.dismissedKeys(deps.db, people)]);
  const seen = new Set<string>();
  const out: CareSuggestion[] = [];
  for (const s of all) {
    const pk = `${s.personId}:${s.kind}`;
    if (open.has(pk) || dismissed.has(s.key) || seen.has(pk)) continue;
    seen.add(pk);
    out.push(s);
  }
  return out;
}

async function writePaths(deps: Deps, actor: Actor, unitId: number | undefined): Promise<string[]> {
  const scope = scopeFor(actor, 'care.write');
  if (scope.length === 0) throw errors.forbidden();
  if (unitId === undefined) return scope;
  const unit = await visibleUnit(deps, actor, unitId);
  if (!canWriteCare(actor, unit.path)) throw errors.notFound('unit');
  return [unit.path];
}

/** The suggestions the actor may act on (care.write), at most 500, oldest signal first. */
export async function listSuggestions(deps: Deps, ctx: Ctx, q: { unitId?: number }): Promise<CareSuggestionList> {
  const actor = requireActor(ctx.actor);
  const all = await suggestionsIn(deps, await writePaths(deps, actor, q.unitId));
  return { items: all.slice(0, MAX_SUGGESTIONS), total: all.length };
}

/** The suggestion under this key, if it is (still) one the actor may act on; else 404. */
async function suggestionOf(deps: Deps, actor: Actor, key: string): Promise<CareSuggestion> {
  const personId = Number(key.split(':')[1]);
  const person = await carablePerson(deps.db, actor, personId, 'key').catch(() => {
    throw errors.notFound('suggestion');
  });
  const s = (await suggestionsIn(deps, [person.unit_path])).find((x) => x.key === key);
  if (!s) throw errors.notFound('suggestion');
  return s;
}

/** Open the suggested case (source suggestion), the actor its care officer unless another is named. */
export async function openSuggestion(deps: Deps, ctx: Ctx, input: CareSuggestionOpen): Promise<CareCaseDetail> {
  const actor = requireActor(ctx.actor);
  const s = await suggestionOf(deps, actor, input.key);
  const person = await carablePerson(deps.db, actor, s.personId, 'key');
  const officer = input.careOfficerUserId ?? actor.userId;
  await checkOfficer(deps.db, officer, person.unit_path);
  return transact(deps, ctx, async (tx) => {
    const kind = input.kind ?? s.kind;
    const open = await store.openCaseOf(tx, person.id, kind);
    if (open) throw errors.conflict(`The person already has an open care case of this kind (${open.id})`, { kind: 'already open' });
    const { id } = await insertCaseTx(tx, deps, ctx, {
      personId: person.id,
      unitId: person.unit_id,
      kind,
      source: 'suggestion',
      sourceKey: s.key,
      startsOn: s.since ?? dayOf(deps.clock.now(), deps.config.timeZone),
      careOfficerUserId: officer,
      timeZone: input.timeZone ?? null,
      byUserId: actor.userId,
    });
    return caseDetail(tx, deps, actor, id, { userId: null, personId: null });
  });
}

/** Stop suggesting this one (for every care officer). */
export async function dismissSuggestion(deps: Deps, ctx: Ctx, input: { key: string }): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const s = await suggestionOf(deps, actor, input.key);
  await transact(deps, ctx, async (tx) => {
    await store.insertDismissal(tx, { key: s.key, person_id: s.personId, user_id: actor.userId, at: deps.clock.now() });
    await recordAudit(tx, deps, ctx, { action: 'care_suggestion.dismissed', entity: 'care_suggestion', entityId: s.key, unitId: s.unitId, after: { signal: s.signal, kind: s.kind } });
  });
  return { ok: true };
}
