/**
 * The authorization matrix of care cases (server/modules/care): cases, needs, actions, suggestions,
 * requests, the board and the figures. Care contents are the most sensitive data: only care.read
 * (care officers) reads them; the command office, supervisors and the admin hold care.figures
 * (counts) and get 404 for a case and 403 for a list. Spread into `matrix` by test/authz.matrix.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Permission } from '../common/roles.js';
import type { UnitRow } from '../server/db/schema.js';
import { insertCase, insertNeed, insertRequest } from '../server/modules/care/care.store.js';
import type { MatrixCase, MatrixEntry, World } from './authz.matrix.js';
import { buildPerson } from './factories.js';
import type { HttpRequest } from './http.js';

let n = 0;
const mark = (prefix: string) => `${prefix}${(++n).toString(36)}${randomBytes(2).toString('hex')}`;

/** A person of the unit with an open care case (home quarantine) with one open need, and an open request. */
async function caseAt(w: World, unit: UnitRow) {
  const { db } = w.t.deps;
  const now = w.t.clock.now();
  const person = await buildPerson(w.t, unit, { name: mark('关爱'), employeeNo: mark('E'), tags: ['overseas'] });
  const id = await insertCase(db, {
    person_id: person.id,
    unit_id: unit.id,
    kind: 'home_quarantine',
    status: 'open',
    source: 'hand',
    source_key: null,
    starts_on: '2026-11-24',
    expected_end: null,
    care_officer_user_id: null,
    time_zone: null,
    note: null,
    outcome: null,
    outcome_note: null,
    opened_by_user_id: null,
    opened_at: now,
    closed_by_user_id: null,
    closed_at: null,
    last_contact_at: null,
    updated_at: now,
  });
  const needId = await insertNeed(db, { case_id: id, kind: 'supplies', state: 'open', note: null, request_id: null, created_at: now, updated_at: now, updated_by_user_id: null });
  const requestId = await insertRequest(db, { person_id: person.id, unit_id: unit.id, need_kind: 'financial', note: null, status: 'open', case_id: null, answer: null, created_at: now, handled_at: null, handled_by_user_id: null });
  return { id, unit, person, needId, requestId };
}
type CaseTarget = Awaited<ReturnType<typeof caseAt>>;

const ids = (json: unknown, key = 'id') => ((json as { items?: Record<string, unknown>[] } | null)?.items ?? []).map((i) => i[key]);

const read = (name: string, request: (x: CaseTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'care.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => caseAt(w, unit),
  request: (x) => request(x as CaseTarget),
});

const write = (name: string, request: (x: CaseTarget) => HttpRequest, ok = 200, need: Permission = 'care.write'): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'care.read', need, hidden: 404 }],
  mutates: true,
  tables: ['care_cases', 'care_needs', 'care_requests'],
  ok,
  build: (w, unit) => caseAt(w, unit),
  request: (x) => request(x as CaseTarget),
});

/** A list over a subtree: the whole scope finds the placed target only inside it; unitId names the placed unit. */
const subtreeList = (url: string, name: string, permission: Permission, found: (json: unknown, x: CaseTarget) => boolean, query: (x: CaseTarget) => Record<string, string> = () => ({})): MatrixCase[] => [
  {
    name,
    gate: permission,
    checks: [],
    mutates: false,
    ok: 200,
    lists: permission,
    build: (w, unit) => caseAt(w, unit),
    request: (x) => ({ method: 'GET', url, query: query(x as CaseTarget) }),
    found: (json, x) => found(json, x as CaseTarget),
  },
  {
    name: 'unitId names the placed unit',
    gate: permission,
    checks: [{ at: 'target', read: permission, hidden: 404 }],
    mutates: false,
    ok: 200,
    build: async (_w, unit) => ({ unit }),
    request: (x) => ({ method: 'GET', url, query: { unitId: String((x as { unit: UnitRow }).unit.id) } }),
  },
];

const unitNamed = (url: string, permission: Permission): MatrixCase[] => [
  {
    name: 'unitId names the placed unit',
    gate: permission,
    checks: [{ at: 'target', read: permission, hidden: 404 }],
    mutates: false,
    ok: 200,
    build: async (_w, unit) => ({ unit }),
    request: (x) => ({ method: 'GET', url, query: { unitId: String((x as { unit: UnitRow }).unit.id) } }),
  },
];

export const careMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/care/cases': {
    permission: 'care.read',
    cases: subtreeList('/api/v1/care/cases', 'a case of a person of the placed unit is listed only inside the care.read scope', 'care.read', (json, c) => ids(json).includes(c.id), (c) => ({ q: c.person.name })),
  },
  'POST /api/v1/care/cases': {
    permission: 'care.write',
    cases: [
      {
        name: 'open a case for a person of the placed unit',
        checks: [{ at: 'target', read: 'care.read', need: 'care.write', hidden: { field: 'personId' } }],
        mutates: true,
        tables: ['care_cases', 'care_needs', 'care_requests'],
        ok: 201,
        build: (w, unit) => caseAt(w, unit),
        request: (c: CaseTarget) => ({ method: 'POST', url: '/api/v1/care/cases', body: { personId: c.person.id, kind: 'front_line', needs: ['supplies'] } }),
      },
    ],
  },
  'GET /api/v1/care/cases/:id': { permission: 'care.read', cases: [read('the case of a person of the placed unit', (c) => ({ method: 'GET', url: `/api/v1/care/cases/${c.id}` }))] },
  'PATCH /api/v1/care/cases/:id': { permission: 'care.write', cases: [write('change the expected end of the case', (c) => ({ method: 'PATCH', url: `/api/v1/care/cases/${c.id}`, body: { expectedEnd: '2026-12-31' } }))] },
  'POST /api/v1/care/cases/:id/close': { permission: 'care.write', cases: [write('close the case', (c) => ({ method: 'POST', url: `/api/v1/care/cases/${c.id}/close`, body: { outcome: 'resolved' } }))] },
  'GET /api/v1/care/cases/:id/officers': {
    permission: 'care.write',
    cases: [
      {
        name: 'who may care for the person of the placed unit',
        checks: [{ at: 'target', read: 'care.read', need: 'care.write', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => caseAt(w, unit),
        request: (c: CaseTarget) => ({ method: 'GET', url: `/api/v1/care/cases/${c.id}/officers` }),
      },
    ],
  },
  'POST /api/v1/care/cases/:id/needs': { permission: 'care.write', cases: [write('add a need to the case', (c) => ({ method: 'POST', url: `/api/v1/care/cases/${c.id}/needs`, body: { kind: 'medical' } }))] },
  'PATCH /api/v1/care/cases/:id/needs/:needId': { permission: 'care.write', cases: [write('meet the need of the case', (c) => ({ method: 'PATCH', url: `/api/v1/care/cases/${c.id}/needs/${c.needId}`, body: { state: 'met' } }))] },
  'POST /api/v1/care/cases/:id/actions': { permission: 'care.write', cases: [write('record a call on the case', (c) => ({ method: 'POST', url: `/api/v1/care/cases/${c.id}/actions`, body: { kind: 'call', note: '电话慰问' } }), 201)] },
  'GET /api/v1/care/suggestions': {
    permission: 'care.write',
    cases: [
      {
        name: 'an overseas person of the placed unit is suggested only inside the care.write scope',
        gate: 'care.write',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'care.write',
        build: (w, unit) => caseAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/care/suggestions' }),
        found: (json, c: CaseTarget) => ids(json, 'personId').includes(c.person.id),
      },
      ...unitNamed('/api/v1/care/suggestions', 'care.write'),
    ],
  },
  'POST /api/v1/care/suggestions/open': {
    permission: 'care.write',
    cases: [write('open the suggested overseas case of a person of the placed unit', (c) => ({ method: 'POST', url: '/api/v1/care/suggestions/open', body: { key: `tag:${c.person.id}:overseas`, timeZone: 'Europe/Berlin' } }), 201)],
  },
  'POST /api/v1/care/suggestions/dismiss': {
    permission: 'care.write',
    cases: [write('dismiss the suggested overseas case of a person of the placed unit', (c) => ({ method: 'POST', url: '/api/v1/care/suggestions/dismiss', body: { key: `tag:${c.person.id}:overseas` } }))],
  },
  'GET /api/v1/care/requests': {
    permission: 'care.read',
    cases: subtreeList('/api/v1/care/requests', 'a request of a person of the placed unit is listed only inside the care.read scope', 'care.read', (json, c) => ids(json).includes(c.requestId), (c) => ({ q: c.person.name })),
  },
  'POST /api/v1/care/requests/:id/open-case': {
    permission: 'care.write',
    cases: [write('turn the request into a new case', (c) => ({ method: 'POST', url: `/api/v1/care/requests/${c.requestId}/open-case`, body: { kind: 'family_illness' } }), 201)],
  },
  'POST /api/v1/care/requests/:id/add-to-case': {
    permission: 'care.write',
    cases: [write('turn the request into a need on the open case', (c) => ({ method: 'POST', url: `/api/v1/care/requests/${c.requestId}/add-to-case`, body: { caseId: c.id } }))],
  },
  'POST /api/v1/care/requests/:id/decline': {
    permission: 'care.write',
    cases: [write('answer the request without a case', (c) => ({ method: 'POST', url: `/api/v1/care/requests/${c.requestId}/decline`, body: { answer: '已转社区' } }))],
  },
  'GET /api/v1/care/board': { permission: 'care.read', cases: unitNamed('/api/v1/care/board', 'care.read') },
  'GET /api/v1/care/figures': { permission: 'care.figures', cases: unitNamed('/api/v1/care/figures', 'care.figures') },
};

/** Routes of this file acting only on the caller's own person. */
export const careUnscoped: Record<string, string> = {
  'GET /api/v1/me/care': "the caller's own care cases and requests (of the person the account is linked to; server/modules/care/care.test.ts)",
  'POST /api/v1/me/care-requests': "asks for help for the caller's own person (server/modules/care/care.test.ts)",
};
