import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { Task, TaskDetail } from '../../../common/schemas/directives.js';
import type { Finding, Inspection, PlaceDetail, PlaceHistory } from '../../../common/schemas/places.js';
import { buildPerson, buildUnit, buildUser, ctxFor, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { verifyAudit } from '../audit/audit.service.js';
import { PDF_MINIMAL, PNG_1PX } from '../files/files.fixtures.js';
import { uploadAttachment } from '../files/files.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('inspections and rectification on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }

  async function member(unit: UnitRow, role: Role | null) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, role ? [{ role, unit }] : [], { personId: person.id, home: unit });
    return { person, user, cookie: await loginAs(t, user.id) };
  }

  const upload = async (userId: number, kind: 'photo' | 'file' = 'photo') =>
    (await uploadAttachment(t.deps, await ctxFor(t, userId), kind === 'photo' ? { fileName: 'p.png', data: PNG_1PX } : { fileName: 'f.pdf', data: PDF_MINIMAL })).id;

  /** root (command) → 公交公司 (unit head) → 一场站 (a keeper: an employee answering for the depot); an inspector (liaison) at the company; 青岛航空 aside. */
  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '公交公司', kind: 'subsidiary' });
    const depot = await buildUnit(t, { parent: a, name: '一场站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空', kind: 'subsidiary' });
    return { root, a, depot, b, command: await member(root, 'command'), head: await member(a, 'unit_head'), inspector: await member(a, 'liaison'), keeper: await member(depot, null), outsider: await member(b, 'unit_head') };
  }
  type W = Awaited<ReturnType<typeof world>>;

  /** Move the clock; sessions do not outlive a day's jump, so everyone signs in again. */
  async function at(w: W, iso: string) {
    t.clock.set(shanghai(iso));
    for (const m of [w.command, w.head, w.inspector, w.keeper, w.outsider]) m.cookie = await loginAs(t, m.user.id);
  }

  async function depotPlace(w: W, responsible: number | null = w.keeper.person.id) {
    const made = await call(w.head.cookie, {
      method: 'POST',
      url: '/api/v1/places',
      body: { unitId: w.depot.id, name: '一场站停车场', kind: 'depot', risk: 'high', frequencyDays: 7, ...(responsible ? { responsiblePersonId: responsible } : {}) },
    });
    expect(made.status).toBe(201);
    return made.json as PlaceDetail;
  }

  const answers = (p: PlaceDetail, failed: Record<string, string> = {}, photos: Record<string, number[]> = {}) =>
    p.checklist
      .filter((i) => i.retiredAt === null)
      .map((i) => (failed[i.text] ? { itemId: i.id, result: 'failed', note: failed[i.text], photoIds: photos[i.text] ?? [] } : { itemId: i.id, result: 'passed' }));

  const inspect = (cookie: string, p: PlaceDetail, body: Record<string, unknown>) => call(cookie, { method: 'POST', url: `/api/v1/places/${p.id}/inspections`, body });
  const finding = async (cookie: string, id: number) => (await call(cookie, { method: 'GET', url: `/api/v1/findings/${id}` })).json as Finding;
  const task = async (cookie: string, id: number) => (await call(cookie, { method: 'GET', url: `/api/v1/tasks/${id}` })).json as TaskDetail;

  it('refuses an incomplete inspection, naming each field, and changes nothing', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const p = await depotPlace(w);
    const count = async () => Number((await t.deps.db.selectFrom('place_inspections').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const all = answers(p);
    const missing = await inspect(w.inspector.cookie, p, { items: all.slice(1) });
    expect(missing.status).toBe(400);
    expect(errorOf(missing)?.fields?.items).toContain(`missing: 通风 (${p.checklist[0]!.id})`);
    const noNote = await inspect(w.inspector.cookie, p, { items: [{ itemId: p.checklist[0]!.id, result: 'failed' }, ...all.slice(1)] });
    expect(errorOf(noNote)?.fields?.['items.0.note']).toBe('required when the item failed');
    const pdf = await upload(w.inspector.user.id, 'file');
    const notPhoto = await inspect(w.inspector.cookie, p, { items: answers(p, { 通风: '关窗' }, { 通风: [pdf] }) });
    expect(errorOf(notPhoto)?.fields?.['items.0.photoIds']).toBe(`not a photo: ${pdf}`);
    const late = await inspect(w.inspector.cookie, p, { items: all, rectifyBy: t.clock.now() - 1 });
    expect(errorOf(late)?.fields?.rectifyBy).toBe('must be in the future');
    expect(await count()).toBe(before);
    expect((await t.deps.db.selectFrom('attachments').select('owner_kind').where('id', '=', pdf).executeTakeFirstOrThrow()).owner_kind).toBeNull();
    // Outside the scope: 404; an employee of the unit: 404 as well (no places.read), nothing written.
    expect((await inspect(w.outsider.cookie, p, { items: all })).status).toBe(404);
    expect((await inspect(w.keeper.cookie, p, { items: all })).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('closes the loop: a failed item opens a finding and a task; done → fixed; a failed re-inspection returns it; a passed one verifies it', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const p = await depotPlace(w);
    const photo = await upload(w.inspector.user.id);
    const first = await inspect(w.inspector.cookie, p, { items: answers(p, { 通风: '窗户紧闭，无通风记录' }, { 通风: [photo] }), note: '总体良好' });
    expect(first.status).toBe(201);
    const insp = first.json as Inspection;
    expect(insp).toMatchObject({ passed: 3, failed: 1, notApplicable: 0, note: '总体良好' });
    expect(insp.items[0]).toMatchObject({ text: '通风', result: 'failed', note: '窗户紧闭，无通风记录', photos: [expect.objectContaining({ id: photo, image: true })] });
    expect(insp.openedFindingIds).toHaveLength(1);
    const fid = insp.openedFindingIds[0]!;
    let f = await finding(w.head.cookie, fid);
    // The rectification task: the keeper's, due the end of tomorrow in Shanghai, a photo as evidence.
    expect(f).toMatchObject({ status: 'open', itemText: '通风', failureCount: 1, task: { status: 'assigned', responsiblePersonId: w.keeper.person.id, deadline: shanghai('2026-11-25T23:59:59.999') } });
    const mine = (await call(w.keeper.cookie, { method: 'GET', url: '/api/v1/tasks/mine' })).json as { items: Task[] };
    expect(mine.items.map((x) => [x.id, x.directiveSource, x.evidence])).toEqual([[f.task.id, 'inspection', ['photo']]]);
    expect((await task(w.keeper.cookie, f.task.id)).instructions).toBe('窗户紧闭，无通风记录');
    const told = await t.deps.db.selectFrom('notifications').select('kind').where('user_id', '=', w.keeper.user.id).execute();
    expect(told.map((n) => n.kind)).toContain('task.assigned');
    // The place moved on: inspected now, due in a week, one open finding.
    const placeNow = (await call(w.head.cookie, { method: 'GET', url: `/api/v1/places/${p.id}` })).json as PlaceDetail;
    expect(placeNow).toMatchObject({ lastInspectedAt: t.clock.now(), nextDueAt: shanghai('2026-12-01T00:00:00'), openFindings: 1 });
    expect(placeNow.checklist[0]!.openFinding).toBe(true);
    // The inspection's photo: readers of the place, and the keeper who must put it right (on the task); nobody outside.
    expect((await call(w.head.cookie, { method: 'GET', url: `/api/v1/attachments/${photo}` })).status).toBe(200);
    expect((await call(w.outsider.cookie, { method: 'GET', url: `/api/v1/attachments/${photo}` })).status).toBe(404);
    expect((await call(w.keeper.cookie, { method: 'GET', url: `/api/v1/attachments/${photo}` })).status).toBe(200);
    expect((await task(w.keeper.cookie, f.task.id)).directiveAttachments.map((a) => a.id)).toEqual([photo]);
    expect((await call(w.keeper.cookie, { method: 'GET', url: `/api/v1/inspections/${insp.id}` })).status).toBe(404);
    const bystander = await member(w.depot, null);
    expect((await call(bystander.cookie, { method: 'GET', url: `/api/v1/attachments/${photo}` })).status).toBe(404);

    // The keeper does it on the phone with a photo: the finding is fixed, awaiting re-inspection.
    await at(w, '2026-11-25T09:00:00');
    expect((await call(w.keeper.cookie, { method: 'POST', url: `/api/v1/tasks/${f.task.id}/acknowledge`, body: {} })).status).toBe(200);
    const evidence = await upload(w.keeper.user.id);
    expect((await call(w.keeper.cookie, { method: 'POST', url: `/api/v1/tasks/${f.task.id}/complete`, body: { photoIds: [evidence] } })).status).toBe(200);
    f = await finding(w.head.cookie, fid);
    expect(f).toMatchObject({ status: 'fixed', fixedAt: t.clock.now(), task: { status: 'done' } });
    // Nobody verifies it by hand: 409, with the reason; no verify ability shown.
    const byHand = await call(w.command.cookie, { method: 'POST', url: `/api/v1/tasks/${f.task.id}/verify`, body: {} });
    expect(byHand.status).toBe(409);
    expect(errorOf(byHand)?.message).toContain('verified by re-inspecting the place');
    expect((await task(w.command.cookie, f.task.id)).abilities.verify).toBe(false);
    // Nor is its directive kept by hand: no tasks added, no source changed; and none recorded as one.
    const directiveId = (await task(w.command.cookie, f.task.id)).directiveId;
    const directive = await call(w.command.cookie, { method: 'GET', url: `/api/v1/directives/${directiveId}` });
    expect(directive.json).toMatchObject({ source: 'inspection', abilities: { update: false, assign: false } });
    expect((await call(w.command.cookie, { method: 'PATCH', url: `/api/v1/directives/${directiveId}`, body: { source: 'group' } })).status).toBe(409);
    const extra = await call(w.command.cookie, { method: 'POST', url: `/api/v1/directives/${directiveId}/tasks`, body: { target: { mode: 'units', unitIds: [w.depot.id] } } });
    expect(extra.status).toBe(409);
    const forged = await call(w.command.cookie, { method: 'POST', url: '/api/v1/directives', body: { unitId: w.depot.id, source: 'inspection', title: '手工整改', body: '—' } });
    expect(forged.status).toBe(400);
    expect(Object.keys(errorOf(forged)?.fields ?? {})).toEqual(['source']);

    // Re-inspection fails it again: the same finding, the task goes back with the note as reason.
    await at(w, '2026-11-25T15:00:00');
    const again = (await inspect(w.inspector.cookie, p, { items: answers(p, { 通风: '仍未开窗' }) })).json as Inspection;
    expect(again.openedFindingIds).toEqual([]);
    expect(again.items[0]!.findingId).toBe(fid);
    f = await finding(w.head.cookie, fid);
    expect(f).toMatchObject({ status: 'open', failureCount: 2, note: '仍未开窗', fixedAt: null, task: { status: 'acknowledged' } });
    expect(f.failures.map((x) => x.note)).toEqual(['窗户紧闭，无通风记录', '仍未开窗']);
    expect((await task(w.keeper.cookie, f.task.id)).returnReason).toBe('仍未开窗');
    expect(await t.deps.db.selectFrom('place_findings').select('id').where('place_id', '=', p.id).execute()).toHaveLength(1);

    // Done again, then a passing re-inspection verifies the finding and the task.
    const evidence2 = await upload(w.keeper.user.id);
    expect((await call(w.keeper.cookie, { method: 'POST', url: `/api/v1/tasks/${f.task.id}/complete`, body: { photoIds: [evidence2] } })).status).toBe(200);
    expect((await finding(w.head.cookie, fid)).status).toBe('fixed');
    await at(w, '2026-11-26T10:00:00');
    const closing = (await inspect(w.head.cookie, p, { items: answers(p) })).json as Inspection;
    expect(closing.verifiedFindingIds).toEqual([fid]);
    f = await finding(w.head.cookie, fid);
    expect(f).toMatchObject({ status: 'verified', verifiedAt: t.clock.now(), verifiedByInspectionId: closing.id, task: { status: 'verified' } });

    // The history holds it all, newest first.
    const h = (await call(w.head.cookie, { method: 'GET', url: `/api/v1/places/${p.id}/history` })).json as PlaceHistory;
    expect(h.inspections.map((i) => i.id)).toEqual([closing.id, again.id, insp.id]);
    expect(h.inspections[2]!.items[0]!.photos.map((x) => x.id)).toEqual([photo]);
    expect(h.findings).toEqual([expect.objectContaining({ id: fid, status: 'verified', task: expect.objectContaining({ status: 'verified' }) })]);
    expect(h.place.openFindings).toBe(0);
    expect((await verifyAudit(t.deps)).ok).toBe(true);
  });

  it('verifies a task still open when the re-inspection passes; a renamed item keeps the old text in history', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const p = await depotPlace(w);
    const insp = (await inspect(w.inspector.cookie, p, { items: answers(p, { 消毒记录: '记录缺失' }), rectifyBy: shanghai('2026-11-24T18:00:00') })).json as Inspection;
    const fid = insp.openedFindingIds[0]!;
    expect((await finding(w.head.cookie, fid)).task.deadline).toBe(shanghai('2026-11-24T18:00:00'));
    await call(w.head.cookie, { method: 'PATCH', url: `/api/v1/places/${p.id}/checklist/${p.checklist[1]!.id}`, body: { text: '消毒台账' } });
    // The item with an unverified finding cannot be retired.
    const retire = await call(w.head.cookie, { method: 'PATCH', url: `/api/v1/places/${p.id}/checklist/${p.checklist[1]!.id}`, body: { retired: true } });
    expect(retire.status).toBe(409);
    const fresh = (await call(w.head.cookie, { method: 'GET', url: `/api/v1/places/${p.id}` })).json as PlaceDetail;
    const pass = (await inspect(w.inspector.cookie, fresh, { items: answers(fresh) })).json as Inspection;
    expect(pass.verifiedFindingIds).toEqual([fid]);
    expect(pass.items[1]!.text).toBe('消毒台账');
    const f = await finding(w.head.cookie, fid);
    expect(f).toMatchObject({ status: 'verified', itemText: '消毒记录', task: { status: 'verified' } });
    const events = (await task(w.head.cookie, f.task.id)).events.map((e) => e.action);
    expect(events).toEqual(['assigned', 'completed', 'verified']);
    const h = (await call(w.head.cookie, { method: 'GET', url: `/api/v1/places/${p.id}/history` })).json as PlaceHistory;
    expect(h.inspections[1]!.items[1]!.text).toBe('消毒记录');
  });

  it('gives the task to the nearest unit head above a place without a responsible person; none anywhere: names responsiblePersonId', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const p = await depotPlace(w, null);
    const insp = (await inspect(w.inspector.cookie, p, { items: answers(p, { 测温点: '未设测温点' }) })).json as Inspection;
    const f = await finding(w.head.cookie, insp.openedFindingIds[0]!);
    expect(f.task).toMatchObject({ responsiblePersonId: w.head.person.id });

    // A branch with no unit head linked to a person anywhere up to its root.
    const lone = await buildUnit(t, { name: '独立集团' });
    const site = await buildUnit(t, { parent: lone, name: '工地' });
    const boss = await member(lone, 'command');
    const made = (await call(boss.cookie, { method: 'POST', url: '/api/v1/places', body: { unitId: site.id, name: '工地食堂', kind: 'canteen', risk: 'low', frequencyDays: 1 } })).json as PlaceDetail;
    const refused = await inspect(boss.cookie, made, { items: answers(made, { 通风: '无' }) });
    expect(refused.status).toBe(400);
    expect(errorOf(refused)?.fields?.responsiblePersonId).toContain('no responsible person');
    expect(await t.deps.db.selectFrom('place_inspections').select('id').where('place_id', '=', made.id).execute()).toHaveLength(0);
  });

  it('two inspections failing the same item at once leave one finding (the later records a repeat, or answers 409)', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const p = await depotPlace(w);
    const both = await Promise.all([inspect(w.inspector.cookie, p, { items: answers(p, { 通风: '一' }) }), inspect(w.head.cookie, p, { items: answers(p, { 通风: '二' }) })]);
    expect(both.map((a) => a.status).sort()).toEqual(expect.arrayContaining([201]));
    expect(both.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const rows = await t.deps.db.selectFrom('place_findings').select(['failure_count', 'task_id']).where('place_id', '=', p.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.failure_count).toBe(both.filter((a) => a.status === 201).length);
    expect(await t.deps.db.selectFrom('tasks').innerJoin('directives', 'directives.id', 'tasks.directive_id').select('tasks.id').where('directives.source', '=', 'inspection').where('directives.unit_id', '=', w.depot.id).execute()).toHaveLength(1);
  });

  it('lists findings of a subtree by status, open first', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const p = await depotPlace(w);
    await inspect(w.inspector.cookie, p, { items: answers(p, { 通风: 'a', 测温点: 'b' }) });
    const list = (await call(w.head.cookie, { method: 'GET', url: '/api/v1/findings', query: { unitId: String(w.a.id), status: 'open' } })).json as { items: Finding[]; total: number };
    expect(list.items.map((f) => f.itemText)).toEqual(['通风', '测温点']);
    expect((await call(w.outsider.cookie, { method: 'GET', url: '/api/v1/findings', query: { unitId: String(w.a.id) } })).status).toBe(404);
    const theirs = (await call(w.outsider.cookie, { method: 'GET', url: '/api/v1/findings' })).json as { items: Finding[] };
    expect(theirs.items.filter((f) => f.placeId === p.id)).toEqual([]);
    expect((await call(w.outsider.cookie, { method: 'GET', url: `/api/v1/findings/${list.items[0]!.id}` })).status).toBe(404);
  });
});
