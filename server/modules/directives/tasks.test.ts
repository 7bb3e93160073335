import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import { buildPerson, buildUnit, buildUser, ctxFor, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { verifyAudit } from '../audit/audit.service.js';
import { PDF_MINIMAL, PNG_1PX } from '../files/files.fixtures.js';
import { uploadAttachment } from '../files/files.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('directives and tasks on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }

  /** Someone with a role on a unit, linked to a person of that unit, signed in. */
  async function member(unit: UnitRow, role: Role) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [{ role, unit }], { personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }

  /** root → A (→ A1, A2), B, and C with no head; a command office at the root; a head on every unit but C. */
  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '交发集团', kind: 'subsidiary' });
    const a1 = await buildUnit(t, { parent: a, name: '公交公司' });
    const a2 = await buildUnit(t, { parent: a, name: '地铁公司' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空', kind: 'subsidiary' });
    const command = await member(root, 'command');
    const heads = { a: await member(a, 'unit_head'), a1: await member(a1, 'unit_head'), a2: await member(a2, 'unit_head'), b: await member(b, 'unit_head') };
    return { root, a, a1, a2, b, command, heads };
  }

  /** An upload of the user's, waiting to be attached: a photo (PNG) or a file (PDF). */
  const upload = async (userId: number, kind: 'photo' | 'file' = 'photo') =>
    (await uploadAttachment(t.deps, await ctxFor(t, userId), kind === 'photo' ? { fileName: 'p.png', data: PNG_1PX } : { fileName: 'f.pdf', data: PDF_MINIMAL })).id;

  const directiveBody = (extra: Record<string, unknown> = {}) => ({ source: 'city', documentNo: '青防控办〔2026〕12号', title: '落实核酸检测要求', body: '各单位于今日内完成……', ...extra });

  it('records a directive with tasks to every subsidiary, due at the end of today in Shanghai; names a unit without a head', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    // C has no unit head: the whole assignment is refused, naming it.
    const c = await buildUnit(t, { parent: w.root, name: '无负责人单位' });
    const refused = await call(w.command.cookie, { method: 'POST', url: '/api/v1/directives', body: directiveBody({ tasks: [{ target: { mode: 'children', unitId: w.root.id } }] }) });
    expect(refused.status).toBe(400);
    expect(errorOf(refused)?.fields?.['tasks.0.responsible']).toContain(`无负责人单位 (${c.id})`);
    expect(await t.deps.db.selectFrom('directives').select('id').execute()).toHaveLength(0);
    // Naming C's responsible person makes it whole.
    const pc = await buildPerson(t, c);
    const doc = await upload(w.command.user.id, 'file');
    const body = directiveBody({ attachmentIds: [doc], tasks: [{ target: { mode: 'children', unitId: w.root.id }, responsible: [{ unitId: c.id, personId: pc.id }], evidence: ['report', 'photo'] }] });
    const made = await call(w.command.cookie, { method: 'POST', url: '/api/v1/directives', headers: { 'idempotency-key': 'd-1' }, body });
    expect(made.status).toBe(201);
    const d = made.json as { id: number; tasks: { unitId: number; deadline: number; responsibleName: string; evidence: string[]; status: string }[]; progress: { total: number; inTime: number } };
    expect(d.tasks.map((x) => x.unitId).sort()).toEqual([w.a.id, w.b.id, c.id].sort());
    expect(new Set(d.tasks.map((x) => x.deadline))).toEqual(new Set([shanghai('2026-11-24T23:59:59.999')]));
    expect(d.tasks.find((x) => x.unitId === w.a.id)).toMatchObject({ responsibleName: w.heads.a.person.name, evidence: ['report', 'photo'], status: 'assigned' });
    expect(d.progress).toMatchObject({ total: 3, inTime: 3 });
    // The directive's file: linked to it, read by the units its tasks reached.
    expect((made.json as { attachments: { id: number; fileName: string }[] }).attachments).toEqual([expect.objectContaining({ id: doc, fileName: 'f.pdf' })]);
    expect((await call(w.heads.a.cookie, { method: 'GET', url: `/api/v1/attachments/${doc}` })).status).toBe(200);
    // A retry with the same key answers the first answer and makes nothing new.
    const again = await call(w.command.cookie, { method: 'POST', url: '/api/v1/directives', headers: { 'idempotency-key': 'd-1' }, body });
    expect(again.status).toBe(201);
    expect((again.json as { id: number }).id).toBe(d.id);
    expect(await t.deps.db.selectFrom('tasks').select('id').where('directive_id', '=', d.id).execute()).toHaveLength(3);
    // A correction swaps the file: the new one is the actor's fresh upload, the old one is no longer
    // shown (it stays on record: still readable where the directive is); someone else's upload is refused.
    const doc2 = await upload(w.command.user.id, 'file');
    const swapped = await call(w.command.cookie, { method: 'PATCH', url: `/api/v1/directives/${d.id}`, body: { attachmentIds: [doc2] } });
    expect(swapped.status).toBe(200);
    expect(swapped.json).toMatchObject({ attachmentIds: [doc2], attachments: [expect.objectContaining({ id: doc2 })] });
    expect((swapped.json as { attachments: unknown[] }).attachments).toHaveLength(1);
    expect((await call(w.heads.a.cookie, { method: 'GET', url: `/api/v1/attachments/${doc}` })).status).toBe(200);
    const foreign = await upload(w.heads.a.user.id, 'file');
    const refusedFile = await call(w.command.cookie, { method: 'PATCH', url: `/api/v1/directives/${d.id}`, body: { attachmentIds: [doc2, foreign] } });
    expect([refusedFile.status, Object.keys(errorOf(refusedFile)?.fields ?? {})]).toEqual([400, ['attachmentIds']]);
    // The responsible people were told, with the deadline in Shanghai time.
    const told = await t.deps.db.selectFrom('notifications').select(['user_id', 'params']).where('kind', '=', 'task.assigned').execute();
    expect(told.map((n) => n.user_id)).toContain(w.heads.a.user.id);
    expect(told[0]!.params).toContain('2026-11-24 23:59');
    // A deadline in the past is refused, naming the field.
    const past = await call(w.command.cookie, { method: 'POST', url: `/api/v1/directives/${d.id}/tasks`, body: { target: { mode: 'units', unitIds: [w.a.id] }, deadline: t.clock.now() - 1 } });
    expect(past.status).toBe(400);
    expect(errorOf(past)?.fields).toHaveProperty('deadline');
  });

  it('runs the life cycle: acknowledge, complete with the evidence required, verify; return with a reason; refusals on the way', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const made = await call(w.command.cookie, { method: 'POST', url: '/api/v1/directives', body: directiveBody({ tasks: [{ target: { mode: 'units', unitIds: [w.a.id, w.b.id] }, evidence: ['report', 'photo'] }] }) });
    expect(made.status).toBe(201);
    const tasks = (made.json as { tasks: { id: number; unitId: number }[] }).tasks;
    const ta = tasks.find((x) => x.unitId === w.a.id)!.id;
    const tb = tasks.find((x) => x.unitId === w.b.id)!.id;
    const step = (cookie: string, id: number, action: string, body: unknown = {}) => call(cookie, { method: 'POST', url: `/api/v1/tasks/${id}/${action}`, body });

    // Completing before acknowledging is a state conflict; B's head does not see A's task at all.
    expect((await step(w.heads.a.cookie, ta, 'complete', { report: '已完成' })).status).toBe(409);
    expect((await step(w.heads.b.cookie, ta, 'acknowledge')).status).toBe(404);
    expect((await call(w.heads.b.cookie, { method: 'GET', url: `/api/v1/tasks/${ta}` })).status).toBe(404);
    const ack = await step(w.heads.a.cookie, ta, 'acknowledge', { note: '收到' });
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ status: 'acknowledged', abilities: { complete: true, acknowledge: false, verify: false } });
    expect((await step(w.heads.a.cookie, ta, 'acknowledge')).status).toBe(409);

    // The evidence is checked against what was required, each missing piece named.
    const bare = await step(w.heads.a.cookie, ta, 'complete', {});
    expect(bare.status).toBe(400);
    expect(Object.keys(errorOf(bare)?.fields ?? {}).sort()).toEqual(['photoIds', 'report']);
    // A PDF is not a photo; someone else's upload is not the actor's to attach.
    const pdf = await upload(w.heads.a.user.id, 'file');
    const notPhoto = await step(w.heads.a.cookie, ta, 'complete', { report: '已组织全员检测', photoIds: [pdf] });
    expect(errorOf(notPhoto)?.fields).toHaveProperty('photoIds');
    const others = await step(w.heads.a.cookie, ta, 'complete', { report: '已组织全员检测', photoIds: [await upload(w.heads.b.user.id)] });
    expect(errorOf(others)?.fields).toHaveProperty('photoIds');
    expect((await t.deps.db.selectFrom('tasks').select('status').where('id', '=', ta).executeTakeFirstOrThrow()).status).toBe('acknowledged');
    const photo = await upload(w.heads.a.user.id);
    const done = await step(w.heads.a.cookie, ta, 'complete', { report: '已组织全员检测', photoIds: [photo] });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'done', report: '已组织全员检测', photoIds: [photo], photos: [{ id: photo, image: true }], late: false });
    // The photo is read by whoever sees the task (the command office), and by nobody else.
    expect((await call(w.command.cookie, { method: 'GET', url: `/api/v1/attachments/${photo}` })).status).toBe(200);
    expect((await call(w.heads.b.cookie, { method: 'GET', url: `/api/v1/attachments/${photo}` })).status).toBe(404);
    // The unit cannot verify its own task; the command office can.
    expect((await step(w.heads.a.cookie, ta, 'verify')).status).toBe(403);
    const ok = await step(w.command.cookie, ta, 'verify', { note: '符合要求' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ status: 'verified' });
    expect(((ok.json as { events: { action: string; actorUserId: number | null }[] }).events).map((e) => e.action)).toEqual(['assigned', 'acknowledged', 'completed', 'verified']);

    // B: done, returned with a reason (back to acknowledged, reason shown, responsible told), done again.
    await step(w.heads.b.cookie, tb, 'acknowledge');
    await step(w.heads.b.cookie, tb, 'complete', { report: '完成', photoIds: [await upload(w.heads.b.user.id)] });
    expect((await step(w.command.cookie, tb, 'return', {})).status).toBe(400);
    const back = await step(w.command.cookie, tb, 'return', { reason: '照片不清晰' });
    expect(back.json).toMatchObject({ status: 'acknowledged', returnReason: '照片不清晰', completedAt: null });
    expect(await t.deps.db.selectFrom('notifications').select('id').where('kind', '=', 'task.returned').where('user_id', '=', w.heads.b.user.id).execute()).toHaveLength(1);
    expect((await step(w.heads.b.cookie, tb, 'complete', { report: '已补拍', photoIds: [await upload(w.heads.b.user.id)] })).json).toMatchObject({ status: 'done', returnReason: null });

    // Every step is in the audit chain, which still verifies.
    const actions = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'task').where('entity_id', '=', String(tb)).orderBy('id').execute();
    expect(actions.map((x) => x.action)).toEqual(['task.acknowledged', 'task.completed', 'task.returned', 'task.completed']);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });

  it('splits a task down a cascade: the parent is done when all its parts are verified; the board shows where it is stuck', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const made = await call(w.command.cookie, { method: 'POST', url: '/api/v1/directives', body: directiveBody({ tasks: [{ target: { mode: 'units', unitIds: [w.a.id, w.b.id] } }] }) });
    const d = made.json as { id: number; tasks: { id: number; unitId: number }[] };
    const ta = d.tasks.find((x) => x.unitId === w.a.id)!.id;
    // B's head may not split A's task; A's head may not split to B (not below A), nor past A's deadline.
    expect((await call(w.heads.b.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/split`, body: { target: { mode: 'children', unitId: w.a.id } } })).status).toBe(404);
    const wrong = await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/split`, body: { target: { mode: 'units', unitIds: [w.b.id] } } });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong)?.fields).toHaveProperty(['target.unitIds']);
    const late = await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/split`, body: { target: { mode: 'children', unitId: w.a.id }, deadline: shanghai('2026-11-25T12:00:00') } });
    expect(errorOf(late)?.fields).toHaveProperty('deadline');

    const split = await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/split`, body: { target: { mode: 'children', unitId: w.a.id }, evidence: ['photo'] } });
    expect(split.status).toBe(201);
    expect(split.json).toMatchObject({ directiveId: d.id, created: 2 });
    // The same unit cannot get a second part of the same task.
    expect((await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/split`, body: { target: { mode: 'units', unitIds: [w.a1.id] } } })).status).toBe(400);
    const parent = (await call(w.heads.a.cookie, { method: 'GET', url: `/api/v1/tasks/${ta}` })).json as { status: string; parts: { id: number; unitId: number }[]; abilities: { complete: boolean } };
    expect(parent).toMatchObject({ status: 'acknowledged', abilities: { complete: false } });
    const p1 = parent.parts.find((x) => x.unitId === w.a1.id)!.id;
    const p2 = parent.parts.find((x) => x.unitId === w.a2.id)!.id;

    // A1 does its part with a photo; A (the unit that split it) verifies — the command office does not have to.
    await call(w.heads.a1.cookie, { method: 'POST', url: `/api/v1/tasks/${p1}/acknowledge`, body: {} });
    expect((await call(w.heads.a1.cookie, { method: 'POST', url: `/api/v1/tasks/${p1}/complete`, body: { photoIds: [await upload(w.heads.a1.user.id)] } })).status).toBe(200);
    expect((await call(w.heads.a1.cookie, { method: 'POST', url: `/api/v1/tasks/${p1}/verify`, body: {} })).status).toBe(403);
    expect((await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${p1}/verify`, body: {} })).json).toMatchObject({ status: 'verified' });

    // The board: A2 has not even acknowledged; that is where the cascade is stuck (not at A, whose part is open below it).
    const board = await call(w.command.cookie, { method: 'GET', url: `/api/v1/boards/directives/${d.id}/progress` });
    expect(board.status).toBe(200);
    const pb = board.json as { unit: { unitId: number; total: number; verified: number; inTime: number; hasChildren: boolean }; children: { unitId: number; total: number; hasChildren: boolean }[]; stuck: { unitId: number }[] };
    expect(pb.unit).toMatchObject({ unitId: w.root.id, total: 4, verified: 1, inTime: 3, hasChildren: true });
    expect(pb.children.find((c) => c.unitId === w.a.id)).toMatchObject({ total: 3, hasChildren: true });
    expect(pb.stuck.map((s) => s.unitId).sort()).toEqual([w.a2.id, w.b.id].sort());
    const drill = (await call(w.command.cookie, { method: 'GET', url: `/api/v1/boards/directives/${d.id}/progress`, query: { unitId: String(w.a.id) } })).json as { unit: { tasks: unknown[] }; children: { unitId: number }[] };
    expect(drill.unit.tasks).toHaveLength(1);
    expect(drill.children.map((c) => c.unitId).sort()).toEqual([w.a1.id, w.a2.id].sort());
    // B's head sees the directive's progress only in B's subtree; a drill into A is not found.
    const bBoard = (await call(w.heads.b.cookie, { method: 'GET', url: `/api/v1/boards/directives/${d.id}/progress` })).json as { unit: { unitId: number; total: number } };
    expect(bBoard.unit).toMatchObject({ unitId: w.b.id, total: 1 });
    expect((await call(w.heads.b.cookie, { method: 'GET', url: `/api/v1/boards/directives/${d.id}/progress`, query: { unitId: String(w.a.id) } })).status).toBe(404);

    // A2 finishes; verifying the last part makes the parent done, waiting for the command office.
    await call(w.heads.a2.cookie, { method: 'POST', url: `/api/v1/tasks/${p2}/acknowledge`, body: {} });
    await call(w.heads.a2.cookie, { method: 'POST', url: `/api/v1/tasks/${p2}/complete`, body: { photoIds: [await upload(w.heads.a2.user.id)] } });
    await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${p2}/verify`, body: {} });
    const after = (await call(w.command.cookie, { method: 'GET', url: `/api/v1/tasks/${ta}` })).json as { status: string; events: { action: string }[]; abilities: { verify: boolean } };
    expect(after).toMatchObject({ status: 'done', abilities: { verify: true } });
    expect(after.events.map((e) => e.action)).toEqual(['assigned', 'acknowledged', 'split', 'parts_done']);
    expect((await call(w.command.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/verify`, body: {} })).json).toMatchObject({ status: 'verified' });
  });

  it('keeps out-of-scope tasks out of every list and board; the responsible person sees theirs under "my tasks"', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    // An employee of A1 named responsible, with no grant at all.
    const worker = await buildPerson(t, w.a1);
    const workerUser = await buildUser(t, [], { home: w.a1, personId: worker.id });
    const workerCookie = await loginAs(t, workerUser.id);
    const ok = await call(w.command.cookie, {
      method: 'POST',
      url: '/api/v1/directives',
      body: directiveBody({ tasks: [{ target: { mode: 'subtree', unitId: w.a.id }, responsible: [{ unitId: w.a1.id, personId: worker.id }] }, { target: { mode: 'units', unitIds: [w.b.id] } }] }),
    });
    expect(ok.status).toBe(201);
    const d = ok.json as { id: number };
    const listB = (await call(w.heads.b.cookie, { method: 'GET', url: '/api/v1/tasks', query: { directiveId: String(d.id) } })).json as { items: { unitId: number }[]; total: number };
    expect(listB.items.map((x) => x.unitId)).toEqual([w.b.id]);
    const listA = (await call(w.heads.a.cookie, { method: 'GET', url: '/api/v1/tasks', query: { directiveId: String(d.id) } })).json as { items: { unitId: number }[] };
    expect(listA.items.map((x) => x.unitId).sort()).toEqual([w.a1.id, w.a2.id].sort());
    expect((await call(w.heads.b.cookie, { method: 'GET', url: '/api/v1/tasks', query: { unitId: String(w.a.id) } })).status).toBe(404);
    // The directive is visible to B's head (a task reached B), and its progress counts only B's task.
    const seen = (await call(w.heads.b.cookie, { method: 'GET', url: `/api/v1/directives/${d.id}` })).json as { progress: { total: number }; tasks: { unitId: number }[] };
    expect(seen.progress.total).toBe(1);
    expect(seen.tasks.map((x) => x.unitId)).toEqual([w.b.id]);
    // The worker: no grant, yet sees and works their own task, and nothing else.
    const mine = (await call(workerCookie, { method: 'GET', url: '/api/v1/tasks/mine' })).json as { items: { id: number; unitId: number; abilities: { acknowledge: boolean } }[] };
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ unitId: w.a1.id, abilities: { acknowledge: true } });
    expect((await call(workerCookie, { method: 'POST', url: `/api/v1/tasks/${mine.items[0]!.id}/acknowledge`, body: {} })).status).toBe(200);
    expect((await call(workerCookie, { method: 'GET', url: '/api/v1/tasks' })).status).toBe(403);
    const other = listA.items.find((x) => x.unitId === w.a2.id) as unknown as { id: number };
    expect((await call(workerCookie, { method: 'GET', url: `/api/v1/tasks/${other.id}` })).status).toBe(404);
  });

  it('turns a meeting decision into tasks in one step, and the boards count due today and the on-time record', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const m = await call(w.command.cookie, {
      method: 'POST',
      url: '/api/v1/meetings',
      body: { title: '疫情防控工作领导小组会议', heldAt: shanghai('2026-11-24T09:00:00'), decisions: [{ text: '各单位落实外来人员登记' }, { text: '加强食堂错峰就餐' }] },
    });
    expect(m.status).toBe(201);
    const meeting = m.json as { id: number; decisions: { id: number; directiveId: number | null }[] };
    const dec = meeting.decisions[0]!;
    const r1 = await call(w.command.cookie, { method: 'POST', url: `/api/v1/meetings/${meeting.id}/decisions/${dec.id}/tasks`, body: { target: { mode: 'units', unitIds: [w.a.id] } } });
    expect(r1.status).toBe(201);
    const r2 = await call(w.command.cookie, { method: 'POST', url: `/api/v1/meetings/${meeting.id}/decisions/${dec.id}/tasks`, body: { target: { mode: 'units', unitIds: [w.b.id] } } });
    const directiveId = (r1.json as { directiveId: number }).directiveId;
    expect((r2.json as { directiveId: number }).directiveId).toBe(directiveId);
    const d = (await call(w.command.cookie, { method: 'GET', url: `/api/v1/directives/${directiveId}` })).json as { source: string; meetingId: number; title: string; tasks: unknown[] };
    expect(d).toMatchObject({ source: 'meeting', meetingId: meeting.id, title: '各单位落实外来人员登记' });
    expect(d.tasks).toHaveLength(2);
    const again = (await call(w.command.cookie, { method: 'GET', url: `/api/v1/meetings/${meeting.id}` })).json as { decisions: { directiveId: number | null }[] };
    expect(again.decisions.map((x) => x.directiveId)).toEqual([directiveId, null]);

    // Due today: both tasks; A completes now (on time), B misses its deadline.
    const due = (await call(w.command.cookie, { method: 'GET', url: '/api/v1/boards/due-today', query: { unitId: String(w.root.id) } })).json as { day: string; figures: { total: number }; items: unknown[] };
    expect(due).toMatchObject({ day: '2026-11-24', figures: { total: 2 } });
    const ta = (await t.deps.db.selectFrom('tasks').select('id').where('directive_id', '=', directiveId).where('unit_id', '=', w.a.id).executeTakeFirstOrThrow()).id;
    await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/acknowledge`, body: {} });
    await call(w.heads.a.cookie, { method: 'POST', url: `/api/v1/tasks/${ta}/complete`, body: { report: '已落实' } });
    t.clock.set(shanghai('2026-11-25T08:00:00'));
    // A new morning, a new session (yesterday's has gone idle).
    w.command.cookie = await loginAs(t, w.command.user.id);
    const overdue = (await call(w.command.cookie, { method: 'GET', url: '/api/v1/tasks', query: { unitId: String(w.root.id), state: 'overdue' } })).json as { items: { unitId: number; overdue: boolean }[] };
    expect(overdue.items.map((x) => x.unitId)).toEqual([w.b.id]);
    const rec = await call(w.command.cookie, { method: 'GET', url: `/api/v1/boards/units/${w.root.id}/on-time`, query: { from: '2026-11-24', to: '2026-11-24' } });
    expect(rec.status).toBe(200);
    const r = rec.json as { subtree: { due: number; onTime: number; missed: number; rate: number }; children: { unitId: number; onTime: number; missed: number }[] };
    expect(r.subtree).toMatchObject({ due: 2, onTime: 1, missed: 1, rate: 0.5 });
    expect(r.children.find((c) => c.unitId === w.b.id)).toMatchObject({ missed: 1, onTime: 0 });
    const badPeriod = await call(w.command.cookie, { method: 'GET', url: `/api/v1/boards/units/${w.root.id}/on-time`, query: { from: '2026-11-24', to: '2026-11-01' } });
    expect(errorOf(badPeriod)?.fields).toHaveProperty('to');
  });
});
