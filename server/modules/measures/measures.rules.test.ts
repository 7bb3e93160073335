/**
 * The inheritance and exception rules (层层加码 guard) as a table of cases, run through the API on
 * a fresh tree per case (root → A → A1) on each database: what each unit's register shows after the
 * steps, and where each value comes from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.js';
import type { Register } from '../../../common/schemas/measures.js';
import { addDays } from '../../../common/day.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildTree, loginAs } from '../../../test/factories.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { hashPassword } from '../auth/password.js';
import { insertGrant, insertUser } from '../org/users.store.js';
import { effectiveMeasure, effectiveMeasures } from './measures.effective.js';

type U = 'root' | 'A' | 'A1';
/** cmd, cmd2: the command office on the root; hA: unit head of A; hA1: unit head of A1. */
type W = 'cmd' | 'cmd2' | 'hA' | 'hA1';
type Kind = 'default' | 'own' | 'inherited' | 'exception';

type Step =
  | { set: U; v: number | string; by: W; reason?: string; key?: string; is: 'set' | 'pending' | { field: string } }
  | { approve: 'last'; by: W; is?: 200 | 403 | 404 }
  | { refuse: 'last'; by: W; is?: 200 | 403 }
  | { remove: U; by: W; key?: string }
  | { nextDay: true };

interface Case {
  name: string;
  key?: string; // default meeting.max_size (lower is stricter, default 50)
  steps: Step[];
  /** unit → [value in force, where from, the unit it comes from (null: built-in default)] */
  expect: Partial<Record<U, [number | string, Kind, U | null]>>;
  /** unit → how its own value stands */
  own?: Partial<Record<U, 'applies' | 'pending' | 'not_approved' | null>>;
}

const R = '本地疫情较重，需加严';

const CASES: Case[] = [
  { name: 'nothing set: every unit has the built-in default', steps: [], expect: { root: [50, 'default', null], A: [50, 'default', null], A1: [50, 'default', null] } },
  {
    name: 'the command office sets the root: in force at once, inherited below',
    steps: [{ set: 'root', v: 30, by: 'cmd', is: 'set' }],
    expect: { root: [30, 'own', 'root'], A: [30, 'inherited', 'root'], A1: [30, 'inherited', 'root'] },
  },
  {
    name: 'a unit sets a looser value: in force at once for its subtree',
    steps: [{ set: 'A', v: 80, by: 'hA', is: 'set' }],
    expect: { root: [50, 'default', null], A: [80, 'own', 'A'], A1: [80, 'inherited', 'A'] },
    own: { A: 'applies' },
  },
  {
    name: 'a unit sets a value equal to the parent: in force at once',
    steps: [{ set: 'A', v: 50, by: 'hA', is: 'set' }],
    expect: { A: [50, 'own', 'A'], A1: [50, 'inherited', 'A'] },
  },
  {
    name: 'a stricter value without a reason is refused, naming the field',
    steps: [{ set: 'A', v: 30, by: 'hA', is: { field: 'reason' } }],
    expect: { A: [50, 'default', null] },
    own: { A: null },
  },
  {
    name: "a stricter value is an exception: pending, the parent's value applies meanwhile",
    steps: [{ set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' }],
    expect: { A: [50, 'default', null], A1: [50, 'default', null] },
    own: { A: 'pending' },
  },
  {
    name: 'an exception approved by the level above applies, to the subtree too',
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'cmd' },
    ],
    expect: { root: [50, 'default', null], A: [30, 'exception', 'A'], A1: [30, 'inherited', 'A'] },
    own: { A: 'applies' },
  },
  {
    name: 'an exception refused: the parent value stays',
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { refuse: 'last', by: 'cmd' },
    ],
    expect: { A: [50, 'default', null], A1: [50, 'default', null] },
    own: { A: null },
  },
  {
    name: 'a refused request is as if never made: the unit keeps its earlier (looser) value',
    steps: [
      { set: 'A', v: 60, by: 'hA', is: 'set' },
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { refuse: 'last', by: 'cmd' },
    ],
    expect: { A: [60, 'own', 'A'] },
  },
  {
    name: 'the requester may not approve their own request, even holding write over the parent',
    steps: [
      { set: 'A1', v: 20, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'hA', is: 403 },
      { approve: 'last', by: 'cmd' },
    ],
    expect: { A: [50, 'default', null], A1: [20, 'exception', 'A1'] },
  },
  {
    name: 'write over the unit itself is not enough to decide its exception: the level above decides',
    steps: [
      { set: 'A1', v: 20, by: 'hA1', reason: R, is: 'pending' },
      { approve: 'last', by: 'hA1', is: 403 },
      { refuse: 'last', by: 'hA1', is: 403 },
      { approve: 'last', by: 'hA' },
    ],
    expect: { A1: [20, 'exception', 'A1'] },
  },
  {
    name: "tightening below an ancestor that already tightened: compared with the parent's EFFECTIVE value, and decided by the parent",
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'cmd' },
      // 40 is stricter than the root's 50 but looser than A's 30 in force: no exception.
      { set: 'A1', v: 40, by: 'hA1', is: 'set' },
    ],
    expect: { A: [30, 'exception', 'A'], A1: [40, 'own', 'A1'] },
  },
  {
    name: "tightening below an ancestor's approved tightening is again an exception, for the parent level to approve",
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'cmd' },
      { set: 'A1', v: 20, by: 'hA1', reason: R, is: 'pending' },
      { approve: 'last', by: 'hA' },
    ],
    expect: { root: [50, 'default', null], A: [30, 'exception', 'A'], A1: [20, 'exception', 'A1'] },
  },
  {
    name: "while the ancestor's tightening waits, the child is compared with what is in force (the root's)",
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { set: 'A1', v: 40, by: 'hA1', reason: R, is: 'pending' },
    ],
    expect: { A: [50, 'default', null], A1: [50, 'default', null] },
    own: { A: 'pending', A1: 'pending' },
  },
  {
    name: "a parent that loosens after a child's exception was approved: the approved exception stays in force",
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'cmd' },
      { set: 'root', v: 100, by: 'cmd', is: 'set' },
    ],
    expect: { root: [100, 'own', 'root'], A: [30, 'exception', 'A'], A1: [30, 'inherited', 'A'] },
    own: { A: 'applies' },
  },
  {
    name: 'a parent that loosens past a value set as equal: now stricter and never approved, so the parent value applies',
    steps: [
      { set: 'A', v: 50, by: 'hA', is: 'set' },
      { set: 'root', v: 100, by: 'cmd', is: 'set' },
    ],
    expect: { A: [100, 'inherited', 'root'], A1: [100, 'inherited', 'root'] },
    own: { A: 'not_approved' },
  },
  {
    name: "a parent that tightens past a child's approved value: the child's is now looser and, as the rule says, applies",
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'cmd' },
      { set: 'root', v: 20, by: 'cmd', is: 'set' },
    ],
    // No longer stricter than the parent, so no longer an exception: A's own value, flagged looser.
    expect: { root: [20, 'own', 'root'], A: [30, 'own', 'A'], A1: [30, 'inherited', 'A'] },
    own: { A: 'applies' },
  },
  {
    name: 'a value removed: the unit inherits again',
    steps: [
      { set: 'root', v: 40, by: 'cmd', is: 'set' },
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'cmd' },
      { remove: 'A', by: 'hA' },
    ],
    expect: { A: [40, 'inherited', 'root'], A1: [40, 'inherited', 'root'] },
    own: { A: null },
  },
  {
    name: 'a root value removed: back to the built-in default',
    steps: [
      { set: 'root', v: 40, by: 'cmd', is: 'set' },
      { remove: 'root', by: 'cmd' },
    ],
    expect: { root: [50, 'default', null], A1: [50, 'default', null] },
  },
  {
    name: 'a new change withdraws the pending request it supersedes',
    steps: [
      { set: 'A', v: 30, by: 'hA', reason: R, is: 'pending' },
      { set: 'A', v: 60, by: 'hA', is: 'set' },
      { approve: 'last', by: 'cmd', is: 404 }, // 'last' is the looser change: no exception to decide
    ],
    expect: { A: [60, 'own', 'A'] },
  },
  {
    name: 'higher is stricter (watch days): a longer watch is the exception, a shorter one is not',
    key: 'trip.watch_days',
    steps: [
      { set: 'A', v: 7, by: 'hA', is: 'set' },
      { set: 'A1', v: 21, by: 'hA1', reason: R, is: 'pending' },
      { approve: 'last', by: 'hA' },
    ],
    expect: { root: [14, 'default', null], A: [7, 'own', 'A'], A1: [21, 'exception', 'A1'] },
  },
  {
    name: 'earlier is stricter (check-in cut-off)',
    key: 'checkin.cutoff',
    steps: [
      { set: 'root', v: '22:00', by: 'cmd', is: 'set' },
      { set: 'A', v: '23:30', by: 'hA', is: 'set' },
      { set: 'A1', v: '20:00', by: 'hA1', reason: R, is: 'pending' },
    ],
    expect: { root: ['22:00', 'own', 'root'], A: ['23:30', 'own', 'A'], A1: ['23:30', 'inherited', 'A'] },
    own: { A1: 'pending' },
  },
  {
    name: 'a share (room density) compares as a number',
    key: 'room.density',
    steps: [
      { set: 'A', v: 0.3, by: 'hA', reason: R, is: 'pending' },
      { approve: 'last', by: 'cmd2' },
    ],
    expect: { A: [0.3, 'exception', 'A'], A1: [0.3, 'inherited', 'A'] },
  },
];

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('measure rules on %s', (dialect) => {
  let t: TestEnv;
  let hash: string;
  beforeAll(async () => {
    t = await testEnv(dialect);
    hash = await hashPassword('measures rules 1');
  });
  afterAll(async () => t?.close());

  let seq = 0;
  const ids = new Map<string, number>();
  async function userWith(role: Role, unit: UnitRow): Promise<string> {
    const u = await insertUser(t.deps.db, { username: `mr${dialect}${++seq}`, passwordHash: hash, personId: null, unitId: unit.id, displayName: null, now: t.clock.now() });
    await insertGrant(t.deps.db, { userId: u.id, role, unitId: unit.id, now: t.clock.now(), createdBy: null });
    const cookie = await loginAs(t, u.id);
    ids.set(cookie, u.id);
    return cookie;
  }
  /** A fresh session after the clock moved days ahead (the old one timed out). */
  const again = (cookie: string) => loginAs(t, ids.get(cookie)!);

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const tree = await buildTree(t);
    const units: Record<U, UnitRow> = { root: tree.root, A: tree.a, A1: tree.a1 };
    const who: Record<W, string> = {
      cmd: await userWith('command', tree.root),
      cmd2: await userWith('command', tree.root),
      hA: await userWith('unit_head', tree.a),
      hA1: await userWith('unit_head', tree.a1),
    };
    const app = await t.app();
    const call = (w: W, req: HttpRequest) => send(app, who[w], req);
    const key = c.key ?? 'meeting.max_size';
    let last: number | null = null;
    for (const [i, s] of c.steps.entries()) {
      const at = `step ${i + 1}: ${JSON.stringify(s)}`;
      if ('set' in s) {
        const body = { value: s.v, ...(s.reason ? { reason: s.reason } : {}) };
        const res = await call(s.by, { method: 'POST', url: `/api/v1/units/${units[s.set].id}/measures/${s.key ?? key}`, body });
        if (typeof s.is === 'object') {
          expect(res.status, at).toBe(400);
          expect(Object.keys(errorOf(res)?.fields ?? {}), at).toEqual([s.is.field]);
          continue;
        }
        expect(res.status, `${at} ${res.raw}`).toBe(201);
        const out = res.json as { change: { id: number; status: string }; needsApproval: boolean };
        expect(out.change.status, at).toBe(s.is);
        expect(out.needsApproval, at).toBe(s.is === 'pending');
        last = out.change.id;
      } else if ('approve' in s || 'refuse' in s) {
        const verb = 'approve' in s ? 'approve' : 'refuse';
        const res = await call(s.by, { method: 'POST', url: `/api/v1/measure-exceptions/${last}/${verb}`, body: verb === 'refuse' ? { note: '理由不充分' } : {} });
        expect(res.status, `${at} ${res.raw}`).toBe(s.is ?? 200);
      } else if ('remove' in s) {
        const res = await call(s.by, { method: 'POST', url: `/api/v1/units/${units[s.remove].id}/measures/${s.key ?? key}/remove`, body: {} });
        expect(res.status, `${at} ${res.raw}`).toBe(201);
      } else {
        t.clock.advance(86_400_000);
      }
    }
    for (const [u, [value, kind, from]] of Object.entries(c.expect) as [U, [number | string, Kind, U | null]][]) {
      const res = await call('cmd', { method: 'GET', url: `/api/v1/units/${units[u].id}/measures` });
      expect(res.status).toBe(200);
      const entry = (res.json as Register).items.find((x) => x.key === key)!;
      expect({ unit: u, value: entry.value, kind: entry.source.kind, from: entry.source.unitId }).toEqual({ unit: u, value, kind, from: from === null ? null : units[from].id });
      if (kind === 'exception') expect(entry.source.approvedBy, u).not.toBeNull();
    }
    for (const [u, state] of Object.entries(c.own ?? {}) as [U, string | null][]) {
      const res = await call('cmd', { method: 'GET', url: `/api/v1/units/${units[u].id}/measures` });
      const entry = (res.json as Register).items.find((x) => x.key === key)!;
      expect({ unit: u, own: entry.own?.state ?? null }).toEqual({ unit: u, own: state });
    }
  });

  it('exceptions are all listed, pending first, and a refused one keeps its reason and the refusal', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const tree = await buildTree(t);
    const cmd = await userWith('command', tree.root);
    const hA = await userWith('unit_head', tree.a);
    const app = await t.app();
    const set = async (unit: UnitRow, key: string, value: number, reason: string) =>
      ((await send(app, hA, { method: 'POST', url: `/api/v1/units/${unit.id}/measures/${key}`, body: { value, reason } })).json as { change: { id: number } }).change.id;
    const refused = await set(tree.a, 'meeting.max_size', 20, '原因一');
    expect((await send(app, cmd, { method: 'POST', url: `/api/v1/measure-exceptions/${refused}/refuse`, body: { note: '不符合上级要求' } })).status).toBe(200);
    const approved = await set(tree.a, 'meeting.max_minutes', 30, '原因二');
    expect((await send(app, cmd, { method: 'POST', url: `/api/v1/measure-exceptions/${approved}/approve`, body: {} })).status).toBe(200);
    const pending = await set(tree.a1, 'trip.watch_days', 28, '原因三');
    const res = await send(app, cmd, { method: 'GET', url: '/api/v1/measure-exceptions', query: { unitId: String(tree.root.id) } });
    const items = (res.json as { items: { id: number; status: string; reason: string; decisionNote: string | null; abilities: { approve: boolean } }[] }).items;
    expect(items.map((x) => [x.id, x.status])).toEqual([
      [pending, 'pending'],
      [approved, 'approved'],
      [refused, 'refused'],
    ]);
    expect(items.find((x) => x.id === refused)).toMatchObject({ reason: '原因一', decisionNote: '不符合上级要求' });
    // hA asked for A1's exception: the command office may decide it, hA may not.
    expect(items[0]!.abilities.approve).toBe(true);
    const mine = await send(app, hA, { method: 'GET', url: '/api/v1/measure-exceptions', query: { status: 'pending' } });
    expect((mine.json as { items: { id: number; abilities: { approve: boolean } }[] }).items).toEqual([expect.objectContaining({ id: pending, abilities: { approve: false, refuse: false } })]);
    // Deciding twice is a conflict; a plain change is no exception.
    expect((await send(app, cmd, { method: 'POST', url: `/api/v1/measure-exceptions/${approved}/refuse`, body: { note: 'x' } })).status).toBe(409);
    // The level above was told of each request.
    const told = await t.deps.db.selectFrom('notifications').select(['kind']).where('kind', '=', 'measures.exception_requested').execute();
    expect(told.length).toBeGreaterThanOrEqual(3);
  });

  it('effective dating: a change from a later day, an approval later than asked, and a history that never rewrites the past', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const tree = await buildTree(t);
    let cmd = await userWith('command', tree.root);
    const hA = await userWith('unit_head', tree.a);
    const app = await t.app();
    const url = `/api/v1/units/${tree.a.id}/measures/meeting.max_size`;
    const valueOn = async (day: string) =>
      ((await send(app, cmd, { method: 'GET', url: `/api/v1/units/${tree.a1.id}/measures`, query: { day } })).json as Register).items.find((x) => x.key === 'meeting.max_size')!.value;

    // The past cannot be changed.
    const past = await send(app, hA, { method: 'POST', url, body: { value: 80, effectiveFrom: '2026-11-23' } });
    expect(past.status).toBe(400);
    expect(errorOf(past)?.fields).toHaveProperty('effectiveFrom');
    // 80 from 11-30: a looser change scheduled ahead; before that the default still applies.
    expect((await send(app, hA, { method: 'POST', url, body: { value: 80, effectiveFrom: '2026-11-30' } })).status).toBe(201);
    expect([await valueOn('2026-11-29'), await valueOn('2026-11-30')]).toEqual([50, 80]);
    // The register of A today shows it as scheduled.
    const regA = (await send(app, cmd, { method: 'GET', url: `/api/v1/units/${tree.a.id}/measures` })).json as Register;
    expect(regA.items.find((x) => x.key === 'meeting.max_size')).toMatchObject({ value: 50, own: null, scheduled: { value: 80, effectiveFrom: '2026-11-30', status: 'set' } });

    // An exception asked for 11-24 and approved on 11-26 counts from 11-26: 11-24 and 11-25 keep what applied then,
    // and the change scheduled for 11-30 still takes over on its day.
    const ask = await send(app, hA, { method: 'POST', url, body: { value: 20, reason: R } });
    expect((ask.json as { needsApproval: boolean }).needsApproval).toBe(true);
    expect(await valueOn('2026-11-24')).toBe(50);
    t.clock.set(shanghai('2026-11-26T10:00:00'));
    cmd = await again(cmd);
    expect((await send(app, cmd, { method: 'POST', url: `/api/v1/measure-exceptions/${(ask.json as { change: { id: number } }).change.id}/approve`, body: {} })).status).toBe(200);
    expect([await valueOn('2026-11-24'), await valueOn('2026-11-25'), await valueOn('2026-11-26'), await valueOn('2026-11-29'), await valueOn('2026-11-30')]).toEqual([50, 50, 20, 20, 80]);

    const hist = await send(app, cmd, { method: 'GET', url: `/api/v1/units/${tree.a1.id}/measures/meeting.max_size/history` });
    expect(hist.status).toBe(200);
    const h = hist.json as { spans: { from: string; to: string | null; value: number; source: { kind: string; unitId: number | null } }[]; changes: { status: string }[] };
    expect(h.spans.map((s) => [s.from, s.to, s.value, s.source.kind, s.source.unitId])).toEqual([
      ['2026-11-24', '2026-11-25', 50, 'default', null],
      ['2026-11-26', '2026-11-29', 20, 'inherited', tree.a.id],
      ['2026-11-30', null, 80, 'inherited', tree.a.id],
    ]);
    expect(h.changes.map((x) => x.status)).toEqual(['set', 'approved']);
    // The register on a past day answers what applied then, and the effective value function agrees.
    expect(await effectiveMeasure(t.deps, 'meeting.max_size', tree.a1.id, '2026-11-25')).toEqual({ key: 'meeting.max_size', value: 50, stored: 50, fromUnitId: null });
    expect(await effectiveMeasure(t.deps, 'meeting.max_size', tree.a1.id)).toEqual({ key: 'meeting.max_size', value: 20, stored: 20, fromUnitId: tree.a.id });
    const many = await effectiveMeasures(t.deps, 'meeting.max_size', [tree.root.id, tree.a.id, tree.a1.id, tree.b.id], addDays('2026-11-26', 4));
    expect([...many.values()].map((m) => m.value)).toEqual([50, 80, 80, 50]);
  });

  it('validation errors name the field', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const tree = await buildTree(t);
    const cmd = await userWith('command', tree.root);
    const app = await t.app();
    const post = (key: string, body: unknown) => send(app, cmd, { method: 'POST', url: `/api/v1/units/${tree.root.id}/measures/${key}`, body });
    const cases: [string, unknown, string][] = [
      ['meeting.max_size', { value: 0 }, 'value'],
      ['meeting.max_size', { value: 12.5 }, 'value'],
      ['meeting.max_size', { value: '30' }, 'value'],
      ['room.density', { value: 0.333 }, 'value'],
      ['room.density', { value: 1.5 }, 'value'],
      ['checkin.cutoff', { value: '25:00' }, 'value'],
      ['checkin.cutoff', { value: 1200 }, 'value'],
      ['meeting.max_size', { value: 30, effectiveFrom: '2026-02-30' }, 'effectiveFrom'],
      ['meeting.max_size', { value: 30, colour: 'red' }, 'colour'],
      ['meeting.max_size', {}, 'value'],
      ['no.such_measure', { value: 30 }, 'key'],
    ];
    for (const [key, body, field] of cases) {
      const res = await post(key, body);
      expect({ key, body, status: res.status }).toEqual({ key, body, status: 400 });
      expect(Object.keys(errorOf(res)?.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const refuse = await send(app, cmd, { method: 'POST', url: '/api/v1/measure-exceptions/1/refuse', body: {} });
    expect(errorOf(refuse)?.fields).toHaveProperty('note');
    const nothing = await send(app, cmd, { method: 'POST', url: `/api/v1/units/${tree.a.id}/measures/meeting.max_size/remove`, body: {} });
    expect(nothing.status).toBe(409);
  });

  it('a unit outside the scope does not exist: 404 for its register, history and changes; exceptions outside are not listed', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const tree = await buildTree(t);
    const cmd = await userWith('command', tree.root);
    const hA1 = await userWith('unit_head', tree.a1);
    const app = await t.app();
    const ask = await send(app, cmd, { method: 'POST', url: `/api/v1/units/${tree.b.id}/measures/meeting.max_size`, body: { value: 10, reason: R } });
    const id = (ask.json as { change: { id: number } }).change.id;
    for (const req of [
      { method: 'GET', url: `/api/v1/units/${tree.a.id}/measures` },
      { method: 'GET', url: `/api/v1/units/${tree.b.id}/measures/meeting.max_size/history` },
      { method: 'POST', url: `/api/v1/units/${tree.b.id}/measures/meeting.max_size`, body: { value: 60 } },
      { method: 'POST', url: `/api/v1/measure-exceptions/${id}/approve`, body: {} },
      { method: 'GET', url: '/api/v1/measure-exceptions', query: { unitId: String(tree.b.id) } },
    ] as HttpRequest[]) {
      expect((await send(app, hA1, req)).status, `${req.method} ${req.url}`).toBe(404);
    }
    const listed = await send(app, hA1, { method: 'GET', url: '/api/v1/measure-exceptions' });
    expect((listed.json as { items: unknown[] }).items).toEqual([]);
    // hA1 sees its own register, with the value inherited from the root named, and may set its own.
    const own = await send(app, hA1, { method: 'GET', url: `/api/v1/units/${tree.a1.id}/measures` });
    expect(own.status).toBe(200);
    expect((own.json as Register).items[0]!.abilities).toEqual({ set: true, remove: false });
  });

  it('a unit whose measures changed cannot be deleted (its history would go): archive it instead', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const tree = await buildTree(t);
    const admin = await userWith('admin', tree.root);
    const app = await t.app();
    expect((await send(app, admin, { method: 'POST', url: `/api/v1/units/${tree.b.id}/measures/meeting.max_size`, body: { value: 80 } })).status).toBe(201);
    const res = await send(app, admin, { method: 'DELETE', url: `/api/v1/units/${tree.b.id}` });
    expect(res.status).toBe(409);
    expect((await send(app, admin, { method: 'GET', url: `/api/v1/units/${tree.b.id}/measures` })).status).toBe(200);
  });

  it('a retried set with the same Idempotency-Key answers the first change and makes no second one; the routes are in the OpenAPI document', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const tree = await buildTree(t);
    const cmd = await userWith('command', tree.root);
    const app = await t.app();
    const req: HttpRequest = { method: 'POST', url: `/api/v1/units/${tree.a.id}/measures/meeting.max_minutes`, body: { value: 120 }, headers: { 'idempotency-key': `m-${dialect}-retry` } };
    const first = await send(app, cmd, req);
    const again = await send(app, cmd, req);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json).toEqual(first.json);
    const rows = await t.deps.db.selectFrom('measure_values').select('id').where('unit_id', '=', tree.a.id).execute();
    expect(rows).toHaveLength(1);
    const doc = JSON.parse((await app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/measure-types', '/api/v1/units/{id}/measures', '/api/v1/units/{id}/measures/{key}', '/api/v1/units/{id}/measures/{key}/history', '/api/v1/measure-exceptions/{id}/approve'])
      expect(doc.paths).toHaveProperty([p]);
  });
});
