import type { CareBoard, CareCounts, CareFigures, MyCare } from '../../../common/schemas/care.js';
import { transact } from '../../db/transact.js';
import { chainIds, sumByChild } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import type { Permission } from '../../../common/roles.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { findUnit, listChildren } from '../org/units.store.js';
import { careKeyFor } from './care.crypto.js';
import { addCase, contactDaysAt, contactDueAt, zeroCounts } from './care.figures.js';
import { can } from '../../http/actor.js';
import { presentAction, presentCase, presentNeed, presentRequest } from './care.present.js';
import * as store from './care.store.js';

/**
 * The care board (care.read) and the care figures (care.figures): per unit below the chosen one,
 * open cases by kind, needs not met, cases not contacted in time, requests waiting; the board adds
 * the last contact. One pass over the subtree's open cases, summed up the tree in memory.
 * And the person's own view (/me/care).
 */

async function unitFor(deps: Deps, actor: Actor, permission: Permission, unitId: number | undefined) {
  const scope = scopeFor(actor, permission);
  if (scope.length === 0) throw errors.forbidden();
  const id = unitId ?? chainIds(scope[0]!).at(-1)!;
  const unit = await findUnit(deps.db, id);
  if (!unit || !can(actor, permission, unit.path)) throw errors.notFound('unit');
  return unit;
}

interface Row {
  counts: CareCounts;
  lastContactAt: number | null;
}
const zeroRow = (): Row => ({ counts: zeroCounts(), lastContactAt: null });

async function rowsOf(deps: Deps, unit: { id: number; path: string }) {
  const now = deps.clock.now();
  const [cases, requests, children] = await Promise.all([store.openCasesIn(deps.db, [unit.path]), store.openRequestUnits(deps.db, [unit.path]), listChildren(deps.db, unit.id, false)]);
  const days = await contactDaysAt(deps.db, cases.map((c) => c.unit_id), now, { timeZone: deps.config.timeZone });
  const paths = new Map<number, string>();
  for (const c of cases) paths.set(c.unit_id, c.unit_path);
  // Requests carry only their unit: its path comes from a case of that unit, else from the unit itself.
  const missing = [...new Set(requests.map((r) => r.unit_id))].filter((id) => !paths.has(id));
  if (missing.length) for (const u of await deps.db.selectFrom('units').select(['id', 'path']).where('id', 'in', missing).execute()) paths.set(u.id, u.path);
  type Item = { unit_id: number; c?: (typeof cases)[number]; request?: true };
  const items: Item[] = [...cases.map((c) => ({ unit_id: c.unit_id, c })), ...requests.map((r) => ({ unit_id: r.unit_id, request: true as const }))];
  const sums = sumByChild(items, paths, unit.path, zeroRow, (f, it) => {
    if (it.request) {
      f.counts.requestsOpen += 1;
      return;
    }
    const c = it.c!;
    addCase(f.counts, c, now >= contactDueAt(c, days.get(c.unit_id)!));
    if (c.last_contact_at !== null && (f.lastContactAt === null || c.last_contact_at > f.lastContactAt)) f.lastContactAt = c.last_contact_at;
  });
  return { sums, children };
}

/** The board of a unit's subtree (default: the top of the actor's care.read scope). */
export async function careBoard(deps: Deps, ctx: Ctx, q: { unitId?: number }): Promise<CareBoard> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, 'care.read', q.unitId);
  const { sums, children } = await rowsOf(deps, unit);
  const row = (id: number, name: string, r: Row) => ({ unitId: id, unitName: name, counts: r.counts, lastContactAt: r.lastContactAt });
  return {
    unitId: unit.id,
    unitName: unit.name,
    total: row(unit.id, unit.name, sums.total),
    own: row(unit.id, unit.name, sums.own),
    children: children.map((c) => row(c.id, c.name, sums.byChild.get(c.id) ?? zeroRow())),
  };
}

/** Counts only, for the command office and supervisors (care.figures). */
export async function careFigures(deps: Deps, ctx: Ctx, q: { unitId?: number }): Promise<CareFigures> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, 'care.figures', q.unitId);
  const { sums, children } = await rowsOf(deps, unit);
  return {
    unitId: unit.id,
    unitName: unit.name,
    total: sums.total.counts,
    own: sums.own.counts,
    children: children.map((c) => ({ unitId: c.id, unitName: c.name, counts: (sums.byChild.get(c.id) ?? zeroRow()).counts })),
  };
}

const CLOSED_SHOWN_MS = 90 * 24 * 60 * 60 * 1000;

/** The signed-in person's own cases (their counselling notes decrypted) and requests; an audited read. */
export async function myCare(deps: Deps, ctx: Ctx): Promise<MyCare> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { cases: [], requests: [] };
  const personId = actor.personId;
  const now = deps.clock.now();
  const [cases, requests] = await Promise.all([store.casesOfPerson(deps.db, personId, now - CLOSED_SHOWN_MS), store.requestsOfPerson(deps.db, personId, 50)]);
  const ids = cases.map((c) => c.id);
  const [needs, actions, days] = await Promise.all([store.needsOf(deps.db, ids), store.actionsOf(deps.db, ids), contactDaysAt(deps.db, cases.map((c) => c.person_unit_id), now, { timeZone: deps.config.timeZone })]);
  if (cases.length > 0) {
    await transact(deps, ctx, (tx) => recordAudit(tx, deps, ctx, { action: 'care_cases.read_own', entity: 'care_cases', entityId: personId, unitId: cases[0]!.person_unit_id, note: { caseIds: ids } }));
  }
  const key = careKeyFor(deps.config);
  const viewer = { userId: actor.userId, personId };
  return {
    cases: cases.map((c) => {
      const { abilities: _a, employeeNo: _e, ...rest } = presentCase(null, c, days.get(c.person_unit_id)!, now);
      return { ...rest, needs: needs.get(c.id)!.map(presentNeed), actions: actions.get(c.id)!.map((a) => presentAction(a, viewer, personId, key)) };
    }),
    requests: requests.map(presentRequest),
  };
}
