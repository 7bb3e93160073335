import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { channelMessages } from '../../../test/outbox.js';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { errorOf, multipartFile, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { PNG_1PX } from '../files/files.fixtures.js';

type Json = Record<string, unknown> & { id: number };
type Figures = { audience: number; read: number; unread: number };
type Receipts = { unit: Figures & { id: number }; children: (Figures & { id: number; hasChildren: boolean })[]; total: Figures };

describe.each(testDialects())('notices on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function as(userId: number, req: HttpRequest) {
    return send(await t.app(), await loginAs(t, userId), req);
  }
  /** A person with an account of their own (no grants): how an employee signs in to the mobile pages. */
  async function employee(unit: UnitRow, tags: string[] = []) {
    const person = await buildPerson(t, unit, { tags });
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { person, user };
  }
  const publish = (userId: number, body: Record<string, unknown>, headers?: Record<string, string>) =>
    as(userId, { method: 'POST', url: '/api/v1/notices', body: { title: '关于加强防护的通知', kind: 'guidance', body: '请各单位**立即**落实。', ...body }, ...(headers ? { headers } : {}) });
  const receipts = async (userId: number, id: number, unitId?: number) =>
    (await as(userId, { method: 'GET', url: `/api/v1/notices/${id}/receipts`, ...(unitId ? { query: { unitId: String(unitId) } } : {}) })).json as Receipts;
  const mine = async (userId: number) => (await as(userId, { method: 'GET', url: '/api/v1/notices/mine' })).json as { items: Json[]; unread: number; total: number };
  const read = (userId: number, id: number) => as(userId, { method: 'POST', url: `/api/v1/notices/mine/${id}/read` });

  /** root → A (p1 key, p2) → A1 (p3 key); root → B (p5 key): a notice to A's key group reaches p1 and p3. */
  async function world() {
    const { root, a, a1, b } = await buildTree(t);
    const command = await buildUser(t, [{ role: 'command', unit: root }]);
    const p1 = await employee(a, ['key_group']);
    const p2 = await employee(a);
    const p3 = await employee(a1, ['key_group', 'front_line']);
    const p5 = await employee(b, ['key_group']);
    return { root, a, a1, b, command, p1, p2, p3, p5 };
  }

  it('publishes to units and tags with the audience fixed at that moment; each person sees it in their list, newest first, unread marked', async () => {
    const w = await world();
    const res = await publish(w.command.id, { unitIds: [w.a.id], tags: ['key_group'] });
    expect(res.status).toBe(201);
    const notice = res.json as Json;
    expect(notice).toMatchObject({ status: 'published', audience: 2, read: 0, tags: ['key_group'], units: [{ id: w.a.id }], abilities: { withdraw: true, remind: true } });
    expect(notice.bodyHtml).toBe('<p>请各单位<strong>立即</strong>落实。</p>');

    // Later changes move nobody in or out: a newcomer with the tag, a member transferred away.
    await employee(w.a, ['key_group']);
    await t.deps.db.updateTable('people').set({ unit_id: w.b.id }).where('id', '=', w.p3.person.id).execute();
    const again = (await as(w.command.id, { method: 'GET', url: `/api/v1/notices/${notice.id}` })).json as Json;
    expect(again.audience).toBe(2);
    expect((await receipts(w.command.id, notice.id, w.a.id)).total).toEqual({ audience: 2, read: 0, unread: 2 });

    expect((await mine(w.p1.user.id)).items.map((i) => i.id)).toEqual([notice.id]);
    expect((await mine(w.p3.user.id)).items.map((i) => i.id)).toEqual([notice.id]);
    expect((await mine(w.p2.user.id)).items).toEqual([]); // no tag
    expect((await mine(w.p5.user.id)).items).toEqual([]); // outside the units

    // The audience was told in-app, with a link to the notice (the console's page of one's own notices).
    const told = await t.deps.db.selectFrom('notifications').select(['user_id', 'link']).where('kind', '=', 'notice.published').where('entity_id', '=', String(notice.id)).execute();
    expect(told.map((r) => r.user_id).sort()).toEqual([w.p1.user.id, w.p3.user.id].sort());
    expect(told[0]!.link).toBe(`/notices/${notice.id}`);

    t.clock.advance(60_000);
    const newer = (await publish(w.command.id, { title: '最新消息', kind: 'news', unitIds: [w.a.id] })).json as Json;
    const list = await mine(w.p1.user.id);
    expect(list.items.map((i) => i.id)).toEqual([newer.id, notice.id]);
    expect(list.unread).toBe(2);
    const opened = await read(w.p1.user.id, notice.id);
    expect(opened.status).toBe(200);
    expect((opened.json as Json).readAt).toBe(t.clock.now());
    t.clock.advance(1000);
    await read(w.p1.user.id, notice.id); // a second read keeps the first receipt
    const after = await mine(w.p1.user.id);
    expect(after.unread).toBe(1);
    expect(after.items.find((i) => i.id === notice.id)!.readAt).toBe(t.clock.now() - 1000);
    // The publisher's figures (kept on the notice) count the first read once.
    const listed = (await as(w.command.id, { method: 'GET', url: '/api/v1/notices', query: { pageSize: '200' } })).json as { items: Json[] };
    expect(listed.items.find((i) => i.id === notice.id)).toMatchObject({ audience: 2, read: 1 });
  });

  it('rolls receipts up the tree, lists who has not read per unit, and reminds each person at most once an hour', async () => {
    const w = await world();
    const a1b = await buildUnit(t, { parent: w.a1 });
    const p4 = await employee(a1b, ['key_group']);
    const notice = (await publish(w.command.id, { unitIds: [w.root.id], tags: ['key_group'] })).json as Json;
    expect(notice.audience).toBe(4);
    await read(w.p1.user.id, notice.id);
    await read(p4.user.id, notice.id);

    const top = await receipts(w.command.id, notice.id);
    expect(top.unit.id).toBe(w.root.id);
    expect(top.total).toEqual({ audience: 4, read: 2, unread: 2 });
    const byId = new Map(top.children.map((c) => [c.id, c]));
    expect(byId.get(w.a.id)).toMatchObject({ audience: 3, read: 2, unread: 1, hasChildren: true });
    expect(byId.get(w.b.id)).toMatchObject({ audience: 1, read: 0, unread: 1, hasChildren: false });
    const inA = await receipts(w.command.id, notice.id, w.a.id);
    expect(inA.unit).toMatchObject({ audience: 1, read: 1 });
    expect(inA.children).toEqual([expect.objectContaining({ id: w.a1.id, audience: 2, read: 1, unread: 1 })]);

    const unread = (await as(w.command.id, { method: 'GET', url: `/api/v1/notices/${notice.id}/unread`, query: { unitId: String(w.a.id) } })).json as { items: Json[]; total: number };
    expect(unread.total).toBe(1);
    expect(unread.items[0]).toMatchObject({ personId: w.p3.person.id, unitId: w.a1.id, phone: '13812345678', remindedAt: null });

    // A unit head of A1 manages only their part: receipts from A1 down, the unread there.
    const head = await buildUser(t, [{ role: 'unit_head', unit: w.a1 }]);
    const headView = (await as(head.id, { method: 'GET', url: `/api/v1/notices/${notice.id}` })).json as Json;
    expect(headView).toMatchObject({ audience: 2, read: 1, abilities: { withdraw: false, remind: true } });
    expect((await receipts(head.id, notice.id)).unit.id).toBe(w.a1.id);
    expect((await as(head.id, { method: 'GET', url: `/api/v1/notices/${notice.id}/receipts`, query: { unitId: String(w.a.id) } })).status).toBe(404);

    const remind = (userId: number, unitId: number) => as(userId, { method: 'POST', url: `/api/v1/notices/${notice.id}/remind`, body: { unitId } });
    const reminders = () => t.deps.db.selectFrom('notifications').select('user_id').where('kind', '=', 'notice.reminder').where('entity_id', '=', String(notice.id)).execute();
    expect((await remind(w.command.id, w.a.id)).json).toEqual({ reminded: 1, skipped: 0 });
    expect((await reminders()).map((r) => r.user_id)).toEqual([w.p3.user.id]);
    // Again at once, by anyone: nobody is told twice within the hour.
    expect((await remind(head.id, w.a1.id)).json).toEqual({ reminded: 0, skipped: 1 });
    expect((await remind(w.command.id, w.root.id)).json).toEqual({ reminded: 1, skipped: 1 }); // p5 in B is new
    expect(await reminders()).toHaveLength(2);
    t.clock.advance(61 * 60_000);
    expect((await remind(w.command.id, w.a.id)).json).toEqual({ reminded: 1, skipped: 0 });
    expect(await reminders()).toHaveLength(3);
    const audited = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'notice').where('entity_id', '=', String(notice.id)).execute();
    expect(audited.map((r) => r.action)).toEqual(['notice.published', 'notice.reminded', 'notice.reminded', 'notice.reminded', 'notice.reminded']);
  });

  it('withdraws with a reason (only the level that published it): gone from the lists, receipts kept', async () => {
    const w = await world();
    const notice = (await publish(w.command.id, { unitIds: [w.a.id] })).json as Json;
    await read(w.p1.user.id, notice.id);
    const head = await buildUser(t, [{ role: 'unit_head', unit: w.a1 }]);
    const withdraw = (userId: number, body: unknown) => as(userId, { method: 'POST', url: `/api/v1/notices/${notice.id}/withdraw`, body });
    expect((await withdraw(head.id, { reason: '内容有误' })).status).toBe(403);
    const missing = await withdraw(w.command.id, {});
    expect(missing.status).toBe(400);
    expect(Object.keys(errorOf(missing)?.fields ?? {})).toEqual(['reason']);
    const done = await withdraw(w.command.id, { reason: '内容有误，另行发布' });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'withdrawn', withdrawReason: '内容有误，另行发布', abilities: { withdraw: false, remind: false } });
    expect((await withdraw(w.command.id, { reason: '再撤' })).status).toBe(409);

    expect((await mine(w.p1.user.id)).items).toEqual([]);
    expect((await as(w.p1.user.id, { method: 'GET', url: `/api/v1/notices/mine/${notice.id}` })).status).toBe(404);
    expect((await read(w.p2.user.id, notice.id)).status).toBe(404);
    expect((await receipts(w.command.id, notice.id, w.a.id)).total).toEqual({ audience: 3, read: 1, unread: 2 });
    expect((await as(w.command.id, { method: 'POST', url: `/api/v1/notices/${notice.id}/remind`, body: {} })).status).toBe(409);
  });

  it('keeps to scope: targets must be in the publisher’s notices.write scope; others do not see the notice', async () => {
    const w = await world();
    const commandA = await buildUser(t, [{ role: 'command', unit: w.a }]);
    const commandB = await buildUser(t, [{ role: 'command', unit: w.b }]);
    const outside = await publish(commandA.id, { unitIds: [w.b.id] });
    expect(outside.status).toBe(400);
    expect(Object.keys(errorOf(outside)?.fields ?? {})).toEqual(['unitIds']);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: w.a }]);
    expect((await publish(liaison.id, { unitIds: [w.a.id] })).status).toBe(403);
    expect((await publish(w.p1.user.id, { unitIds: [w.a.id] })).status).toBe(403);
    const nobody = await publish(commandA.id, { unitIds: [w.a1.id], tags: ['overseas'] });
    expect(nobody.status).toBe(400);
    expect(Object.keys(errorOf(nobody)?.fields ?? {})).toEqual(['tags']);

    const notice = (await publish(commandA.id, { unitIds: [w.a.id] })).json as Json;
    expect((await as(commandB.id, { method: 'GET', url: `/api/v1/notices/${notice.id}` })).status).toBe(404);
    expect((await as(commandB.id, { method: 'GET', url: `/api/v1/notices/${notice.id}/unread` })).status).toBe(404);
    expect((await as(commandB.id, { method: 'POST', url: `/api/v1/notices/${notice.id}/remind`, body: {} })).status).toBe(404);
    const listB = (await as(commandB.id, { method: 'GET', url: '/api/v1/notices' })).json as { items: Json[] };
    expect(listB.items.map((i) => i.id)).not.toContain(notice.id);
    const listRoot = (await as(w.command.id, { method: 'GET', url: '/api/v1/notices', query: { q: '加强防护' } })).json as { items: Json[] };
    expect(listRoot.items.map((i) => i.id)).toContain(notice.id);
    // An employee reads their own notices only, never the console's.
    expect((await as(w.p1.user.id, { method: 'GET', url: `/api/v1/notices/${notice.id}` })).status).toBe(404);
    expect((await as(w.p1.user.id, { method: 'GET', url: '/api/v1/notices' })).status).toBe(403);
    expect((await as(w.p5.user.id, { method: 'GET', url: `/api/v1/notices/mine/${notice.id}` })).status).toBe(404);
  });

  it('renders bodies safely whatever is typed, and lets the audience (only) open its attachments', async () => {
    const w = await world();
    const up = (await send(await t.app(), await loginAs(t, w.command.id), { method: 'POST', url: '/api/v1/attachments', ...multipartFile({ filename: '防护指引.png', contentType: 'image/png', content: PNG_1PX }) })).json as Json;
    const stray = await publish(w.command.id, { unitIds: [w.a.id], body: `见图 ![图](/api/v1/attachments/${up.id})` });
    expect(Object.keys(errorOf(stray)?.fields ?? {})).toEqual(['body']);
    const body = `<script>alert(1)</script>\n[点我](javascript:alert(1)) <img src=x onerror=alert(1)>\n![图](/api/v1/attachments/${up.id})`;
    const notice = (await publish(w.command.id, { unitIds: [w.a.id], body, attachmentIds: [up.id] })).json as Json & { bodyHtml: string; attachments: Json[] };
    expect(notice.attachments.map((a) => a.id)).toEqual([up.id]);
    expect(notice.bodyHtml).not.toMatch(/<script|javascript:|<img src=x|onerror="/i);
    expect(notice.bodyHtml).toContain(`<img src="/api/v1/attachments/${up.id}"`);
    const own = (await as(w.p1.user.id, { method: 'GET', url: `/api/v1/notices/mine/${notice.id}` })).json as Json & { bodyHtml: string };
    expect(own.bodyHtml).toBe(notice.bodyHtml);

    const file = async (userId: number) => (await (await t.app()).inject({ method: 'GET', url: `/api/v1/attachments/${up.id}`, headers: { cookie: await loginAs(t, userId) } })).statusCode;
    expect(await file(w.p1.user.id)).toBe(200);
    expect(await file(w.p5.user.id)).toBe(404);
    const commandB = await buildUser(t, [{ role: 'command', unit: w.b }]);
    expect(await file(commandB.id)).toBe(404);
    // An attachment is linked once: another notice cannot take it.
    const reuse = await publish(w.command.id, { unitIds: [w.a.id], attachmentIds: [up.id] });
    expect(Object.keys(errorOf(reuse)?.fields ?? {})).toEqual(['attachmentIds']);
    await as(w.command.id, { method: 'POST', url: `/api/v1/notices/${notice.id}/withdraw`, body: { reason: '撤回' } });
    expect(await file(w.p1.user.id)).toBe(404);
    expect(await file(w.command.id)).toBe(200);
  });

  it("tells each target unit's robots about that unit's own people only, people without an account first", async () => {
    const w = await world();
    await buildPerson(t, w.b, { name: '无账号员工' });
    const now = t.clock.now();
    const robotOf = async (unit: UnitRow) =>
      (
        await t.deps.db
          .insertInto('unit_channels')
          .values({ unit_id: unit.id, kind: 'generic', name: '群机器人', url: 'http://127.0.0.1:9/hook', secret: null, enabled: 1, last_sent_at: null, last_error: null, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const robotA = await robotOf(w.a);
    const robotB = await robotOf(w.b);
    const notice = (await publish(w.command.id, { unitIds: [w.a.id, w.b.id], title: '分单位告知' })).json as Json;
    expect(notice.audience).toBe(5);
    const messages = (await channelMessages(t.deps.db)).filter((m) => m.entityId === String(notice.id));
    const textOf = (channelId: number) => messages.filter((m) => m.channelId === channelId).map((m) => m.text);
    expect(textOf(robotA)).toHaveLength(1);
    expect(textOf(robotB)).toHaveLength(1);
    expect(textOf(robotA)[0]).toContain('已在系统内通知（3 人）');
    expect(textOf(robotA)[0]).not.toContain('无账号员工');
    expect(textOf(robotB)[0]).toMatch(/未开通账号（1 人）：无账号员工[\s\S]*已在系统内通知（1 人）/);
  });

  it('a retried publish with the same Idempotency-Key publishes once', async () => {
    const w = await world();
    const key = { 'idempotency-key': `notice-${dialect}-1` };
    const first = await publish(w.command.id, { unitIds: [w.a.id], title: '只发一次' }, key);
    const second = await publish(w.command.id, { unitIds: [w.a.id], title: '只发一次' }, key);
    expect(first.status, first.raw).toBe(201);
    expect(second.status, second.raw).toBe(201);
    expect(second.status).toBe(201);
    expect((second.json as Json).id).toBe((first.json as Json).id);
    expect(await t.deps.db.selectFrom('notices').select('id').where('title', '=', '只发一次').execute()).toHaveLength(1);
  });
});
