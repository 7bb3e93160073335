/**
 * The authorization matrix of supervision (server/modules/supervision: matrix, overdue view,
 * findings). Spread into `matrix` by test/authz.matrix.ts; the types come from there (type-only).
 *
 * The matrix and the overdue view: supervision.read over the unit (403 for whoever holds it nowhere,
 * 404 outside the scope). Findings: supervision.findings only (supervisors and the admin): every
 * findings route answers 404 to anyone else, exactly as outside the scope; opening one about a unit
 * they cannot see answers 400 naming subject.unitId. Evidence is never removed: DELETE answers 409
 * to whoever sees the finding.
 *
 * A supervisor reading check-in details is refused by the health rows (GET /api/v1/checkins needs
 * health.read, which supervisors do not hold); server/modules/supervision/supervision.test.ts
 * asserts it for a supervisor on the root too. A supervisor (or the command office) reading a care
 * case is refused by the care rows (test/authz.care.ts: care.read); supervision.test.ts asserts it
 * for the case behind an uncontacted-care item as well.
 */
import { randomBytes } from 'node:crypto';
import type { UnitRow } from '../server/db/schema.js';
import type { MatrixCase, MatrixEntry, World } from './authz.matrix.js';
import { buildPerson } from './factories.js';
import type { HttpRequest } from './http.js';

let n = 0;
const mark = (prefix: string) => `${prefix}${(++n).toString(36)}${randomBytes(2).toString('hex')}`;

/** A task at the unit whose deadline passed an hour ago (an overdue item of kind 'task'). */
async function overdueTaskAt(w: World, unit: UnitRow) {
  const { db } = w.t.deps;
  const now = w.t.clock.now();
  const person = await buildPerson(w.t, unit, { name: mark('责任人'), employeeNo: mark('E') });
  const d = await db
    .insertInto('directives')
    .values({ unit_id: unit.id, source: 'city', document_no: null, title: mark('部署'), body: '正文', received_at: now, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const t = await db
    .insertInto('tasks')
    .values({
      directive_id: d.id,
      parent_id: null,
      unit_id: unit.id,
      title: mark('逾期任务'),
      instructions: null,
      responsible_person_id: person.id,
      deadline: now - 3_600_000,
      evidence: 'report',
      status: 'assigned',
      assigned_by_user_id: null,
      assigned_at: now - 7_200_000,
      acknowledged_at: null,
      completed_at: null,
      report: null,
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
  return { unit, taskId: t.id };
}

/** An open finding about the unit, with one overdue task of the unit linked as evidence; `decided`: its decision recorded. */
async function findingAt(w: World, unit: UnitRow, decided = false) {
  const { db } = w.t.deps;
  const now = w.t.clock.now();
  const task = await overdueTaskAt(w, unit);
  const f = await db
    .insertInto('supervision_findings')
    .values({
      unit_id: unit.id,
      subject_kind: 'unit',
      person_id: null,
      title: mark('问题线索'),
      description: '描述',
      status: 'open',
      decision: decided ? 'talk' : null,
      decision_text: decided ? '约谈' : null,
      decided_at: decided ? now : null,
      decided_by_user_id: null,
      opened_by_user_id: null,
      opened_at: now,
      closed_at: null,
      closed_by_user_id: null,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const snapshot = { kind: 'task', ref: { kind: 'task', id: String(task.taskId) }, unitId: unit.id, unitName: unit.name, title: '逾期任务', since: now - 3_600_000, until: null, responsible: [] };
  const e = await db
    .insertInto('supervision_finding_evidence')
    .values({ finding_id: f.id, ref_kind: 'task', ref_id: String(task.taskId), snapshot: JSON.stringify(snapshot), linked_by_user_id: null, linked_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: f.id, unit, evidenceId: e.id, linkedTaskId: task.taskId, other: await overdueTaskAt(w, unit) };
}
type FindingTarget = Awaited<ReturnType<typeof findingAt>>;

const itemsOf = (json: unknown) => (json as { items?: Record<string, unknown>[] } | null)?.items ?? [];

const unitRead = (name: string, url: string): MatrixCase => ({
  name,
  gate: 'supervision.read',
  checks: [{ at: 'target', read: 'supervision.read', hidden: 404 }],
  mutates: false,
  ok: 200,
  build: async (_w, unit) => unit,
  request: (unit) => ({ method: 'GET', url, query: { unitId: String((unit as UnitRow).id) } }),
});

const onFinding = (name: string, request: (x: FindingTarget) => HttpRequest, opts: { mutates?: boolean; ok?: number; decided?: boolean } = {}): MatrixCase => ({
  name,
  checks: [{ at: 'target', read: 'supervision.findings', hidden: 404 }],
  mutates: opts.mutates ?? true,
  ok: opts.ok ?? 200,
  build: (w, unit) => findingAt(w, unit, opts.decided ?? false),
  request: (x) => request(x as FindingTarget),
});

export const supervisionMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/supervision/matrix': {
    permission: 'supervision.read',
    cases: [unitRead('the responsibility matrix of the placed unit', '/api/v1/supervision/matrix')],
  },
  'GET /api/v1/supervision/overdue': {
    permission: 'supervision.read',
    cases: [
      unitRead('the overdue view of the placed unit', '/api/v1/supervision/overdue'),
      {
        name: 'an overdue task of the placed unit is listed only inside the subtree',
        gate: 'supervision.read',
        checks: [],
        mutates: false,
        ok: 200,
        lists: 'supervision.read',
        build: (w, unit) => overdueTaskAt(w, unit),
        // The actor's whole scope (no unitId): a role without supervision.read on A but admin on C sees C only.
        request: () => ({ method: 'GET', url: '/api/v1/supervision/overdue', query: { kind: 'task', pageSize: '200' } }),
        found: (json, x) => itemsOf(json).some((i) => (i.ref as { id: string }).id === String((x as { taskId: number }).taskId)),
      },
    ],
  },
  'GET /api/v1/supervision/findings': {
    permission: 'supervision.findings',
    cases: [
      {
        name: 'findings of the placed unit (unitId)',
        checks: [{ at: 'target', read: 'supervision.findings', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: (w, unit) => findingAt(w, unit),
        request: (x) => ({ method: 'GET', url: '/api/v1/supervision/findings', query: { unitId: String((x as FindingTarget).unit.id) } }),
      },
      {
        name: 'a finding of the placed unit is listed only inside the subtree (the list of A; 404 without supervision.findings)',
        checks: [{ at: 'home', read: 'supervision.findings', hidden: 404 }],
        mutates: false,
        ok: 200,
        lists: 'supervision.findings',
        build: (w, unit) => findingAt(w, unit),
        request: (_x, w) => ({ method: 'GET', url: '/api/v1/supervision/findings', query: { unitId: String(w.home.id), pageSize: '200' } }),
        found: (json, x) => itemsOf(json).some((i) => i.id === (x as FindingTarget).id),
      },
    ],
  },
  'POST /api/v1/supervision/findings': {
    permission: 'supervision.findings',
    cases: [
      {
        name: 'a finding about the placed unit, an overdue task of it as evidence',
        checks: [{ at: 'target', read: 'supervision.findings', hidden: { field: 'subject.unitId' } }],
        mutates: true,
        ok: 201,
        build: (w, unit) => overdueTaskAt(w, unit),
        request: (x) => {
          const t = x as { unit: UnitRow; taskId: number };
          return { method: 'POST', url: '/api/v1/supervision/findings', body: { subject: { kind: 'unit', unitId: t.unit.id }, title: mark('线索'), description: '逾期未落实', evidence: [{ kind: 'task', id: String(t.taskId) }] } };
        },
      },
    ],
  },
  'GET /api/v1/supervision/findings/:id': {
    permission: 'supervision.findings',
    cases: [onFinding('the placed finding', (x) => ({ method: 'GET', url: `/api/v1/supervision/findings/${x.id}` }), { mutates: false })],
  },
  'PATCH /api/v1/supervision/findings/:id': {
    permission: 'supervision.findings',
    cases: [onFinding('retitle the placed finding', (x) => ({ method: 'PATCH', url: `/api/v1/supervision/findings/${x.id}`, body: { title: mark('新标题') } }))],
  },
  'POST /api/v1/supervision/findings/:id/evidence': {
    permission: 'supervision.findings',
    cases: [onFinding('link another overdue task of the unit to the placed finding', (x) => ({ method: 'POST', url: `/api/v1/supervision/findings/${x.id}/evidence`, body: { refs: [{ kind: 'task', id: String(x.other.taskId) }] } }))],
  },
  'DELETE /api/v1/supervision/findings/:id/evidence/:evidenceId': {
    permission: 'supervision.findings',
    cases: [onFinding('remove evidence of the placed finding (never: 409)', (x) => ({ method: 'DELETE', url: `/api/v1/supervision/findings/${x.id}/evidence/${x.evidenceId}` }), { mutates: false, ok: 409 })],
  },
  'POST /api/v1/supervision/findings/:id/decision': {
    permission: 'supervision.findings',
    cases: [onFinding('decide the placed finding', (x) => ({ method: 'POST', url: `/api/v1/supervision/findings/${x.id}/decision`, body: { decision: 'notice', text: '通报批评' } }))],
  },
  'POST /api/v1/supervision/findings/:id/close': {
    permission: 'supervision.findings',
    cases: [onFinding('close the placed (decided) finding', (x) => ({ method: 'POST', url: `/api/v1/supervision/findings/${x.id}/close` }), { decided: true })],
  },
};
