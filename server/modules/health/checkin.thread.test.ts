import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { sha256 } from '../auth/auth.service.js';
import { sessionTouchesFor } from '../auth/session.touches.js';
import { testEnv, type TestEnv } from '../../../test/env.js';
import { appendAudit } from '../audit/audit.store.js';
import { verifyAudit } from '../audit/audit.service.js';
import { checkinAnswer } from './checkin.present.js';
import { CheckinThreadWriter, checkinWriterFor, type CheckinWrite } from './checkin.writer.js';

/**
 * The check-in writer on a thread of its own (a SQLite file): what it commits is what the event
 * loop's connection reads, one failure fails alone, its audit rows chain with the ones the event
 * loop writes at the same moments, and a thread that dies fails only its batch in flight.
 */
describe('check-in writer thread on a sqlite file', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv('sqlite', { sqliteFile: true });
  });
  afterAll(async () => t?.close());

  const write = (personId: number, unitId: number, temperature = 365): CheckinWrite => ({
    row: { person_id: personId, unit_id: unitId, day: '2026-11-24', temperature, symptoms: '[]', location: 'at_work', city: '青岛', note: null, abnormal: temperature >= 373 ? 1 : 0, on_time: 1, on_behalf_of_user_id: null },
    now: t.clock.now(),
    actor: { userId: null, name: 'test', ip: null },
  });

  it('is the writer of a database file', () => {
    expect(checkinWriterFor(t.deps)).toBeInstanceOf(CheckinThreadWriter);
  });

  it('commits on its own connection while the event loop writes audited changes on its own', async () => {
    const { a } = await buildTree(t);
    const people: Awaited<ReturnType<typeof buildPerson>>[] = [];
    for (let i = 0; i < 60; i++) people.push(await buildPerson(t, a));
    const writer = new CheckinThreadWriter(t.deps, t.deps.handle.sqlite!.name, { windowMs: 1, maxBatch: 7 });
    const writes = people.map((p, i) => write(p.id, a.id, 360 + (i % 20)));
    writes.splice(21, 0, write(2_147_483_000, a.id)); // no such person: the foreign key refuses it
    writes.push(write(people[0]!.id, a.id, 380)); // the same person again: an update
    const submitted = writes.map((w) => writer.submit(w));
    // Meanwhile the event loop's connection writes audit rows in transactions of its own: they
    // wait their turn for the write lock and extend the same chain.
    const events = Array.from({ length: 20 }, (_, i) =>
      t.deps.db.transaction().execute(async (tx) =>
        appendAudit(tx, 'sqlite', { at: t.clock.now(), actorUserId: null, actorName: 'test', action: 'test.event', entity: 'test', entityId: String(i), unitId: a.id, detail: '{}', ip: null }),
      ),
    );
    const results = await Promise.allSettled(submitted);
    await Promise.all(events);
    const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [[i, (r.reason as { code?: string }).code]] : []));
    expect(refused).toEqual([[21, 'SQLITE_CONSTRAINT_FOREIGNKEY']]);
    const last = results.at(-1)!;
    expect(last.status === 'fulfilled' && last.value.created).toBe(false);
    // The event loop's connection reads what the thread committed, at once.
    const rows = await t.deps.db.selectFrom('checkins').select(['id', 'person_id', 'temperature', 'abnormal']).where('unit_id', '=', a.id).execute();
    expect(rows).toHaveLength(60);
    expect(rows.find((r) => r.person_id === people[0]!.id)).toMatchObject({ temperature: 380, abnormal: 1 });
    const first = results[0]!;
    expect(first.status === 'fulfilled' && rows.some((r) => r.id === first.value.row.id)).toBe(true);
    const counts = await t.deps.db.selectFrom('checkin_counts').selectAll().where('unit_id', '=', a.id).executeTakeFirstOrThrow();
    expect([counts.checked_in, counts.abnormal + counts.normal, counts.abnormal]).toEqual([60, 60, rows.filter((r) => r.abnormal).length]);
    const audited = await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', 'in', ['checkin.created', 'checkin.updated', 'test.event']).executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(61 + 20);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
    await writer.close();
    await expect(writer.submit(write(people[1]!.id, a.id))).rejects.toThrow(/closed/);
  });

  it('stores the answer of a check-in made under an Idempotency-Key with it', async () => {
    const { a } = await buildTree(t);
    const p = await buildPerson(t, a);
    const writer = new CheckinThreadWriter(t.deps, t.deps.handle.sqlite!.name);
    const written = await writer.submit({ ...write(p.id, a.id), idempotency: { userId: 1, key: `k-${p.id}`, requestHash: 'h' } });
    const key = await t.deps.db.selectFrom('idempotency_keys').selectAll().where('key', '=', `k-${p.id}`).executeTakeFirstOrThrow();
    expect([key.status_code, JSON.parse(key.response)]).toEqual([201, JSON.parse(JSON.stringify(checkinAnswer(written).body))]);
    await writer.close();
  });

  it("writes the sessions' last-seen times of the check-ins with their batch, counting them meanwhile", async () => {
    const { a } = await buildTree(t);
    const p = await buildPerson(t, a);
    const user = await buildUser(t, [], { home: a, personId: p.id });
    const sessionId = sha256((await loginAs(t, user.id)).split('=')[1]!);
    const seen = t.clock.now() - 30 * 60_000; // signed in half an hour before checking in
    await t.deps.db.updateTable('sessions').set({ last_seen_at: seen }).where('id', '=', sessionId).execute();
    const touches = sessionTouchesFor(t.deps);
    const at = t.clock.now();
    touches.touch(sessionId, at);
    const writer = new CheckinThreadWriter(t.deps, t.deps.handle.sqlite!.name);
    const done = writer.submit(write(p.id, a.id));
    await new Promise((r) => setImmediate(r)); // the batch has left for the thread, with the touch
    expect(touches.seenAt(sessionId)).toBe(at); // still counted while its transaction runs
    await done;
    const row = await t.deps.db.selectFrom('sessions').select('last_seen_at').where('id', '=', sessionId).executeTakeFirstOrThrow();
    expect(Number(row.last_seen_at)).toBe(at);
    expect(touches.seenAt(sessionId)).toBeUndefined(); // nothing left for the event loop to write
    await writer.close();
  });

  it('fails the batch in flight when its thread dies, and starts a new thread for the next', async () => {
    const { a } = await buildTree(t);
    const [p, q] = [await buildPerson(t, a), await buildPerson(t, a)];
    const writer = new CheckinThreadWriter(t.deps, t.deps.handle.sqlite!.name);
    await writer.submit(write(p.id, a.id)); // the thread is up
    const thread = (writer as unknown as { worker: Worker }).worker;
    const lost = writer.submit(write(q.id, a.id, 366));
    await thread.terminate();
    await expect(lost).rejects.toThrow(/writer thread stopped/);
    const again = await writer.submit(write(q.id, a.id, 367));
    expect(again.row).toMatchObject({ person_id: q.id, temperature: 367 });
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
    await writer.close();
  });
});
