import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { drainDeliveries } from '../../../test/outbox.js';
import { openStream } from '../../../test/sse.js';
import { buildApp } from '../../app.js';
import { openDatabase } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { systemCtx } from '../../http/actor.js';
import { closeLiveBus } from '../../live/bus.js';
import { notifyUsers, type NotificationInput } from './notify.service.js';

const digest = (entityId: string): NotificationInput => ({ kind: 'health.digest', params: { day: '2026-11-24', checkedIn: 8, headcount: 10, abnormal: 1, notYet: 2 }, unitId: null, entity: 'checkin_day', entityId });

interface Pushed {
  notification: { id: number; title: string; entityId: string; readAt: number | null };
  unread: number;
}

describe.each(testDialects())('the live notification stream on %s', (dialect) => {
  let t: TestEnv;
  let base: string;
  beforeAll(async () => {
    t = await testEnv(dialect);
    const app = await t.app();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => t?.close());

  const drain = (deps: Deps = t.deps) => drainDeliveries(deps);

  it('pushes a notification to its addressee once its cause commits, never one whose cause rolled back, and nobody else’s', async () => {
    const { a } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const other = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const anonymous = await openStream(`${base}/api/v1/notifications/stream`, '');
    await anonymous.ended;
    expect(anonymous.status).toBe(401);

    const mine = await openStream(`${base}/api/v1/notifications/stream?lang=en`, await loginAs(t, me.id));
    const theirs = await openStream(`${base}/api/v1/notifications/stream`, await loginAs(t, other.id));
    expect(mine.status).toBe(200);
    await Promise.all([mine.next('ready', 0), theirs.next('ready', 0)]);

    await expect(
      transact(t.deps, systemCtx, async (tx) => {
        await notifyUsers(tx, t.deps, [me.id], digest('rolled-back'));
        throw new Error('the cause failed');
      }),
    ).rejects.toThrow('the cause failed');
    await drain();
    const first = mine.next('notification');
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [me.id], digest('committed')));
    // Committed, but not yet delivered: the push is the outbox's job, after the commit.
    await drain();
    const got = (await first).data as Pushed;
    expect(got).toMatchObject({ notification: { entityId: 'committed', title: 'Daily health digest', readAt: null }, unread: 1 });
    expect(mine.events.filter((e) => e.event === 'notification')).toHaveLength(1);

    // The other account's stream carries only its own.
    const theirsNext = theirs.next('notification');
    await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [other.id], digest('theirs')));
    await drain();
    expect(((await theirsNext).data as Pushed).notification).toMatchObject({ entityId: 'theirs', title: '每日健康汇总' });
    expect(theirs.events.filter((e) => e.event === 'notification')).toHaveLength(1);
    expect(mine.events.filter((e) => e.event === 'notification')).toHaveLength(1);
    mine.close();
    theirs.close();
  });

  it.runIf(dialect === 'postgres')('reaches a user connected to another server process', async () => {
    const { a } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'liaison', unit: a }]);
    // A second process: its own pool, bus and HTTP server over the same schema.
    const other = openDatabase({ databaseUrl: t.deps.config.databaseUrl!, pgSchema: t.deps.handle.pgSchema!, poolSize: 2 });
    const deps2: Deps = { ...t.deps, db: other.db, handle: other };
    const app2 = await buildApp(deps2, { webRoot: null });
    try {
      await app2.listen({ port: 0, host: '127.0.0.1' });
      const base2 = `http://127.0.0.1:${(app2.server.address() as AddressInfo).port}`;
      const s = await openStream(`${base2}/api/v1/notifications/stream`, await loginAs(t, me.id));
      await s.next('ready', 0);
      const next = s.next('notification');
      // Written and pushed by the first process.
      await transact(t.deps, systemCtx, (tx) => notifyUsers(tx, t.deps, [me.id], digest('elsewhere')));
      await drain(t.deps);
      expect(((await next).data as Pushed).notification.entityId).toBe('elsewhere');
      s.close();
    } finally {
      await app2.close();
      await closeLiveBus(deps2);
      await other.close();
    }
  });
});
