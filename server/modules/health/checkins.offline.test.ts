import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUnit, buildUser, loginAs, setOrganisationCutoff } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { verifyAudit } from '../audit/audit.service.js';

/**
 * What a phone that was offline relies on: a check-in names the day it was filled in (accepted
 * while that day is open, 409 locked once closed), and a resend under the same Idempotency-Key
 * replays the first answer without writing again.
 */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = (extra: Record<string, unknown> = {}) => ({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

describe.each(testDialects())('offline check-ins on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const post = async (cookie: string, body: unknown, key?: string) =>
    send(await t.app(), cookie, { method: 'POST', url: '/api/v1/checkins', body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

  async function employee() {
    const unit: UnitRow = await buildUnit(t);
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { unit, person, user, cookie: await loginAs(t, user.id) };
  }
  const rowsOf = (personId: number) => t.deps.db.selectFrom('checkins').selectAll().where('person_id', '=', personId).orderBy('day').execute();
  async function tables() {
    const [c, k, a, i] = await Promise.all([
      t.deps.db.selectFrom('checkins').selectAll().orderBy('id').execute(),
      t.deps.db.selectFrom('checkin_counts').selectAll().orderBy('day').orderBy('unit_id').execute(),
      t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      t.deps.db.selectFrom('idempotency_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { checkins: JSON.stringify(c), counts: JSON.stringify(k), audit: Number(a.n), keys: Number(i.n) };
  }

  it('a check-in names its day: today is taken, a day already closed answers 409 locked, a day to come is refused', async () => {
    t.clock.set(shanghai('2026-12-02T09:00:00'));
    const e = await employee();
    const today = await post(e.cookie, form({ day: '2026-12-02' }));
    expect([today.status, (today.json as { day: string }).day]).toEqual([201, '2026-12-02']);

    const before = await tables();
    const late = await post(e.cookie, form({ day: '2026-12-01', temperature: 37.5 }));
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ error: { code: 'conflict', fields: { day: 'locked' } } });
    const future = await post(e.cookie, form({ day: '2026-12-03' }));
    expect(future.status).toBe(400);
    expect(future.json).toMatchObject({ error: { fields: { day: expect.any(String) } } });
    expect((await post(e.cookie, form({ day: '2026-13-01' }))).status).toBe(400);
    expect(await tables()).toEqual(before);
  });

  it("a check-in filled in before midnight and sent after it lands on its own day while that day's cut-off has not passed", async () => {
    // Yesterday stays open until 01:00 the next morning only if the cut-off says so; with the
    // default (24:00) it closes at midnight, so the phone's late delivery is refused.
    t.clock.set(shanghai('2026-12-04T23:50:00'));
    const e = await employee();
    t.clock.set(shanghai('2026-12-05T00:10:00'));
    const r = await post(e.cookie, form({ day: '2026-12-04' }));
    expect(r.status).toBe(409);
    expect(await rowsOf(e.person.id)).toEqual([]);
    // The same check-in for the day it is now goes in.
    expect((await post(e.cookie, form({ day: '2026-12-05' }))).status).toBe(201);
  });

  it('"same as yesterday" for a named day copies the day before it', async () => {
    t.clock.set(shanghai('2026-12-06T08:00:00'));
    const e = await employee();
    expect((await post(e.cookie, form({ city: '济南', location: 'remote' }))).status).toBe(201);
    t.clock.set(shanghai('2026-12-07T08:00:00'));
    const r = await post(await loginAs(t, e.user.id), { sameAsYesterday: true, day: '2026-12-07' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ day: '2026-12-07', city: '济南', location: 'remote' });
  });

  it('a resend with the same Idempotency-Key replays the first answer and writes nothing, even after a correction', async () => {
    t.clock.set(shanghai('2026-12-08T08:00:00'));
    const e = await employee();
    const body = form({ day: '2026-12-08', temperature: 36.4 });
    const first = await post(e.cookie, body, 'phone-1-abc');
    expect(first.status).toBe(201);
    // Corrected online afterwards, without a key.
    t.clock.advance(60_000);
    const corrected = await post(e.cookie, form({ temperature: 36.9 }));
    expect(corrected.status).toBe(200);
    const before = await tables();
    // The phone never saw the first answer and sends its queued check-in again.
    t.clock.advance(60_000);
    const again = await post(e.cookie, body, 'phone-1-abc');
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(await tables()).toEqual(before);
    expect((await rowsOf(e.person.id)).map((r) => r.temperature)).toEqual([369]);
    // The same key with another body is refused; another key is a new submission.
    const other = await post(e.cookie, form({ temperature: 38 }), 'phone-1-abc');
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({ error: { code: 'idempotency_conflict' } });
    const next = await post(e.cookie, form({ temperature: 36.6 }), 'phone-1-def');
    expect(next.status).toBe(200);
    expect((await rowsOf(e.person.id)).map((r) => r.temperature)).toEqual([366]);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });

  it('a replayed update keeps its 200; a refused check-in stores no key, so the same key may be sent again later', async () => {
    t.clock.set(shanghai('2026-12-09T09:59:00'));
    const e = await employee();
    await setOrganisationCutoff(t, '10:00');
    try {
      expect((await post(e.cookie, form())).status).toBe(201);
      const upd = await post(e.cookie, form({ temperature: 36.7 }), 'k-update');
      expect(upd.status).toBe(200);
      const replay = await post(e.cookie, form({ temperature: 36.7 }), 'k-update');
      expect([replay.status, replay.json]).toEqual([200, upd.json]);
      t.clock.set(shanghai('2026-12-09T10:00:00'));
      const locked = await post(e.cookie, form({ temperature: 36.8 }), 'k-late');
      expect(locked.status).toBe(409);
      expect(locked.json).toMatchObject({ error: { fields: { day: 'locked' } } });
      expect(await t.deps.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'k-late').execute()).toEqual([]);
    } finally {
      await setOrganisationCutoff(t, null);
    }
  });

  it('twenty concurrent sends of one queued check-in under one key write it once', async () => {
    t.clock.set(shanghai('2026-12-10T08:00:00'));
    const e = await employee();
    const body = form({ day: '2026-12-10' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(e.cookie, body, 'burst-1')));
    expect(answers.map((a) => a.status).filter((s) => s !== 201 && s !== 200)).toEqual([]);
    const ids = new Set(answers.map((a) => (a.json as { id: number }).id));
    expect(ids.size).toBe(1);
    expect(await rowsOf(e.person.id)).toHaveLength(1);
    const audits = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'checkin').where('entity_id', '=', String([...ids][0])).execute();
    // Every request that wrote (rather than replayed) left an audit row; the key was stored once.
    expect(audits.length).toBeGreaterThanOrEqual(1);
    expect(await t.deps.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'burst-1').execute()).toHaveLength(1);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });
});
