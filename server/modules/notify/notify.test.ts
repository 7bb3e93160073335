import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { verifyAudit } from '../audit/audit.service.js';
import { DELIVER_JOB, NOTIFICATION_KEEP_DAYS, notifyPeople, notifyUnitRole, notifyUsers, purgeOldNotifications, type NotificationInput } from './notify.service.js';
import { langOf, renderMessage } from './messages.js';

const input = (over: Partial<NotificationInput> = {}): NotificationInput => ({ kind: 'health.digest', params: { day: '2026-11-24', checkedIn: 8, headcount: 10, abnormal: 1, notYet: 2 }, unitId: null, entity: 'checkin_day', entityId: '2026-11-24', ...over });

describe('message catalogue', () => {
  it('renders a kind in either language, words for coded params, and something readable for an unknown kind', () => {
    expect(renderMessage('health.watch_opened', { person: '张三', unit: '运营部', reason: 'checkin_abnormal' }, 'zh-CN').text).toBe('运营部 的 张三 已纳入健康监测（原因：打卡异常），请及时跟进。');
    expect(renderMessage('health.watch_opened', { person: 'Zhang', unit: 'Ops', reason: 'trip_return' }, 'en').text).toBe('Zhang of Ops is now under a health watch (return from a risk area). Please follow up.');
    expect(renderMessage('no.such.kind', { a: 1 }, 'en')).toEqual({ title: 'no.such.kind', text: 'a: 1' });
    expect(langOf(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(langOf('zh-CN', 'en-US')).toBe('zh-CN');
    expect(langOf(undefined, 'fr-FR')).toBe('zh-CN');
  });
});

describe.each(testDialects())('notifications on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());
  const call = async (cookie: string | null, req: HttpRequest) => send(await t.app(), cookie, req);
  const inbox = (userId: number) => t.deps.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  const deliveries = () => t.deps.db.selectFrom('jobs').selectAll().where('kind', '=', DELIVER_JOB).orderBy('id').execute();
  /** The outbox message a delivery job carries out. */
  const messageOf = async (job: { payload: string }) => {
    const { deliveryId } = JSON.parse(job.payload) as { deliveryId: number };
    const d = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();
    const m = await t.deps.db.selectFrom('notify_messages').selectAll().where('id', '=', d.message_id).executeTakeFirstOrThrow();
    return { ...m, mentions: JSON.parse(m.mentions) as string[] };
  };

  it('notifyUsers writes one row per active account and queues one delivery per enabled robot of the unit, in the caller transaction', async () => {
    const { root, a } = await buildTree(t);
    const u1 = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const u2 = await buildUser(t, [{ role: 'liaison', unit: a }]);
    await t.deps.db.updateTable('users').set({ disabled_at: t.clock.now() }).where('id', '=', u2.id).execute();
    const now = t.clock.now();
    for (const [kind, enabled] of [['dingtalk', 1], ['wecom', 0]] as const)
      await t.deps.db.insertInto('unit_channels').values({ unit_id: a.id, kind, name: kind, url: 'http://127.0.0.1:9/x', secret: null, enabled, last_sent_at: null, last_error: null, created_at: now, updated_at: now }).execute();
    const before = (await deliveries()).length;
    expect(await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [u1.id, u1.id, u2.id], input({ unitId: a.id })))).toBe(1);
    expect(await inbox(u1.id)).toHaveLength(1);
    expect(await inbox(u2.id)).toHaveLength(0);
    const jobs = (await deliveries()).slice(before);
    expect(jobs).toHaveLength(1);
    expect((await messageOf(jobs[0]!)).text).toBe('2026-11-24：应打卡 10 人，已打卡 8 人，未打卡 2 人，异常 1 人。');

    // A caller whose transaction fails leaves nothing behind.
    await expect(
      transact(t.deps, systemCtx, async (tx) => {
        await notifyUsers(tx, t.deps, [u1.id], input({ unitId: a.id }));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await inbox(u1.id)).toHaveLength(1);
    expect((await deliveries()).length).toBe(before + 1);
    void root;
  });

  it('notifyPeople reaches the accounts of people and names those without one in the robot message', async () => {
    const { a1 } = await buildTree(t);
    const withAccount = await buildPerson(t, a1, { name: '有账号' });
    const without = await buildPerson(t, a1, { name: '无账号', phone: '13900000001' });
    const user = await buildUser(t, [], { home: a1, personId: withAccount.id });
    const now = t.clock.now();
    await t.deps.db.insertInto('unit_channels').values({ unit_id: a1.id, kind: 'dingtalk', name: 'd', url: 'http://127.0.0.1:9/x', secret: null, enabled: 1, last_sent_at: null, last_error: null, created_at: now, updated_at: now }).execute();
    const n = await transact(t.deps, systemCtx, (tx) => notifyPeople(tx, t.deps, [withAccount.id, without.id], input({ kind: 'checkin.reminder', params: { day: '2026-11-24' }, unitId: a1.id })));
    expect(n).toBe(1);
    expect((await inbox(user.id)).map((r) => r.kind)).toEqual(['checkin.reminder']);
    const job = (await deliveries()).at(-1)!;
    const msg = await messageOf(job);
    expect(msg.text).toContain('未开通账号（1 人）：无账号');
    expect(msg.text).toContain('已在系统内通知（1 人）：有账号');
    expect(msg.mentions).toEqual(['13900000001']);
  });

  it('notifyUnitRole finds the holders on the unit itself, else on its nearest ancestor that has one', async () => {
    const { root, a, a1, b } = await buildTree(t);
    const deep = await buildUnit(t, { parent: a1 });
    const headRoot = await buildUser(t, [{ role: 'unit_head', unit: root }]);
    const headA = await buildUser(t, [{ role: 'unit_head', unit: a }]);
    const liaisonA1 = await buildUser(t, [{ role: 'liaison', unit: a1 }]);
    const notify = (unitId: number, roles: ('unit_head' | 'liaison')[]) => transact(t.deps, systemCtx, (tx) => notifyUnitRole(tx, t.deps, unitId, roles, input({ unitId })));
    expect(await notify(deep.id, ['unit_head'])).toBe(1);
    expect(await inbox(headA.id)).toHaveLength(1);
    expect(await inbox(headRoot.id)).toHaveLength(0);
    expect(await notify(b.id, ['unit_head'])).toBe(1);
    expect(await inbox(headRoot.id)).toHaveLength(1);
    expect(await notify(deep.id, ['liaison', 'unit_head'])).toBe(1);
    expect(await inbox(liaisonA1.id)).toHaveLength(1);
    expect(await notify(999_999, ['unit_head'])).toBe(0);
  });

  it('lists my notifications unread first in my language, marks one and all read, and hides everyone else’s', async () => {
    const { a } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const other = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const cookie = await loginAs(t, me.id);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [me.id, other.id], input({ entityId: `d${i}` })));
    }
    const ids = (await inbox(me.id)).map((r) => r.id);
    const read = await call(cookie, { method: 'POST', url: `/api/v1/notifications/${ids[2]}/read`, query: { lang: 'en' } });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ id: ids[2], title: 'Daily health digest', readAt: t.clock.now() });

    const page = await call(cookie, { method: 'GET', url: '/api/v1/notifications' });
    expect(page.status).toBe(200);
    const body = page.json as { items: { id: number; title: string; readAt: number | null; params: unknown }[]; unread: number; total: number };
    expect(body.items.map((i) => i.id)).toEqual([ids[1], ids[0], ids[2]]);
    expect(body).toMatchObject({ unread: 2, total: 3 });
    expect(body.items[0]).toMatchObject({ title: '每日健康汇总', params: { day: '2026-11-24', checkedIn: 8 } });
    const newest = await call(cookie, { method: 'GET', url: '/api/v1/notifications', query: { order: 'newest' }, headers: { 'accept-language': 'en-GB' } });
    expect((newest.json as typeof body).items.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((newest.json as typeof body).items[0]!.title).toBe('Daily health digest');

    const othersId = (await inbox(other.id))[0]!.id;
    const hidden = await call(cookie, { method: 'POST', url: `/api/v1/notifications/${othersId}/read` });
    expect(hidden.status).toBe(404);
    expect((await inbox(other.id))[0]!.read_at).toBeNull();

    const all = await call(cookie, { method: 'POST', url: '/api/v1/notifications/read-all' });
    expect(all.json).toEqual({ updated: 2 });
    const after = await call(cookie, { method: 'GET', url: '/api/v1/notifications', query: { unreadOnly: 'true' } });
    expect(after.json).toMatchObject({ items: [], unread: 0, total: 0 });
    expect((await call(cookie, { method: 'GET', url: '/api/v1/notifications', query: { order: 'oldest' } })).status).toBe(400);
  });

  it('purges notifications older than the keeping period and keeps the rest', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const day = 24 * 60 * 60_000;
    const start = t.clock.now();
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [u.id], input({ entityId: 'old' })));
    t.clock.advance(2 * day);
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [u.id], input({ entityId: 'new' })));
    t.clock.set(start + NOTIFICATION_KEEP_DAYS * day + day);
    expect(await purgeOldNotifications(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await inbox(u.id)).map((r) => r.entity_id)).toEqual(['new']);
    // The outbox's log goes with them: no message of that age is left, with its deliveries.
    const cutoff = start + 2 * day;
    expect(await t.deps.db.selectFrom('notify_messages').select('id').where('created_at', '<', cutoff).execute()).toEqual([]);
    const messageIds = (await t.deps.db.selectFrom('notify_messages').select('id').execute()).map((m) => m.id);
    expect((await t.deps.db.selectFrom('notify_deliveries').select('message_id').execute()).every((d) => messageIds.includes(d.message_id))).toBe(true);
    expect((await t.deps.db.selectFrom('notify_messages').select('entity_id').where('entity_id', '=', 'new').execute()).length).toBeGreaterThan(0);
    t.clock.set(start);
  });

  it('keeps channels to who may change the unit, validates each robot kind’s secret, and audits every change', async () => {
    const { root, a, b } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: a }]);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const cookie = await loginAs(t, admin.id);
    const url = `/api/v1/units/${a.id}/channels`;
    const bad = [
      [{ kind: 'dingtalk', name: 'd', url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'nope' }, 'secret'],
      [{ kind: 'wecom', name: 'w', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: 'x' }, 'secret'],
      [{ kind: 'generic', name: 'g', url: 'https://hooks.example/x' }, 'secret'],
      [{ kind: 'feishu', name: 'f', url: 'ftp://x' }, 'url'],
      [{ kind: 'slack', name: 's', url: 'https://x' }, 'kind'],
      [{ kind: 'feishu', name: 'f', url: 'https://open.feishu.cn/x', extra: 1 }, 'extra'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await call(cookie, { method: 'POST', url, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.json as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty(field);
    }
    expect(await t.deps.db.selectFrom('unit_channels').select('id').where('unit_id', '=', a.id).execute()).toHaveLength(0);

    const created = await call(cookie, { method: 'POST', url, body: { kind: 'feishu', name: '防控群', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/tok', secret: 'fs' } });
    expect(created.status).toBe(201);
    const ch = created.json as { id: number };
    expect(created.json).toMatchObject({ unitId: a.id, kind: 'feishu', secret: 'set', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/***', enabled: true });
    expect(JSON.stringify(created.json)).not.toContain('tok');
    const patched = await call(cookie, { method: 'PATCH', url: `/api/v1/channels/${ch.id}`, body: { secret: null, name: '新名字' } });
    expect(patched.json).toMatchObject({ secret: 'none', name: '新名字' });
    expect((await call(cookie, { method: 'GET', url })).json).toMatchObject({ items: [{ id: ch.id, name: '新名字' }] });

    // Outside the subtree reads as absent; a role that may not change the unit is refused.
    expect((await call(cookie, { method: 'GET', url: `/api/v1/units/${b.id}/channels` })).status).toBe(404);
    expect((await call(cookie, { method: 'GET', url: `/api/v1/units/${root.id}/channels` })).status).toBe(404);
    const lc = await loginAs(t, liaison.id);
    expect((await call(lc, { method: 'GET', url })).status).toBe(403);
    expect((await call(lc, { method: 'DELETE', url: `/api/v1/channels/${ch.id}` })).status).toBe(403);

    expect((await call(cookie, { method: 'DELETE', url: `/api/v1/channels/${ch.id}` })).status).toBe(200);
    expect((await call(cookie, { method: 'DELETE', url: `/api/v1/channels/${ch.id}` })).status).toBe(404);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'channel').where('entity_id', '=', String(ch.id)).orderBy('id').execute();
    expect(audit.map((r) => r.action)).toEqual(['channel.created', 'channel.updated', 'channel.deleted']);
    expect(audit.map((r) => r.detail).join()).not.toContain('"fs"');
    expect((await verifyAudit(t.deps)).ok).toBe(true);
  });
});
