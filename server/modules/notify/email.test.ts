import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { drainDeliveries } from '../../../test/outbox.js';
import { errorOf, send } from '../../../test/http.js';
import { startSmtp } from '../../../test/receivers.js';
import { loadConfig } from '../../config.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { closeEmailTransports, emailAddresses } from './email.js';
import { notifyUsers } from './notify.service.js';

describe('e-mail settings and addresses', () => {
  it('takes both SMTP settings or neither, and a channel as mailto: with plain addresses', () => {
    expect(loadConfig({}).smtp).toBeNull();
    expect(loadConfig({ BULWARK_SMTP_URL: 'smtps://u:p@mail.example.cn:465', BULWARK_SMTP_FROM: '防控办 <fk@example.cn>' }).smtp).toEqual({ url: 'smtps://u:p@mail.example.cn:465', from: '防控办 <fk@example.cn>' });
    expect(() => loadConfig({ BULWARK_SMTP_URL: 'smtp://mail.example.cn' })).toThrow('BULWARK_SMTP_FROM');
    expect(() => loadConfig({ BULWARK_SMTP_FROM: 'fk@example.cn' })).toThrow('BULWARK_SMTP_URL');
    expect(() => loadConfig({ BULWARK_SMTP_URL: 'http://mail.example.cn', BULWARK_SMTP_FROM: 'fk@example.cn' })).toThrow('smtp://');
    expect(emailAddresses('mailto:a@example.cn, b@example.cn,a@example.cn')).toEqual(['a@example.cn', 'b@example.cn']);
    expect(emailAddresses('mailto:')).toBeNull();
    expect(emailAddresses('mailto:not-an-address')).toBeNull();
    expect(emailAddresses('https://example.cn')).toBeNull();
  });
});

describe.each(testDialects())('e-mail over SMTP on %s', (dialect) => {
  let t: TestEnv;
  const smtp = startSmtp();
  let smtpUrl = '';
  beforeAll(async () => {
    t = await testEnv(dialect);
    smtpUrl = await smtp.listen();
  });
  afterAll(async () => {
    closeEmailTransports();
    await smtp.close();
    await t?.close();
  });

  const drain = () => drainDeliveries(t.deps);

  it('is refused as a channel while the server has no SMTP settings', async () => {
    const { root } = await buildTree(t);
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);
    t.deps.config.smtp = null;
    const off = await send(await t.app(), admin, { method: 'POST', url: `/api/v1/units/${root.id}/channels`, body: { kind: 'email', name: '邮件', url: 'mailto:fk@example.cn' } });
    expect(off.status).toBe(400);
    expect(errorOf(off)?.fields).toHaveProperty('kind');
    t.deps.config.smtp = { url: smtpUrl, from: '防控办 <bulwark@example.cn>' };
    const bad = await send(await t.app(), admin, { method: 'POST', url: `/api/v1/units/${root.id}/channels`, body: { kind: 'email', name: '邮件', url: 'https://example.cn/hook' } });
    expect(errorOf(bad)?.fields).toHaveProperty('url');
    const notRobot = await send(await t.app(), admin, { method: 'POST', url: `/api/v1/units/${root.id}/channels`, body: { kind: 'wecom', name: '群', url: 'mailto:fk@example.cn' } });
    expect(errorOf(notRobot)?.fields).toHaveProperty('url');
  });

  it('delivers a unit’s message to its addresses: subject, recipients and UTF-8 Chinese body as sent, each attempt logged', async () => {
    const { root, a } = await buildTree(t);
    t.deps.config.smtp = { url: smtpUrl, from: '防控办 <bulwark@example.cn>' };
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);
    const created = await send(await t.app(), admin, { method: 'POST', url: `/api/v1/units/${a.id}/channels`, body: { kind: 'email', name: '值班邮箱', url: 'mailto:duty@example.cn, head@example.cn' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ kind: 'email', url: 'mailto:duty@example.cn, head@example.cn', secret: 'none' });
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);

    smtp.got.length = 0;
    await transact(t.deps, systemCtx, (tx) =>
      notifyUsers(tx, t.deps, [liaison.id], { kind: 'health.watch_opened', params: { person: '张三', unit: '运营部', reason: 'checkin_abnormal' }, unitId: a.id, entity: 'health_watch', entityId: '12', link: '/health/watches/12' }),
    );
    expect(smtp.got).toHaveLength(0); // nothing leaves before the delivery job runs
    await drain();
    await smtp.received(1);
    expect(smtp.got).toHaveLength(1);
    const { mail, envelopeTo } = smtp.got[0]!;
    expect(envelopeTo.sort()).toEqual(['duty@example.cn', 'head@example.cn']);
    expect(mail.subject).toBe('已开启健康监测');
    expect(mail.from?.value).toEqual([{ name: '防控办', address: 'bulwark@example.cn' }]);
    expect((Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((x) => x!.value.map((v) => v.address)).sort()).toEqual(['duty@example.cn', 'head@example.cn']);
    expect(mail.text).toContain('运营部 的 张三 已纳入健康监测（原因：打卡异常），请及时跟进。');
    expect(mail.text).toContain('/health/watches/12');
    const message = await t.deps.db.selectFrom('notify_messages').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mail.messageId).toBe(`<${message.event_id}@bulwark>`);
    expect(mail.headers.get('x-bulwark-event-id')).toBe(message.event_id);
    const delivery = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('message_id', '=', message.id).where('route', '=', 'channel').executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ channel_kind: 'email', state: 'sent', attempts: 1 });

    // A test send from the console goes out at once.
    const test = await send(await t.app(), admin, { method: 'POST', url: `/api/v1/channels/${(created.json as { id: number }).id}/test` });
    expect(test.json).toEqual({ ok: true, error: null });
    expect(smtp.got).toHaveLength(2);
    expect(smtp.got[1]!.mail.subject).toBe('测试消息');
  });

  it('logs a refusal by the SMTP server as a failed attempt and retries it', async () => {
    const { root, a } = await buildTree(t);
    t.deps.config.smtp = { url: smtpUrl, from: 'bulwark@example.cn' };
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);
    smtp.refuse('nobody@example.cn');
    const created = await send(await t.app(), admin, { method: 'POST', url: `/api/v1/units/${a.id}/channels`, body: { kind: 'email', name: '错地址', url: 'mailto:nobody@example.cn' } });
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [], { kind: 'checkin.reminder', params: { day: '2026-11-24' }, unitId: a.id, entity: 'unit', entityId: String(a.id) }));
    await drain();
    const delivery = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('channel_id', '=', (created.json as { id: number }).id).executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ state: 'failed', attempts: 1 });
    expect(delivery.last_error).toContain('nobody@example.cn');
    expect(Number(delivery.next_attempt_at)).toBeGreaterThan(t.clock.now());
  });
});
