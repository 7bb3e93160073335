/**
 * The authorization matrix of front-line volunteers (server/modules/volunteers): the pool, posts,
 * shifts, assignments, requests, who is on shift now and hours. Spread into `matrix` by
 * test/authz.matrix.ts; the types come from there (type-only: no cycle at load time). Answering a
 * request (an assignment with requestId: volunteers.write ABOVE the post's unit) is tested in
 * server/modules/volunteers/volunteers.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { addDays, dayOf, startOfDay } from '../common/day.js';
import type { Permission } from '../common/roles.js';
import type { UnitRow } from '../server/db/schema.js';
import { insertAssignment, insertPost, insertRequest, insertShifts, insertVolunteer } from '../server/modules/volunteers/volunteers.store.js';
import type { MatrixCase, MatrixEntry, World } from './authz.matrix.js';
import { buildPerson } from './factories.js';
import type { HttpRequest } from './http.js';

let n = 0;
const mark = (prefix: string) => `${prefix}${(++n).toString(36)}${randomBytes(2).toString('hex')}`;
const H = 3_600_000;

/** A volunteer (a person of the unit in the pool). */
async function volunteerAt(w: World, unit: UnitRow) {
  const person = await buildPerson(w.t, unit, { name: mark('志愿者'), employeeNo: mark('E') });
  const now = w.t.clock.now();
  const id = await insertVolunteer(w.t.deps.db, { person_id: person.id, party_member: 1, youth_league: 0, skills: JSON.stringify(['驾驶']), availability: null, consent_note: null, added_by_user_id: null, joined_at: now, left_at: null, updated_at: now });
  return { id, unit, person, name: person.name };
}
type VolunteerTarget = Awaited<ReturnType<typeof volunteerAt>>;

/** A post at the unit active from yesterday for a week, with one shift running now (needs 2) and one tomorrow. */
async function postAt(w: World, unit: UnitRow) {
  const { db } = w.t.deps;
  const tz = w.t.deps.config.timeZone;
  const now = w.t.clock.now();
  const today = dayOf(now, tz);
  const title = mark('岗位');
  const id = await insertPost(db, { unit_id: unit.id, place_id: null, kind: 'checkpoint', title, needed: 2, active_from: addDays(today, -1), active_to: addDays(today, 6), note: null, created_by_user_id: null, created_at: now, updated_at: now });
  const tomorrow = startOfDay(addDays(today, 1), tz) + 8 * H;
  const [running, later] = await insertShifts(
    db,
    id,
    [
      { starts_at: now - H, ends_at: now + H, needed: 2 },
      { starts_at: tomorrow, ends_at: tomorrow + 4 * H, needed: 2 },
    ],
    now,
  );
  return { id, unit, title, runningShiftId: running!, laterShiftId: later!, tomorrow };
}
type PostTarget = Awaited<ReturnType<typeof postAt>>;

/** A post at the unit whose running shift has a volunteer on it. */
async function assignedAt(w: World, unit: UnitRow) {
  const p = await postAt(w, unit);
  const v = await volunteerAt(w, unit);
  await insertAssignment(w.t.deps.db, { shift_id: p.runningShiftId, volunteer_id: v.id, request_id: null, assigned_by_user_id: null, assigned_at: w.t.clock.now() });
  return { ...p, volunteer: v };
}
type AssignedTarget = Awaited<ReturnType<typeof assignedAt>>;

/** A volunteer of the unit with a finished two-hour shift today (of a post at the same unit). */
async function servedAt(w: World, unit: UnitRow) {
  const p = await postAt(w, unit);
  const v = await volunteerAt(w, unit);
  const now = w.t.clock.now();
  const [done] = await insertShifts(w.t.deps.db, p.id, [{ starts_at: now - 3 * H, ends_at: now - 2 * H, needed: 1 }], now);
  await insertAssignment(w.t.deps.db, { shift_id: done!, volunteer_id: v.id, request_id: null, assigned_by_user_id: null, assigned_at: now });
  return { ...v, postId: p.id };
}

/** An open request for the post at the unit. */
async function requestAt(w: World, unit: UnitRow) {
  const p = await postAt(w, unit);
  const now = w.t.clock.now();
  const id = await insertRequest(w.t.deps.db, { post_id: p.id, count: 2, from_at: now, to_at: now + 48 * H, note: null, status: 'open', asked_by_user_id: null, asked_at: now, closed_at: null });
  return { ...p, requestId: id };
}
type RequestTarget = Awaited<ReturnType<typeof requestAt>>;

const ids = (json: unknown, key = 'id') => ((json as { items?: Record<string, unknown>[] } | null)?.items ?? []).map((i) => i[key]);

const read = <T>(name: string, build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'volunteers.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: (w, unit) => build(w, unit),
  request: (x) => request(x as T),
});

const write = <T>(name: string, build: (w: World, unit: UnitRow) => Promise<T>, request: (x: T) => HttpRequest, ok = 200): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'volunteers.read', need: 'volunteers.write', hidden: 404 }],
  mutates: true,
  tables: ['audit_log'],
  ok,
  build: (w, unit) => build(w, unit),
  request: (x) => request(x as T),
});

/** A list over a subtree: the whole scope finds the placed target only inside it; unitId names the placed unit. */
const subtreeList = <T extends { unit: UnitRow }>(url: string, name: string, build: (w: World, unit: UnitRow) => Promise<T>, found: (json: unknown, x: T) => boolean, query: (x: T) => Record<string, string> = () => ({}), gate: Permission = 'volunteers.read'): MatrixCase[] => [
  {
    name,
    gate,
    checks: [],
    mutates: false,
    ok: 200,
    lists: 'volunteers.read',
    build: (w, unit) => build(w, unit),
    request: (x) => ({ method: 'GET', url, query: query(x as T) }),
    found: (json, x) => found(json, x as T),
  },
  {
    name: 'unitId names the placed unit',
    gate,
    checks: [{ at: 'target', read: 'volunteers.read', hidden: 404 }],
    mutates: false,
    ok: 200,
    build: async (_w, unit) => ({ unit }),
    request: (x) => ({ method: 'GET', url, query: { ...query(x as T), unitId: String((x as { unit: UnitRow }).unit.id) } }),
  },
];

export const volunteersMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/volunteers': {
    permission: 'volunteers.read',
    cases: subtreeList('/api/v1/volunteers', 'a volunteer of the placed unit is in the pool only inside the volunteers.read scope', volunteerAt, (json, v) => ids(json).includes(v.id), (v) => ({ q: v.name })),
  },
  'POST /api/v1/volunteers': {
    permission: 'volunteers.write',
    cases: [
      {
        name: 'add a person of the placed unit to the pool',
        checks: [{ at: 'target', read: 'volunteers.read', need: 'volunteers.write', hidden: { field: 'personId' } }],
        mutates: true,
        tables: ['audit_log'],
        ok: 201,
        build: (w, unit) => buildPerson(w.t, unit, { name: mark('人员'), employeeNo: mark('E') }),
        request: (p: { id: number }) => ({ method: 'POST', url: '/api/v1/volunteers', body: { personId: p.id, skills: ['医护'], consentNote: '本人同意' } }),
      },
    ],
  },
  'GET /api/v1/volunteers/now': {
    permission: 'volunteers.read',
    cases: subtreeList('/api/v1/volunteers/now', 'a shift running now at a post of the placed unit is listed only inside the volunteers.read scope', assignedAt, (json, p) => ((json as { posts?: { postId: number }[] } | null)?.posts ?? []).some((x) => x.postId === p.id)),
  },
  'GET /api/v1/volunteers/hours': {
    permission: 'volunteers.read',
    cases: subtreeList('/api/v1/volunteers/hours', 'hours of a volunteer of the placed unit are listed only inside the volunteers.read scope', servedAt, (json, v) => ids(json, 'volunteerId').includes(v.id)),
  },
  'GET /api/v1/volunteers/:id': { permission: 'volunteers.read', cases: [read('a volunteer of the placed unit', volunteerAt, (v: VolunteerTarget) => ({ method: 'GET', url: `/api/v1/volunteers/${v.id}` }))] },
  'PATCH /api/v1/volunteers/:id': {
    permission: 'volunteers.write',
    cases: [write('change the skills of a volunteer of the placed unit', volunteerAt, (v: VolunteerTarget) => ({ method: 'PATCH', url: `/api/v1/volunteers/${v.id}`, body: { skills: ['心理'] } }))],
  },
  'POST /api/v1/volunteers/:id/leave': {
    permission: 'volunteers.write',
    cases: [write('take a volunteer of the placed unit out of the pool', volunteerAt, (v: VolunteerTarget) => ({ method: 'POST', url: `/api/v1/volunteers/${v.id}/leave` }))],
  },
  'GET /api/v1/volunteer-posts': {
    permission: 'volunteers.read',
    cases: subtreeList('/api/v1/volunteer-posts', 'a post at the placed unit is listed only inside the volunteers.read scope', postAt, (json, p) => ids(json).includes(p.id)),
  },
  'POST /api/v1/volunteer-posts': {
    permission: 'volunteers.write',
    cases: [
      {
        name: 'create a post at the placed unit',
        checks: [{ at: 'target', read: 'volunteers.read', need: 'volunteers.write', hidden: { field: 'unitId' } }],
        mutates: true,
        tables: ['audit_log'],
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/volunteer-posts', body: { unitId: unit.id, kind: 'testing_site', title: mark('检测点'), needed: 3, activeFrom: '2026-01-01', activeTo: '2026-01-02' } }),
      },
    ],
  },
  'GET /api/v1/volunteer-posts/:id': { permission: 'volunteers.read', cases: [read('a post at the placed unit', postAt, (p: PostTarget) => ({ method: 'GET', url: `/api/v1/volunteer-posts/${p.id}` }))] },
  'PATCH /api/v1/volunteer-posts/:id': {
    permission: 'volunteers.write',
    cases: [write('rename a post at the placed unit', postAt, (p: PostTarget) => ({ method: 'PATCH', url: `/api/v1/volunteer-posts/${p.id}`, body: { title: mark('改名') } }))],
  },
  'GET /api/v1/volunteer-posts/:id/shifts': {
    permission: 'volunteers.read',
    cases: [read('the shift grid of a post at the placed unit', postAt, (p: PostTarget) => ({ method: 'GET', url: `/api/v1/volunteer-posts/${p.id}/shifts` }))],
  },
  'POST /api/v1/volunteer-posts/:id/shifts': {
    permission: 'volunteers.write',
    cases: [write('add a shift to a post at the placed unit', postAt, (p: PostTarget) => ({ method: 'POST', url: `/api/v1/volunteer-posts/${p.id}/shifts`, body: { startsAt: p.tomorrow + 6 * H, endsAt: p.tomorrow + 10 * H } }), 201)],
  },
  'POST /api/v1/volunteer-posts/:id/shifts/generate': {
    permission: 'volunteers.write',
    cases: [
      write(
        'lay shifts over a day of a post at the placed unit',
        postAt,
        (p: PostTarget) => {
          const day = new Date(p.tomorrow + 8 * H).toISOString().slice(0, 10);
          return { method: 'POST', url: `/api/v1/volunteer-posts/${p.id}/shifts/generate`, body: { from: day, to: day, startHour: 8, shiftHours: 12, hoursPerDay: 12 } };
        },
        201,
      ),
    ],
  },
  'DELETE /api/v1/volunteer-shifts/:id': {
    permission: 'volunteers.write',
    cases: [write('remove an empty shift of a post at the placed unit', postAt, (p: PostTarget) => ({ method: 'DELETE', url: `/api/v1/volunteer-shifts/${p.laterShiftId}` }))],
  },
  'POST /api/v1/volunteer-shifts/:id/assignments': {
    permission: 'volunteers.write',
    cases: [
      {
        name: 'assign a volunteer of the actor’s own unit to a shift of a post at the placed unit',
        checks: [
          { at: 'target', read: 'volunteers.read', need: 'volunteers.write', hidden: 404 },
          { at: 'home', read: 'volunteers.read', hidden: { field: 'volunteerId' } },
        ],
        mutates: true,
        tables: ['audit_log'],
        ok: 201,
        build: async (w, unit) => ({ post: await postAt(w, unit), volunteer: await volunteerAt(w, w.home) }),
        request: (x: { post: PostTarget; volunteer: VolunteerTarget }) => ({ method: 'POST', url: `/api/v1/volunteer-shifts/${x.post.laterShiftId}/assignments`, body: { volunteerId: x.volunteer.id } }),
      },
    ],
  },
  'DELETE /api/v1/volunteer-shifts/:id/assignments/:volunteerId': {
    permission: 'volunteers.write',
    cases: [write('take a volunteer off a shift of a post at the placed unit', assignedAt, (x: AssignedTarget) => ({ method: 'DELETE', url: `/api/v1/volunteer-shifts/${x.runningShiftId}/assignments/${x.volunteer.id}` }))],
  },
  'GET /api/v1/volunteer-requests': {
    permission: 'volunteers.read',
    cases: subtreeList('/api/v1/volunteer-requests', 'a request of the placed unit is listed only inside the volunteers.read scope', requestAt, (json, r) => ids(json).includes(r.requestId), () => ({ status: 'open' })),
  },
  'POST /api/v1/volunteer-requests': {
    permission: 'volunteers.write',
    cases: [
      {
        name: 'ask the pool for people for a post at the placed unit',
        checks: [{ at: 'target', read: 'volunteers.read', need: 'volunteers.write', hidden: { field: 'postId' } }],
        mutates: true,
        tables: ['audit_log'],
        ok: 201,
        build: (w, unit) => postAt(w, unit),
        request: (p: PostTarget) => ({ method: 'POST', url: '/api/v1/volunteer-requests', body: { postId: p.id, count: 2, from: p.tomorrow, to: p.tomorrow + 4 * H } }),
      },
    ],
  },
  'GET /api/v1/volunteer-requests/:id': { permission: 'volunteers.read', cases: [read('a request of the placed unit', requestAt, (r: RequestTarget) => ({ method: 'GET', url: `/api/v1/volunteer-requests/${r.requestId}` }))] },
  'POST /api/v1/volunteer-requests/:id/cancel': {
    permission: 'volunteers.write',
    cases: [write('cancel a request of the placed unit', requestAt, (r: RequestTarget) => ({ method: 'POST', url: `/api/v1/volunteer-requests/${r.requestId}/cancel` }))],
  },
};

/** Routes of this file acting only on the caller's own person. */
export const volunteersUnscoped: Record<string, string> = {
  'GET /api/v1/me/volunteer': "the caller's own volunteer profile, shifts and hours (of the person the account is linked to)",
  'PUT /api/v1/me/volunteer': "signs the caller's own person up for the pool or changes their own profile",
  'POST /api/v1/me/volunteer/leave': "takes the caller's own person out of the pool",
};
