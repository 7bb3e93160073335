/**
 * The authorization matrix of emergency plans (server/modules/plans): plans and their versions,
 * selection, coverage, drills and the drill record, an incident's plan runs and reviews. Spread into
 * `matrix` by test/authz.matrix.ts; the types come from there (type-only: no cycle at load time).
 */
import { randomBytes } from 'node:crypto';
import type { Permission } from '../common/roles.js';
import type { UnitRow } from '../server/db/schema.js';
import type { Ctx } from '../server/http/actor.js';
import { startDrill } from '../server/modules/plans/plans.drills.js';
import { writeReview } from '../server/modules/plans/plans.reviews.js';
import { createPlan } from '../server/modules/plans/plans.service.js';
import type { MatrixCase, MatrixEntry, World } from './authz.matrix.js';
import { buildUnit } from './factories.js';
import { insertGrant, insertUser } from '../server/modules/org/users.store.js';
import type { HttpRequest } from './http.js';

let n = 0;
const mark = (prefix: string) => `${prefix}${(++n).toString(36)}${randomBytes(2).toString('hex')}`;

/** A command office account over the unit, as a service context (the matrix's own actors sign in over HTTP). */
async function commandAt(w: World, unit: UnitRow): Promise<Ctx> {
  const user = await insertUser(w.t.deps.db, { username: mark('cmd'), passwordHash: w.passwordHash, personId: null, unitId: unit.id, displayName: null, now: w.t.clock.now() });
  await insertGrant(w.t.deps.db, { userId: user.id, role: 'command', unitId: unit.id, now: w.t.clock.now(), createdBy: null });
  return { actor: { userId: user.id, username: user.username, displayName: null, personId: null, grants: [{ role: 'command', unitId: unit.id, unitName: unit.name, path: unit.path }], via: 'session', sessionId: null }, ip: null };
}

const steps = [{ key: 'a', title: '封控消杀', role: 'unit_head' as const, deadlineMinutes: 120 }];

/**
 * A plan of a fresh unit just below the placed one (inside the actor's subtree exactly when the
 * placed unit is): a unit holds one plan per kind and severity, and the matrix builds many targets
 * at each placed unit.
 */
async function planAt(w: World, placed: UnitRow, requiredUnitKinds: ('department' | 'site')[] = []) {
  const unit = await buildUnit(w.t, { parent: placed, name: mark('单位') });
  const kind = 'positive_test' as const;
  const p = await createPlan(w.t.deps, await commandAt(w, unit), {
    unitId: unit.id,
    kind,
    title: mark('预案'),
    severities: ['general', 'serious', 'major', 'critical'],
    steps: steps.map((s) => ({ ...s, levelsUp: 0, evidence: ['report' as const], dependsOn: [] })),
    requiredUnitKinds,
  });
  return { id: p.id, unit, placed, kind, title: p.title };
}
type PlanTarget = Awaited<ReturnType<typeof planAt>>;

/** A drill of a plan of the placed unit: the incident (drill = 1) and its run. */
async function drillAt(w: World, unit: UnitRow) {
  const p = await planAt(w, unit);
  const d = await startDrill(w.t.deps, await commandAt(w, p.unit), p.id, { unitId: p.unit.id, severity: 'general' });
  return { ...p, incidentId: d.incidentId };
}
type DrillTarget = Awaited<ReturnType<typeof drillAt>>;

async function reviewAt(w: World, unit: UnitRow) {
  const d = await drillAt(w, unit);
  const r = await writeReview(w.t.deps, await commandAt(w, d.unit), d.incidentId, { wentWell: '到位及时', late: '', changes: [] });
  return { ...d, reviewId: r.id };
}
type ReviewTarget = Awaited<ReturnType<typeof reviewAt>>;

const ids = (json: unknown, key = 'id') => ((json as { items?: Record<string, unknown>[] } | null)?.items ?? []).map((i) => i[key]);

const read = <T>(name: string, build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T) => HttpRequest, permission: Permission = 'plans.read'): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: permission, hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => build(w, unit),
  request: (x) => request(x as T),
});

const write = <T>(name: string, build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T) => HttpRequest, read: Permission = 'plans.read', ok = 200): MatrixCase => ({
  name,
  checks: [{ at: 'target', read, need: 'plans.write', hidden: 404 }],
  mutates: true,
  tables: ['audit_log'],
  ok,
  build: (w, unit) => build(w, unit),
  request: (x) => request(x as T),
});

/** A list over a subtree: the whole scope finds the placed target only inside it; unitId names the placed unit. */
const subtreeList = <T extends { unit: UnitRow }>(url: string, name: string, build: (w: World, unit: UnitRow) => Promise<T>, found: (json: unknown, x: T) => boolean, query: (x: T) => Record<string, string> = () => ({}), paged = true): MatrixCase[] => [
  {
    name,
    gate: 'plans.read',
    checks: [],
    mutates: false,
    ok: 200,
    lists: 'plans.read',
    build: (w, unit) => build(w, unit),
    request: (x) => ({ method: 'GET', url, query: { ...query(x as T), ...(paged ? { pageSize: '200' } : {}) } }),
    found: (json, x) => found(json, x as T),
  },
  {
    name: 'unitId names the placed unit',
    gate: 'plans.read',
    checks: [{ at: 'target', read: 'plans.read', hidden: 404 }],
    mutates: false,
    ok: 200,
    build: async (_w, unit) => ({ unit }),
    request: (x) => ({ method: 'GET', url, query: { unitId: String((x as { unit: UnitRow }).unit.id) } }),
  },
];

/** A plan (at a fresh unit below the placed one) requiring 'site' units, with one site below it lacking a plan. */
async function gapAt(w: World, unit: UnitRow) {
  const p = await planAt(w, unit, ['site']);
  const site = await buildUnit(w.t, { parent: p.unit, name: mark('场站'), kind: 'site' });
  return { ...p, siteId: site.id };
}

export const plansMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/plans': {
    permission: 'plans.read',
    cases: subtreeList('/api/v1/plans', 'a plan of the placed unit is listed only inside the plans.read scope', (w, unit) => planAt(w, unit), (json, p) => ids(json).includes(p.id), (p) => ({ kind: p.kind })),
  },
  'POST /api/v1/plans': {
    permission: 'plans.write',
    cases: [
      {
        name: 'create a plan at the placed unit',
        checks: [{ at: 'target', read: 'plans.read', need: 'plans.write', hidden: { field: 'unitId' } }],
        mutates: true,
        tables: ['audit_log'],
        ok: 201,
        // A fresh unit below the placed one: a unit holds one plan per kind and severity.
        build: async (w, unit) => buildUnit(w.t, { parent: unit, name: mark('单位') }),
        request: (unit: UnitRow) => ({
          method: 'POST',
          url: '/api/v1/plans',
          body: { unitId: unit.id, kind: 'other', title: mark('预案'), severities: ['general'], steps: [{ key: 'a', title: '处置', role: 'unit_head', deadlineMinutes: 60 }] },
        }),
      },
    ],
  },
  'GET /api/v1/plans/select': {
    permission: 'plans.read',
    cases: [read('which plan would start at the placed unit', (w, unit) => planAt(w, unit), (p: PlanTarget) => ({ method: 'GET', url: '/api/v1/plans/select', query: { unitId: String(p.unit.id), kind: p.kind, severity: 'general' } }))],
  },
  'GET /api/v1/plans/coverage': {
    permission: 'plans.read',
    cases: subtreeList('/api/v1/plans/coverage', 'a site without its own plan below the placed unit is a gap only inside the plans.read scope', gapAt, (json, g) => ids(json, 'unitId').includes(g.siteId), () => ({}), false),
  },
  'GET /api/v1/plans/drills': {
    permission: 'plans.read',
    cases: subtreeList('/api/v1/plans/drills', 'a drill at the placed unit is on the record only inside the plans.read scope', drillAt, (json, d) => ids(json, 'incidentId').includes(d.incidentId), (d) => ({ planId: String(d.id) })),
  },
  'GET /api/v1/plans/:id': { permission: 'plans.read', cases: [read('the plan of the placed unit', (w, unit) => planAt(w, unit), (p: PlanTarget) => ({ method: 'GET', url: `/api/v1/plans/${p.id}` }))] },
  'PUT /api/v1/plans/:id': {
    permission: 'plans.write',
    cases: [
      write(
        'edit the plan of the placed unit (a new version)',
        (w, unit) => planAt(w, unit),
        (p: PlanTarget) => ({ method: 'PUT', url: `/api/v1/plans/${p.id}`, body: { title: mark('修订'), severities: ['general', 'serious', 'major', 'critical'], steps: [{ key: 'a', title: '封控', role: 'unit_head', deadlineMinutes: 90 }] } }),
      ),
    ],
  },
  'GET /api/v1/plans/:id/versions/:version': {
    permission: 'plans.read',
    cases: [read('version 1 of the plan of the placed unit', (w, unit) => planAt(w, unit), (p: PlanTarget) => ({ method: 'GET', url: `/api/v1/plans/${p.id}/versions/1` }))],
  },
  'POST /api/v1/plans/:id/archive': { permission: 'plans.write', cases: [write('archive the plan of the placed unit', (w, unit) => planAt(w, unit), (p: PlanTarget) => ({ method: 'POST', url: `/api/v1/plans/${p.id}/archive` }))] },
  'POST /api/v1/plans/:id/drill': {
    permission: 'plans.write',
    cases: [write('run the plan of the placed unit as a drill there', (w, unit) => planAt(w, unit), (p: PlanTarget) => ({ method: 'POST', url: `/api/v1/plans/${p.id}/drill`, body: { unitId: p.unit.id, severity: 'general' } }), 'plans.read', 201)],
  },
  'GET /api/v1/incidents/:id/plan-runs': {
    permission: 'incidents.read',
    cases: [read('the plan runs of a drill at the placed unit', drillAt, (d: DrillTarget) => ({ method: 'GET', url: `/api/v1/incidents/${d.incidentId}/plan-runs` }), 'incidents.read')],
  },
  'GET /api/v1/incidents/:id/reviews': {
    permission: 'incidents.read',
    cases: [read('the reviews of a drill at the placed unit', reviewAt, (r: ReviewTarget) => ({ method: 'GET', url: `/api/v1/incidents/${r.incidentId}/reviews` }), 'incidents.read')],
  },
  'POST /api/v1/incidents/:id/reviews': {
    permission: 'plans.write',
    cases: [write('review a drill at the placed unit', drillAt, (d: DrillTarget) => ({ method: 'POST', url: `/api/v1/incidents/${d.incidentId}/reviews`, body: { wentWell: '响应迅速', changes: [{ stepKey: 'a', text: '时限缩短' }] } }), 'incidents.read', 201)],
  },
  'POST /api/v1/plan-reviews/:id/open-changes': {
    permission: 'plans.write',
    cases: [write('open changes from a review of a drill at the placed unit', reviewAt, (r: ReviewTarget) => ({ method: 'POST', url: `/api/v1/plan-reviews/${r.reviewId}/open-changes` }))],
  },
};
