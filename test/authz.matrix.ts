/**
 * The authorization matrix: for every route of the API, the permission it needs (common/roles.ts),
 * how to build a target inside a given unit, and how to ask for it. authz.matrix.test.ts runs every
 * case for every role granted on unit A of the tree
 *
 *   root ─┬─ A ── A1          own = A, descendant = A1   (inside the actor's subtree)
 *         ├─ B ── B1          ancestor = root, sibling = B, otherBranch = B1   (outside)
 *         └─ C                where a second pass gives each actor admin too: it must widen nothing
 *
 * and compares each answer with what the spec says (`expectedFor`, the one rule). A route that is
 * neither here nor in `unscoped` (with a reason) fails the suite.
 */
import { randomBytes } from 'node:crypto';
import { roleHas, type Permission, type Role } from '../common/roles.js';
import type { UnitRow } from '../server/db/schema.js';
import { transact } from '../server/db/transact.js';
import { systemCtx } from '../server/http/actor.js';
import { recordAudit } from '../server/modules/audit/audit.service.js';
import { insertApiToken, insertGrant, insertUser } from '../server/modules/org/users.store.js';
import { sha256 } from '../server/modules/auth/auth.service.js';
import { addDays, dayOf, endOfDay } from '../common/day.js';
import { insertCheckin } from '../server/modules/health/health.store.js';
import { ensureCodeSecret } from '../server/modules/health/campaigns.code.js';
import { insertCampaign, insertCampaignUnits, snapshotPeople } from '../server/modules/health/campaigns.store.js';
import { openHealthWatch } from '../server/modules/health/watches.service.js';
import { insertTrip } from '../server/modules/health/trips.store.js';
import { insertRiskArea } from '../server/modules/health/risk-areas.store.js';
import { ensureRound, insertRequest, insertRequestUnits } from '../server/modules/directives/reports.store.js';
import { insertMeasureValue } from '../server/modules/measures/measures.store.js';
import { insertNotice, insertNoticeUnits, snapshotAudience } from '../server/modules/directives/notices.store.js';
import { fileIncident } from '../server/modules/incidents/incidents.service.js';
import { findRoster, insertMembers, insertRoster, insertShift, insertSwap } from '../server/modules/duty/duty.store.js';
import { notifyUsers } from '../server/modules/notify/notify.service.js';
import { contactsMatrix, diningMatrix, diningUnscoped } from './authz.dining.js';
import type { TestEnv } from './env.js';
import { meetingsMatrix, meetingsSpecial } from './authz.meetings.js';
import { placesMatrix } from './authz.places.js';
import { scorecardMatrix } from './authz.scorecard.js';
import { volunteersMatrix, volunteersUnscoped } from './authz.volunteers.js';
import { supervisionMatrix } from './authz.supervision.js';
import { careMatrix, careUnscoped } from './authz.care.js';
import { plansMatrix } from './authz.plans.js';
import { buildPerson, buildUnit } from './factories.js';
import { multipartFile, type DataTable, type HttpRequest } from './http.js';

export const PLACEMENTS = ['own', 'descendant', 'ancestor', 'sibling', 'otherBranch'] as const;
export type Placement = (typeof PLACEMENTS)[number];
/** Where a grant on A reaches: A itself and everything below it. */
export const IN_SUBTREE: ReadonlySet<Placement> = new Set<Placement>(['own', 'descendant']);

/** The eight roles, plus an account with no grant at all, which must see nothing. */
export type ActorRole = Role | 'none';

export function has(role: ActorRole, p: Permission): boolean {
  return role !== 'none' && roleHas(role, p);
}

export interface World {
  t: TestEnv;
  tree: { root: UnitRow; a: UnitRow; a1: UnitRow; b: UnitRow; b1: UnitRow; c: UnitRow };
  /** The actor's own unit: every grant in the matrix is on A. */
  home: UnitRow;
  unitAt(p: Placement): UnitRow;
  /** One argon2 hash made once: target accounts never sign in, and hashing per target is slow. */
  passwordHash: string;
}

export interface MatrixActor {
  role: ActorRole;
  userId: number;
  cookie: string;
}

/**
 * One lookup a service makes, in the order it makes them. `at`: the placed target, or a fixture in
 * the actor's own unit. Not visible (outside the subtree, or the role lacks `read`) answers as
 * `hidden`: 404 for the object the URL names, a 400 naming the field for an id referenced in the body.
 * Visible without `need`: 403.
 */
export interface Check {
  at: 'target' | 'home';
  read: Permission;
  need?: Permission;
  hidden: 404 | { field: string };
}

export interface MatrixCase<T = unknown> {
  name: string;
  /** Checked against the actor's grants before any lookup (a list, or a create that needs the permission somewhere): 403. */
  gate?: Permission;
  checks: Check[];
  /** false: the answer does not depend on where a target is (own tokens, verify); run once per role. */
  placed?: boolean;
  /** Whether an allowed request changes data; an allowed mutation must write an audit row. */
  mutates: boolean;
  /** Tables whose contents must be byte-identical around a refused request (row counts of all are compared). */
  tables?: DataTable[];
  /** The allowed answer. */
  ok: number | readonly number[];
  /** For a list: the target appears in the answer iff it is inside the subtree and the role has this ('always': own things). */
  lists?: Permission | 'always';
  build(w: World, unit: UnitRow, actor: MatrixActor): Promise<T>;
  request(target: T, w: World, actor: MatrixActor): HttpRequest;
  /** For a list: whether the target is among the items. */
  found?(json: unknown, target: T): boolean;
}

export interface MatrixEntry {
  /** The permission the route exists for (from common/roles.ts). */
  permission: Permission;
  cases: MatrixCase[];
}

export interface Expected {
  status: number | readonly number[];
  /** For a 400 on a referenced id: the field the error must name. */
  field?: string;
  /** Which lookup hid the target (answers hidden by one lookup must be identical). */
  hiddenBy?: number;
}

/**
 * The rule, once: the answer the spec gives for this case, role and placement. `elsewhere` is a
 * role the actor also holds on a branch no placement touches: it may open a gate (the permission
 * is held somewhere) but must never widen what the role on A allows.
 */
export function expectedFor(c: MatrixCase, role: ActorRole, placement: Placement, elsewhere: ActorRole = 'none'): Expected {
  if (c.gate && !has(role, c.gate) && !has(elsewhere, c.gate)) return { status: 403 };
  for (const [i, ch] of c.checks.entries()) {
    const inside = ch.at === 'home' || IN_SUBTREE.has(placement);
    if (!inside || !has(role, ch.read)) return ch.hidden === 404 ? { status: 404, hiddenBy: i } : { status: 400, field: ch.hidden.field, hiddenBy: i };
    if (ch.need && !has(role, ch.need)) return { status: 403 };
  }
  return { status: c.ok };
}

/** Whether a list answer must contain the target. */
export function listedFor(c: MatrixCase, role: ActorRole, placement: Placement): boolean {
  if (c.lists === 'always') return true;
  return c.lists !== undefined && IN_SUBTREE.has(placement) && has(role, c.lists);
}

// ── builders ─────────────────────────────────────────────────────────────────────────────────────

let counter = 0;
/** A short unique marker: names, usernames and employee numbers of targets never collide. */
export function uniq(prefix = 'm'): string {
  return `${prefix}${(++counter).toString(36)}${randomBytes(3).toString('hex')}`;
}

const unitUnder = (w: World, parent: UnitRow) => buildUnit(w.t, { parent, name: uniq('单位') });
const personIn = (w: World, unit: UnitRow) => buildPerson(w.t, unit, { name: uniq('人员'), employeeNo: uniq('E') });

async function userIn(w: World, unit: UnitRow) {
  return insertUser(w.t.deps.db, { username: uniq('u'), passwordHash: w.passwordHash, personId: null, unitId: unit.id, displayName: null, now: w.t.clock.now() });
}

async function grantOn(w: World, unit: UnitRow) {
  const user = await userIn(w, unit);
  const grant = await insertGrant(w.t.deps.db, { userId: user.id, role: 'liaison', unitId: unit.id, now: w.t.clock.now(), createdBy: null });
  return { user, grant };
}

async function tokenOf(w: World, userId: number) {
  const secret = uniq('bwk_');
  return insertApiToken(w.t.deps.db, { userId, name: uniq('token'), tokenHash: sha256(secret), prefix: secret.slice(0, 10), now: w.t.clock.now(), createdBy: null });
}

/** An audit row about the unit, with a marker to find it by. */
async function auditAt(w: World, unit: UnitRow) {
  const marker = uniq('probe');
  await transact(w.t.deps, systemCtx, (tx) => recordAudit(tx, w.t.deps, systemCtx, { action: 'matrix.probe', entity: 'matrix', entityId: marker, unitId: unit.id }));
  return { unit, marker };
}

type Items = { items?: { id?: number; entityId?: string | null }[] };
const itemIds = (json: unknown) => ((json as Items | null)?.items ?? []).map((i) => i.id);
const hasId = (json: unknown, id: number) => itemIds(json).includes(id);

const PASSWORD = 'matrix password 1';

// ── the matrix ───────────────────────────────────────────────────────────────────────────────────

const units: Record<string, MatrixEntry> = {
  'GET /api/v1/units': {
    permission: 'units.read',
    cases: [
      {
        name: 'the placed unit is listed only inside the subtree',
        gate: 'units.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'units.read',
        build: async (_w, unit) => unit,
        request: () => ({ method: 'GET', url: '/api/v1/units' }),
        found: (json, unit: UnitRow) => hasId(json, unit.id),
      },
      {
        name: 'rootId names the placed unit',
        gate: 'units.read',
        checks: [{ at: 'target', read: 'units.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/units', query: { rootId: String(unit.id) } }),
      },
      {
        name: 'parentId names the placed unit',
        gate: 'units.read',
        checks: [{ at: 'target', read: 'units.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/units', query: { parentId: String(unit.id) } }),
      },
    ],
  },
  'POST /api/v1/units': {
    permission: 'units.write',
    cases: [
      {
        name: 'a new unit under the placed unit',
        checks: [{ at: 'target', read: 'units.read', need: 'units.write', hidden: { field: 'parentId' } }],
        mutates: true,
        tables: ['units'],
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/units', body: { name: uniq('新单位'), parentId: unit.id } }),
      },
    ],
  },
  'GET /api/v1/units/:id': {
    permission: 'units.read',
    cases: [
      {
        name: 'the placed unit',
        checks: [{ at: 'target', read: 'units.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: `/api/v1/units/${unit.id}` }),
      },
    ],
  },
  'PATCH /api/v1/units/:id': {
    permission: 'units.write',
    cases: [
      {
        name: 'the placed unit',
        checks: [{ at: 'target', read: 'units.read', need: 'units.write', hidden: 404 }],
        mutates: true,
        tables: ['units'],
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'PATCH', url: `/api/v1/units/${unit.id}`, body: { code: uniq('C') } }),
      },
    ],
  },
  'POST /api/v1/units/:id/move': {
    permission: 'units.write',
    cases: [
      {
        name: 'a unit under the placed unit moves under A',
        checks: [
          { at: 'target', read: 'units.read', need: 'units.write', hidden: 404 },
          { at: 'home', read: 'units.read', need: 'units.write', hidden: { field: 'parentId' } },
        ],
        mutates: true,
        tables: ['units'],
        ok: 200,
        build: (w, unit) => unitUnder(w, unit),
        request: (moved: UnitRow, w) => ({ method: 'POST', url: `/api/v1/units/${moved.id}/move`, body: { parentId: w.home.id } }),
      },
      {
        name: 'a unit under A moves under the placed unit',
        checks: [
          { at: 'home', read: 'units.read', need: 'units.write', hidden: 404 },
          { at: 'target', read: 'units.read', need: 'units.write', hidden: { field: 'parentId' } },
        ],
        mutates: true,
        tables: ['units'],
        ok: 200,
        build: async (w, unit) => ({ moved: await unitUnder(w, w.home), parent: unit }),
        request: (x: { moved: UnitRow; parent: UnitRow }) => ({ method: 'POST', url: `/api/v1/units/${x.moved.id}/move`, body: { parentId: x.parent.id } }),
      },
    ],
  },
  'DELETE /api/v1/units/:id': {
    permission: 'units.write',
    cases: [
      {
        name: 'an empty unit under the placed unit',
        checks: [{ at: 'target', read: 'units.read', need: 'units.write', hidden: 404 }],
        mutates: true,
        tables: ['units'],
        ok: 200,
        build: (w, unit) => unitUnder(w, unit),
        request: (unit: UnitRow) => ({ method: 'DELETE', url: `/api/v1/units/${unit.id}` }),
      },
    ],
  },
  'GET /api/v1/units/:id/people.xlsx': {
    permission: 'people.export',
    cases: [
      {
        name: 'the people of the placed unit as a spreadsheet',
        checks: [{ at: 'target', read: 'units.read', need: 'people.export', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (w, unit) => {
          await personIn(w, unit);
          return unit;
        },
        request: (unit: UnitRow) => ({ method: 'GET', url: `/api/v1/units/${unit.id}/people.xlsx` }),
      },
    ],
  },
};

type Person = Awaited<ReturnType<typeof personIn>>;

const people: Record<string, MatrixEntry> = {
  'GET /api/v1/people': {
    permission: 'people.read',
    cases: [
      {
        name: 'a person in the placed unit is found by name only inside the subtree',
        gate: 'people.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'people.read',
        build: (w, unit) => personIn(w, unit),
        request: (p: Person) => ({ method: 'GET', url: '/api/v1/people', query: { q: p.name } }),
        found: (json, p: Person) => hasId(json, p.id),
      },
      {
        name: 'unitId names the placed unit',
        gate: 'people.read',
        checks: [
          { at: 'target', read: 'units.read', hidden: 404 },
          { at: 'target', read: 'people.read', hidden: 404 },
        ],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/people', query: { unitId: String(unit.id) } }),
      },
    ],
  },
  'POST /api/v1/people': {
    permission: 'people.write',
    cases: [
      {
        name: 'a new person in the placed unit',
        checks: [{ at: 'target', read: 'units.read', need: 'people.write', hidden: { field: 'unitId' } }],
        mutates: true,
        tables: ['people', 'person_tags'],
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/people', body: { name: uniq('新人'), unitId: unit.id, employeeNo: uniq('N'), tags: ['front_line'] } }),
      },
    ],
  },
  'GET /api/v1/people/:id': {
    permission: 'people.read',
    cases: [
      {
        name: 'a person in the placed unit',
        checks: [{ at: 'target', read: 'people.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => personIn(w, unit),
        request: (p: Person) => ({ method: 'GET', url: `/api/v1/people/${p.id}` }),
      },
    ],
  },
  'PATCH /api/v1/people/:id': {
    permission: 'people.write',
    cases: [
      {
        name: 'edit a person in the placed unit',
        checks: [{ at: 'target', read: 'people.read', need: 'people.write', hidden: 404 }],
        mutates: true,
        tables: ['people', 'person_tags'],
        ok: 200,
        build: (w, unit) => personIn(w, unit),
        request: (p: Person) => ({ method: 'PATCH', url: `/api/v1/people/${p.id}`, body: { title: '司机', tags: ['key_group'] } }),
      },
      {
        name: 'transfer a person of A into the placed unit',
        checks: [
          { at: 'home', read: 'people.read', need: 'people.write', hidden: 404 },
          { at: 'target', read: 'units.read', need: 'people.write', hidden: { field: 'unitId' } },
        ],
        mutates: true,
        tables: ['people', 'person_tags'],
        ok: 200,
        build: async (w, unit) => ({ person: await personIn(w, w.home), unit }),
        request: (x: { person: Person; unit: UnitRow }) => ({ method: 'PATCH', url: `/api/v1/people/${x.person.id}`, body: { unitId: x.unit.id } }),
      },
    ],
  },
  'POST /api/v1/import': {
    permission: 'people.import',
    cases: [
      {
        name: 'a CSV of one person into the placed unit',
        checks: [{ at: 'target', read: 'units.read', need: 'people.import', hidden: 404 }],
        mutates: true,
        tables: ['people', 'person_tags'],
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => {
          // An empty 单位 cell is the unit imported into; dryRun=false so that an allowed import writes.
          const csv = `姓名,工号,单位\r\n${uniq('导入')},${uniq('I')},\r\n`;
          const { body, headers } = multipartFile({ filename: 'people.csv', contentType: 'text/csv', content: csv });
          return { method: 'POST', url: '/api/v1/import', query: { unitId: String(unit.id), dryRun: 'false' }, body, headers };
        },
      },
    ],
  },
};

type User = Awaited<ReturnType<typeof userIn>>;
type GrantTarget = Awaited<ReturnType<typeof grantOn>>;

const users: Record<string, MatrixEntry> = {
  'GET /api/v1/users': {
    permission: 'users.read',
    cases: [
      {
        name: 'an account homed in the placed unit is found only inside the subtree',
        gate: 'users.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'users.read',
        build: (w, unit) => userIn(w, unit),
        request: (u: User) => ({ method: 'GET', url: '/api/v1/users', query: { q: u.username } }),
        found: (json, u: User) => hasId(json, u.id),
      },
    ],
  },
  'POST /api/v1/users': {
    permission: 'users.write',
    cases: [
      {
        name: 'a new account homed in the placed unit',
        gate: 'users.write',
        checks: [{ at: 'target', read: 'units.read', need: 'users.write', hidden: { field: 'unitId' } }],
        mutates: true,
        tables: ['users'],
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/users', body: { username: uniq('new'), password: PASSWORD, unitId: unit.id } }),
      },
      {
        name: 'a new account linked to a person in the placed unit',
        gate: 'users.write',
        checks: [
          { at: 'target', read: 'people.read', hidden: { field: 'personId' } },
          { at: 'target', read: 'units.read', need: 'users.write', hidden: { field: 'unitId' } },
        ],
        mutates: true,
        tables: ['users'],
        ok: 201,
        build: (w, unit) => personIn(w, unit),
        request: (p: Person) => ({ method: 'POST', url: '/api/v1/users', body: { username: uniq('new'), password: PASSWORD, personId: p.id } }),
      },
    ],
  },
  'GET /api/v1/users/:id': {
    permission: 'users.read',
    cases: [
      {
        name: 'an account homed in the placed unit',
        checks: [{ at: 'target', read: 'users.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => userIn(w, unit),
        request: (u: User) => ({ method: 'GET', url: `/api/v1/users/${u.id}` }),
      },
    ],
  },
  'PATCH /api/v1/users/:id': {
    permission: 'users.write',
    cases: [
      {
        name: 'rename an account homed in the placed unit',
        checks: [{ at: 'target', read: 'users.read', need: 'users.write', hidden: 404 }],
        mutates: true,
        tables: ['users'],
        ok: 200,
        build: (w, unit) => userIn(w, unit),
        request: (u: User) => ({ method: 'PATCH', url: `/api/v1/users/${u.id}`, body: { displayName: uniq('名') } }),
      },
    ],
  },
  'GET /api/v1/grants': {
    permission: 'users.read',
    cases: [
      {
        name: 'a grant on the placed unit, asked for by its user',
        gate: 'users.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'users.read',
        build: (w, unit) => grantOn(w, unit),
        request: (g: GrantTarget) => ({ method: 'GET', url: '/api/v1/grants', query: { userId: String(g.user.id) } }),
        found: (json, g: GrantTarget) => hasId(json, g.grant.id),
      },
      {
        name: 'a grant on the placed unit, asked for by its unit',
        gate: 'users.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'users.read',
        build: (w, unit) => grantOn(w, unit),
        request: (g: GrantTarget) => ({ method: 'GET', url: '/api/v1/grants', query: { unitId: String(g.grant.unit_id) } }),
        found: (json, g: GrantTarget) => hasId(json, g.grant.id),
      },
    ],
  },
  'POST /api/v1/grants': {
    permission: 'grants.write',
    cases: [
      {
        name: 'grant an account of A a role on the placed unit',
        checks: [
          { at: 'home', read: 'users.read', hidden: { field: 'userId' } },
          { at: 'target', read: 'units.read', need: 'grants.write', hidden: { field: 'unitId' } },
        ],
        mutates: true,
        tables: ['grants'],
        ok: 201,
        build: async (w, unit) => ({ user: await userIn(w, w.home), unit }),
        request: (x: { user: User; unit: UnitRow }) => ({ method: 'POST', url: '/api/v1/grants', body: { userId: x.user.id, role: 'liaison', unitId: x.unit.id } }),
      },
      {
        name: 'grant an account homed in the placed unit a role on A',
        checks: [
          { at: 'target', read: 'users.read', hidden: { field: 'userId' } },
          { at: 'home', read: 'units.read', need: 'grants.write', hidden: { field: 'unitId' } },
        ],
        mutates: true,
        tables: ['grants'],
        ok: 201,
        build: (w, unit) => userIn(w, unit),
        request: (u: User, w) => ({ method: 'POST', url: '/api/v1/grants', body: { userId: u.id, role: 'care_officer', unitId: w.home.id } }),
      },
    ],
  },
  'DELETE /api/v1/grants': {
    permission: 'grants.write',
    cases: [
      {
        name: 'withdraw a grant on the placed unit, named by its triple',
        checks: [{ at: 'target', read: 'users.read', need: 'grants.write', hidden: 404 }],
        mutates: true,
        tables: ['grants'],
        ok: 200,
        build: (w, unit) => grantOn(w, unit),
        request: (g: GrantTarget) => ({ method: 'DELETE', url: '/api/v1/grants', body: { userId: g.user.id, role: g.grant.role, unitId: g.grant.unit_id } }),
      },
    ],
  },
  'DELETE /api/v1/grants/:id': {
    permission: 'grants.write',
    cases: [
      {
        name: 'withdraw a grant on the placed unit',
        checks: [{ at: 'target', read: 'users.read', need: 'grants.write', hidden: 404 }],
        mutates: true,
        tables: ['grants'],
        ok: 200,
        build: (w, unit) => grantOn(w, unit),
        request: (g: GrantTarget) => ({ method: 'DELETE', url: `/api/v1/grants/${g.grant.id}` }),
      },
    ],
  },
};

type Token = Awaited<ReturnType<typeof tokenOf>>;

const tokens: Record<string, MatrixEntry> = {
  'GET /api/v1/tokens': {
    permission: 'users.write',
    cases: [
      {
        name: "another account's token is listed only to who administers it",
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'users.write',
        build: async (w, unit) => tokenOf(w, (await userIn(w, unit)).id),
        request: () => ({ method: 'GET', url: '/api/v1/tokens' }),
        found: (json, tok: Token) => hasId(json, tok.id),
      },
      {
        name: 'everyone sees their own token',
        placed: false,
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'always',
        build: (w, _unit, actor) => tokenOf(w, actor.userId),
        request: () => ({ method: 'GET', url: '/api/v1/tokens' }),
        found: (json, tok: Token) => hasId(json, tok.id),
      },
    ],
  },
  'POST /api/v1/tokens': {
    permission: 'users.write',
    cases: [
      {
        name: 'a token for an account homed in the placed unit',
        checks: [{ at: 'target', read: 'users.read', need: 'users.write', hidden: { field: 'userId' } }],
        mutates: true,
        tables: ['api_tokens'],
        ok: 201,
        build: (w, unit) => userIn(w, unit),
        request: (u: User) => ({ method: 'POST', url: '/api/v1/tokens', body: { name: uniq('集成'), userId: u.id } }),
      },
      {
        name: 'everyone may mint their own token',
        placed: false,
        checks: [],
        mutates: true,
        tables: ['api_tokens'],
        ok: 201,
        build: async () => null,
        request: () => ({ method: 'POST', url: '/api/v1/tokens', body: { name: uniq('自用') } }),
      },
    ],
  },
  'DELETE /api/v1/tokens/:id': {
    permission: 'users.write',
    cases: [
      {
        name: 'revoke the token of an account homed in the placed unit',
        checks: [{ at: 'target', read: 'users.read', need: 'users.write', hidden: 404 }],
        mutates: true,
        tables: ['api_tokens'],
        ok: 200,
        build: async (w, unit) => tokenOf(w, (await userIn(w, unit)).id),
        request: (tok: Token) => ({ method: 'DELETE', url: `/api/v1/tokens/${tok.id}` }),
      },
      {
        name: 'everyone may revoke their own token',
        placed: false,
        checks: [],
        mutates: true,
        tables: ['api_tokens'],
        ok: 200,
        build: (w, _unit, actor) => tokenOf(w, actor.userId),
        request: (tok: Token) => ({ method: 'DELETE', url: `/api/v1/tokens/${tok.id}` }),
      },
    ],
  },
};

type Probe = Awaited<ReturnType<typeof auditAt>>;

const audit: Record<string, MatrixEntry> = {
  'GET /api/v1/audit': {
    permission: 'audit.read',
    cases: [
      {
        name: 'an entry about the placed unit is listed only inside the subtree',
        gate: 'audit.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'audit.read',
        build: (w, unit) => auditAt(w, unit),
        request: (x: Probe) => ({ method: 'GET', url: '/api/v1/audit', query: { entity: 'matrix', entityId: x.marker } }),
        found: (json, x: Probe) => ((json as Items | null)?.items ?? []).some((i) => i.entityId === x.marker),
      },
      {
        name: 'unitId names the placed unit',
        gate: 'audit.read',
        checks: [{ at: 'target', read: 'audit.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/audit', query: { unitId: String(unit.id) } }),
      },
    ],
  },
  'POST /api/v1/audit/verify': {
    permission: 'audit.read',
    cases: [
      {
        name: 'any audit reader may walk the chain',
        gate: 'audit.read',
        placed: false,
        checks: [],
        mutates: false,
        ok: 200,
        build: async () => null,
        request: () => ({ method: 'POST', url: '/api/v1/audit/verify' }),
      },
    ],
  },
};

/** A person in the unit with today's check-in (written directly: the list is under test, not the write). */
async function checkinIn(w: World, unit: UnitRow) {
  const person = await personIn(w, unit);
  const now = w.t.clock.now();
  const row = await insertCheckin(w.t.deps.db, {
    person_id: person.id,
    unit_id: unit.id,
    day: dayOf(now, w.t.deps.config.timeZone),
    temperature: 365,
    symptoms: '[]',
    location: 'at_work',
    city: '青岛',
    note: null,
    abnormal: 0,
    on_time: 1,
    on_behalf_of_user_id: null,
    created_at: now,
    updated_at: now,
  });
  return { person, row };
}
type CheckinTarget = Awaited<ReturnType<typeof checkinIn>>;

/** A unit-scoped health read: the health scope is the gate, the unit must be visible and in it. */
const healthUnitCase = (name: string, url: string): MatrixCase => ({
  name,
  gate: 'health.read',
  checks: [
    { at: 'target', read: 'units.read', hidden: 404 },
    { at: 'target', read: 'health.read', hidden: 404 },
  ],
  mutates: false,
  ok: 200,
  build: async (w, unit) => {
    await personIn(w, unit);
    return unit;
  },
  request: (unit: UnitRow) => ({ method: 'GET', url, query: { unitId: String(unit.id) } }),
});

/** A person in the unit under an open health watch, opened the way a cause opens one. */
async function watchIn(w: World, unit: UnitRow) {
  const person = await personIn(w, unit);
  const { id } = await transact(w.t.deps, systemCtx, (tx) =>
    openHealthWatch(tx, w.t.deps, { personId: person.id, reason: 'manual', sourceEntity: 'matrix', sourceId: uniq('w'), openedByUserId: null }),
  );
  return { person, id };
}
type WatchTarget = Awaited<ReturnType<typeof watchIn>>;

/** A change to the watch of a person in the placed unit: health.read over them finds it, health.write allows it. */
const watchChange = (name: string, ok: number, request: (x: WatchTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'health.read', need: 'health.write', hidden: 404 }],
  mutates: true,
  ok,
  build: (w, unit) => watchIn(w, unit),
  request: (x: WatchTarget) => request(x),
});

const watches: Record<string, MatrixEntry> = {
  'GET /api/v1/health-watches': {
    permission: 'health.read',
    cases: [
      {
        name: "a watch of a person in the placed unit is listed only inside the actor's health scope",
        gate: 'health.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'health.read',
        build: (w, unit) => watchIn(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/health-watches', query: { status: 'open', pageSize: '200' } }),
        found: (json, x: WatchTarget) => hasId(json, x.id),
      },
      healthUnitCase('unitId names the placed unit', '/api/v1/health-watches'),
    ],
  },
  'GET /api/v1/health-watches/:id': {
    permission: 'health.read',
    cases: [
      {
        name: 'the watch of a person in the placed unit, with its notes',
        checks: [{ at: 'target', read: 'health.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => watchIn(w, unit),
        request: (x: WatchTarget) => ({ method: 'GET', url: `/api/v1/health-watches/${x.id}` }),
      },
    ],
  },
  'POST /api/v1/health-watches': {
    permission: 'health.write',
    cases: [
      {
        name: 'put a person in the placed unit under watch by hand',
        checks: [{ at: 'target', read: 'health.read', need: 'health.write', hidden: { field: 'personId' } }],
        mutates: true,
        ok: 201,
        build: (w, unit) => personIn(w, unit),
        request: (p: Person) => ({ method: 'POST', url: '/api/v1/health-watches', body: { personId: p.id, days: 7, note: '密接' } }),
      },
    ],
  },
  'POST /api/v1/health-watches/:id/notes': {
    permission: 'health.write',
    cases: [watchChange("add the day's note to the watch of a person in the placed unit", 201, (x) => ({ method: 'POST', url: `/api/v1/health-watches/${x.id}/notes`, body: { note: '无不适', temperature: 36.6 } }))],
  },
  'POST /api/v1/health-watches/:id/close': {
    permission: 'health.write',
    cases: [watchChange('close the watch of a person in the placed unit', 200, (x) => ({ method: 'POST', url: `/api/v1/health-watches/${x.id}/close`, body: { outcome: 'cleared' } }))],
  },
};

const health: Record<string, MatrixEntry> = {
  ...watches,
  'POST /api/v1/checkins': {
    permission: 'health.write',
    cases: [
      {
        name: 'check in on behalf of a person in the placed unit',
        checks: [{ at: 'target', read: 'people.read', need: 'health.write', hidden: { field: 'personId' } }],
        mutates: true,
        ok: 201,
        build: (w, unit) => personIn(w, unit),
        request: (p: Person) => ({ method: 'POST', url: '/api/v1/checkins', body: { personId: p.id, temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛' } }),
      },
    ],
  },
  'GET /api/v1/checkins': {
    permission: 'health.read',
    cases: [
      {
        name: "a check-in in the placed unit is listed only inside the actor's health scope",
        gate: 'health.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'health.read',
        build: (w, unit) => checkinIn(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/checkins', query: { pageSize: '200' } }),
        found: (json, x: CheckinTarget) => hasId(json, x.row.id),
      },
      healthUnitCase('unitId names the placed unit', '/api/v1/checkins'),
    ],
  },
  'GET /api/v1/checkins/non-reporters': {
    permission: 'health.read',
    cases: [healthUnitCase('unitId names the placed unit', '/api/v1/checkins/non-reporters')],
  },
  'GET /api/v1/rollups/checkins': {
    permission: 'health.read',
    cases: [healthUnitCase('unitId names the placed unit', '/api/v1/rollups/checkins')],
  },
  'GET /api/v1/rollups/checkins/trend': {
    permission: 'health.read',
    cases: [healthUnitCase('unitId names the placed unit', '/api/v1/rollups/checkins/trend')],
  },
  'GET /api/v1/rollups/checkins/period': {
    permission: 'health.read',
    cases: [healthUnitCase('unitId names the placed unit', '/api/v1/rollups/checkins/period')],
  },
  'GET /api/v1/checkins/quality': {
    permission: 'health.read',
    cases: [healthUnitCase('unitId names the placed unit', '/api/v1/checkins/quality')],
  },
  'GET /api/v1/reports/checkins': {
    permission: 'health.read',
    cases: [healthUnitCase("the placed unit's day report as a spreadsheet", '/api/v1/reports/checkins')],
  },
  'GET /api/v1/people/:id/data-report': {
    permission: 'people.write',
    cases: [
      {
        name: "the data report of a person in the placed unit, for an administrator answering the person's request",
        checks: [{ at: 'target', read: 'people.read', need: 'people.write', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => personIn(w, unit),
        request: (p: Person) => ({ method: 'GET', url: `/api/v1/people/${p.id}/data-report` }),
      },
    ],
  },
};

// ── trips and risk areas ─────────────────────────────────────────────────────────────────────────

/** A trip of a person in the unit, written directly; `startIn` days from today (negative: already away). */
async function tripIn(w: World, unit: UnitRow, startIn = 2) {
  const person = await personIn(w, unit);
  const now = w.t.clock.now();
  const today = dayOf(now, w.t.deps.config.timeZone);
  return insertTrip(w.t.deps.db, {
    person_id: person.id,
    unit_id: unit.id,
    destination_city: uniq('城'),
    destination_district: null,
    start_on: addDays(today, startIn),
    end_on: addDays(today, startIn + 3),
    purpose: '出差',
    status: startIn <= 0 ? 'away' : 'planned',
    returned_on: null,
    watch_area_id: null,
    reported_by_user_id: null,
    created_at: now,
    updated_at: now,
  });
}
type TripTarget = Awaited<ReturnType<typeof tripIn>>;

async function riskAreaRow(w: World) {
  const now = w.t.clock.now();
  return insertRiskArea(w.t.deps.db, { city: uniq('城'), district: null, level: 'medium', valid_from: '2020-01-01', valid_until: null, note: null, created_by_user_id: null, created_at: now, updated_at: now });
}
type AreaTarget = Awaited<ReturnType<typeof riskAreaRow>>;

/** A change to a trip of a person in the placed unit: the person's health scope hides it, health.write allows it. */
const tripChange = (name: string, startIn: number, request: (x: TripTarget, w: World) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'health.read', need: 'health.write', hidden: 404 }],
  mutates: true,
  ok: 200,
  build: (w, unit) => tripIn(w, unit, startIn),
  request: (x: TripTarget, w) => request(x, w),
});

const trips: Record<string, MatrixEntry> = {
  'POST /api/v1/trips': {
    permission: 'health.write',
    cases: [
      {
        name: 'report a trip on behalf of a person in the placed unit',
        checks: [{ at: 'target', read: 'people.read', need: 'health.write', hidden: { field: 'personId' } }],
        mutates: true,
        ok: 201,
        build: (w, unit) => personIn(w, unit),
        request: (p: Person, w) => {
          const today = dayOf(w.t.clock.now(), w.t.deps.config.timeZone);
          return { method: 'POST', url: '/api/v1/trips', body: { personId: p.id, city: '武汉', startOn: addDays(today, 1), endOn: addDays(today, 3), purpose: '出差' } };
        },
      },
    ],
  },
  'PATCH /api/v1/trips/:id': {
    permission: 'health.write',
    cases: [tripChange('change a planned trip of a person in the placed unit', 2, (x) => ({ method: 'PATCH', url: `/api/v1/trips/${x.id}`, body: { purpose: '探亲' } }))],
  },
  'POST /api/v1/trips/:id/cancel': {
    permission: 'health.write',
    cases: [tripChange('cancel a planned trip of a person in the placed unit', 2, (x) => ({ method: 'POST', url: `/api/v1/trips/${x.id}/cancel` }))],
  },
  'POST /api/v1/trips/:id/return': {
    permission: 'health.write',
    cases: [
      tripChange('report the return of a person in the placed unit', -1, (x, w) => ({ method: 'POST', url: `/api/v1/trips/${x.id}/return`, body: { day: dayOf(w.t.clock.now(), w.t.deps.config.timeZone) } })),
    ],
  },
  'GET /api/v1/trips': {
    permission: 'health.read',
    cases: [
      {
        name: "a trip in the placed unit is listed only inside the actor's health scope",
        gate: 'health.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'health.read',
        build: (w, unit) => tripIn(w, unit),
        request: (x: TripTarget) => ({ method: 'GET', url: '/api/v1/trips', query: { destination: x.destination_city } }),
        found: (json, x: TripTarget) => hasId(json, x.id),
      },
      healthUnitCase('unitId names the placed unit', '/api/v1/trips'),
    ],
  },
  'GET /api/v1/trips/away': {
    permission: 'health.read',
    cases: [healthUnitCase('unitId names the placed unit', '/api/v1/trips/away')],
  },
  'GET /api/v1/trips/by-destination': {
    permission: 'health.read',
    cases: [healthUnitCase('unitId names the placed unit', '/api/v1/trips/by-destination')],
  },
  // The risk list is one for the deployment: riskareas.write held anywhere opens it.
  'POST /api/v1/risk-areas': {
    permission: 'riskareas.write',
    cases: [
      {
        name: 'put an area on the list',
        gate: 'riskareas.write',
        placed: false,
        checks: [],
        mutates: true,
        ok: 201,
        build: async () => null,
        request: () => ({ method: 'POST', url: '/api/v1/risk-areas', body: { city: uniq('城'), level: 'high', validFrom: '2026-01-01' } }),
      },
    ],
  },
  'PATCH /api/v1/risk-areas/:id': {
    permission: 'riskareas.write',
    cases: [
      {
        name: 'correct an area',
        gate: 'riskareas.write',
        placed: false,
        checks: [],
        mutates: true,
        ok: 200,
        build: (w) => riskAreaRow(w),
        request: (x: AreaTarget) => ({ method: 'PATCH', url: `/api/v1/risk-areas/${x.id}`, body: { level: 'high' } }),
      },
    ],
  },
  'POST /api/v1/risk-areas/:id/end': {
    permission: 'riskareas.write',
    cases: [
      {
        name: 'take an area off the list',
        gate: 'riskareas.write',
        placed: false,
        checks: [],
        mutates: true,
        ok: 200,
        build: (w) => riskAreaRow(w),
        request: (x: AreaTarget) => ({ method: 'POST', url: `/api/v1/risk-areas/${x.id}/end`, body: {} }),
      },
    ],
  },
};

/** A robot on the unit (its URL refuses connections at once: the test send fails fast, and is still audited). */
async function channelIn(w: World, unit: UnitRow) {
  const now = w.t.clock.now();
  return w.t.deps.db
    .insertInto('unit_channels')
    .values({ unit_id: unit.id, kind: 'generic', name: uniq('机器人'), url: 'http://127.0.0.1:9/hook', secret: 'matrix-secret', enabled: 1, last_sent_at: null, last_error: null, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}
type ChannelTarget = Awaited<ReturnType<typeof channelIn>>;

/** A unit's robots are part of its set-up: units.write over the unit, out of scope reads as absent. */
const channelCase = (name: string, mutates: boolean, ok: number, request: (c: ChannelTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'units.read', need: 'units.write', hidden: 404 }],
  mutates,
  ...(mutates ? { tables: ['unit_channels'] as DataTable[] } : {}),
  ok,
  build: (w, unit) => channelIn(w, unit),
  request,
});

const notify: Record<string, MatrixEntry> = {
  'GET /api/v1/units/:id/channels': {
    permission: 'units.write',
    cases: [channelCase("the placed unit's robots", false, 200, (c) => ({ method: 'GET', url: `/api/v1/units/${c.unit_id}/channels` }))],
  },
  'POST /api/v1/units/:id/channels': {
    permission: 'units.write',
    cases: [
      channelCase('a new robot on the placed unit', true, 201, (c) => ({
        method: 'POST',
        url: `/api/v1/units/${c.unit_id}/channels`,
        body: { kind: 'dingtalk', name: uniq('钉钉'), url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'SECmatrix' },
      })),
    ],
  },
  'PATCH /api/v1/channels/:id': {
    permission: 'units.write',
    cases: [channelCase('rename a robot of the placed unit', true, 200, (c) => ({ method: 'PATCH', url: `/api/v1/channels/${c.id}`, body: { name: uniq('改名') } }))],
  },
  'DELETE /api/v1/channels/:id': {
    permission: 'units.write',
    cases: [channelCase('remove a robot of the placed unit', true, 200, (c) => ({ method: 'DELETE', url: `/api/v1/channels/${c.id}` }))],
  },
  'POST /api/v1/channels/:id/test': {
    permission: 'units.write',
    cases: [channelCase('send a test message to a robot of the placed unit', true, 200, (c) => ({ method: 'POST', url: `/api/v1/channels/${c.id}/test` }))],
  },
  'POST /api/v1/checkins/reminders': {
    permission: 'health.write',
    cases: [
      {
        // A fresh unit each time: a unit may be reminded once per 10 minutes.
        name: "remind the non-reporters of a unit new under the placed unit",
        checks: [
          { at: 'target', read: 'units.read', hidden: { field: 'unitId' } },
          { at: 'target', read: 'health.read', need: 'health.write', hidden: { field: 'unitId' } },
        ],
        mutates: true,
        tables: ['notifications'],
        ok: 200,
        build: async (w, unit) => {
          const fresh = await unitUnder(w, unit);
          await personIn(w, fresh);
          return fresh;
        },
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: unit.id } }),
      },
    ],
  },
};

/** A campaign over a fresh unit under the placed one, with a person due in it: its own unit so that a campaign placed at the root does not reach A. */
async function campaignIn(w: World, unit: UnitRow) {
  const target = await unitUnder(w, unit);
  const person = await personIn(w, target);
  const today = dayOf(w.t.clock.now(), w.t.deps.config.timeZone);
  const now = w.t.clock.now();
  const campaign = await transact(w.t.deps, systemCtx, async (tx) => {
    await ensureCodeSecret(tx, now);
    const c = await insertCampaign(tx, { name: uniq('核酸'), start_day: today, end_day: today, tags: '[]', status: 'open', created_by_user_id: null, created_at: now, closed_by_user_id: null, closed_at: null });
    await insertCampaignUnits(tx, c.id, [target.id]);
    await snapshotPeople(tx, c.id, [target.path], []);
    return c;
  });
  return { id: campaign.id, target, person };
}
type CampaignTarget = Awaited<ReturnType<typeof campaignIn>>;

/** A read of one campaign (and a unit of it): health.read over any part of the campaign finds it. */
const campaignRead = (name: string, request: (x: CampaignTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'health.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => campaignIn(w, unit),
  request: (x: CampaignTarget) => request(x),
});

/** The command office's changes to a campaign: health.read finds it, campaigns.write over it allows the change. */
const campaignCommand = (name: string, request: (x: CampaignTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'health.read', need: 'campaigns.write', hidden: 404 }],
  mutates: true,
  ok: 200,
  build: (w, unit) => campaignIn(w, unit),
  request: (x: CampaignTarget) => request(x),
});

const campaigns: Record<string, MatrixEntry> = {
  'POST /api/v1/campaigns': {
    permission: 'campaigns.write',
    cases: [
      {
        name: 'a campaign targeting the placed unit',
        gate: 'campaigns.write',
        checks: [{ at: 'target', read: 'units.read', need: 'campaigns.write', hidden: { field: 'unitIds' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/campaigns', body: { name: uniq('核酸'), startDay: '2026-11-24', endDay: '2026-11-25', unitIds: [unit.id] } }),
      },
    ],
  },
  'GET /api/v1/campaigns': {
    permission: 'health.read',
    cases: [
      {
        name: "a campaign over the placed unit is listed only inside the actor's health scope",
        gate: 'health.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'health.read',
        build: (w, unit) => campaignIn(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/campaigns', query: { pageSize: '200' } }),
        found: (json, x: CampaignTarget) => hasId(json, x.id),
      },
    ],
  },
  'GET /api/v1/campaigns/:id': { permission: 'health.read', cases: [campaignRead('the campaign over the placed unit', (x) => ({ method: 'GET', url: `/api/v1/campaigns/${x.id}` }))] },
  'GET /api/v1/campaigns/:id/progress': {
    permission: 'health.read',
    cases: [campaignRead('progress under the placed unit', (x) => ({ method: 'GET', url: `/api/v1/campaigns/${x.id}/progress`, query: { unitId: String(x.target.id) } }))],
  },
  'GET /api/v1/campaigns/:id/pending': {
    permission: 'health.read',
    cases: [campaignRead('people not yet sampled under the placed unit', (x) => ({ method: 'GET', url: `/api/v1/campaigns/${x.id}/pending`, query: { unitId: String(x.target.id) } }))],
  },
  'POST /api/v1/campaigns/:id/samples': {
    permission: 'health.write',
    cases: [
      {
        name: "a liaison's tick of a person due in the placed unit",
        checks: [
          { at: 'target', read: 'health.read', hidden: 404 },
          { at: 'target', read: 'people.read', need: 'health.write', hidden: { field: 'personId' } },
        ],
        mutates: true,
        ok: 201,
        build: (w, unit) => campaignIn(w, unit),
        request: (x: CampaignTarget) => ({ method: 'POST', url: `/api/v1/campaigns/${x.id}/samples`, body: { personId: x.person.id } }),
      },
    ],
  },
  'POST /api/v1/campaigns/:id/close': { permission: 'campaigns.write', cases: [campaignCommand('close the campaign over the placed unit', (x) => ({ method: 'POST', url: `/api/v1/campaigns/${x.id}/close` }))] },
  'POST /api/v1/campaigns/:id/results': {
    permission: 'campaigns.write',
    cases: [
      campaignCommand("import the lab's result of a person due in the placed unit", (x) => {
        const { body, headers } = multipartFile({ filename: 'results.csv', contentType: 'text/csv', content: `工号,检测结果,采样日期\r\n${x.person.employee_no},阴性,2026-11-24\r\n` });
        return { method: 'POST', url: `/api/v1/campaigns/${x.id}/results`, query: { dryRun: 'false' }, body, headers };
      }),
    ],
  },
};

/** A report request asking the placed unit (and only it), with today's round open until tomorrow. */
async function reportIn(w: World, unit: UnitRow) {
  const now = w.t.clock.now();
  const day = dayOf(now, w.t.deps.config.timeZone);
  return transact(w.t.deps, systemCtx, async (tx) => {
    const r = await insertRequest(tx, {
      title: uniq('报送'),
      instructions: null,
      fields: JSON.stringify([{ key: 'count', label: '在岗人数', type: 'integer', required: true }]),
      schedule: 'once',
      deadline_at: now + 24 * 60 * 60_000,
      due_minutes: null,
      last_day: null,
      remind_before_minutes: 0,
      status: 'open',
      unit_id: unit.id,
      created_by_user_id: null,
      created_at: now,
      closed_by_user_id: null,
      closed_at: null,
    });
    await insertRequestUnits(tx, r.id, [unit.id]);
    const { round } = await ensureRound(tx, { request_id: r.id, day, opened_at: now, deadline_at: now + 24 * 60 * 60_000 });
    return { requestId: r.id, roundId: round.id, unit };
  });
}
type ReportTarget = Awaited<ReturnType<typeof reportIn>>;

/** A read of a request or a round: tasks.read over the unit asked finds it. */
const reportRead = (name: string, request: (x: ReportTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'tasks.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => reportIn(w, unit),
  request: (x: ReportTarget) => request(x),
});

const reports: Record<string, MatrixEntry> = {
  'POST /api/v1/report-requests': {
    permission: 'directives.write',
    cases: [
      {
        name: 'a report request asking the placed unit',
        gate: 'directives.write',
        checks: [{ at: 'target', read: 'units.read', need: 'directives.write', hidden: { field: 'target.unitIds' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow, w) => ({
          method: 'POST',
          url: '/api/v1/report-requests',
          body: {
            title: uniq('报送'),
            fields: [{ key: 'count', label: '在岗人数', type: 'integer', required: true }],
            target: { kind: 'units', unitIds: [unit.id] },
            schedule: { kind: 'once', deadline: w.t.clock.now() + 3_600_000 },
          },
        }),
      },
    ],
  },
  'GET /api/v1/report-requests': {
    permission: 'tasks.read',
    cases: [
      {
        name: "a request asking the placed unit is listed only inside the actor's tasks scope",
        gate: 'tasks.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'tasks.read',
        build: (w, unit) => reportIn(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/report-requests', query: { pageSize: '200' } }),
        found: (json, x: ReportTarget) => hasId(json, x.requestId),
      },
    ],
  },
  'GET /api/v1/report-requests/:id': { permission: 'tasks.read', cases: [reportRead('the request asking the placed unit', (x) => ({ method: 'GET', url: `/api/v1/report-requests/${x.requestId}` }))] },
  'GET /api/v1/report-requests/:id/rounds': {
    permission: 'tasks.read',
    cases: [reportRead('the rounds of the request asking the placed unit', (x) => ({ method: 'GET', url: `/api/v1/report-requests/${x.requestId}/rounds` }))],
  },
  'POST /api/v1/report-requests/:id/close': {
    permission: 'directives.write',
    cases: [
      {
        name: 'close the request asking the placed unit',
        checks: [{ at: 'target', read: 'tasks.read', need: 'directives.write', hidden: 404 }],
        mutates: true,
        ok: 200,
        build: (w, unit) => reportIn(w, unit),
        request: (x: ReportTarget) => ({ method: 'POST', url: `/api/v1/report-requests/${x.requestId}/close` }),
      },
    ],
  },
  'GET /api/v1/report-rounds/:id': { permission: 'tasks.read', cases: [reportRead('the round of the placed unit side by side', (x) => ({ method: 'GET', url: `/api/v1/report-rounds/${x.roundId}` }))] },
  'GET /api/v1/report-rounds/:id/export': { permission: 'tasks.read', cases: [reportRead('the round of the placed unit as .xlsx', (x) => ({ method: 'GET', url: `/api/v1/report-rounds/${x.roundId}/export` }))] },
  'GET /api/v1/report-rounds/to-submit': {
    permission: 'tasks.work',
    cases: [
      {
        name: "a round the placed unit has to fill in is listed only inside the actor's tasks.work scope",
        gate: 'tasks.work',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'tasks.work',
        build: (w, unit) => reportIn(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/report-rounds/to-submit', query: { pageSize: '200' } }),
        found: (json, x: ReportTarget) => ((json as { items?: { roundId: number; unitId: number }[] }).items ?? []).some((i) => i.roundId === x.roundId && i.unitId === x.unit.id),
      },
    ],
  },
  'POST /api/v1/report-rounds/:id/submissions': {
    permission: 'tasks.work',
    cases: [
      {
        name: "the placed unit's submission",
        checks: [
          { at: 'target', read: 'tasks.read', hidden: 404 },
          { at: 'target', read: 'tasks.read', need: 'tasks.work', hidden: { field: 'unitId' } },
        ],
        mutates: true,
        ok: 201,
        build: (w, unit) => reportIn(w, unit),
        request: (x: ReportTarget) => ({ method: 'POST', url: `/api/v1/report-rounds/${x.roundId}/submissions`, body: { unitId: x.unit.id, answers: { count: 12 } } }),
      },
    ],
  },
};

// ── measures ─────────────────────────────────────────────────────────────────────────────────────

/** A row of measure_values written as the service would, by the system (no requester: anyone above may decide it). */
async function measureRowAt(w: World, unit: UnitRow, status: 'set' | 'pending', value: number) {
  return insertMeasureValue(w.t.deps.db, {
    unit_id: unit.id,
    measure_key: 'meeting.max_size',
    value,
    effective_from: dayOf(w.t.clock.now(), w.t.deps.config.timeZone),
    status,
    reason: status === 'pending' ? '矩阵' : null,
    parent_value: 50,
    requested_by_user_id: null,
    requested_at: w.t.clock.now(),
    decided_by_user_id: null,
    decided_at: null,
    decided_day: null,
    decision_note: null,
  });
}

/** A pending exception at a new child of the placed unit: the placed unit is the level that decides it. */
async function exceptionUnder(w: World, unit: UnitRow) {
  const child = await unitUnder(w, unit);
  return measureRowAt(w, child, 'pending', 10);
}
type ExceptionTarget = Awaited<ReturnType<typeof exceptionUnder>>;

const measureRead = (name: string, request: (unit: UnitRow) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'measures.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: async (_w, unit) => unit,
  request: (unit: UnitRow) => request(unit),
});

const exceptionDecision = (name: string, request: (x: ExceptionTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'measures.read', need: 'measures.write', hidden: 404 }],
  mutates: true,
  ok: 200,
  build: (w, unit) => exceptionUnder(w, unit),
  request: (x: ExceptionTarget) => request(x),
});

const measures: Record<string, MatrixEntry> = {
  'GET /api/v1/measure-types': {
    permission: 'measures.read',
    cases: [
      {
        name: 'the catalogue, for anyone who reads measures somewhere',
        gate: 'measures.read',
        placed: false,
        checks: [],
        mutates: false,
        ok: 200,
        build: async () => null,
        request: () => ({ method: 'GET', url: '/api/v1/measure-types' }),
      },
    ],
  },
  'GET /api/v1/units/:id/measures': { permission: 'measures.read', cases: [measureRead('the register of the placed unit', (u) => ({ method: 'GET', url: `/api/v1/units/${u.id}/measures` }))] },
  'GET /api/v1/units/:id/measures/:key/history': {
    permission: 'measures.read',
    cases: [measureRead('the history of a measure at the placed unit', (u) => ({ method: 'GET', url: `/api/v1/units/${u.id}/measures/meeting.max_size/history` }))],
  },
  'POST /api/v1/units/:id/measures/:key': {
    permission: 'measures.write',
    cases: [
      {
        name: "set the placed unit's own (looser) value",
        checks: [{ at: 'target', read: 'measures.read', need: 'measures.write', hidden: 404 }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: `/api/v1/units/${unit.id}/measures/meeting.max_size`, body: { value: 60 } }),
      },
    ],
  },
  'POST /api/v1/units/:id/measures/:key/remove': {
    permission: 'measures.write',
    cases: [
      {
        name: "remove the placed unit's own value",
        checks: [{ at: 'target', read: 'measures.read', need: 'measures.write', hidden: 404 }],
        mutates: true,
        ok: 201,
        build: async (w, unit) => {
          await measureRowAt(w, unit, 'set', 60);
          return unit;
        },
        request: (unit: UnitRow) => ({ method: 'POST', url: `/api/v1/units/${unit.id}/measures/meeting.max_size/remove`, body: {} }),
      },
    ],
  },
  'GET /api/v1/measure-exceptions': {
    permission: 'measures.read',
    cases: [
      {
        name: "an exception under the placed unit is listed only inside the actor's measures scope",
        gate: 'measures.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'measures.read',
        build: (w, unit) => exceptionUnder(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/measure-exceptions', query: { status: 'pending', pageSize: '200' } }),
        found: (json, x: ExceptionTarget) => hasId(json, x.id),
      },
      {
        name: 'unitId names the placed unit',
        gate: 'measures.read',
        checks: [{ at: 'target', read: 'measures.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/measure-exceptions', query: { unitId: String(unit.id) } }),
      },
    ],
  },
  'POST /api/v1/measure-exceptions/:id/approve': {
    permission: 'measures.write',
    cases: [exceptionDecision("approve a child's exception as the placed unit", (x) => ({ method: 'POST', url: `/api/v1/measure-exceptions/${x.id}/approve`, body: {} }))],
  },
  'POST /api/v1/measure-exceptions/:id/refuse': {
    permission: 'measures.write',
    cases: [exceptionDecision("refuse a child's exception as the placed unit", (x) => ({ method: 'POST', url: `/api/v1/measure-exceptions/${x.id}/refuse`, body: { note: '理由不足' } }))],
  },
};

// ── directives, tasks, boards, meetings ─────────────────────────────────────────────────────────

interface TaskTarget {
  id: number;
  directiveId: number;
  unit: UnitRow;
  person: { id: number };
}

/** A directive recorded at the placed unit (with no task yet). */
async function directiveAt(w: World, unit: UnitRow) {
  const now = w.t.clock.now();
  return w.t.deps.db
    .insertInto('directives')
    .values({ unit_id: unit.id, source: 'city', document_no: null, title: uniq('部署'), body: '正文', received_at: now, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A task of a directive recorded at the placed unit, sent to that same unit, due at the end of today, in a given status. */
async function taskAt(w: World, unit: UnitRow, status: 'assigned' | 'acknowledged' | 'done' = 'assigned'): Promise<TaskTarget> {
  const d = await directiveAt(w, unit);
  const person = await personIn(w, unit);
  const now = w.t.clock.now();
  const tz = w.t.deps.config.timeZone;
  const row = await w.t.deps.db
    .insertInto('tasks')
    .values({
      directive_id: d.id,
      parent_id: null,
      unit_id: unit.id,
      title: d.title,
      instructions: null,
      responsible_person_id: person.id,
      deadline: endOfDay(dayOf(now, tz), tz),
      evidence: 'report',
      status,
      assigned_by_user_id: null,
      assigned_at: now,
      acknowledged_at: status === 'assigned' ? null : now,
      completed_at: status === 'done' ? now : null,
      report: status === 'done' ? '已完成' : null,
      photo_ids: '[]',
      file_ids: '[]',
      verified_at: null,
      return_reason: null,
      overdue_at: null,
      reminded_at: null,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, directiveId: d.id, unit, person };
}

/** A meeting recorded at the placed unit, with one decision. */
async function meetingAt(w: World, unit: UnitRow) {
  const now = w.t.clock.now();
  const m = await w.t.deps.db
    .insertInto('meetings')
    .values({ unit_id: unit.id, title: uniq('会议'), held_at: now, place: null, chair: null, attendees: null, minutes: null, created_by_user_id: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const d = await w.t.deps.db.insertInto('meeting_decisions').values({ meeting_id: m.id, position: 1, text: '落实外来人员登记', directive_id: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const person = await personIn(w, unit);
  return { id: m.id, decisionId: d.id, unit, person };
}

/** A step on the task in the placed unit: the task must be seen (tasks.read) and the step needs `need`. */
function taskStep(name: string, need: Permission, status: 'assigned' | 'acknowledged' | 'done', ok: number, request: (x: TaskTarget) => HttpRequest): MatrixCase {
  return {
    name,
    checks: [{ at: 'target', read: 'tasks.read', need, hidden: 404 }],
    mutates: true,
    ok,
    build: (w, unit) => taskAt(w, unit, status),
    request: (x: TaskTarget) => request(x),
  };
}

const readTask = (name: string, request: (x: TaskTarget) => HttpRequest, gate?: Permission): MatrixCase => ({
  name,
  ...(gate ? { gate } : {}),
  checks: [{ at: 'target', read: 'tasks.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => taskAt(w, unit),
  request: (x: TaskTarget) => request(x),
});

const directives: Record<string, MatrixEntry> = {
  'GET /api/v1/directives': {
    permission: 'tasks.read',
    cases: [
      {
        name: 'a directive recorded at the placed unit is listed only inside the tasks.read scope',
        gate: 'tasks.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'tasks.read',
        build: (w, unit) => directiveAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/directives', query: { pageSize: '200' } }),
        found: (json, d: { id: number }) => hasId(json, d.id),
      },
    ],
  },
  'POST /api/v1/directives': {
    permission: 'directives.write',
    cases: [
      {
        name: 'record a directive at the placed unit',
        gate: 'directives.write',
        checks: [{ at: 'target', read: 'tasks.read', need: 'directives.write', hidden: { field: 'unitId' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/directives', body: { unitId: unit.id, source: 'district', title: uniq('部署'), body: '今日内落实' } }),
      },
    ],
  },
  'GET /api/v1/directives/:id': {
    permission: 'tasks.read',
    cases: [readTask('the directive recorded at the placed unit', (x) => ({ method: 'GET', url: `/api/v1/directives/${x.directiveId}` }))],
  },
  'PATCH /api/v1/directives/:id': {
    permission: 'directives.write',
    cases: [taskStep('correct the title of the directive recorded at the placed unit', 'directives.write', 'assigned', 200, (x) => ({ method: 'PATCH', url: `/api/v1/directives/${x.directiveId}`, body: { title: uniq('更正') } }))],
  },
  'POST /api/v1/directives/:id/tasks': {
    permission: 'directives.write',
    cases: [
      taskStep('send a task of the directive at the placed unit to that unit', 'directives.write', 'assigned', 201, (x) => ({
        method: 'POST',
        url: `/api/v1/directives/${x.directiveId}/tasks`,
        body: { target: { mode: 'units', unitIds: [x.unit.id] }, responsible: [{ unitId: x.unit.id, personId: x.person.id }] },
      })),
    ],
  },
  'GET /api/v1/tasks': {
    permission: 'tasks.read',
    cases: [
      {
        name: 'a task of the placed unit is listed only inside the tasks.read scope',
        gate: 'tasks.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'tasks.read',
        build: (w, unit) => taskAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/tasks', query: { pageSize: '200' } }),
        found: (json, x: TaskTarget) => hasId(json, x.id),
      },
      {
        name: 'unitId names the placed unit',
        gate: 'tasks.read',
        checks: [{ at: 'target', read: 'tasks.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => taskAt(w, unit),
        request: (x: TaskTarget) => ({ method: 'GET', url: '/api/v1/tasks', query: { unitId: String(x.unit.id) } }),
      },
    ],
  },
  'GET /api/v1/tasks/:id': { permission: 'tasks.read', cases: [readTask('the task of the placed unit with its log', (x) => ({ method: 'GET', url: `/api/v1/tasks/${x.id}` }))] },
  'PATCH /api/v1/tasks/:id': {
    permission: 'directives.write',
    cases: [taskStep('re-date the task of the placed unit', 'directives.write', 'assigned', 200, (x) => ({ method: 'PATCH', url: `/api/v1/tasks/${x.id}`, body: { deadline: Date.now() + 7 * 86_400_000 } }))],
  },
  'POST /api/v1/tasks/:id/acknowledge': {
    permission: 'tasks.work',
    cases: [taskStep('acknowledge the task of the placed unit', 'tasks.work', 'assigned', 200, (x) => ({ method: 'POST', url: `/api/v1/tasks/${x.id}/acknowledge`, body: {} }))],
  },
  'POST /api/v1/tasks/:id/complete': {
    permission: 'tasks.work',
    cases: [taskStep('complete the task of the placed unit', 'tasks.work', 'acknowledged', 200, (x) => ({ method: 'POST', url: `/api/v1/tasks/${x.id}/complete`, body: { report: '已落实' } }))],
  },
  'POST /api/v1/tasks/:id/split': {
    permission: 'tasks.work',
    cases: [
      {
        name: 'split the task of the placed unit to a unit below it',
        checks: [{ at: 'target', read: 'tasks.read', need: 'tasks.work', hidden: 404 }],
        mutates: true,
        ok: 201,
        build: async (w, unit) => {
          const x = await taskAt(w, unit, 'acknowledged');
          const child = await unitUnder(w, unit);
          return { ...x, child, childPerson: await personIn(w, child) };
        },
        request: (x: TaskTarget & { child: UnitRow; childPerson: { id: number } }) => ({
          method: 'POST',
          url: `/api/v1/tasks/${x.id}/split`,
          body: { target: { mode: 'units', unitIds: [x.child.id] }, responsible: [{ unitId: x.child.id, personId: x.childPerson.id }] },
        }),
      },
    ],
  },
  'POST /api/v1/tasks/:id/verify': {
    permission: 'directives.write',
    cases: [taskStep('verify the done task of the placed unit (its directive recorded there)', 'directives.write', 'done', 200, (x) => ({ method: 'POST', url: `/api/v1/tasks/${x.id}/verify`, body: {} }))],
  },
  'POST /api/v1/tasks/:id/return': {
    permission: 'directives.write',
    cases: [taskStep('return the done task of the placed unit', 'directives.write', 'done', 200, (x) => ({ method: 'POST', url: `/api/v1/tasks/${x.id}/return`, body: { reason: '材料不全' } }))],
  },
  'GET /api/v1/boards/directives/:id/progress': {
    permission: 'tasks.read',
    cases: [readTask('the progress of the directive recorded at the placed unit', (x) => ({ method: 'GET', url: `/api/v1/boards/directives/${x.directiveId}/progress` }), 'tasks.read')],
  },
  'GET /api/v1/boards/due-today': {
    permission: 'tasks.read',
    cases: [
      {
        name: "a task of the placed unit due today is listed only inside the actor's tasks.read scope",
        gate: 'tasks.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'tasks.read',
        build: (w, unit) => taskAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/boards/due-today' }),
        found: (json, x: TaskTarget) => ((json as { items?: { id: number }[] }).items ?? []).some((i) => i.id === x.id),
      },
      readTask('unitId names the placed unit', (x) => ({ method: 'GET', url: '/api/v1/boards/due-today', query: { unitId: String(x.unit.id) } }), 'tasks.read'),
    ],
  },
  'GET /api/v1/boards/units/:id/on-time': {
    permission: 'tasks.read',
    cases: [readTask("the placed unit's on-time record", (x) => ({ method: 'GET', url: `/api/v1/boards/units/${x.unit.id}/on-time`, query: { from: '2026-11-01', to: '2026-11-30' } }))],
  },
  'GET /api/v1/meetings': {
    permission: 'tasks.read',
    cases: [
      {
        name: 'a meeting recorded at the placed unit is listed only inside the tasks.read scope',
        gate: 'tasks.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'tasks.read',
        build: (w, unit) => meetingAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/meetings', query: { pageSize: '200' } }),
        found: (json, m: { id: number }) => hasId(json, m.id),
      },
    ],
  },
  'POST /api/v1/meetings': {
    permission: 'directives.write',
    cases: [
      {
        name: 'record a meeting at the placed unit',
        gate: 'directives.write',
        checks: [{ at: 'target', read: 'tasks.read', need: 'directives.write', hidden: { field: 'unitId' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/meetings', body: { unitId: unit.id, title: uniq('会议'), heldAt: Date.now(), decisions: [{ text: '落实' }] } }),
      },
    ],
  },
  'GET /api/v1/meetings/:id': {
    permission: 'tasks.read',
    cases: [
      {
        name: 'the meeting recorded at the placed unit',
        checks: [{ at: 'target', read: 'tasks.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => meetingAt(w, unit),
        request: (m: { id: number }) => ({ method: 'GET', url: `/api/v1/meetings/${m.id}` }),
      },
    ],
  },
  'POST /api/v1/meetings/:id/decisions': {
    permission: 'directives.write',
    cases: [
      {
        name: 'add a decision to the meeting recorded at the placed unit',
        checks: [{ at: 'target', read: 'tasks.read', need: 'directives.write', hidden: 404 }],
        mutates: true,
        ok: 201,
        build: (w, unit) => meetingAt(w, unit),
        request: (m: { id: number }) => ({ method: 'POST', url: `/api/v1/meetings/${m.id}/decisions`, body: { text: '加强错峰就餐' } }),
      },
    ],
  },
  'POST /api/v1/meetings/:id/decisions/:decisionId/tasks': {
    permission: 'directives.write',
    cases: [
      {
        name: 'turn a decision of the meeting at the placed unit into a task for that unit',
        checks: [{ at: 'target', read: 'tasks.read', need: 'directives.write', hidden: 404 }],
        mutates: true,
        ok: 201,
        build: (w, unit) => meetingAt(w, unit),
        request: (m: { id: number; decisionId: number; unit: UnitRow; person: { id: number } }) => ({
          method: 'POST',
          url: `/api/v1/meetings/${m.id}/decisions/${m.decisionId}/tasks`,
          body: { target: { mode: 'units', unitIds: [m.unit.id] }, responsible: [{ unitId: m.unit.id, personId: m.person.id }] },
        }),
      },
    ],
  },
};

/** A notice to a fresh unit under the placed one, with a person in its audience: its own unit so that a notice placed at the root does not reach A. */
async function noticeIn(w: World, unit: UnitRow) {
  const target = await unitUnder(w, unit);
  const person = await personIn(w, target);
  const publisher = await userIn(w, unit);
  const now = w.t.clock.now();
  const notice = await transact(w.t.deps, systemCtx, async (tx) => {
    const n = await insertNotice(tx, { title: uniq('通知'), kind: 'news', body: '正文', tags: '[]', status: 'published', audience: 1, published_by_user_id: publisher.id, published_at: now, withdrawn_by_user_id: null, withdrawn_at: null, withdraw_reason: null });
    await insertNoticeUnits(tx, n.id, [target.id]);
    await snapshotAudience(tx, n.id, [target.path], []);
    return n;
  });
  return { id: notice.id, target, person };
}
type NoticeTarget = Awaited<ReturnType<typeof noticeIn>>;

/** A notice is managed by notices.write over any part of it; anyone else finds nothing. */
const noticeCase = (name: string, mutates: boolean, request: (x: NoticeTarget) => HttpRequest, extra: Partial<MatrixCase> = {}): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'notices.write', hidden: 404 }],
  mutates,
  ok: 200,
  build: (w, unit) => noticeIn(w, unit),
  request: (x: NoticeTarget) => request(x),
  ...extra,
});

const notices: Record<string, MatrixEntry> = {
  'POST /api/v1/notices': {
    permission: 'notices.write',
    cases: [
      {
        name: 'publish a notice to a unit under the placed one',
        gate: 'notices.write',
        checks: [{ at: 'target', read: 'units.read', need: 'notices.write', hidden: { field: 'unitIds' } }],
        mutates: true,
        tables: ['notifications'],
        ok: 201,
        build: async (w, unit) => {
          const fresh = await unitUnder(w, unit);
          await personIn(w, fresh);
          return fresh;
        },
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/notices', body: { title: uniq('通知'), kind: 'guidance', body: '请落实。', unitIds: [unit.id] } }),
      },
    ],
  },
  'GET /api/v1/notices': {
    permission: 'notices.write',
    cases: [
      {
        name: "a notice to the placed unit is listed only inside the actor's notices.write scope",
        gate: 'notices.write',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'notices.write',
        build: (w, unit) => noticeIn(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/notices', query: { pageSize: '200' } }),
        found: (json, x: NoticeTarget) => hasId(json, x.id),
      },
    ],
  },
  'GET /api/v1/notices/:id': { permission: 'notices.write', cases: [noticeCase('the notice to the placed unit', false, (x) => ({ method: 'GET', url: `/api/v1/notices/${x.id}` }))] },
  'POST /api/v1/notices/:id/withdraw': {
    permission: 'notices.write',
    cases: [
      {
        ...noticeCase('withdraw the notice to the placed unit', true, (x) => ({ method: 'POST', url: `/api/v1/notices/${x.id}/withdraw`, body: { reason: '撤回' } })),
        checks: [{ at: 'target', read: 'notices.write', need: 'notices.write', hidden: 404 }],
      },
    ],
  },
  'GET /api/v1/notices/:id/receipts': {
    permission: 'notices.write',
    cases: [noticeCase('receipts under the placed unit', false, (x) => ({ method: 'GET', url: `/api/v1/notices/${x.id}/receipts`, query: { unitId: String(x.target.id) } }))],
  },
  'GET /api/v1/notices/:id/unread': {
    permission: 'notices.write',
    cases: [noticeCase('who has not read it under the placed unit', false, (x) => ({ method: 'GET', url: `/api/v1/notices/${x.id}/unread`, query: { unitId: String(x.target.id) } }))],
  },
  'POST /api/v1/notices/:id/remind': {
    permission: 'notices.write',
    cases: [
      noticeCase('remind those under the placed unit who have not read it', true, (x) => ({ method: 'POST', url: `/api/v1/notices/${x.id}/remind`, body: { unitId: x.target.id } }), {
        tables: ['notifications'],
      }),
    ],
  },
};

// ── incidents (server/modules/incidents) ─────────────────────────────────────────────────────────

/** A general incident filed at the placed unit by someone with a grant there: its one level is that unit, so it never reaches A unless placed there. */
async function incidentAt(w: World, unit: UnitRow) {
  const { user } = await grantOn(w, unit);
  const ctx = {
    actor: { userId: user.id, username: user.username, displayName: null, personId: null, grants: [{ role: 'liaison' as const, unitId: unit.id, unitName: unit.name, path: unit.path }], via: 'session' as const, sessionId: null },
    ip: null,
  };
  return fileIncident(w.t.deps, ctx, { unitId: unit.id, kind: 'other', severity: 'general', title: uniq('事项'), description: '矩阵探针', people: [] });
}

const incidentRead = (name: string, request: (x: { id: number }) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'incidents.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => incidentAt(w, unit),
  request: (x: { id: number }) => request(x),
});

const incidents: Record<string, MatrixEntry> = {
  'GET /api/v1/incidents': {
    permission: 'incidents.read',
    cases: [
      {
        name: 'an incident filed at the placed unit is on the board only inside the incidents.read scope',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'incidents.read',
        build: (w, unit) => incidentAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/incidents', query: { pageSize: '200' } }),
        found: (json, x: { id: number }) => hasId(json, x.id),
      },
    ],
  },
  'GET /api/v1/incidents/:id': { permission: 'incidents.read', cases: [incidentRead('the incident filed at the placed unit', (x) => ({ method: 'GET', url: `/api/v1/incidents/${x.id}` }))] },
  'GET /api/v1/incidents/:id/timeline': {
    permission: 'incidents.read',
    cases: [incidentRead('the timeline of the incident filed at the placed unit', (x) => ({ method: 'GET', url: `/api/v1/incidents/${x.id}/timeline` }))],
  },
};

/** Incident routes whose rule is not "a role over a subtree"; each is tested in server/modules/incidents/. */
const incidentsSpecial: Record<string, string> = {
  'POST /api/v1/incidents':
    'filing needs no permission, only a grant of any role covering the unit (an employee may file); server/modules/incidents/incidents.test.ts checks an employee at the unit (201), a unit outside their grants (404) and people outside their scope (400 naming people.N.personId)',
  'POST /api/v1/incidents/:id/acknowledge':
    'acts for one level: on shift at its unit or incidents.handle by a grant on that very unit (a grant above does not count); incidents.test.ts checks the station (200), the airline duty officer before it reaches the airline (403), an outsider (404)',
  'POST /api/v1/incidents/:id/instructions': 'from a level the incident reached, above its unit, that the actor acts for; incidents.test.ts checks the command office (200) and the station (403)',
  'POST /api/v1/incidents/:id/instructions/:instructionId/acknowledge':
    'by a level below the sender that the actor acts for; incidents.test.ts checks the station (200, then 409), the sender (403), an outsider (404)',
  'POST /api/v1/incidents/:id/actions': 'by a level the incident reached that the actor acts for; incidents.test.ts checks the station (200) and the filer (403)',
  'POST /api/v1/incidents/:id/resolve': 'by the level that handles it (the top, acknowledged); incidents.test.ts checks the command office (200) and the airline (403)',
  'POST /api/v1/incidents/:id/close': 'by the level that handles it, once resolved, with a review for critical and major; incidents.test.ts checks 409 before the resolution, 400 without the review, 200',
  'GET /api/v1/incidents/stream':
    'a never-ending event stream, which app.inject cannot read: server/modules/incidents/incidents.live.test.ts checks it over a real socket (events of incidents in scope only; a unit out of scope 404) and across two processes',
  'GET /api/v1/settings/incidents': 'deployment-wide settings: incidents.handle counts only on a root unit; incidents.test.ts checks the command office on the root (200) and a unit head on a station (403)',
  'PUT /api/v1/settings/incidents': 'deployment-wide settings: incidents.handle counts only on a root unit; tested with GET in incidents.test.ts',
};

// ── duty rosters ─────────────────────────────────────────────────────────────────────────────────

const HOUR = 3_600_000;
let dutySlot = 0;
/** A fresh day far enough ahead that no two targets of one unit overlap. */
const nextDutyStart = (w: World) => w.t.clock.now() + (10 + ++dutySlot) * 24 * HOUR;

/**
 * A unit keeping duty with one shift (a leader and an officer of the unit): ahead by default, or
 * running now (a handover may be written). Written straight into the tables, like every target.
 */
async function dutyShiftAt(w: World, unit: UnitRow, when: 'ahead' | 'now' = 'ahead') {
  const now = w.t.clock.now();
  const startsAt = when === 'now' ? now - HOUR : nextDutyStart(w);
  const leader = await personIn(w, unit);
  const officer = await personIn(w, unit);
  if (!(await findRoster(w.t.deps.db, unit.id))) await insertRoster(w.t.deps.db, { unit_id: unit.id, note: null, created_by_user_id: null, now });
  const s = await insertShift(w.t.deps.db, { unit_id: unit.id, starts_at: startsAt, ends_at: startsAt + 24 * HOUR, note: null, source: 'manual', created_by_user_id: null }, now);
  await insertMembers(w.t.deps.db, [{ shiftId: s.id, leaderIds: [leader.id], officerIds: [officer.id] }]);
  return { id: s.id, unit, leader, officer, startsAt };
}
type DutyShiftTarget = Awaited<ReturnType<typeof dutyShiftAt>>;

/** A swap between two people of the placed unit, on two shifts ahead, already accepted (waiting for the head). */
async function dutySwapAt(w: World, unit: UnitRow) {
  const first = await dutyShiftAt(w, unit);
  const second = await dutyShiftAt(w, unit);
  const now = w.t.clock.now();
  const id = await insertSwap(w.t.deps.db, {
    unit_id: unit.id,
    shift_id: first.id,
    requester_person_id: first.officer.id,
    counterpart_person_id: second.officer.id,
    counterpart_shift_id: second.id,
    status: 'accepted',
    reason: null,
    requested_by_user_id: null,
    requested_at: now,
    answered_by_user_id: null,
    answered_at: now,
    decided_by_user_id: null,
    decided_at: null,
    decision_note: null,
    updated_at: now,
  });
  return { id, unit };
}
type DutySwapTarget = Awaited<ReturnType<typeof dutySwapAt>>;

/** A unit that keeps duty and has no shift at all (so the whole coming week is a gap). */
async function dutyRosterAt(w: World, unit: UnitRow) {
  const fresh = await unitUnder(w, unit);
  await insertRoster(w.t.deps.db, { unit_id: fresh.id, note: null, created_by_user_id: null, now: w.t.clock.now() });
  return fresh;
}

const dutyRead = (name: string, request: (x: DutyShiftTarget) => HttpRequest, when: 'ahead' | 'now' = 'ahead'): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'duty.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => dutyShiftAt(w, unit, when),
  request: (x: DutyShiftTarget) => request(x),
});

const dutyWrite = <T>(name: string, build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T, w: World) => HttpRequest, ok = 200): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'duty.read', need: 'duty.write', hidden: 404 }],
  mutates: true,
  ok,
  build: (w, unit) => build(w, unit),
  request: (x, w) => request(x as T, w),
});

const unitIdsOf = (json: unknown) => ((json as { items?: { unitId?: number }[] } | null)?.items ?? []).map((i) => i.unitId);

/** A list over the units that keep duty in the scope (rosters, gaps): the whole scope, and one placed unit's subtree. */
const subtreeOfDuty = (url: string, name: string): MatrixCase[] => [
  {
    name,
    gate: 'duty.read',
    checks: [],
    mutates: false,
    ok: 200,
    lists: 'duty.read',
    build: (w, unit) => dutyRosterAt(w, unit),
    request: () => ({ method: 'GET', url }),
    found: (json, unit: UnitRow) => unitIdsOf(json).includes(unit.id),
  },
  {
    name: 'unitId names the placed unit',
    gate: 'duty.read',
    checks: [{ at: 'target', read: 'duty.read', hidden: 404 }],
    mutates: false,
    ok: 200,
    build: async (_w, unit) => unit,
    request: (unit: UnitRow) => ({ method: 'GET', url, query: { unitId: String(unit.id) } }),
  },
];

const duty: Record<string, MatrixEntry> = {
  'GET /api/v1/duty/rosters': {
    permission: 'duty.read',
    cases: subtreeOfDuty('/api/v1/duty/rosters', 'a unit that keeps duty under the placed one is listed only inside the duty.read scope'),
  },
  'PUT /api/v1/duty/rosters/:unitId': {
    permission: 'duty.write',
    cases: [dutyWrite('make the placed unit keep duty', async (_w, unit) => unit, (unit: UnitRow) => ({ method: 'PUT', url: `/api/v1/duty/rosters/${unit.id}`, body: { note: '值班' } }))],
  },
  'DELETE /api/v1/duty/rosters/:unitId': {
    permission: 'duty.write',
    cases: [dutyWrite('stop keeping duty at a unit under the placed one', (w, unit) => dutyRosterAt(w, unit), (unit: UnitRow) => ({ method: 'DELETE', url: `/api/v1/duty/rosters/${unit.id}` }))],
  },
  'POST /api/v1/duty/rosters/:unitId/generate': {
    permission: 'duty.write',
    cases: [
      dutyWrite(
        'generate a day of the placed unit’s roster',
        async (w, unit) => ({ unit, leader: await personIn(w, unit), officer: await personIn(w, unit) }),
        (x, w) => ({
          method: 'POST',
          url: `/api/v1/duty/rosters/${x.unit.id}/generate`,
          body: { from: addDays(dayOf(w.t.clock.now(), w.t.deps.config.timeZone), 3), to: addDays(dayOf(w.t.clock.now(), w.t.deps.config.timeZone), 3), pattern: { leaderIds: [x.leader.id], officerIds: [x.officer.id] } },
        }),
      ),
    ],
  },
  'GET /api/v1/duty/shifts': {
    permission: 'duty.read',
    cases: [
      {
        ...dutyRead('the placed unit’s shifts', (x) => ({ method: 'GET', url: '/api/v1/duty/shifts', query: { unitId: String(x.unit.id), from: String(x.startsAt), to: String(x.startsAt + HOUR) } })),
        lists: 'duty.read',
        found: (json, x: DutyShiftTarget) => hasId(json, x.id),
      },
    ],
  },
  'POST /api/v1/duty/shifts': {
    permission: 'duty.write',
    cases: [
      {
        name: 'add a shift at the placed unit with its own people',
        checks: [{ at: 'target', read: 'duty.read', need: 'duty.write', hidden: { field: 'unitId' } }],
        mutates: true,
        ok: 201,
        build: async (w, unit) => ({ unit, leader: await personIn(w, unit), officer: await personIn(w, unit), startsAt: nextDutyStart(w) }),
        request: (x: { unit: UnitRow; leader: { id: number }; officer: { id: number }; startsAt: number }) => ({
          method: 'POST',
          url: '/api/v1/duty/shifts',
          body: { unitId: x.unit.id, startsAt: x.startsAt, endsAt: x.startsAt + 24 * HOUR, leaderIds: [x.leader.id], officerIds: [x.officer.id] },
        }),
      },
    ],
  },
  'GET /api/v1/duty/shifts/:id': { permission: 'duty.read', cases: [dutyRead('a shift of the placed unit', (x) => ({ method: 'GET', url: `/api/v1/duty/shifts/${x.id}` }))] },
  'PATCH /api/v1/duty/shifts/:id': {
    permission: 'duty.write',
    cases: [dutyWrite('change a shift of the placed unit', (w, unit) => dutyShiftAt(w, unit), (x) => ({ method: 'PATCH', url: `/api/v1/duty/shifts/${x.id}`, body: { note: '节假日' } }))],
  },
  'DELETE /api/v1/duty/shifts/:id': {
    permission: 'duty.write',
    cases: [dutyWrite('remove a shift of the placed unit', (w, unit) => dutyShiftAt(w, unit), (x) => ({ method: 'DELETE', url: `/api/v1/duty/shifts/${x.id}` }))],
  },
  'GET /api/v1/duty/shifts/:id/handover': { permission: 'duty.read', cases: [dutyRead('the handover of a shift of the placed unit', (x) => ({ method: 'GET', url: `/api/v1/duty/shifts/${x.id}/handover` }))] },
  'GET /api/v1/duty/shifts/:id/previous-handover': {
    permission: 'duty.read',
    cases: [dutyRead('the handover before a shift of the placed unit', (x) => ({ method: 'GET', url: `/api/v1/duty/shifts/${x.id}/previous-handover` }))],
  },
  'PUT /api/v1/duty/shifts/:id/handover': {
    permission: 'duty.write',
    cases: [dutyWrite('write the handover of the running shift of the placed unit (not being on it)', (w, unit) => dutyShiftAt(w, unit, 'now'), (x) => ({ method: 'PUT', url: `/api/v1/duty/shifts/${x.id}/handover`, body: { body: '无异常' } }))],
  },
  'GET /api/v1/duty/swaps': {
    permission: 'duty.read',
    cases: [
      {
        name: 'a swap at the placed unit is listed only inside the duty.read scope',
        gate: 'duty.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'duty.read',
        build: (w, unit) => dutySwapAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/duty/swaps' }),
        found: (json, x: DutySwapTarget) => hasId(json, x.id),
      },
    ],
  },
  'GET /api/v1/duty/swaps/:id': {
    permission: 'duty.read',
    cases: [{ name: 'a swap at the placed unit', checks: [{ at: 'target', read: 'duty.read', hidden: 404 }], mutates: false, ok: 200, build: (w, unit) => dutySwapAt(w, unit), request: (x: DutySwapTarget) => ({ method: 'GET', url: `/api/v1/duty/swaps/${x.id}` }) }],
  },
  'POST /api/v1/duty/swaps/:id/approve': {
    permission: 'duty.write',
    cases: [dutyWrite('approve a swap at the placed unit', (w, unit) => dutySwapAt(w, unit), (x) => ({ method: 'POST', url: `/api/v1/duty/swaps/${x.id}/approve`, body: {} }))],
  },
  'POST /api/v1/duty/swaps/:id/refuse': {
    permission: 'duty.write',
    cases: [dutyWrite('refuse a swap at the placed unit', (w, unit) => dutySwapAt(w, unit), (x) => ({ method: 'POST', url: `/api/v1/duty/swaps/${x.id}/refuse`, body: { note: '人手不足' } }))],
  },
  'GET /api/v1/duty/gaps': {
    permission: 'duty.read',
    cases: subtreeOfDuty('/api/v1/duty/gaps', 'the gaps of a unit that keeps duty under the placed one are listed only inside the duty.read scope'),
  },
  'GET /api/v1/duty/log': {
    permission: 'duty.read',
    cases: [dutyRead('the duty log of the placed unit', (x) => ({ method: 'GET', url: '/api/v1/duty/log', query: { unitId: String(x.unit.id) } }))],
  },
};


/** A message of the outbox about the placed unit, going to a robot of it (the notify module's delivery log). */
async function outboxMessageIn(w: World, unit: UnitRow) {
  await channelIn(w, unit);
  await transact(w.t.deps, systemCtx, (tx) => notifyUsers(tx, w.t.deps, [], { kind: 'checkin.reminder', params: { day: '2026-11-24' }, unitId: unit.id, entity: 'unit', entityId: String(unit.id) }));
  return w.t.deps.db.selectFrom('notify_messages').select(['id', 'unit_id']).where('unit_id', '=', unit.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
}

/** The outbox's delivery log: the channels' rule (units.write over the unit), out of scope reads as absent. */
const notifyOutbox: Record<string, MatrixEntry> = {
  'GET /api/v1/units/:id/deliveries': {
    permission: 'units.write',
    cases: [channelCase("the delivery log of the placed unit's channels", false, 200, (c) => ({ method: 'GET', url: `/api/v1/units/${c.unit_id}/deliveries` }))],
  },
  'GET /api/v1/outbox/messages/:id': {
    permission: 'units.write',
    cases: [
      {
        name: 'a message about the placed unit with its deliveries and attempts',
        checks: [{ at: 'target', read: 'units.read', need: 'units.write', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => outboxMessageIn(w, unit),
        request: (m: { id: number }) => ({ method: 'GET', url: `/api/v1/outbox/messages/${m.id}` }),
      },
    ],
  },
};

export const matrix: Record<string, MatrixEntry> = { ...units, ...people, ...users, ...tokens, ...audit, ...health, ...trips, ...notify, ...notifyOutbox, ...campaigns, ...reports, ...measures, ...directives, ...notices, ...incidents, ...duty, ...meetingsMatrix, ...diningMatrix, ...contactsMatrix, ...placesMatrix, ...scorecardMatrix, ...volunteersMatrix, ...supervisionMatrix, ...careMatrix, ...plansMatrix };

/** Routes that are public or act only on the caller's own account, each with why. */
export const unscoped: Record<string, string> = {
  'GET /healthz': 'public liveness probe; touches no scoped data',
  'GET /metrics': 'public Prometheus counters by route; no records',
  'GET /api/openapi.json': 'public API description',
  'GET /api/v1/setup': 'public: whether first-run setup is still needed',
  'POST /api/v1/setup': 'public first-run setup, guarded by the one-time printed token',
  'POST /api/v1/auth/login': 'public sign-in',
  'POST /api/v1/auth/logout': 'public sign-out of the calling session',
  'GET /api/v1/me': "the caller's own account, grants and permissions",
  'POST /api/v1/me/password': "the caller's own password",
  'GET /api/v1/import/template.xlsx': 'a static import template for anyone signed in',
  'GET /api/v1/notifications': "the caller's own notifications",
  'POST /api/v1/notifications/:id/read': "one of the caller's own notifications (anyone else's reads as not found)",
  'POST /api/v1/notifications/read-all': "the caller's own notifications",
  'GET /api/v1/notifications/stream': "the caller's own notifications, live (server/modules/notify/stream.test.ts: a stream carries only its own user's)",
  'GET /api/v1/checkins/mine': "the caller's own check-ins (of the person the account is linked to)",
  'GET /api/v1/campaigns/mine': "the caller's own open campaigns and testing codes (of the person the account is linked to)",
  'GET /api/v1/me/data-report': "the caller's own personal data report (of the person the account is linked to)",
  'GET /api/v1/trips/mine': "the caller's own trips (of the person the account is linked to)",
  'GET /api/v1/tasks/mine': "the caller's own tasks (those whose responsible person is the person the account is linked to)",
  'GET /api/v1/risk-areas': 'the risk-area list is public information the health authorities publish; every signed-in user (employees planning a trip) reads it',
  'GET /api/v1/notices/mine': "the caller's own notices (of the person the account is linked to: the audience fixed when each was published)",
  'GET /api/v1/notices/mine/:id': "one of the caller's own notices (one they are not in the audience of, or withdrawn, reads as not found)",
  'POST /api/v1/notices/mine/:id/read': "the caller's own read receipt of one of their notices",
  'GET /api/v1/me/shifts': "the caller's own coming shifts (of the person the account is linked to)",
  'GET /api/v1/me/shifts/feed': "whether the caller's own calendar feed exists",
  'POST /api/v1/me/shifts/feed': "makes or rotates the caller's own calendar feed token",
  'DELETE /api/v1/me/shifts/feed': "stops the caller's own calendar feed",
  'GET /api/v1/me/swaps': "the swaps the caller's own person asked or was asked for",
  'GET /api/v1/duty/feed/:token.ics': 'public: the secret token in the URL is the credential (stored hashed); it shows only its owner’s own shifts; unknown, rotated or disabled reads as 404 (server/modules/duty/duty.test.ts)',
  ...diningUnscoped,
  ...volunteersUnscoped,
  ...careUnscoped,
  'POST /api/v1/attachments': "the caller's own upload: anyone signed in may upload (a task's evidence, a notice's files); it is theirs alone until a module they may write to links it, and is purged after a day otherwise",
};

/** Routes whose rule is not "a role over a subtree"; each has its own test. */
export const special: Record<string, string> = {
  ...incidentsSpecial,
  ...meetingsSpecial,
  'GET /api/v1/duty/now':
    'anyone with any grant over the unit (an employee too: they must know whom to call), phones whole only with people.phone: server/modules/duty/duty.test.ts checks an employee of a department 200 with masked phones, the command office whole phones, a unit head of another branch 404',
  'POST /api/v1/duty/swaps': 'asked by the person on the shift for themselves (no permission): server/modules/duty/duty.test.ts checks the asker, and refusals for a shift they are not on',
  'POST /api/v1/duty/swaps/:id/accept': 'only the other person of the swap: server/modules/duty/duty.test.ts checks someone else 404 and the counterpart 200',
  'POST /api/v1/duty/swaps/:id/decline': 'only the other person of the swap: tested with accept in server/modules/duty/duty.test.ts',
  'POST /api/v1/duty/swaps/:id/cancel': 'only the asker, while undecided: server/modules/duty/duty.test.ts',
  'POST /api/v1/setup/demo': 'demo data for the whole organisation: an admin on the root only, and 409 once people exist',
  'GET /api/v1/settings/health': 'deployment-wide settings: health.settings counts only on a root unit; server/modules/health/reminders.test.ts checks command and admin on the root (200) against them on a subsidiary and a liaison on the root (403)',
  'PUT /api/v1/settings/health': 'deployment-wide settings: health.settings counts only on a root unit; tested with GET in server/modules/health/reminders.test.ts',
  'GET /api/v1/settings/tasks': 'deployment-wide settings: directives.write counts only on a root unit; server/modules/directives/tasks.deadlines.test.ts checks command on the root (200) against command on a subsidiary and a liaison on the root (403)',
  'PUT /api/v1/settings/tasks': 'deployment-wide settings: directives.write counts only on a root unit; tested with GET in server/modules/directives/tasks.deadlines.test.ts',
  'GET /api/v1/live/checkins':
    'a never-ending event stream, which app.inject cannot read: server/modules/health/live.test.ts checks it over a real socket (in scope 200 and only its subtree, out of scope 404, no health.read 403)',
  'GET /api/v1/attachments/:id':
    "read by the uploader, or by the read rule the owning module registers for what it is attached to: server/modules/files/files.test.ts checks uploader 200, anyone else 404 until linked, and the owner's rule after; each owner's rule is the matrix entry of that owner's own GET",
};

/**
 * Routes another change is adding: their entries are skipped (not failed) while unregistered, and
 * any other unregistered entry fails as a typo. Empty now: import, its template, the people export
 * and the demo loader, once listed here, are all registered.
 */
export const PENDING_ROUTES: ReadonlySet<string> = new Set<string>([]);

/** Only /api/ routes must be declared; the swagger UI's static files are not ours. */
export function mustBeDeclared(key: string): boolean {
  const url = key.slice(key.indexOf(' ') + 1);
  return url.startsWith('/api/') && url !== '/api/docs' && !url.startsWith('/api/docs/');
}
