import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import { openStream } from '../../../test/sse.js';
import { openDatabase } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { closeLiveBus, liveBusFor } from '../../live/bus.js';
import { liveTiming } from '../../live/sse.js';
import { CHECKINS_TOPIC, fitPayload, touchesSubtree } from './checkin.events.js';

describe('check-in events', () => {
  it('are cut to shallower subtrees when too many units changed to fit one NOTIFY', () => {
    const paths = Array.from({ length: 3000 }, (_, i) => `/1/${2 + (i % 30)}/${1000 + i}/`);
    const e = fitPayload('2026-11-24', paths);
    expect(e.prefixes).toBe(true);
    expect(JSON.stringify(e).length).toBeLessThan(7_500);
    expect(e.paths).toHaveLength(30);
    expect(touchesSubtree(e, '/1/5/1003/')).toBe(true);
    expect(touchesSubtree(e, '/1/')).toBe(true);
    expect(touchesSubtree(e, '/7/')).toBe(false);
    const exact = fitPayload('2026-11-24', ['/1/5/', '/1/5/9/']);
    expect(exact).toEqual({ day: '2026-11-24', paths: ['/1/5/', '/1/5/9/'], prefixes: false });
    // A check-in of a parent unit's own people does not touch a child's subtree.
    expect(touchesSubtree(exact, '/1/5/8/')).toBe(false);
    expect(touchesSubtree(exact, '/1/')).toBe(true);
  });
});

describe.each(testDialects())('live check-ins stream on %s', (dialect) => {
  let t: TestEnv;
  let base: string;
  let closed = false;
  beforeAll(async () => {
    t = await testEnv(dialect);
    const app = await t.app();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (!closed) await t?.close();
  });

  it('sends heartbeats, and ends a stream at the heartbeat after its grant is withdrawn', async () => {
    const { a } = await buildTree(t);
    const user = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const saved = liveTiming.heartbeatMs;
    liveTiming.heartbeatMs = 100;
    try {
      const s = await openStream(`${base}/api/v1/live/checkins?unitId=${a.id}`, await loginAs(t, user.id));
      await s.next('ready', 0);
      while (!s.body.includes(': heartbeat')) await new Promise((r) => setTimeout(r, 20));
      await t.deps.db.deleteFrom('grants').where('user_id', '=', user.id).execute();
      await s.ended;
    } finally {
      liveTiming.heartbeatMs = saved;
    }
  });

  it('sends a subscriber the check-ins of its subtree only, refuses other subtrees, and ends with the server', async () => {
    const { root, a, a1, b } = await buildTree(t);
    const [inA1, inB] = [await buildPerson(t, a1), await buildPerson(t, b)];
    const liaisonA = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    const command = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: root }])).id);
    const supervisor = await loginAs(t, (await buildUser(t, [{ role: 'supervisor', unit: root }])).id);

    // Out of scope reads as absent; no health.read anywhere is a 403; both in the one error shape.
    const outside = await openStream(`${base}/api/v1/live/checkins?unitId=${b.id}`, liaisonA);
    await outside.ended;
    expect([outside.status, JSON.parse(outside.body)]).toEqual([404, { error: { code: 'not_found', message: 'unit not found' } }]);
    const none = await openStream(`${base}/api/v1/live/checkins?unitId=${a.id}`, supervisor);
    await none.ended;
    expect(none.status).toBe(403);
    const bad = await openStream(`${base}/api/v1/live/checkins?unitId=x`, liaisonA);
    await bad.ended;
    expect(bad.status).toBe(400);

    const streamA = await openStream(`${base}/api/v1/live/checkins?unitId=${a.id}`, liaisonA);
    const streamB = await openStream(`${base}/api/v1/live/checkins?unitId=${b.id}`, command);
    expect(streamA.status).toBe(200);
    await Promise.all([streamA.next('ready', 0), streamB.next('ready', 0)]);

    const checkIn = async (personId: number) => {
      const res = await send(await t.app(), command, { method: 'POST', url: '/api/v1/checkins', body: { personId, temperature: 36.6, symptoms: [], location: 'at_work', city: '青岛' } });
      expect([200, 201]).toContain(res.status); // 200: a second check-in of the day replaces the first
      return res.json as { day: string };
    };
    // B's check-in reaches B's stream; A's stream must not carry it.
    const gotB = streamB.next('checkins');
    const { day } = await checkIn(inB.id);
    expect((await gotB).data).toEqual({ day, paths: [b.path], prefixes: false });
    const gotA = streamA.next('checkins');
    await checkIn(inA1.id);
    expect((await gotA).data).toEqual({ day, paths: [a1.path], prefixes: false });
    expect(streamA.events.map((e) => e.event)).toEqual(['ready', 'checkins']);

    if (dialect === 'postgres') {
      // A second server process (its own pool and bus over the same schema) hears this one's check-ins.
      const other = openDatabase({ databaseUrl: t.deps.config.databaseUrl!, pgSchema: t.deps.handle.pgSchema!, poolSize: 1 });
      const deps2: Deps = { ...t.deps, db: other.db, handle: other };
      try {
        let hear: (e: unknown) => void = () => undefined;
        const heard = new Promise<unknown>((resolve) => (hear = resolve));
        await liveBusFor(deps2).subscribe(CHECKINS_TOPIC, (e) => hear(e));
        await checkIn(inA1.id);
        expect(await heard).toEqual({ day, paths: [a1.path], prefixes: false });
      } finally {
        await closeLiveBus(deps2);
        await other.close();
      }
    }

    // Closing the server ends the open streams instead of waiting on them.
    closed = true;
    await t.close();
    await Promise.all([streamA.ended, streamB.ended]);
  });
});
