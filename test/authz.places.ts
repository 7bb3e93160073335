/**
 * The authorization matrix of key places (server/modules/places): places, checklists, inspections,
 * findings, blind spots and the phone's list. Spread into `matrix` by test/authz.matrix.ts; the
 * types come from there (type-only: no cycle at load time).
 */
import { randomBytes } from 'node:crypto';
import type { Permission } from '../common/roles.js';
import type { UnitRow } from '../server/db/schema.js';
import { recordInspection } from '../server/modules/places/inspections.service.js';
import { dueAtOf } from '../server/modules/places/places.service.js';
import { insertItems, insertPlace } from '../server/modules/places/places.store.js';
import type { MatrixCase, MatrixEntry, World } from './authz.matrix.js';
import { buildPerson } from './factories.js';
import type { HttpRequest } from './http.js';

let n = 0;
const mark = (prefix: string) => `${prefix}${(++n).toString(36)}${randomBytes(2).toString('hex')}`;

/** A key place at the unit with a two-item checklist; without a responsible person (always a blind spot). */
async function placeAt(w: World, unit: UnitRow, overdue = false) {
  const { db } = w.t.deps;
  const now = w.t.clock.now();
  const name = mark('场所');
  const id = await insertPlace(db, {
    unit_id: unit.id,
    name,
    kind: 'depot',
    address: null,
    risk: 'high',
    responsible_person_id: null,
    frequency_days: 7,
    last_inspected_at: null,
    // Far overdue: first among the blind spots, whatever else the matrix has made by then.
    due_at: overdue ? 0 : dueAtOf(now, 7, w.t.deps.config.timeZone),
    created_by_user_id: null,
    created_at: now,
    updated_at: now,
    archived_at: null,
  });
  await insertItems(db, [
    { place_id: id, position: 1, text: '通风', retired_at: null, created_at: now, updated_at: now },
    { place_id: id, position: 2, text: '消毒记录', retired_at: null, created_at: now, updated_at: now },
  ]);
  const items = await db.selectFrom('place_checklist_items').select('id').where('place_id', '=', id).orderBy('position').execute();
  return { id, unit, name, itemIds: items.map((i) => i.id) };
}
type PlaceTarget = Awaited<ReturnType<typeof placeAt>>;

/** A place at the unit inspected by the command office there, its first item failed: one inspection, one open finding. */
async function findingAt(w: World, unit: UnitRow) {
  const p = await placeAt(w, unit);
  const keeper = await buildPerson(w.t, unit, { name: mark('负责人'), employeeNo: mark('E') });
  await w.t.deps.db.updateTable('places').set({ responsible_person_id: keeper.id }).where('id', '=', p.id).execute();
  const actor = { userId: 0, username: 'matrix', displayName: null, personId: null, grants: [{ role: 'command' as const, unitId: unit.id, unitName: unit.name, path: unit.path }], via: 'session' as const, sessionId: null };
  const insp = await recordInspection(w.t.deps, { actor, ip: null }, p.id, {
    items: [
      { itemId: p.itemIds[0]!, result: 'failed', note: '未通风', photoIds: [] },
      { itemId: p.itemIds[1]!, result: 'passed', photoIds: [] },
    ],
    photoIds: [],
  });
  return { ...p, inspectionId: insp.id, findingId: insp.openedFindingIds[0]! };
}
type FindingTarget = Awaited<ReturnType<typeof findingAt>>;

const ids = (json: unknown, key = 'id') => ((json as { items?: Record<string, unknown>[] } | null)?.items ?? []).map((i) => i[key]);

const read = <T>(name: string, build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'places.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => build(w, unit),
  request: (x) => request(x as T),
});

const write = (name: string, request: (x: PlaceTarget) => HttpRequest, need: Permission = 'places.write', ok = 200): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'places.read', need, hidden: 404 }],
  mutates: true,
  tables: ['audit_log'],
  ok,
  build: (w, unit) => placeAt(w, unit),
  request: (x) => request(x as PlaceTarget),
});

/** A list over a subtree: the whole scope finds the placed target only inside it; unitId names the placed unit. */
const subtreeList = <T extends { unit: UnitRow }>(url: string, name: string, build: (w: World, unit: UnitRow) => Promise<T>, found: (json: unknown, x: T) => boolean, query: (x: T) => Record<string, string> = () => ({})): MatrixCase[] => [
  {
    name,
    gate: 'places.read',
    checks: [],
    mutates: false,
    ok: 200,
    lists: 'places.read',
    build: (w, unit) => build(w, unit),
    // Narrowed to the target (a filter, not a scope) so that the many targets the matrix makes never page it out.
    request: (x) => ({ method: 'GET', url, query: query(x as T) }),
    found: (json, x) => found(json, x as T),
  },
  {
    name: 'unitId names the placed unit',
    gate: 'places.read',
    checks: [{ at: 'target', read: 'places.read', hidden: 404 }],
    mutates: false,
    ok: 200,
    build: async (_w, unit) => ({ unit }),
    request: (x) => ({ method: 'GET', url, query: { unitId: String((x as { unit: UnitRow }).unit.id) } }),
  },
];

export const placesMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/places': {
    permission: 'places.read',
    cases: subtreeList('/api/v1/places', 'a place at the placed unit is listed only inside the places.read scope', placeAt, (json, p) => ids(json).includes(p.id), (p) => ({ q: p.name })),
  },
  'POST /api/v1/places': {
    permission: 'places.write',
    cases: [
      {
        name: 'register a place at the placed unit',
        checks: [{ at: 'target', read: 'places.read', need: 'places.write', hidden: { field: 'unitId' } }],
        mutates: true,
        tables: ['audit_log'],
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/places', body: { unitId: unit.id, name: mark('场所'), kind: 'canteen', risk: 'medium', frequencyDays: 3 } }),
      },
    ],
  },
  'GET /api/v1/places/blind-spots': {
    permission: 'places.read',
    cases: subtreeList('/api/v1/places/blind-spots', 'a place without a responsible person at the placed unit is a blind spot only inside the places.read scope', (w, unit) => placeAt(w, unit, true), (json, p) => ids(json, 'placeId').includes(p.id)),
  },
  'GET /api/v1/places/:id': { permission: 'places.read', cases: [read('the place at the placed unit', placeAt, (p) => ({ method: 'GET', url: `/api/v1/places/${p.id}` }))] },
  'PATCH /api/v1/places/:id': { permission: 'places.write', cases: [write('rename the place at the placed unit', (p) => ({ method: 'PATCH', url: `/api/v1/places/${p.id}`, body: { name: mark('改名') } }))] },
  'POST /api/v1/places/:id/archive': { permission: 'places.write', cases: [write('archive the place at the placed unit', (p) => ({ method: 'POST', url: `/api/v1/places/${p.id}/archive` }))] },
  'POST /api/v1/places/:id/checklist': {
    permission: 'places.write',
    cases: [write('add a checklist item to the place at the placed unit', (p) => ({ method: 'POST', url: `/api/v1/places/${p.id}/checklist`, body: { text: mark('测温点') } }))],
  },
  'PATCH /api/v1/places/:id/checklist/:itemId': {
    permission: 'places.write',
    cases: [write('rename a checklist item of the place at the placed unit', (p) => ({ method: 'PATCH', url: `/api/v1/places/${p.id}/checklist/${p.itemIds[0]}`, body: { text: mark('通风换气') } }))],
  },
  'GET /api/v1/places/:id/history': { permission: 'places.read', cases: [read('the history of the place at the placed unit', findingAt, (p) => ({ method: 'GET', url: `/api/v1/places/${p.id}/history` }))] },
  'POST /api/v1/places/:id/inspections': {
    permission: 'places.inspect',
    cases: [
      write(
        'inspect the place at the placed unit (every item passed)',
        (p) => ({ method: 'POST', url: `/api/v1/places/${p.id}/inspections`, body: { items: p.itemIds.map((itemId) => ({ itemId, result: 'passed' })) } }),
        'places.inspect',
        201,
      ),
    ],
  },
  'GET /api/v1/inspections/:id': {
    permission: 'places.read',
    cases: [read('an inspection of the place at the placed unit', findingAt, (f: FindingTarget) => ({ method: 'GET', url: `/api/v1/inspections/${f.inspectionId}` }))],
  },
  'GET /api/v1/findings': {
    permission: 'places.read',
    cases: subtreeList('/api/v1/findings', 'a finding at the placed unit is listed only inside the places.read scope', findingAt, (json, f) => ids(json).includes(f.findingId), (f) => ({ placeId: String(f.id) })),
  },
  'GET /api/v1/findings/:id': { permission: 'places.read', cases: [read('a finding at the placed unit', findingAt, (f: FindingTarget) => ({ method: 'GET', url: `/api/v1/findings/${f.findingId}` }))] },
  'GET /api/v1/me/inspectable-places': {
    permission: 'places.inspect',
    cases: [
      {
        name: 'a place at the placed unit is on the phone’s list only inside the places.inspect scope (an empty list without it)',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'places.inspect',
        build: (w, unit) => placeAt(w, unit),
        request: (p: PlaceTarget) => ({ method: 'GET', url: '/api/v1/me/inspectable-places', query: { q: p.name } }),
        found: (json, p: PlaceTarget) => ids(json).includes(p.id),
      },
    ],
  },
};
