import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../../common/day.js';
import type { IncidentDetail, IncidentPage } from '../../../common/schemas/incidents.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { createJobRunner } from '../../jobs/registry.js';
import type { JobRunner } from '../../jobs/jobs.js';
import { handleEscalation } from './incidents.escalation.js';
import { watchdogPass } from './incidents.watchdog.js';

const MIN = 60_000;

describe.each(testDialects())('incidents on %s', (dialect) => {
  let t: TestEnv;
  let runner: JobRunner;
  beforeAll(async () => {
    t = await testEnv(dialect);
    runner = await createJobRunner(t.deps, 60_000);
  });
  afterAll(async () => t?.close());

  const drain = async () => {
    while ((await runner.tick()) > 0);
  };
  const call = async (cookie: string, req: HttpRequest) => send(await t.app(), cookie, req);

  /** A measure value in force since the beginning; below the root, a stricter one as if its parent approved it. */
  async function setMeasure(unit: UnitRow, severity: string, minutes: number) {
    const approved = unit.parent_id !== null;
    await t.deps.db
      .insertInto('measure_values')
      .values({ unit_id: unit.id, measure_key: `incident.ack_minutes.${severity}`, value: minutes, effective_from: '1970-01-01', status: approved ? 'approved' : 'set', reason: null, parent_value: null, requested_by_user_id: null, requested_at: t.clock.now(), decided_by_user_id: null, decided_at: approved ? t.clock.now() : null, decided_day: approved ? '1970-01-01' : null, decision_note: null })
      .execute();
  }

  /** The demo shape: group command office → airline → station, with the people who act at each. */
  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const airline = await buildUnit(t, { parent: root, name: '航空公司', kind: 'subsidiary' });
    const station = await buildUnit(t, { parent: airline, name: '青岛站' });
    const other = await buildUnit(t, { parent: root, name: '地产公司', kind: 'subsidiary' });
    const user = async (role: Parameters<typeof buildUser>[1][number]['role'], unit: UnitRow, name: string) => {
      const p = await buildPerson(t, unit, { name });
      const u = await buildUser(t, [{ role, unit }], { personId: p.id });
      return { id: u.id, personId: p.id, cookie: await loginAs(t, u.id) };
    };
    return {
      root,
      airline,
      station,
      other,
      command: await user('command', root, '防控办'),
      admin: await user('admin', root, '管理员'),
      airlineDuty: await user('duty_officer', airline, '航司值班员'),
      airlineReader: await user('liaison', airline, '航司联络员'),
      stationDuty: await user('duty_officer', station, '站值班员'),
      stationHead: await user('unit_head', station, '站长'),
      filer: await user('employee', station, '报告人'),
      outsider: await user('duty_officer', other, '地产值班员'),
    };
  }
  type World = Awaited<ReturnType<typeof world>>;

  async function file(w: World, severity: string, extra: Record<string, unknown> = {}) {
    const r = await call(w.filer.cookie, {
      method: 'POST',
      url: '/api/v1/incidents',
      body: { unitId: w.station.id, kind: 'suspected_case', severity, title: '旅客发热', description: '航班落地后一名旅客体温38.5℃', place: '到达厅', ...extra },
    });
    expect(r.status, r.raw).toBe(201);
    return r.json as IncidentDetail;
  }
  const get = async (cookie: string, id: number) => {
    const r = await call(cookie, { method: 'GET', url: `/api/v1/incidents/${id}` });
    expect(r.status, r.raw).toBe(200);
    return r.json as IncidentDetail;
  };
  const told = (kind: string, userId: number) => t.deps.db.selectFrom('notifications').select('id').where('kind', '=', kind).where('user_id', '=', userId).execute().then((r) => r.length);
  const eventsOf = (d: IncidentDetail, kind: string) => d.events.filter((e) => e.kind === kind);

  it('describes every incident route in the OpenAPI document', async () => {
    const doc = JSON.parse((await (await t.app()).inject({ method: 'GET', url: '/api/openapi.json' })).body) as { paths: Record<string, unknown> };
    for (const p of [
      '/api/v1/incidents',
      '/api/v1/incidents/stream',
      '/api/v1/incidents/{id}',
      '/api/v1/incidents/{id}/timeline',
      '/api/v1/incidents/{id}/acknowledge',
      '/api/v1/incidents/{id}/instructions',
      '/api/v1/incidents/{id}/instructions/{instructionId}/acknowledge',
      '/api/v1/incidents/{id}/actions',
      '/api/v1/incidents/{id}/resolve',
      '/api/v1/incidents/{id}/close',
      '/api/v1/settings/incidents',
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });

  it('fixes the level chain by severity: critical to the root, major two up, serious one up, general the unit; the setting changes it for later incidents', async () => {
    const w = await world();
    const chain = (d: IncidentDetail) => d.levels.map((l) => l.unitId);
    expect(chain(await file(w, 'critical'))).toEqual([w.station.id, w.airline.id, w.root.id]);
    expect(chain(await file(w, 'major'))).toEqual([w.station.id, w.airline.id, w.root.id]);
    expect(chain(await file(w, 'serious'))).toEqual([w.station.id, w.airline.id]);
    const general = await file(w, 'general');
    expect(chain(general)).toEqual([w.station.id]);
    expect(general.topLevel.unitId).toBe(w.station.id);

    expect((await call(w.stationHead.cookie, { method: 'GET', url: '/api/v1/settings/incidents' })).status).toBe(403);
    const put = await call(w.command.cookie, { method: 'PUT', url: '/api/v1/settings/incidents', body: { reach: { critical: 'root', major: 1, serious: 1, general: 1 } } });
    expect(put.status, put.raw).toBe(200);
    expect(chain(await file(w, 'general'))).toEqual([w.station.id, w.airline.id]);
    expect(chain(await file(w, 'major'))).toEqual([w.station.id, w.airline.id]);
    // Filed before the change: unchanged.
    expect(chain(await get(w.filer.cookie, general.id))).toEqual([w.station.id]);
    await call(w.command.cookie, { method: 'PUT', url: '/api/v1/settings/incidents', body: { reach: { critical: 'root', major: 2, serious: 1, general: 0 } } });
  });

  it('reads each level’s time limit from the measure in force at its unit when the incident reaches it', async () => {
    const w = await world();
    await setMeasure(w.root, 'critical', 10);
    await setMeasure(w.airline, 'critical', 5);
    const d = await file(w, 'critical');
    const now = t.clock.now();
    expect(d.levels[0]).toMatchObject({ state: 'waiting', limitMinutes: 5, arrivedAt: now, deadline: now + 5 * MIN, skipAt: now + 10 * MIN, isTop: false });
    expect(d.levels[1]).toMatchObject({ state: 'pending', limitMinutes: null });
    expect(d.timeLeftMs).toBe(5 * MIN);
    // The station has nobody on shift: the holders of incidents.handle on the station itself are told, not the airline's.
    const delivered = eventsOf(d, 'delivered')[0]!;
    expect(delivered.detail.via).toBe('handle_holders');
    expect(delivered.detail.recipients?.sort()).toEqual(['站值班员', '站长'].sort());
    expect(await told('incident.delivered', w.stationDuty.id)).toBeGreaterThan(0);
    expect(await told('incident.delivered', w.airlineDuty.id)).toBe(0);
  });

  it('acknowledged at a level below the top: passed up at once with the note, and that level’s clock starts; a grant above does not act for a level below', async () => {
    const w = await world();
    const d = await file(w, 'critical');
    // The airline's duty officer sees it (incidents.read over the station) but may not acknowledge for the station.
    const early = await get(w.airlineDuty.cookie, d.id);
    expect(early.abilities.acknowledge).toBe(false);
    expect((await call(w.airlineDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: {} })).status).toBe(403);
    expect((await get(w.stationDuty.cookie, d.id)).abilities.acknowledge).toBe(true);

    t.clock.advance(3 * MIN);
    const r = await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: { note: '已隔离旅客，正在转运' } });
    expect(r.status, r.raw).toBe(200);
    const after = r.json as IncidentDetail;
    expect(after.levels[0]).toMatchObject({ state: 'acknowledged', acknowledgedByName: '站值班员', ackNote: '已隔离旅客，正在转运' });
    expect(after.levels[1]).toMatchObject({ state: 'waiting', arrivedAt: t.clock.now(), deadline: t.clock.now() + 15 * MIN });
    expect(after.currentLevel.unitId).toBe(w.airline.id);
    expect(eventsOf(after, 'escalated')[0]).toMatchObject({ note: '已隔离旅客，正在转运', detail: { toPosition: 1 } });
    expect(eventsOf(after, 'delivered').at(-1)).toMatchObject({ unitName: '航空公司', note: '已隔离旅客，正在转运', detail: { via: 'handle_holders' } });
    expect(await told('incident.delivered', w.airlineDuty.id)).toBe(1);
    // The station's escalations are cancelled: its alert time passes and nothing happens there.
    t.clock.advance(16 * MIN);
    await drain();
    const later = await get(w.stationDuty.cookie, d.id);
    expect(later.levels[0]!.alertedAt).toBeNull();
    expect(later.levels[1]!.alertedAt).toBe(t.clock.now());
    // A second acknowledgement from the station finds it moved on.
    expect((await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: {} })).status).toBe(409);
  });

  it('not acknowledged in time: the leader (here the unit head) is alerted, then the level is skipped and it goes on up; the top is alerted again and stays; each exactly once', async () => {
    const w = await world();
    const d = await file(w, 'critical');
    const t0 = t.clock.now();
    t.clock.set(t0 + 15 * MIN);
    await drain();
    let now = await get(w.command.cookie, d.id);
    expect(now.levels[0]).toMatchObject({ state: 'waiting', alertedAt: t0 + 15 * MIN });
    expect(eventsOf(now, 'alerted')).toHaveLength(1);
    expect(eventsOf(now, 'alerted')[0]!.detail).toMatchObject({ via: 'unit_head', recipients: ['站长'] });
    expect(await told('incident.alert', w.stationHead.id)).toBe(1);
    expect(now.overdue).toBe(true);

    t.clock.set(t0 + 30 * MIN);
    await drain();
    now = await get(w.command.cookie, d.id);
    expect(now.levels[0]).toMatchObject({ state: 'skipped', skippedAt: t0 + 30 * MIN });
    expect(now.levels[1]).toMatchObject({ state: 'waiting', arrivedAt: t0 + 30 * MIN });
    expect(now.skippedLevels).toBe(1);

    // The airline never answers either: at the root, its command office.
    t.clock.set(t0 + 60 * MIN);
    await drain();
    now = await get(w.command.cookie, d.id);
    expect(now.levels.map((l) => l.state)).toEqual(['skipped', 'skipped', 'waiting']);
    expect(now.currentLevel.unitId).toBe(w.root.id);
    // The top: alerted at its limit, alerted again at twice it, and it stays there.
    t.clock.set(t0 + 75 * MIN);
    await drain();
    t.clock.set(t0 + 90 * MIN);
    await drain();
    now = await get(w.command.cookie, d.id);
    expect(now.levels[2]).toMatchObject({ state: 'waiting', alertedAt: t0 + 75 * MIN, realertedAt: t0 + 90 * MIN });
    expect(now.overdue).toBe(true);
    expect(await told('incident.realert', w.command.id)).toBe(1);

    // Every escalation ran once; running each again changes nothing.
    const escalations = await t.deps.db.selectFrom('incident_escalations').selectAll().where('incident_id', '=', d.id).execute();
    expect(escalations.map((e) => `${e.kind}:${e.status}`).sort()).toEqual(['alert:fired', 'alert:fired', 'alert:fired', 'realert:fired', 'skip:fired', 'skip:fired']);
    for (const e of escalations) await handleEscalation(t.deps, { escalationId: e.id });
    const again = await get(w.command.cookie, d.id);
    expect(again.events.length).toBe(now.events.length);
    for (const kind of ['alerted', 'skipped', 'realerted'] as const) {
      const perLevel = eventsOf(again, kind).map((e) => e.levelId);
      expect(new Set(perLevel).size).toBe(perLevel.length);
    }
    // The board shows it at the top, overdue.
    const board = (await call(w.command.cookie, { method: 'GET', url: '/api/v1/incidents' })).json as IncidentPage;
    const row = board.items.find((i) => i.id === d.id)!;
    expect(row).toMatchObject({ overdue: true, currentLevel: { unitId: w.root.id, state: 'waiting' }, skippedLevels: 2 });
    expect(row.timeLeftMs).toBe(t0 + 75 * MIN - t.clock.now());
  });

  it('races: two acknowledgements of one level, and an acknowledgement against the skip job — one wins, the other finds it moved on', async () => {
    const w = await world();
    const d = await file(w, 'critical');
    const both = await Promise.all([w.stationDuty, w.stationHead].map((u) => call(u.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: {} })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await get(w.command.cookie, d.id);
    expect(eventsOf(after, 'acknowledged')).toHaveLength(1);
    expect(eventsOf(after, 'delivered')).toHaveLength(2);

    const e = await file(w, 'critical');
    t.clock.advance(30 * MIN);
    const skip = await t.deps.db.selectFrom('incident_escalations').selectAll().where('incident_id', '=', e.id).where('kind', '=', 'skip').executeTakeFirstOrThrow();
    const [ack] = await Promise.all([
      call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${e.id}/acknowledge`, body: {} }),
      handleEscalation(t.deps, { escalationId: skip.id }),
    ]);
    const raced = await get(w.command.cookie, e.id);
    const station = raced.levels[0]!;
    if (ack.status === 200) expect(station.state).toBe('acknowledged');
    else {
      expect(ack.status).toBe(409);
      expect(station.state).toBe('skipped');
    }
    expect(raced.levels[1]!.state).toBe('waiting');
    expect(eventsOf(raced, 'delivered')).toHaveLength(2);
    expect(eventsOf(raced, 'escalated')).toHaveLength(1);
  });

  it('sends instructions down from any level it reached; the levels below see and acknowledge them; then resolved and closed (with a review) at the top', async () => {
    const w = await world();
    const d = await file(w, 'critical');
    await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: { note: '已上报' } });
    await call(w.airlineDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: { note: '航司已启动预案' } });
    // The station may not send instructions (it is the bottom); the airline may.
    expect((await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/instructions`, body: { text: '向上' } })).status).toBe(403);
    const ack = await call(w.command.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: {} });
    expect((ack.json as IncidentDetail).levels.map((l) => l.state)).toEqual(['acknowledged', 'acknowledged', 'acknowledged']);
    const sent = await call(w.command.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/instructions`, body: { text: '立即对同航班旅客进行排查' } });
    expect(sent.status, sent.raw).toBe(200);
    const instruction = (sent.json as IncidentDetail).instructions[0]!;
    expect(instruction).toMatchObject({ fromUnitName: '集团', text: '立即对同航班旅客进行排查', acks: [] });
    expect(instruction.pendingLevelIds).toHaveLength(2);
    expect(await told('incident.instruction', w.stationDuty.id)).toBe(1);

    const seen = await get(w.stationDuty.cookie, d.id);
    expect(seen.instructions[0]!.canAcknowledge).toBe(true);
    expect(seen.abilities.acknowledgeInstruction).toBe(true);
    const url = `/api/v1/incidents/${d.id}/instructions/${instruction.id}/acknowledge`;
    expect((await call(w.outsider.cookie, { method: 'POST', url, body: {} })).status).toBe(404);
    expect((await call(w.command.cookie, { method: 'POST', url, body: {} })).status).toBe(403);
    const a = await call(w.stationDuty.cookie, { method: 'POST', url, body: { note: '收到，已排查' } });
    expect(a.status, a.raw).toBe(200);
    expect((a.json as IncidentDetail).instructions[0]!.acks).toMatchObject([{ unitName: '青岛站', byName: '站值班员', note: '收到，已排查' }]);
    expect((await call(w.stationDuty.cookie, { method: 'POST', url, body: {} })).status).toBe(409);

    // Actions by any level it reached.
    expect((await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/actions`, body: { text: '到达厅消杀完毕' } })).status).toBe(200);
    expect((await call(w.filer.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/actions`, body: { text: '我也来' } })).status).toBe(403);

    // Closing needs a resolution first, by the top; a critical one needs a review.
    const close = `/api/v1/incidents/${d.id}/close`;
    expect((await call(w.command.cookie, { method: 'POST', url: close, body: { review: '复盘' } })).status).toBe(409);
    expect((await call(w.airlineDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/resolve`, body: { resolution: '排除' } })).status).toBe(403);
    expect((await call(w.command.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/resolve`, body: { resolution: '核酸阴性，排除疑似' } })).status).toBe(200);
    const noReview = await call(w.command.cookie, { method: 'POST', url: close, body: {} });
    expect(noReview.status).toBe(400);
    expect((noReview.json as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('review');
    const closed = await call(w.command.cookie, { method: 'POST', url: close, body: { review: '响应及时，流程完整' } });
    expect(closed.status, closed.raw).toBe(200);
    const final = closed.json as IncidentDetail;
    expect(final).toMatchObject({ status: 'closed', resolution: '核酸阴性，排除疑似', review: '响应及时，流程完整', closedByName: '防控办' });
    expect(final.abilities).toEqual({ acknowledge: false, instruct: false, acknowledgeInstruction: false, act: false, resolve: false, close: false });
    expect(await told('incident.closed', w.filer.id)).toBe(1);
    // Nothing deleted: every step on the timeline, in order, each with its audit row.
    expect(final.events.map((e) => e.kind)).toEqual([
      'filed', 'delivered', 'acknowledged', 'escalated', 'delivered', 'acknowledged', 'escalated', 'delivered', 'acknowledged',
      'instructed', 'instruction_acknowledged', 'action', 'resolved', 'closed',
    ]);
    const audits = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'incident').where('entity_id', '=', String(d.id)).execute();
    expect(audits.map((x) => x.action)).toEqual(['incident.filed', 'incident.acknowledged', 'incident.acknowledged', 'incident.acknowledged', 'incident.instructed', 'incident.instruction_acknowledged', 'incident.action', 'incident.resolved', 'incident.closed']);
    // A general incident closes without a review, handled at the unit itself.
    const g = await file(w, 'general');
    await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${g.id}/acknowledge`, body: {} });
    await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${g.id}/resolve`, body: { resolution: '已补充物资' } });
    expect((await call(w.stationDuty.cookie, { method: 'POST', url: `/api/v1/incidents/${g.id}/close`, body: {} })).status).toBe(200);
  });

  it('keeps to scope: out of sight reads as not found; people involved must be within the filer’s scope', async () => {
    const w = await world();
    const inScope = await buildPerson(t, w.station, { name: '旅客甲' });
    const elsewhere = await buildPerson(t, w.other, { name: '外单位' });
    const d = await file(w, 'serious', { people: [{ personId: inScope.id, involvement: 'case' }] });
    expect(d.people).toMatchObject([{ name: '旅客甲', involvement: 'case', unitName: '青岛站' }]);
    expect((await call(w.outsider.cookie, { method: 'GET', url: `/api/v1/incidents/${d.id}` })).status).toBe(404);
    expect((await call(w.outsider.cookie, { method: 'GET', url: `/api/v1/incidents/${d.id}/timeline` })).status).toBe(404);
    expect((await call(w.outsider.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: {} })).status).toBe(404);
    const board = (await call(w.outsider.cookie, { method: 'GET', url: '/api/v1/incidents' })).json as IncidentPage;
    expect(board.items.map((i) => i.id)).not.toContain(d.id);
    // The filer (an employee, no incidents.read) sees their own incident; the airline's reader sees it too.
    expect((await call(w.airlineReader.cookie, { method: 'GET', url: `/api/v1/incidents/${d.id}` })).status).toBe(200);
    const mine = (await call(w.filer.cookie, { method: 'GET', url: '/api/v1/incidents' })).json as IncidentPage;
    expect(mine.items.map((i) => i.id)).toContain(d.id);

    const bad = await call(w.filer.cookie, {
      method: 'POST',
      url: '/api/v1/incidents',
      body: { unitId: w.station.id, kind: 'close_contact', severity: 'general', title: 't', description: 'd', people: [{ personId: elsewhere.id }] },
    });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty(['people.0.personId']);
    const outside = await call(w.filer.cookie, { method: 'POST', url: '/api/v1/incidents', body: { unitId: w.other.id, kind: 'other', severity: 'general', title: 't', description: 'd' } });
    expect(outside.status).toBe(404);
    const future = await call(w.filer.cookie, { method: 'POST', url: '/api/v1/incidents', body: { unitId: w.station.id, kind: 'other', severity: 'general', title: 't', description: 'd', occurredAt: t.clock.now() + 3600_000 } });
    expect(future.status).toBe(400);
    // The board narrowed to a unit: the airline's board shows what was filed below it.
    const narrowed = (await call(w.airlineReader.cookie, { method: 'GET', url: '/api/v1/incidents', query: { unitId: String(w.airline.id) } })).json as IncidentPage;
    expect(narrowed.items.map((i) => i.id)).toContain(d.id);
    expect((await call(w.airlineReader.cookie, { method: 'GET', url: '/api/v1/incidents', query: { unitId: String(w.other.id) } })).status).toBe(404);
  });

  /** A shift at the unit from now for `hours`, with a leader and an officer (people with accounts but no grant at all). */
  async function shift(unit: UnitRow, hours: number) {
    const now = t.clock.now();
    const leader = await buildPerson(t, unit, { name: '带班领导' });
    const officer = await buildPerson(t, unit, { name: '值班员甲' });
    const leaderUser = await buildUser(t, [], { home: unit, personId: leader.id });
    const officerUser = await buildUser(t, [], { home: unit, personId: officer.id });
    const s = await t.deps.db
      .insertInto('duty_shifts')
      .values({ unit_id: unit.id, starts_at: now - MIN, ends_at: now + hours * 60 * MIN, note: null, source: 'manual', swapped_at: null, reminded_at: null, created_by_user_id: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.deps.db
      .insertInto('duty_shift_members')
      .values([
        { shift_id: s.id, person_id: leader.id, role: 'leader', position: 0 },
        { shift_id: s.id, person_id: officer.id, role: 'officer', position: 0 },
      ])
      .execute();
    return { leader: { id: leaderUser.id, cookie: await loginAs(t, leaderUser.id) }, officer: { id: officerUser.id, cookie: await loginAs(t, officerUser.id) }, endsAt: now + hours * 60 * MIN };
  }

  it('delivers to the duty officers on shift, who act for the level without any grant while on shift; the alert goes to the leader on duty', async () => {
    const w = await world();
    const onShift = await shift(w.station, 1);
    const d = await file(w, 'critical');
    expect(eventsOf(d, 'delivered')[0]!.detail).toEqual({ via: 'on_duty', recipients: ['值班员甲'] });
    expect(await told('incident.delivered', onShift.officer.id)).toBe(1);
    expect(await told('incident.delivered', w.stationDuty.id)).toBe(0);
    const seen = await get(onShift.officer.cookie, d.id);
    expect(seen.abilities.acknowledge).toBe(true);
    expect(seen.levels[0]!.actorActs).toBe(true);
    const board = (await call(onShift.officer.cookie, { method: 'GET', url: '/api/v1/incidents' })).json as IncidentPage;
    expect(board.items.map((i) => i.id)).toContain(d.id);

    t.clock.advance(15 * MIN);
    await drain();
    const alerted = eventsOf(await get(w.command.cookie, d.id), 'alerted')[0]!;
    expect(alerted.detail).toEqual({ via: 'leader_on_duty', recipients: ['带班领导'] });
    expect(await told('incident.alert', onShift.leader.id)).toBe(1);
    expect(await told('incident.alert', w.stationHead.id)).toBe(0);
    const ack = await call(onShift.officer.cookie, { method: 'POST', url: `/api/v1/incidents/${d.id}/acknowledge`, body: { note: '值班员已处置' } });
    expect(ack.status, ack.raw).toBe(200);
    // The station's duty log of the day has each step at it, and says nothing of what happened.
    const log = await call(w.command.cookie, { method: 'GET', url: '/api/v1/duty/log', query: { unitId: String(w.station.id), day: dayOf(d.filedAt, 'Asia/Shanghai') } });
    const lines = (log.json as { entries: { source: string; kind: string; title: string; ref: { id: number } | null }[] }).entries.filter((e) => e.source === 'incidents' && e.ref?.id === d.id);
    expect(lines.map((e) => e.kind)).toEqual(['filed', 'delivered', 'alerted', 'acknowledged', 'escalated']);
    expect(lines.every((e) => !e.title.includes(d.title))).toBe(true);
    // The shift over, the incident is out of their sight again.
    t.clock.set(onShift.endsAt + 1);
    expect((await call(onShift.officer.cookie, { method: 'GET', url: `/api/v1/incidents/${d.id}` })).status).toBe(404);
  });

  it('the watchdog reports an escalation overdue and not fired (its job lost) loudly and once', async () => {
    const w = await world();
    const d = await file(w, 'general');
    // Lose the jobs of this incident's escalations: a bug the watchdog must catch.
    const escalations = await t.deps.db.selectFrom('incident_escalations').select('id').where('incident_id', '=', d.id).execute();
    await t.deps.db.deleteFrom('jobs').where('key', 'in', escalations.map((e) => `incidents.escalate:${e.id}`)).execute();
    const logged: object[] = [];
    const log = { error: (o: object) => void logged.push(o) };
    t.clock.advance(120 * MIN + 1);
    await drain();
    expect(await watchdogPass(t.deps, log, 2 * MIN)).toBe(0); // due, but still within the grace
    t.clock.advance(2 * MIN);
    const found = await watchdogPass(t.deps, log, 2 * MIN);
    expect(found).toBeGreaterThanOrEqual(1);
    expect(logged.filter((o) => (o as { incidentId?: number }).incidentId === d.id)).toHaveLength(1);
    expect(await told('incident.watchdog', w.admin.id)).toBeGreaterThanOrEqual(1);
    const before = await told('incident.watchdog', w.admin.id);
    expect(await watchdogPass(t.deps, log, 2 * MIN)).toBe(0);
    expect(await told('incident.watchdog', w.admin.id)).toBe(before);
    const metrics = await (await t.app()).inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/bulwark_incident_escalations_overdue [1-9]/);
    expect(metrics.body).toMatch(/bulwark_incident_watchdog_findings_total [1-9]/);
  });
});
