import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail } from '../../../common/schemas/incidents.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import { openStream, type LiveEvent } from '../../../test/sse.js';
import type { UnitRow } from '../../db/schema.js';

describe.each(testDialects())('the incident stream on %s', (dialect) => {
  let t: TestEnv;
  let base: string;
  beforeAll(async () => {
    t = await testEnv(dialect);
    const app = await t.app();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => t?.close());

  const user = async (role: 'command' | 'duty_officer' | 'employee', unit: UnitRow) => {
    const p = await buildPerson(t, unit);
    const u = await buildUser(t, [{ role, unit }], { personId: p.id });
    return loginAs(t, u.id);
  };

  it('tells each client of the changes to incidents it may see, and only those', async () => {
    const root = await buildUnit(t, { name: '集团' });
    const station = await buildUnit(t, { parent: await buildUnit(t, { parent: root, name: '航空' }), name: '站' });
    const other = await buildUnit(t, { parent: root, name: '地产' });
    const command = await user('command', root);
    const outsider = await user('duty_officer', other);
    const stationDuty = await user('duty_officer', station);
    const filerHere = await user('employee', station);
    const filerThere = await user('employee', other);

    const watching = await openStream(`${base}/api/v1/incidents/stream`, command);
    const narrow = await openStream(`${base}/api/v1/incidents/stream?unitId=${other.id}`, command);
    const outside = await openStream(`${base}/api/v1/incidents/stream`, outsider);
    expect([watching.status, narrow.status, outside.status]).toEqual([200, 200, 200]);
    await Promise.all([watching, narrow, outside].map((s) => s.next((e) => e.event === 'ready', 0)));
    const refused = await send(await t.app(), outsider, { method: 'GET', url: '/api/v1/incidents/stream', query: { unitId: String(station.id) } });
    expect(refused.status).toBe(404);

    const app = await t.app();
    const file = async (cookie: string, unitId: number) => {
      const r = await send(app, cookie, { method: 'POST', url: '/api/v1/incidents', body: { unitId, kind: 'other', severity: 'serious', title: '事项', description: '说明' } });
      expect(r.status, r.raw).toBe(201);
      return (r.json as IncidentDetail).id;
    };
    const about = (id: number, event?: string) => (e: LiveEvent) => e.event === 'incident' && (e.data as { incidentId: number }).incidentId === id && (event === undefined || (e.data as { event: string }).event === event);

    const here = await file(filerHere, station.id);
    expect((await watching.next(about(here, 'filed'), 0)).data).toMatchObject({ incidentId: here, event: 'filed', status: 'open' });
    await send(app, stationDuty, { method: 'POST', url: `/api/v1/incidents/${here}/acknowledge`, body: { note: '收到' } });
    await watching.next(about(here, 'acknowledged'), 0);

    const there = await file(filerThere, other.id);
    await outside.next(about(there), 0);
    await narrow.next(about(there), 0);
    // Events arrive in order: by the time each has heard of `there`, it would have heard of `here`.
    expect(outside.events.some(about(here))).toBe(false);
    expect(narrow.events.some(about(here))).toBe(false);
    for (const s of [watching, narrow, outside]) s.close();
  });

  it('tells someone on shift at a unit (no grant at all) of the first incident there, though the stream opened before any', async () => {
    const root = await buildUnit(t, { name: '集团' });
    const station = await buildUnit(t, { parent: root, name: '站' });
    const officer = await buildPerson(t, station);
    const officerUser = await buildUser(t, [], { home: station, personId: officer.id });
    const now = t.clock.now();
    const s = await t.deps.db
      .insertInto('duty_shifts')
      .values({ unit_id: station.id, starts_at: now - 60_000, ends_at: now + 3600_000, note: null, source: 'manual', swapped_at: null, reminded_at: null, created_by_user_id: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.deps.db.insertInto('duty_shift_members').values({ shift_id: s.id, person_id: officer.id, role: 'officer', position: 0 }).execute();
    const stream = await openStream(`${base}/api/v1/incidents/stream`, await loginAs(t, officerUser.id));
    await stream.next((e) => e.event === 'ready', 0);
    const filer = await user('employee', station);
    const r = await send(await t.app(), filer, { method: 'POST', url: '/api/v1/incidents', body: { unitId: station.id, kind: 'other', severity: 'general', title: '首个事项', description: '说明' } });
    expect(r.status, r.raw).toBe(201);
    const id = (r.json as IncidentDetail).id;
    expect((await stream.next((e) => e.event === 'incident' && (e.data as { incidentId: number }).incidentId === id, 0)).data).toMatchObject({ event: 'filed' });
    stream.close();
  });
});
