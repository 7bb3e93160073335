/**
 * The authorization matrix of rooms, meeting registrations (server/modules/places/rooms.*,
 * meetings.*) and key groups (server/modules/org/groups.*): spread into `matrix` by authz.matrix.ts.
 * Targets are written straight into the tables, like every other target of the matrix.
 */
import type { UnitRow } from '../server/db/schema.js';
import { insertMeeting } from '../server/modules/places/meetings.store.js';
import { insertRoom } from '../server/modules/places/rooms.store.js';
import { uniq, type MatrixCase, type MatrixEntry, type World } from './authz.matrix.js';
import type { HttpRequest } from './http.js';

const hasId = (json: unknown, id: number) => ((json as { items?: { id: number }[] } | null)?.items ?? []).some((i) => i.id === id);

// ── rooms ────────────────────────────────────────────────────────────────────────────────────────

async function roomAt(w: World, unit: UnitRow) {
  const now = w.t.clock.now();
  const id = await insertRoom(w.t.deps.db, { unit_id: unit.id, name: uniq('会议室'), building: '', capacity: 20, ventilated: 1, archived_at: null, created_by_user_id: null, created_at: now, updated_at: now });
  return { id, unit };
}
type RoomTarget = Awaited<ReturnType<typeof roomAt>>;

const roomWrite = (name: string, request: (x: RoomTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'places.read', need: 'places.write', hidden: 404 }],
  mutates: true,
  ok: 200,
  build: (w, unit) => roomAt(w, unit),
  request: (x: RoomTarget) => request(x),
});

// ── meeting registrations ────────────────────────────────────────────────────────────────────────

let slot = 0;
/** A meeting of the placed unit in an outside place (no room to clash), registered by nobody in the matrix. */
async function meetingAt(w: World, unit: UnitRow, status: 'registered' | 'pending' = 'registered') {
  const now = w.t.clock.now();
  const startAt = now + (2 + ++slot) * 3_600_000;
  const id = await insertMeeting(w.t.deps.db, {
    unit_id: unit.id,
    title: uniq('会议'),
    room_id: null,
    place: '会议中心',
    start_at: startAt,
    end_at: startAt + 30 * 60_000,
    minutes: 30,
    day: '2026-11-25',
    attendees: 10,
    ventilated: 1,
    note: null,
    reason: status === 'pending' ? '矩阵探针' : null,
    breaches: '[]',
    over_limit: status === 'pending' ? 1 : 0,
    status,
    registered_by_user_id: null,
    registered_at: now,
    decided_by_user_id: null,
    decided_at: null,
    decision_note: null,
    cancelled_by_user_id: null,
    cancelled_at: null,
    cancel_note: null,
    updated_at: now,
  });
  return { id, unit };
}
type MeetingTarget = Awaited<ReturnType<typeof meetingAt>>;

const decision = (name: string, request: (x: MeetingTarget) => HttpRequest): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'places.read', need: 'meetings.approve', hidden: 404 }],
  mutates: true,
  ok: 200,
  build: (w, unit) => meetingAt(w, unit, 'pending'),
  request: (x: MeetingTarget) => request(x),
});

const registration = (unit: UnitRow) => ({ title: uniq('会议'), unitId: unit.id, place: '会议中心', ventilated: true, startAt: Date.UTC(2026, 10, 26, 2, 0, 0) + ++slot * 3_600_000, minutes: 30, attendees: 10 });

export const meetingsMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/rooms': {
    permission: 'places.read',
    cases: [
      {
        name: 'a room of the placed unit is listed only inside the places.read scope',
        gate: 'places.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'places.read',
        build: (w, unit) => roomAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/rooms', query: { pageSize: '200' } }),
        found: (json, x: RoomTarget) => hasId(json, x.id),
      },
      {
        name: 'unitId names the placed unit',
        gate: 'places.read',
        checks: [{ at: 'target', read: 'places.read', hidden: { field: 'unitId' } }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/rooms', query: { unitId: String(unit.id) } }),
      },
      {
        name: 'forUnitId: the rooms a meeting of the placed unit may use (meetings.register over it)',
        checks: [{ at: 'target', read: 'meetings.register', hidden: { field: 'forUnitId' } }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/rooms', query: { forUnitId: String(unit.id) } }),
      },
    ],
  },
  'POST /api/v1/rooms': {
    permission: 'places.write',
    cases: [
      {
        name: 'a room at the placed unit',
        gate: 'places.write',
        checks: [{ at: 'target', read: 'places.read', need: 'places.write', hidden: { field: 'unitId' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/rooms', body: { unitId: unit.id, name: uniq('会议室'), capacity: 30, ventilated: true } }),
      },
    ],
  },
  'GET /api/v1/rooms/:id': {
    permission: 'places.read',
    cases: [
      {
        name: 'a room of the placed unit',
        checks: [{ at: 'target', read: 'places.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => roomAt(w, unit),
        request: (x: RoomTarget) => ({ method: 'GET', url: `/api/v1/rooms/${x.id}` }),
      },
    ],
  },
  'PATCH /api/v1/rooms/:id': { permission: 'places.write', cases: [roomWrite('a room of the placed unit', (x) => ({ method: 'PATCH', url: `/api/v1/rooms/${x.id}`, body: { capacity: 25 } }))] },
  'POST /api/v1/rooms/:id/archive': { permission: 'places.write', cases: [roomWrite('a room of the placed unit', (x) => ({ method: 'POST', url: `/api/v1/rooms/${x.id}/archive` }))] },

  'GET /api/v1/meeting-registrations': {
    permission: 'places.read',
    cases: [
      {
        // places.read, meetings.register or meetings.approve: every role with either of the latter has the former.
        name: 'a meeting of the placed unit is listed only inside the places.read scope',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'places.read',
        build: (w, unit) => meetingAt(w, unit),
        request: () => ({ method: 'GET', url: '/api/v1/meeting-registrations', query: { pageSize: '200' } }),
        found: (json, x: MeetingTarget) => hasId(json, x.id),
      },
      {
        name: 'unitId names the placed unit',
        checks: [{ at: 'target', read: 'places.read', hidden: { field: 'unitId' } }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/meeting-registrations', query: { unitId: String(unit.id) } }),
      },
    ],
  },
  'POST /api/v1/meeting-registrations/check': {
    permission: 'meetings.register',
    cases: [
      {
        name: 'a dry run of a meeting of the placed unit',
        gate: 'meetings.register',
        checks: [{ at: 'target', read: 'meetings.register', hidden: { field: 'unitId' } }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/meeting-registrations/check', body: registration(unit) }),
      },
    ],
  },
  'POST /api/v1/meeting-registrations': {
    permission: 'meetings.register',
    cases: [
      {
        name: 'a meeting of the placed unit, within limits',
        gate: 'meetings.register',
        checks: [{ at: 'target', read: 'meetings.register', hidden: { field: 'unitId' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/meeting-registrations', body: registration(unit) }),
      },
    ],
  },
  'GET /api/v1/meeting-registrations/:id': {
    permission: 'places.read',
    cases: [
      {
        name: 'a meeting of the placed unit',
        checks: [{ at: 'target', read: 'places.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => meetingAt(w, unit),
        request: (x: MeetingTarget) => ({ method: 'GET', url: `/api/v1/meeting-registrations/${x.id}` }),
      },
    ],
  },
  'PATCH /api/v1/meeting-registrations/:id': {
    permission: 'meetings.register',
    cases: [
      {
        name: 'a new title for a meeting of the placed unit',
        checks: [{ at: 'target', read: 'places.read', need: 'meetings.register', hidden: 404 }],
        mutates: true,
        ok: 200,
        build: (w, unit) => meetingAt(w, unit),
        request: (x: MeetingTarget) => ({ method: 'PATCH', url: `/api/v1/meeting-registrations/${x.id}`, body: { title: uniq('改名') } }),
      },
    ],
  },
  'POST /api/v1/meeting-registrations/:id/approve': {
    permission: 'meetings.approve',
    cases: [decision('a pending meeting of the placed unit', (x) => ({ method: 'POST', url: `/api/v1/meeting-registrations/${x.id}/approve`, body: {} }))],
  },
  'POST /api/v1/meeting-registrations/:id/refuse': {
    permission: 'meetings.approve',
    cases: [decision('a pending meeting of the placed unit', (x) => ({ method: 'POST', url: `/api/v1/meeting-registrations/${x.id}/refuse`, body: { note: '请压缩规模' } }))],
  },
  'POST /api/v1/meeting-registrations/:id/cancel': {
    permission: 'meetings.approve',
    cases: [
      // The organiser may cancel too (server/modules/places/meetings.test.ts); the matrix's targets have none.
      decision('a meeting of the placed unit registered by someone else', (x) => ({ method: 'POST', url: `/api/v1/meeting-registrations/${x.id}/cancel`, body: {} })),
    ],
  },

  // Key groups: the other routes are special (see meetingsSpecial below).
  'POST /api/v1/groups': {
    permission: 'groups.write',
    cases: [
      {
        name: 'a group owned by the placed unit',
        gate: 'groups.write',
        checks: [{ at: 'target', read: 'people.read', need: 'groups.write', hidden: { field: 'ownerUnitId' } }],
        mutates: true,
        ok: 201,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'POST', url: '/api/v1/groups', body: { name: uniq('人群'), ownerUnitId: unit.id, tags: ['front_line'] } }),
      },
    ],
  },
};

// ── key groups ───────────────────────────────────────────────────────────────────────────────────


const groupsTest = 'server/modules/org/groups.test.ts';
/**
 * Key-group routes whose rule is not "a role over a subtree": a group is seen from below its owner
 * too (people.read over the owner, or over a unit under it: a group-wide group is usable by a
 * subsidiary), so a group at the ancestor placement answers 200, not 404. Each is tested in groupsTest.
 */
export const meetingsSpecial: Record<string, string> = {
  'GET /api/v1/groups': `people.read over the owner or a scope under it (403 with no people.read anywhere): ${groupsTest} checks a subsidiary's liaison sees the group-wide group and not another subsidiary's, unitId narrowing, an employee 403`,
  'GET /api/v1/groups/:id': `seen from the owner's subtree and from below it: ${groupsTest} checks another branch 404 and the subsidiary's head on the group-wide group 200 (archived, with archivedAt)`,
  'PATCH /api/v1/groups/:id': `groups.write over the owner; seen but not writable from below (403), another branch 404: ${groupsTest}`,
  'DELETE /api/v1/groups/:id': `groups.write over the owner (archives it); from below 403, another branch 404: ${groupsTest}`,
  'GET /api/v1/groups/:id/members': `the members within the reader's own people.read scope only (a subsidiary sees its part of a group-wide group), employee 404: ${groupsTest}`,
};
