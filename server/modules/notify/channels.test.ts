import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import { deliveryRunner } from '../../../test/outbox.js';
import { startReceiver } from '../../../test/receivers.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { buildRequest, dingtalkSign, feishuSign, genericSignature, maskUrl, truncateBytes, type RobotMessage } from './channels.js';
import { DELIVER_JOB, notifyUsers } from './notify.service.js';

const message = (over: Partial<RobotMessage> = {}): RobotMessage => ({
  eventId: 'evt-1',
  title: '健康打卡提醒',
  text: '您今天还没有健康打卡',
  mentions: [],
  event: { kind: 'checkin.reminder', params: { day: '2026-11-24' }, unitId: 1, entity: 'unit', entityId: '1', link: null, createdAt: 1 },
  ...over,
});

describe('robot payloads and signatures (INTEGRATIONS.md)', () => {
  it("signs DingTalk and Feishu exactly as the documentation's worked examples", () => {
    expect(dingtalkSign('SEC000test', 1700000000000)).toBe('1hLl2KkRX3rps9FaitIUwaac+CtAFEaP345jvdrTL7c=');
    expect(feishuSign('SEC000test', 1700000000)).toBe('VJoDIs2fdNFeN6NS/KG4L8NIxm+bN/FYQRhY2lP3Mf8=');
    expect(feishuSign('demo', 1599360473)).toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
  });

  it('puts the DingTalk signature in the URL encoded exactly once, with the mention in the text', () => {
    const req = buildRequest({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=TOKEN', secret: 'SEC000test' }, message({ mentions: ['13800000000'] }), 1700000000000);
    expect(req.url).toBe('https://oapi.dingtalk.com/robot/send?access_token=TOKEN&timestamp=1700000000000&sign=1hLl2KkRX3rps9FaitIUwaac%2BCtAFEaP345jvdrTL7c%3D');
    const body = JSON.parse(req.body);
    expect(body).toEqual({ msgtype: 'markdown', markdown: { title: '健康打卡提醒', text: '#### 健康打卡提醒\n\n您今天还没有健康打卡\n\n@13800000000' }, at: { atMobiles: ['13800000000'], isAtAll: false } });
  });

  it('sends WeCom markdown, or text when mentioning by phone; Feishu a signed post; ours an HMAC header', () => {
    const w1 = JSON.parse(buildRequest({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K', secret: null }, message(), 0).body);
    expect(w1).toEqual({ msgtype: 'markdown', markdown: { content: '**健康打卡提醒**\n您今天还没有健康打卡' } });
    const w2 = JSON.parse(buildRequest({ kind: 'wecom', url: 'https://x/?key=K', secret: null }, message({ mentions: ['13800000000'] }), 0).body);
    expect(w2).toEqual({ msgtype: 'text', text: { content: '健康打卡提醒\n您今天还没有健康打卡', mentioned_mobile_list: ['13800000000'] } });

    const f = JSON.parse(buildRequest({ kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/T', secret: 'demo' }, message(), 1599360473_000).body);
    expect(f).toEqual({
      timestamp: '1599360473',
      sign: 'l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=',
      msg_type: 'post',
      content: { post: { zh_cn: { title: '健康打卡提醒', content: [[{ tag: 'text', text: '您今天还没有健康打卡' }]] } } },
    });

    const g = buildRequest({ kind: 'generic', url: 'https://hooks.example/x', secret: 's3cret' }, message(), 1700000000000);
    expect(g.headers['x-bulwark-timestamp']).toBe('1700000000');
    expect(g.headers['x-bulwark-event-id']).toBe('evt-1');
    expect(g.headers['x-bulwark-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(`1700000000.${g.body}`).digest('hex')}`);
    expect(JSON.parse(g.body)).toMatchObject({ id: 'evt-1', kind: 'checkin.reminder', params: { day: '2026-11-24' }, title: '健康打卡提醒' });
  });

  it('cuts long text on a character boundary and masks the token in a URL', () => {
    const cut = truncateBytes('打卡'.repeat(1000), 2048);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
    expect(maskUrl('https://oapi.dingtalk.com/robot/send?access_token=abc')).toBe('https://oapi.dingtalk.com/robot/send?access_token=***');
    expect(maskUrl('https://open.feishu.cn/open-apis/bot/v2/hook/abc-123')).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/***');
  });
});

describe.each(testDialects())('robot delivery on %s', (dialect) => {
  let t: TestEnv;
  const robot = startReceiver();
  let base = '';
  beforeAll(async () => {
    t = await testEnv(dialect);
    base = await robot.listen();
  });
  afterAll(async () => {
    await robot.close();
    await t?.close();
  });

  const runner = () => deliveryRunner(t.deps);

  async function setUp(kind: string, secret: string | null, path: string) {
    const { root } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const cookie = await loginAs(t, admin.id);
    const created = await send(await t.app(), cookie, { method: 'POST', url: `/api/v1/units/${root.id}/channels`, body: { kind, name: '防控群', url: `${base}${path}`, secret } });
    expect(created.status).toBe(201);
    return { root, admin, cookie, channel: created.json as { id: number; secret: string; url: string } };
  }

  const remind = (userIds: number[], unitId: number) =>
    transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, userIds, { kind: 'checkin.reminder', params: { day: '2026-11-24' }, unitId, entity: 'unit', entityId: String(unitId) }));

  async function deliveryJobs() {
    return t.deps.db.selectFrom('jobs').selectAll().where('kind', '=', DELIVER_JOB).orderBy('id').execute();
  }

  it('delivers a signed DingTalk message the robot accepts, and the secret is never shown back', async () => {
    const { root, admin, channel } = await setUp('dingtalk', 'SEC000test', '/robot/send?access_token=TOKEN');
    expect(channel.secret).toBe('set');
    expect(channel.url).toBe(`${base}/robot/send?access_token=***`);
    robot.got.length = 0;
    expect(await remind([admin.id], root.id)).toBe(1);
    expect(await runner().tick()).toBe(2); // the robot, and the live push to the admin
    expect(robot.got).toHaveLength(1);
    const r = robot.got[0]!;
    const q = new URL(r.path, base).searchParams;
    expect(q.get('access_token')).toBe('TOKEN');
    const ts = q.get('timestamp')!;
    expect(Number(ts)).toBe(t.clock.now());
    // The raw query carries the Base64 URL-encoded exactly once.
    expect(r.path).toContain(`sign=${encodeURIComponent(createHmac('sha256', 'SEC000test').update(`${ts}\nSEC000test`).digest('base64'))}`);
    expect(JSON.parse(r.body)).toEqual({
      msgtype: 'markdown',
      markdown: { title: '健康打卡提醒', text: '#### 健康打卡提醒\n\n您今天（2026-11-24）还没有健康打卡，请尽快完成。' },
      at: { atMobiles: [], isAtAll: false },
    });
    const [job] = await deliveryJobs();
    expect(job!.status).toBe('done');
  });

  it('retries a refused delivery with the back-off and succeeds when the robot takes it', async () => {
    const { root, admin, channel } = await setUp('wecom', null, '/cgi-bin/webhook/send?key=K');
    robot.got.length = 0;
    let refuse = true;
    robot.answerWith(() => (refuse ? { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' } : { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    await remind([admin.id], root.id);
    const jobId = (await deliveryJobs()).at(-1)!.id;
    await runner().tick();
    let job = await t.deps.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(job.status).toBe('pending');
    expect(job.last_error).toContain('93000');
    expect(Number(job.run_at)).toBeGreaterThan(t.clock.now());
    const ch = await t.deps.db.selectFrom('unit_channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
    expect(ch.last_error).toContain('93000');

    refuse = false;
    t.clock.set(Number(job.run_at));
    await runner().tick();
    job = await t.deps.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    expect(robot.got).toHaveLength(2);
    expect(robot.got[0]!.body).toBe(robot.got[1]!.body);
    robot.answerWith(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
  });

  it('signs our generic webhook and sends Feishu its signed post', async () => {
    const g = await setUp('generic', 'hook-secret', '/hook');
    const f = await setUp('feishu', 'fs-secret', '/open-apis/bot/v2/hook/T');
    robot.got.length = 0;
    robot.answerWith((r) => (r.path.startsWith('/open-apis') ? { status: 200, body: '{"code":0,"msg":"success"}' } : { status: 204, body: '' }));
    await remind([g.admin.id], g.root.id);
    await remind([f.admin.id], f.root.id);
    await runner().tick();
    expect(robot.got).toHaveLength(2);
    const hook = robot.got.find((r) => r.path === '/hook')!;
    const ts = String(hook.headers['x-bulwark-timestamp']);
    expect(hook.headers['x-bulwark-signature']).toBe(genericSignature('hook-secret', Number(ts), hook.body));
    expect(JSON.parse(hook.body)).toMatchObject({ kind: 'checkin.reminder', entity: 'unit', entityId: String(g.root.id), params: { day: '2026-11-24' } });
    const fs = JSON.parse(robot.got.find((r) => r.path.startsWith('/open-apis'))!.body);
    expect(fs.sign).toBe(feishuSign('fs-secret', Number(fs.timestamp)));
    expect(fs.msg_type).toBe('post');
    robot.answerWith(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    expect((await deliveryJobs()).every((j) => j.status === 'done')).toBe(true);
  });

  it('keeps a robot under 20 messages a minute: the rest wait for the next minute without using up their retries', async () => {
    const { root, admin } = await setUp('dingtalk', null, '/robot/send?access_token=T2');
    robot.got.length = 0;
    for (let i = 0; i < 45; i++) await remind([admin.id], root.id);
    const r = runner();
    const drain = async () => {
      while ((await r.tick()) > 0);
    };
    await drain();
    expect(robot.got).toHaveLength(20);
    const waiting = (await deliveryJobs()).filter((j) => j.status === 'pending');
    expect(waiting).toHaveLength(25);
    expect(waiting.every((j) => j.attempts === 0 && Number(j.run_at) === t.clock.now() + 60_000)).toBe(true);
    t.clock.advance(59_000);
    await drain();
    expect(robot.got).toHaveLength(20);
    t.clock.advance(1_000);
    await drain();
    expect(robot.got).toHaveLength(40);
    t.clock.advance(60_000);
    await drain();
    expect(robot.got).toHaveLength(45);
    expect(new Set(robot.got.map((g) => g.body)).size).toBe(1);
    expect((await deliveryJobs()).filter((j) => j.status !== 'done')).toEqual([]);
  });

  it('drops the deliveries of a disabled robot and sends a test message on demand', async () => {
    const { root, admin, cookie, channel } = await setUp('dingtalk', null, '/robot/send?access_token=T3');
    robot.got.length = 0;
    const test = await send(await t.app(), cookie, { method: 'POST', url: `/api/v1/channels/${channel.id}/test` });
    expect(test.json).toEqual({ ok: true, error: null });
    expect(JSON.parse(robot.got[0]!.body).markdown.text).toContain(root.name);
    robot.answerWith(() => ({ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }));
    const refused = await send(await t.app(), cookie, { method: 'POST', url: `/api/v1/channels/${channel.id}/test` });
    expect(refused.json).toMatchObject({ ok: false });
    expect((refused.json as { error: string }).error).toContain('310000');
    robot.answerWith(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));

    await remind([admin.id], root.id);
    const off = await send(await t.app(), cookie, { method: 'PATCH', url: `/api/v1/channels/${channel.id}`, body: { enabled: false } });
    expect(off.status).toBe(200);
    robot.got.length = 0;
    await runner().tick();
    expect(robot.got).toHaveLength(0);
    expect((await deliveryJobs()).at(-1)!.status).toBe('done');
  });
});
