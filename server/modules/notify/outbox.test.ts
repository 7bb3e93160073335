import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import { deliveryRunner } from '../../../test/outbox.js';
import { startReceiver } from '../../../test/receivers.js';
import type { UnitRow } from '../../db/schema.js';
import { notifyOutbox } from '../../db/migrations/017_notify_outbox.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { backoffMs } from '../../jobs/jobs.js';
import { DELIVER_JOB, notifyUsers, type NotificationInput } from './notify.service.js';
import { CHANNEL_ATTEMPTS } from './outbox.js';

const remindOf = (unitId: number): NotificationInput => ({ kind: 'checkin.reminder', params: { day: '2026-11-24' }, unitId, entity: 'unit', entityId: String(unitId) });

describe.each(testDialects())('the outbox on %s', (dialect) => {
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
  const count = async (table: 'notify_messages' | 'notify_deliveries' | 'notify_attempts' | 'notifications' | 'jobs') =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const counts = async () => ({ messages: await count('notify_messages'), deliveries: await count('notify_deliveries'), inApp: await count('notifications'), jobs: await count('jobs') });

  async function robotOn(unit: UnitRow, path: string, kind = 'wecom') {
    const now = t.clock.now();
    return t.deps.db
      .insertInto('unit_channels')
      .values({ unit_id: unit.id, kind, name: `群-${path}`, url: `${base}${path}`, secret: null, enabled: 1, last_sent_at: null, last_error: null, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  it('writes the message, its in-app rows, one delivery per way out and their jobs with the cause, or nothing when the cause rolls back', async () => {
    const { a } = await buildTree(t);
    const user = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const channel = await robotOn(a, '/cgi-bin/webhook/send?key=commit');
    const before = await counts();
    await expect(
      transact(t.deps, systemCtx, async (tx) => {
        await notifyUsers(tx, t.deps, [user.id], remindOf(a.id));
        throw new Error('the cause failed');
      }),
    ).rejects.toThrow('the cause failed');
    expect(await counts()).toEqual(before);

    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [user.id], remindOf(a.id)));
    expect(await counts()).toEqual({ messages: before.messages + 1, deliveries: before.deliveries + 2, inApp: before.inApp + 1, jobs: before.jobs + 2 });
    const message = await t.deps.db.selectFrom('notify_messages').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(message).toMatchObject({ kind: 'checkin.reminder', unit_id: a.id, title: '健康打卡提醒', recipients: 1 });
    const deliveries = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('message_id', '=', message.id).orderBy('id').execute();
    expect(deliveries.map((d) => [d.route, d.channel_id, d.state, d.attempts])).toEqual([
      ['live', null, 'pending', 0],
      ['channel', channel.id, 'pending', 0],
    ]);
    const inbox = await t.deps.db.selectFrom('notifications').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(inbox.message_id).toBe(message.id);

    // Nobody to tell and no channel: nothing is written at all.
    const { b } = await buildTree(t);
    const quiet = await counts();
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [], remindOf(b.id)));
    expect(await counts()).toEqual(quiet);

    robot.got.length = 0;
    while ((await runner().tick()) > 0);
    expect(robot.got).toHaveLength(1);
    const after = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('message_id', '=', message.id).orderBy('id').execute();
    expect(after.map((d) => [d.state, d.attempts, d.sent_at === null ? null : Number(d.sent_at)])).toEqual([
      ['sent', 1, t.clock.now()],
      ['sent', 1, t.clock.now()],
    ]);
  });

  it('retries a refused delivery with the back-off until it is given up, logs every attempt, and shows the log to who may set the channels up', async () => {
    const { root, a, b } = await buildTree(t);
    const user = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const channel = await robotOn(a, '/cgi-bin/webhook/send?key=refuse');
    robot.answerWith((r) => (r.path.includes('key=refuse') ? { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' } : { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    robot.got.length = 0;
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [user.id], remindOf(a.id)));
    const message = await t.deps.db.selectFrom('notify_messages').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    const delivery = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('message_id', '=', message.id).where('route', '=', 'channel').executeTakeFirstOrThrow();
    const job = () => t.deps.db.selectFrom('jobs').selectAll().where('key', '=', `${DELIVER_JOB}:${delivery.id}`).executeTakeFirstOrThrow();

    const attemptTimes: number[] = [];
    for (;;) {
      const j = await job();
      if (j.status !== 'pending') break;
      t.clock.set(Math.max(t.clock.now(), Number(j.run_at)));
      attemptTimes.push(t.clock.now());
      while ((await runner().tick()) > 0);
      const d = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('id', '=', delivery.id).executeTakeFirstOrThrow();
      if (d.state === 'failed') expect(Number(d.next_attempt_at)).toBe(Number((await job()).run_at));
    }
    expect((await job()).status).toBe('failed');
    expect(attemptTimes).toHaveLength(CHANNEL_ATTEMPTS);
    // Each wait is the runner's back-off after that many attempts: 5 s, 10 s, 20 s, …
    expect(attemptTimes.slice(1).map((at, i) => at - attemptTimes[i]!)).toEqual(Array.from({ length: CHANNEL_ATTEMPTS - 1 }, (_, i) => backoffMs(i + 1)));
    expect(robot.got).toHaveLength(CHANNEL_ATTEMPTS);
    expect(new Set(robot.got.map((g) => g.body)).size).toBe(1);

    const d = await t.deps.db.selectFrom('notify_deliveries').selectAll().where('id', '=', delivery.id).executeTakeFirstOrThrow();
    expect(d).toMatchObject({ state: 'given_up', attempts: CHANNEL_ATTEMPTS, next_attempt_at: null, sent_at: null });
    expect(d.last_error).toContain('93000');
    const attempts = await t.deps.db.selectFrom('notify_attempts').selectAll().where('delivery_id', '=', delivery.id).orderBy('id').execute();
    expect(attempts.map((x) => [x.attempt, Number(x.at), x.ok])).toEqual(attemptTimes.map((at, i) => [i + 1, at, 0]));

    // The log: units.write over the unit, as the channels themselves.
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);
    const log = await send(await t.app(), admin, { method: 'GET', url: `/api/v1/units/${a.id}/deliveries`, query: { state: 'given_up' } });
    expect(log.status).toBe(200);
    expect(log.json).toMatchObject({ total: 1, items: [{ id: delivery.id, messageId: message.id, channelId: channel.id, channelKind: 'wecom', state: 'given_up', attempts: CHANNEL_ATTEMPTS, messageTitle: '健康打卡提醒' }] });
    const one = await send(await t.app(), admin, { method: 'GET', url: `/api/v1/outbox/messages/${message.id}` });
    expect(one.status).toBe(200);
    const body = one.json as { recipients: number; deliveries: { route: string; state: string; attemptLog: { attempt: number; ok: boolean; error: string | null }[] }[] };
    expect(body.recipients).toBe(1);
    expect(body.deliveries.map((x) => [x.route, x.state, x.attemptLog.length])).toEqual([
      ['live', 'sent', 1],
      ['channel', 'given_up', CHANNEL_ATTEMPTS],
    ]);
    expect(body.deliveries[1]!.attemptLog.every((x) => !x.ok && x.error?.includes('93000'))).toBe(true);

    const liaison = await loginAs(t, user.id);
    expect((await send(await t.app(), liaison, { method: 'GET', url: `/api/v1/units/${a.id}/deliveries` })).status).toBe(403);
    expect((await send(await t.app(), liaison, { method: 'GET', url: `/api/v1/outbox/messages/${message.id}` })).status).toBe(403);
    const headB = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: b }])).id);
    expect((await send(await t.app(), headB, { method: 'GET', url: `/api/v1/units/${a.id}/deliveries` })).status).toBe(404);
    expect((await send(await t.app(), headB, { method: 'GET', url: `/api/v1/outbox/messages/${message.id}` })).status).toBe(404);
    robot.answerWith(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
  });

  it('sends on the retry after a failure, and cancels the delivery of a channel removed before its turn', async () => {
    const { a } = await buildTree(t);
    const user = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const flaky = await robotOn(a, '/cgi-bin/webhook/send?key=flaky');
    const gone = await robotOn(a, '/cgi-bin/webhook/send?key=gone');
    let refuse = true;
    robot.answerWith(() => (refuse ? { status: 502, body: 'bad gateway' } : { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [user.id], remindOf(a.id)));
    await t.deps.db.deleteFrom('unit_channels').where('id', '=', gone.id).execute();
    while ((await runner().tick()) > 0);
    const state = async (channelId: number) => t.deps.db.selectFrom('notify_deliveries').selectAll().where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    expect(await state(gone.id)).toMatchObject({ state: 'cancelled', attempts: 0, last_error: 'the channel was removed' });
    const failed = await state(flaky.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.last_error).toContain('HTTP 502');
    refuse = false;
    t.clock.set(Number(failed.next_attempt_at));
    while ((await runner().tick()) > 0);
    expect(await state(flaky.id)).toMatchObject({ state: 'sent', attempts: 2, last_error: null, sent_at: t.clock.now() });
    const attempts = await t.deps.db.selectFrom('notify_attempts').select(['attempt', 'ok']).where('delivery_id', '=', failed.id).orderBy('id').execute();
    expect(attempts).toEqual([
      { attempt: 1, ok: 0 },
      { attempt: 2, ok: 1 },
    ]);
  });
});

describe('the outbox in the API description', () => {
  it('documents the delivery log, a message and the live stream', async () => {
    const t = await testEnv('sqlite');
    try {
      const doc = JSON.parse((await (await t.app()).inject({ method: 'GET', url: '/api/openapi.json' })).body) as { paths: Record<string, Record<string, unknown>> };
      expect(doc.paths['/api/v1/units/{id}/deliveries']).toHaveProperty('get');
      expect(doc.paths['/api/v1/outbox/messages/{id}']).toHaveProperty('get');
      expect(doc.paths['/api/v1/notifications/stream']).toHaveProperty('get');
    } finally {
      await t.close();
    }
  });
});

describe.each(testDialects())('moving the queued robot jobs into the outbox on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('turns each pending or given-up robot job into a message and a delivery its job now points at, losing none', async () => {
    const { a } = await buildTree(t);
    const now = t.clock.now();
    const channel = await t.deps.db
      .insertInto('unit_channels')
      .values({ unit_id: a.id, kind: 'dingtalk', name: '旧群', url: 'http://127.0.0.1:9/robot/send?access_token=x', secret: null, enabled: 1, last_sent_at: null, last_error: null, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const migration = notifyOutbox(dialect);
    // The database as it was before the outbox: robot jobs carried their whole message.
    await migration.down(t.deps.db);
    const legacy = (eventId: string) => ({
      channelId: channel.id,
      message: { eventId, title: '健康打卡提醒', text: '请打卡', mentions: ['13800000000'], event: { kind: 'checkin.reminder', params: { day: '2026-11-24' }, unitId: a.id, entity: 'unit', entityId: String(a.id), link: null, createdAt: now } },
    });
    const job = (key: string, status: string, attempts: number, payload: unknown) => ({
      kind: DELIVER_JOB,
      key,
      payload: JSON.stringify(payload),
      run_at: now + 5000,
      status,
      attempts,
      max_attempts: 8,
      interval_ms: null,
      locked_by: null,
      locked_until: null,
      last_error: attempts > 0 ? 'dingtalk refused: 310000' : null,
      created_at: now,
      updated_at: now,
    });
    await t.deps.db
      .insertInto('jobs')
      .values([job('legacy:1', 'pending', 0, legacy('evt-a')), job('legacy:2', 'pending', 2, legacy('evt-b')), job('legacy:3', 'failed', 8, legacy('evt-c')), job('legacy:4', 'done', 1, legacy('evt-d'))])
      .execute();
    await migration.up(t.deps.db);

    const jobs = await t.deps.db.selectFrom('jobs').selectAll().where('key', 'like', 'legacy:%').orderBy('key').execute();
    const deliveries = await t.deps.db.selectFrom('notify_deliveries').selectAll().orderBy('id').execute();
    expect(deliveries.map((d) => [d.state, d.attempts, d.channel_id, d.channel_name])).toEqual([
      ['pending', 0, channel.id, '旧群'],
      ['failed', 2, channel.id, '旧群'],
      ['given_up', 8, channel.id, '旧群'],
    ]);
    expect(jobs.slice(0, 3).map((j) => JSON.parse(j.payload))).toEqual(deliveries.map((d) => ({ deliveryId: d.id })));
    expect(jobs.map((j) => j.status)).toEqual(['pending', 'pending', 'failed', 'done']);
    const messages = await t.deps.db.selectFrom('notify_messages').selectAll().orderBy('id').execute();
    expect(messages.map((m) => [m.event_id, m.title, m.text, JSON.parse(m.mentions)])).toEqual(['evt-a', 'evt-b', 'evt-c'].map((e) => [e, '健康打卡提醒', '请打卡', ['13800000000']]));
  });
});
