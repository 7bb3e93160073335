import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { CareCaseDetail, CareCasePage, CareFigures, CareBoard, CareRequest, CareRequestPage, CareSuggestionList, MyCare } from '../../../common/schemas/care.js';
import { buildApp } from '../../app.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { dayOf } from '../../../common/day.js';
import { insertCheckin } from '../health/health.store.js';
import { insertTrip } from '../health/trips.store.js';
import { openHealthWatch } from '../health/watches.service.js';
import { careKeyFor, CareKeyError, decryptNote } from './care.crypto.js';
import { careContactDuties, careCounts, dutiesOf, uncontactedCases } from './care.figures.js';
import { alertUncontactedCases } from './care.jobs.js';
import { seedDemoCare } from './care.demo.js';

const DAY = 24 * 60 * 60 * 1000;
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('care cases on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }

  async function member(unit: UnitRow, role: Role | null) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, role ? [{ role, unit }] : [], { personId: person.id, home: unit });
    return { person, user, cookie: await loginAs(t, user.id) };
  }

  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '公交公司', kind: 'subsidiary' });
    const a1 = await buildUnit(t, { parent: a, name: '一场站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空', kind: 'subsidiary' });
    return {
      root,
      a,
      a1,
      b,
      officer: await member(a, 'care_officer'),
      officer2: await member(a, 'care_officer'),
      officerB: await member(b, 'care_officer'),
      command: await member(root, 'command'),
      supervisor: await member(root, 'supervisor'),
      admin: await member(root, 'admin'),
      employee: await member(a1, null),
    };
  }
  type W = Awaited<ReturnType<typeof world>>;

  const audits = async (action: string, entityId?: number) => {
    let q = t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action);
    if (entityId !== undefined) q = q.where('entity_id', '=', String(entityId));
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  async function openCase(w: W, personId: number, kind = 'home_quarantine') {
    const r = await call(w.officer.cookie, { method: 'POST', url: '/api/v1/care/cases', body: { personId, kind, needs: ['supplies'] } });
    expect(r.status, r.raw).toBe(201);
    return r.json as CareCaseDetail;
  }

  it('opens a case, records needs and actions, reassigns and closes it; every read is audited', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const c = await openCase(w, w.employee.person.id);
    expect(c).toMatchObject({ personId: w.employee.person.id, unitId: w.a1.id, kind: 'home_quarantine', status: 'open', source: 'hand', startsOn: '2026-11-24', careOfficerUserId: w.officer.user.id, contactDays: 7, uncontacted: false, needsOpen: 1, abilities: { write: true, close: true, reassign: true } });
    expect(c.contactDueAt).toBe(t.clock.now() + 7 * DAY);
    expect(c.needs.map((n) => [n.kind, n.state])).toEqual([['supplies', 'open']]);

    const dup = await call(w.officer.cookie, { method: 'POST', url: '/api/v1/care/cases', body: { personId: w.employee.person.id, kind: 'home_quarantine' } });
    expect(dup.status).toBe(409);
    const bad = await call(w.officer.cookie, { method: 'POST', url: '/api/v1/care/cases', body: { personId: w.employee.person.id, kind: 'overseas_post', timeZone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)?.fields).toHaveProperty('timeZone');
    const notOfficer = await call(w.officer.cookie, { method: 'POST', url: '/api/v1/care/cases', body: { personId: w.employee.person.id, kind: 'other', careOfficerUserId: w.officerB.user.id } });
    expect(notOfficer.status).toBe(400);
    expect(errorOf(notOfficer)?.fields?.careOfficerUserId).toBeDefined();

    // Needs: a second need, the first moves to met; the same kind twice while not met is a conflict.
    const needs = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/needs`, body: { kind: 'psychological', note: '焦虑' } });
    expect(needs.status).toBe(200);
    expect((needs.json as CareCaseDetail).needsOpen).toBe(2);
    const twice = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/needs`, body: { kind: 'psychological' } });
    expect(twice.status).toBe(409);
    const met = await call(w.officer.cookie, { method: 'PATCH', url: `/api/v1/care/cases/${c.id}/needs/${c.needs[0]!.id}`, body: { state: 'met', note: '已送达' } });
    expect((met.json as CareCaseDetail).needs[0]).toMatchObject({ state: 'met', note: '已送达' });

    // Actions: a delivery, then a counselling session.
    t.clock.advance(60 * 60 * 1000);
    const delivery = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/actions`, body: { kind: 'delivery', note: '蔬菜一箱' } });
    expect(delivery.status).toBe(201);
    expect(delivery.json as CareCaseDetail).toMatchObject({ lastContactAt: t.clock.now(), contactDueAt: t.clock.now() + 7 * DAY });
    const future = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/actions`, body: { kind: 'call', at: t.clock.now() + DAY } });
    expect(future.status).toBe(400);
    expect(errorOf(future)?.fields).toHaveProperty('at');

    // Reassign to a care officer of the unit; not to one of another branch.
    const officers = await call(w.officer.cookie, { method: 'GET', url: `/api/v1/care/cases/${c.id}/officers` });
    expect((officers.json as { items: { userId: number }[] }).items.map((i) => i.userId).sort()).toEqual([w.officer.user.id, w.officer2.user.id].sort());
    const moved = await call(w.officer.cookie, { method: 'PATCH', url: `/api/v1/care/cases/${c.id}`, body: { careOfficerUserId: w.officer2.user.id, expectedEnd: '2026-12-08' } });
    expect(moved.status).toBe(200);
    expect(moved.json as CareCaseDetail).toMatchObject({ careOfficerUserId: w.officer2.user.id, expectedEnd: '2026-12-08' });
    const told = await t.deps.db.selectFrom('notifications').select('kind').where('user_id', '=', w.officer2.user.id).execute();
    expect(told.map((n) => n.kind)).toContain('care.assigned');
    const away = await call(w.officer.cookie, { method: 'PATCH', url: `/api/v1/care/cases/${c.id}`, body: { careOfficerUserId: w.officerB.user.id } });
    expect(away.status).toBe(400);

    // Reads are audited: one row per GET, one per list page.
    const before = await audits('care_case.read', c.id);
    expect((await call(w.officer.cookie, { method: 'GET', url: `/api/v1/care/cases/${c.id}` })).status).toBe(200);
    expect(await audits('care_case.read', c.id)).toBe(before + 1);
    const lists = await audits('care_cases.read');
    const page = await call(w.officer.cookie, { method: 'GET', url: '/api/v1/care/cases', query: { unitId: String(w.a.id) } });
    expect((page.json as CareCasePage).items.map((i) => i.id)).toEqual([c.id]);
    expect(await audits('care_cases.read')).toBe(lists + 1);

    // Close with an outcome; a closed case is history.
    const closed = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/close`, body: { outcome: 'returned_to_work', note: '解除隔离' } });
    expect(closed.json as CareCaseDetail).toMatchObject({ status: 'closed', outcome: 'returned_to_work', outcomeNote: '解除隔离', contactDueAt: null, abilities: { write: false } });
    expect((await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/actions`, body: { kind: 'call' } })).status).toBe(409);
    const closedList = await call(w.officer.cookie, { method: 'GET', url: '/api/v1/care/cases', query: { unitId: String(w.a.id), status: 'closed' } });
    expect((closedList.json as CareCasePage).items.map((i) => i.id)).toEqual([c.id]);
  });

  it('encrypts counselling notes: shown to their writer and the person only; a wrong key fails clearly', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const c = await openCase(w, w.employee.person.id);
    const secret = `失眠，担心家人-${randomBytes(4).toString('hex')}`;
    const rec = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/actions`, body: { kind: 'counselling', note: secret } });
    expect(rec.status).toBe(201);
    // The stored answer (kept for Idempotency-Key replays) hides it.
    expect((rec.json as CareCaseDetail).actions[0]).toMatchObject({ kind: 'counselling', note: null, noteHidden: true });
    expect(rec.raw).not.toContain(secret);

    const row = await t.deps.db.selectFrom('care_actions').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.note).toBeNull();
    expect(row.note_cipher).not.toBeNull();
    expect(row.note_cipher).not.toContain(secret);
    expect(Buffer.from(row.note_cipher!, 'base64').toString('utf8')).not.toContain(secret);
    const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('entity_id', '=', String(c.id)).execute();
    expect(audit.map((a) => a.detail).join('\n')).not.toContain(secret);

    const mine = await call(w.officer.cookie, { method: 'GET', url: `/api/v1/care/cases/${c.id}` });
    expect((mine.json as CareCaseDetail).actions[0]).toMatchObject({ note: secret, noteHidden: false });
    const other = await call(w.officer2.cookie, { method: 'GET', url: `/api/v1/care/cases/${c.id}` });
    expect(other.status).toBe(200);
    expect((other.json as CareCaseDetail).actions[0]).toMatchObject({ kind: 'counselling', note: null, noteHidden: true });
    expect(other.raw).not.toContain(secret);
    const own = await call(w.employee.cookie, { method: 'GET', url: '/api/v1/me/care' });
    expect(own.status).toBe(200);
    const myCase = (own.json as MyCare).cases.find((x) => x.id === c.id)!;
    expect(myCase.actions[0]).toMatchObject({ note: secret, userName: expect.any(String) });

    // Another key: decryption fails loudly (never garbage, never silently empty).
    const wrong = randomBytes(32);
    expect(() => decryptNote(wrong, c.id, row.note_cipher!)).toThrow(CareKeyError);
    expect(() => decryptNote(wrong, c.id, row.note_cipher!)).toThrow(/care key/);
    // The right key but another case: the note is bound to its case.
    expect(() => decryptNote(careKeyFor(t.deps.config), c.id + 1, row.note_cipher!)).toThrow(CareKeyError);
    expect(decryptNote(careKeyFor(t.deps.config), c.id, row.note_cipher!)).toBe(secret);
    const elsewhere = await buildApp({ ...t.deps, config: { ...t.deps.config, careKey: { key: wrong, file: null } } }, { webRoot: null });
    try {
      const failed = await send(elsewhere, w.officer.cookie, { method: 'GET', url: `/api/v1/care/cases/${c.id}` });
      expect(failed.status).toBe(500);
      expect(failed.raw).not.toContain(secret);
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps cases to care officers in scope: 404 outside, and counts only for the command office and supervisors', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const c = await openCase(w, w.employee.person.id);
    for (const who of [w.officerB, w.command, w.supervisor, w.admin]) {
      expect((await call(who.cookie, { method: 'GET', url: `/api/v1/care/cases/${c.id}` })).status).toBe(404);
      expect((await call(who.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/actions`, body: { kind: 'call' } })).status).toBe(404);
    }
    for (const who of [w.command, w.supervisor, w.admin, w.employee]) {
      expect((await call(who.cookie, { method: 'GET', url: '/api/v1/care/cases' })).status).toBe(403);
      expect((await call(who.cookie, { method: 'GET', url: '/api/v1/care/requests' })).status).toBe(403);
      expect((await call(who.cookie, { method: 'GET', url: '/api/v1/care/board' })).status).toBe(403);
    }
    const otherList = await call(w.officerB.cookie, { method: 'GET', url: '/api/v1/care/cases', query: { unitId: String(w.a.id) } });
    expect(otherList.status).toBe(404);
    const bList = await call(w.officerB.cookie, { method: 'GET', url: '/api/v1/care/cases' });
    expect((bList.json as CareCasePage).items).toEqual([]);

    // Figures: counts, no contents, for command and supervisors; the employee has none.
    for (const who of [w.command, w.supervisor, w.officer]) {
      const f = await call(who.cookie, { method: 'GET', url: '/api/v1/care/figures', query: { unitId: String(w.a.id) } });
      expect(f.status).toBe(200);
      const figures = f.json as CareFigures;
      expect(figures.total).toMatchObject({ openCases: 1, needsOpen: 1, uncontacted: 0 });
      expect(figures.total.byKind.home_quarantine).toBe(1);
      expect(figures.children).toEqual([{ unitId: w.a1.id, unitName: w.a1.name, counts: figures.total }]);
      expect(f.raw).not.toContain(w.employee.person.name);
    }
    expect((await call(w.employee.cookie, { method: 'GET', url: '/api/v1/care/figures' })).status).toBe(403);
    expect((await call(w.officerB.cookie, { method: 'GET', url: '/api/v1/care/figures', query: { unitId: String(w.a.id) } })).status).toBe(404);
  });

  it('suggests cases from a health watch, a quarantine check-in, a trip and the overseas tag; minus dismissed and already open', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const day = dayOf(t.clock.now(), t.deps.config.timeZone);
    const positive = await buildPerson(t, w.a1, { name: '阳性者' });
    const quarantined = await buildPerson(t, w.a1, { name: '居家者' });
    const traveller = await buildPerson(t, w.a1, { name: '出差者' });
    const abroad = await buildPerson(t, w.a1, { name: '海外者', tags: ['overseas'] });
    const elsewhere = await buildPerson(t, w.b, { name: '别处者', tags: ['overseas'] });
    await t.deps.db.transaction().execute((tx) => openHealthWatch(tx, t.deps, { personId: positive.id, reason: 'test_positive', sourceEntity: 'test_result', sourceId: 'r1', openedByUserId: null }));
    const now = t.clock.now();
    await insertCheckin(t.deps.db, { person_id: quarantined.id, unit_id: w.a1.id, day, temperature: 365, symptoms: '[]', location: 'quarantine', city: '青岛', note: null, abnormal: 0, on_time: 1, on_behalf_of_user_id: null, created_at: now, updated_at: now });
    await insertTrip(t.deps.db, { person_id: traveller.id, unit_id: w.a1.id, destination_city: '北京', destination_district: null, start_on: day, end_on: day, purpose: '出差', status: 'planned', returned_on: null, watch_area_id: null, reported_by_user_id: null, created_at: now, updated_at: now });

    const list = async () => ((await call(w.officer.cookie, { method: 'GET', url: '/api/v1/care/suggestions', query: { unitId: String(w.a.id) } })).json as CareSuggestionList).items;
    const items = await list();
    const byPerson = new Map(items.map((s) => [s.personId, s]));
    expect(byPerson.get(positive.id)).toMatchObject({ signal: 'health_watch', kind: 'centralised_quarantine', since: day });
    expect(byPerson.get(quarantined.id)).toMatchObject({ signal: 'quarantine_checkin', kind: 'home_quarantine', key: `checkin:${quarantined.id}:${day}` });
    expect(byPerson.get(traveller.id)).toMatchObject({ signal: 'trip', kind: 'other' });
    expect(byPerson.get(abroad.id)).toMatchObject({ signal: 'overseas_tag', kind: 'overseas_post', since: null });
    expect(byPerson.has(elsewhere.id)).toBe(false);
    // Health details stay with health: no reason, no destination.
    expect(JSON.stringify(items)).not.toContain('北京');
    expect(JSON.stringify(items)).not.toContain('test_positive');

    // Dismissed: gone for everyone.
    const dismiss = await call(w.officer.cookie, { method: 'POST', url: '/api/v1/care/suggestions/dismiss', body: { key: byPerson.get(traveller.id)!.key } });
    expect(dismiss.status).toBe(200);
    // Opened with one click: a case with source suggestion; the suggestion leaves.
    const opened = await call(w.officer2.cookie, { method: 'POST', url: '/api/v1/care/suggestions/open', body: { key: byPerson.get(positive.id)!.key } });
    expect(opened.status).toBe(201);
    expect(opened.json as CareCaseDetail).toMatchObject({ personId: positive.id, kind: 'centralised_quarantine', source: 'suggestion', careOfficerUserId: w.officer2.user.id });
    // Already open by hand: not suggested either.
    await openCase(w, abroad.id, 'overseas_post');
    const left = (await list()).map((s) => s.personId);
    expect(left).toEqual([quarantined.id]);
    const again = await call(w.officer.cookie, { method: 'POST', url: '/api/v1/care/suggestions/open', body: { key: byPerson.get(positive.id)!.key } });
    expect(again.status).toBe(404);
    // Out of scope: another branch's care officer sees none of them and cannot open one.
    expect((await call(w.officerB.cookie, { method: 'POST', url: '/api/v1/care/suggestions/open', body: { key: byPerson.get(quarantined.id)!.key } })).status).toBe(404);
    expect((await call(w.command.cookie, { method: 'GET', url: '/api/v1/care/suggestions' })).status).toBe(403);
  });

  it('turns a request from the phone into a case, into a need on it, or answers it', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const ask = await call(w.employee.cookie, { method: 'POST', url: '/api/v1/me/care-requests', body: { needKind: 'supplies', note: '缺米面' } });
    expect(ask.status).toBe(201);
    const req1 = ask.json as CareRequest;
    expect(req1).toMatchObject({ status: 'open', needKind: 'supplies', personId: w.employee.person.id });
    // The care officers of the person's unit (here: of the nearest unit up with one) are told in-app.
    const told = await t.deps.db.selectFrom('notifications').select(['user_id', 'kind', 'params']).where('kind', '=', 'care.request').where('entity_id', '=', String(req1.id)).execute();
    expect(told.map((n) => n.user_id).sort()).toEqual([w.officer.user.id, w.officer2.user.id].sort());
    expect(told[0]!.params).not.toContain('缺米面');

    const page = await call(w.officer.cookie, { method: 'GET', url: '/api/v1/care/requests', query: { unitId: String(w.a.id) } });
    expect((page.json as CareRequestPage).items.map((r) => r.id)).toEqual([req1.id]);
    expect((await call(w.officerB.cookie, { method: 'POST', url: `/api/v1/care/requests/${req1.id}/open-case`, body: { kind: 'home_quarantine' } })).status).toBe(404);

    const opened = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/requests/${req1.id}/open-case`, body: { kind: 'home_quarantine' } });
    expect(opened.status).toBe(201);
    const c = opened.json as CareCaseDetail;
    expect(c).toMatchObject({ source: 'request', needs: [{ kind: 'supplies', state: 'open', note: '缺米面', requestId: req1.id }] });
    expect((await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/requests/${req1.id}/open-case`, body: { kind: 'other' } })).status).toBe(409);

    const ask2 = (await call(w.employee.cookie, { method: 'POST', url: '/api/v1/me/care-requests', body: { needKind: 'financial' } })).json as CareRequest;
    const added = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/requests/${ask2.id}/add-to-case`, body: {} });
    expect(added.status).toBe(200);
    expect((added.json as CareCaseDetail).needs.map((n) => n.kind)).toEqual(['supplies', 'financial']);

    const ask3 = (await call(w.employee.cookie, { method: 'POST', url: '/api/v1/me/care-requests', body: { needKind: 'medical', note: '复诊' } })).json as CareRequest;
    const declined = await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/requests/${ask3.id}/decline`, body: { answer: '已联系社区医院' } });
    expect(declined.json as CareRequest).toMatchObject({ status: 'declined', answer: '已联系社区医院' });

    const mine = (await call(w.employee.cookie, { method: 'GET', url: '/api/v1/me/care' })).json as MyCare;
    expect(mine.requests.map((r) => r.status)).toEqual(['declined', 'added_to_case', 'case_opened']);
    expect(mine.cases.map((x) => x.id)).toEqual([c.id]);
    const answers = await t.deps.db.selectFrom('notifications').select('kind').where('user_id', '=', w.employee.user.id).where('kind', '=', 'care.request_answered').execute();
    expect(answers).toHaveLength(3);
  });

  it('alerts a case not contacted in time once per lapse, counts it, and lists its contact duties', async () => {
    const opened = shanghai('2026-11-24T10:00:00');
    t.clock.set(opened);
    const w = await world();
    const c = await openCase(w, w.employee.person.id);
    const tellings = async () => Number((await t.deps.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'care.uncontacted').where('entity_id', '=', String(c.id)).executeTakeFirstOrThrow()).n);

    t.clock.set(opened + 7 * DAY - 60_000);
    await alertUncontactedCases(t.deps);
    expect(await tellings()).toBe(0);
    t.clock.set(opened + 7 * DAY + 60_000);
    await alertUncontactedCases(t.deps);
    expect(await tellings()).toBe(1);
    t.clock.advance(3 * DAY);
    await alertUncontactedCases(t.deps);
    expect(await tellings()).toBe(1);
    const told = await t.deps.db.selectFrom('notifications').select('user_id').where('kind', '=', 'care.uncontacted').where('entity_id', '=', String(c.id)).execute();
    expect(told.map((n) => n.user_id)).toEqual([w.officer.user.id]);

    const counts = await careCounts(t.deps.db, w.a.path, t.clock.now());
    expect(counts).toMatchObject({ openCases: 1, uncontacted: 1 });
    const late = await uncontactedCases(t.deps.db, w.a.path, t.clock.now());
    expect(late).toEqual([{ caseId: c.id, unitId: w.a1.id, unitName: w.a1.name, careOfficerUserId: w.officer.user.id, careOfficerName: expect.any(String), lastContactAt: null, dueAt: opened + 7 * DAY }]);
    // Sessions do not outlive the moved clock: sign in again.
    w.officer.cookie = await loginAs(t, w.officer.user.id);
    const listed = await call(w.officer.cookie, { method: 'GET', url: '/api/v1/care/cases', query: { uncontacted: 'true' } });
    expect((listed.json as CareCasePage).items.map((i) => i.id)).toContain(c.id);
    const board = (await call(w.officer.cookie, { method: 'GET', url: '/api/v1/care/board', query: { unitId: String(w.a.id) } })).json as CareBoard;
    expect(board.total.counts.uncontacted).toBe(1);

    // A contact ends the lapse; the next one, 7 days later, is alerted again.
    const contactAt = t.clock.now();
    expect((await call(w.officer.cookie, { method: 'POST', url: `/api/v1/care/cases/${c.id}/actions`, body: { kind: 'call' } })).status).toBe(201);
    expect((await careCounts(t.deps.db, w.a.path, t.clock.now())).uncontacted).toBe(0);
    t.clock.set(contactAt + 7 * DAY + 60_000);
    await alertUncontactedCases(t.deps);
    await alertUncontactedCases(t.deps);
    expect(await tellings()).toBe(2);
    w.officer.cookie = await loginAs(t, w.officer.user.id);
    const board2 = (await call(w.officer.cookie, { method: 'GET', url: '/api/v1/care/board', query: { unitId: String(w.a.id) } })).json as CareBoard;
    expect(board2.children[0]).toMatchObject({ unitId: w.a1.id, lastContactAt: contactAt, counts: { uncontacted: 1 } });

    // The duties: due at +7 days (missed, met by the call at +10), due 7 days after the call (not met yet).
    const duties = await careContactDuties(t.deps.db, w.a.path, opened, t.clock.now() + DAY, t.clock.now());
    expect(duties.map((d) => [d.caseId, d.dueAt, d.metAt])).toEqual([
      [c.id, opened + 7 * DAY, contactAt],
      [c.id, contactAt + 7 * DAY, null],
    ]);
  });

  it('counts a contact made in time as a met duty, a late one as met late, and the next as open', () => {
    // contact_days 7: opened at 0, called at day 3 (in time), visited at day 12 (late for day 10).
    const duties = dutiesOf(0, null, [3 * DAY, 12 * DAY], 7, 0, 20 * DAY);
    expect(duties).toEqual([
      { dueAt: 7 * DAY, metAt: 3 * DAY },
      { dueAt: 10 * DAY, metAt: 12 * DAY },
      { dueAt: 19 * DAY, metAt: null },
    ]);
    // Only the duties falling due in the period count; a closed case owes nothing after it closed.
    expect(dutiesOf(0, 11 * DAY, [3 * DAY], 7, 8 * DAY, 20 * DAY)).toEqual([{ dueAt: 10 * DAY, metAt: null }]);
  });

  it('seeds a bounded number of demo cases, some not contacted in time', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const w = await world();
    const units = [w.root, w.a, w.a1, w.b].map((u, i) => ({ id: u.id, parent: i === 0 ? null : 0, kind: 'department', name: u.name, overseas: i === 3 }));
    const people: { id: number; unit: number; active: boolean }[] = [];
    for (let k = 0; k < 30; k++) people.push({ id: (await buildPerson(t, k % 3 === 0 ? w.b : w.a1)).id, unit: k % 3 === 0 ? 3 : 2, active: true });
    const { cases } = await t.deps.db.transaction().execute((tx) => seedDemoCare(tx, t.deps, { units, people }));
    expect(cases).toBe(11);
    const counts = await careCounts(t.deps.db, w.root.path, t.clock.now());
    expect(counts.openCases).toBeGreaterThanOrEqual(11);
    expect(counts.uncontacted).toBeGreaterThanOrEqual(4);
    expect(counts.byKind.overseas_post).toBeGreaterThanOrEqual(3);
  });
});
