/**
 * The authorization matrix's entries for canteens and dining plans (and, below, contact
 * candidates): spread into `matrix` by test/authz.matrix.ts.
 */
import { dayOf } from '../common/day.js';
import type { UnitRow } from '../server/db/schema.js';
import { insertCanteen, replaceDiners } from '../server/modules/places/canteens.store.js';
import { insertPlan, insertPlanUnits } from '../server/modules/places/dining.store.js';
import { uniq, type MatrixCase, type MatrixEntry, type World } from './authz.matrix.js';
import { buildPerson, buildUnit } from './factories.js';
import type { HttpRequest } from './http.js';

const WINDOWS = { lunch: { from: '11:00', to: '12:00' } };

/** A canteen at a fresh unit under the placed one, whose diner unit is that fresh unit (lunch, 20-minute slots). */
async function canteenAt(w: World, unit: UnitRow) {
  const home = await buildUnit(w.t, { parent: unit, name: uniq('食堂单位') });
  const now = w.t.clock.now();
  const id = await insertCanteen(w.t.deps.db, {
    unit_id: home.id,
    name: uniq('食堂'),
    capacity: 100,
    slot_minutes: 20,
    windows: JSON.stringify(WINDOWS),
    note: null,
    archived_at: null,
    created_by_user_id: null,
    created_at: now,
    updated_at: now,
  });
  await replaceDiners(w.t.deps.db, id, [{ unit_id: home.id, meal: 'lunch', window_from: null, window_to: null }]);
  return { id, unit: home };
}
type CanteenTarget = Awaited<ReturnType<typeof canteenAt>>;

/** A draft plan of a fresh canteen: its diner unit placed at 11:00. */
async function draftAt(w: World, unit: UnitRow) {
  const c = await canteenAt(w, unit);
  const now = w.t.clock.now();
  const planId = await insertPlan(w.t.deps.db, {
    canteen_id: c.id,
    day: dayOf(now, w.t.deps.config.timeZone),
    status: 'draft',
    from_day: null,
    until_day: null,
    density: 50,
    capacity: 100,
    seats_per_slot: 50,
    slot_minutes: 20,
    windows: JSON.stringify(WINDOWS),
    note: null,
    created_by_user_id: null,
    created_at: now,
    published_by_user_id: null,
    published_at: null,
    updated_at: now,
  });
  await insertPlanUnits(w.t.deps.db, [{ plan_id: planId, meal: 'lunch', unit_id: c.unit.id, headcount: 0, window_from: 660, window_to: 720, slot_start: 660, slot_end: 680, reason: null, forced_reason: null }]);
  return { ...c, planId };
}
type DraftTarget = Awaited<ReturnType<typeof draftAt>>;

const itemIds = (json: unknown) => ((json as { items?: { id?: number }[] } | null)?.items ?? []).map((i) => i.id);

const read = <T>(name: string, build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'places.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build,
  request: (x) => request(x as T),
});

const write = <T>(name: string, need: 'places.write' | 'dining.plan', build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T) => HttpRequest, ok = 200): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'places.read', need, hidden: 404 }],
  mutates: true,
  ok,
  build,
  request: (x) => request(x as T),
});

export const diningMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/canteens': {
    permission: 'places.read',
    cases: [
      {
        name: 'a canteen under the placed unit is listed only inside the places.read scope',
        gate: 'places.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'places.read',
        build: canteenAt,
        request: () => ({ method: 'GET', url: '/api/v1/canteens' }),
        found: (json, c: CanteenTarget) => itemIds(json).includes(c.id),
      },
      {
        name: 'unitId names the placed unit',
        gate: 'places.read',
        checks: [{ at: 'target', read: 'places.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/canteens', query: { unitId: String(unit.id) } }),
      },
    ],
  },
  'POST /api/v1/canteens': {
    permission: 'places.write',
    cases: [
      {
        name: 'add a canteen at the placed unit',
        checks: [{ at: 'target', read: 'places.read', need: 'places.write', hidden: { field: 'unitId' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/canteens', body: { unitId: unit.id, name: uniq('食堂'), capacity: 80, slotMinutes: 30, windows: WINDOWS } }),
      },
    ],
  },
  'GET /api/v1/canteens/:id': { permission: 'places.read', cases: [read('a canteen under the placed unit', canteenAt, (c) => ({ method: 'GET', url: `/api/v1/canteens/${c.id}` }))] },
  'PATCH /api/v1/canteens/:id': {
    permission: 'places.write',
    cases: [write('change a canteen’s capacity', 'places.write', canteenAt, (c) => ({ method: 'PATCH', url: `/api/v1/canteens/${c.id}`, body: { capacity: 120 } }))],
  },
  'DELETE /api/v1/canteens/:id': {
    permission: 'places.write',
    cases: [write('archive a canteen', 'places.write', canteenAt, (c) => ({ method: 'DELETE', url: `/api/v1/canteens/${c.id}` }))],
  },
  'GET /api/v1/canteens/:id/plans': { permission: 'places.read', cases: [read('a canteen’s plans', draftAt, (p) => ({ method: 'GET', url: `/api/v1/canteens/${p.id}/plans` }))] },
  'POST /api/v1/canteens/:id/plans': {
    permission: 'dining.plan',
    cases: [write('run the planner for a canteen', 'dining.plan', canteenAt, (c) => ({ method: 'POST', url: `/api/v1/canteens/${c.id}/plans`, body: {} }), 201)],
  },
  'GET /api/v1/canteens/:id/plans/:planId': {
    permission: 'places.read',
    cases: [read('one plan', draftAt, (p) => ({ method: 'GET', url: `/api/v1/canteens/${p.id}/plans/${p.planId}` }))],
  },
  'POST /api/v1/canteens/:id/plans/:planId/moves': {
    permission: 'dining.plan',
    cases: [
      write('move a unit to another slot', 'dining.plan', draftAt, (p: DraftTarget) => ({
        method: 'POST',
        url: `/api/v1/canteens/${p.id}/plans/${p.planId}/moves`,
        body: { unitId: p.unit.id, meal: 'lunch', slotStart: '11:20' },
      })),
    ],
  },
  'POST /api/v1/canteens/:id/plans/:planId/publish': {
    permission: 'dining.plan',
    cases: [write('publish a draft', 'dining.plan', draftAt, (p) => ({ method: 'POST', url: `/api/v1/canteens/${p.id}/plans/${p.planId}/publish`, body: {} }))],
  },
  'DELETE /api/v1/canteens/:id/plans/:planId': {
    permission: 'dining.plan',
    cases: [write('discard a draft', 'dining.plan', draftAt, (p) => ({ method: 'DELETE', url: `/api/v1/canteens/${p.id}/plans/${p.planId}` }))],
  },
};

/** A person and a unit-mate of theirs in a fresh unit under the placed one. */
async function caseAt(w: World, unit: UnitRow) {
  const home = await buildUnit(w.t, { parent: unit, name: uniq('班组') });
  const person = await buildPerson(w.t, home, { name: uniq('病例'), employeeNo: uniq('E') });
  const mate = await buildPerson(w.t, home, { name: uniq('同事'), employeeNo: uniq('E') });
  return { person, mate };
}
type CaseTarget = Awaited<ReturnType<typeof caseAt>>;

export const contactsMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/people/:id/contact-candidates': {
    permission: 'health.read',
    cases: [
      {
        name: 'the contact candidates of a person under the placed unit',
        checks: [{ at: 'target', read: 'health.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: caseAt,
        request: (x: CaseTarget) => ({ method: 'GET', url: `/api/v1/people/${x.person.id}/contact-candidates` }),
      },
    ],
  },
  'POST /api/v1/people/:id/contact-candidates/actions': {
    permission: 'health.read',
    cases: [
      {
        name: 'notify the unit of a candidate of a person under the placed unit',
        checks: [{ at: 'target', read: 'health.read', hidden: 404 }],
        mutates: true,
        ok: 200,
        build: caseAt,
        request: (x: CaseTarget) => ({ method: 'POST', url: `/api/v1/people/${x.person.id}/contact-candidates/actions`, body: { personIds: [x.mate.id], action: 'notify_units' } }),
      },
    ],
  },
};

/** Routes of this file acting only on the caller's own account. */
export const diningUnscoped: Record<string, string> = {
  'GET /api/v1/me/dining': "the caller's own dining slots (of the person the account is linked to; the nearest diner unit up their own unit's chain)",
};
