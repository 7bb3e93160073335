import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, roleHas } from '../common/roles.js';
import type { App } from '../server/app.js';
import { hashPassword } from '../server/modules/auth/password.js';
import { transact } from '../server/db/transact.js';
import { systemCtx } from '../server/http/actor.js';
import { recordAudit } from '../server/modules/audit/audit.service.js';
import { insertApiToken } from '../server/modules/org/users.store.js';
import { sha256 } from '../server/modules/auth/auth.service.js';
import { testDialects, testEnv, type TestEnv } from './env.js';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from './factories.js';
import { errorOf, errorShapeProblem, multipartFile, registeredRouteKeys, send, snapshot, snapshotDiff, type HttpAnswer } from './http.js';
import {
  PENDING_ROUTES,
  PLACEMENTS,
  expectedFor,
  has,
  listedFor,
  matrix,
  mustBeDeclared,
  special,
  uniq,
  unscoped,
  type ActorRole,
  type MatrixActor,
  type MatrixCase,
  type Placement,
  type World,
} from './authz.matrix.js';

const registered = await registeredRouteKeys();
const isRegistered = (key: string) => registered.has(key);

const ACTOR_ROLES: ActorRole[] = [...ROLES, 'none'];

const statusMatches = (got: number, want: number | readonly number[]) => (typeof want === 'number' ? got === want : want.includes(got));
const itemIdsOf = (json: unknown) => ((json as { items?: { id: number }[] } | null)?.items ?? []).map((i) => i.id).sort((x, y) => x - y);
const hasItem = (json: unknown, id: number) => ((json as { items?: { id: number }[] } | null)?.items ?? []).some((i) => i.id === id);
const brief = (a: HttpAnswer) => `${a.status} ${a.raw.slice(0, 160)}`;

describe.each(testDialects())('authorization matrix on %s', (dialect) => {
  let t: TestEnv;
  let app: App;
  let w: World;
  const actors = new Map<ActorRole, MatrixActor>();
  /** The same roles on A, each also admin on C (a branch no placement touches). */
  const adminsOfC = new Map<ActorRole, MatrixActor>();

  beforeAll(async () => {
    t = await testEnv(dialect);
    app = await t.app();
    const { root, a, a1, b } = await buildTree(t);
    const b1 = await buildUnit(t, { parent: b, name: `B1-${uniq()}` });
    const c = await buildUnit(t, { parent: root, name: `C-${uniq()}` });
    const at: Record<Placement, typeof a> = { own: a, descendant: a1, ancestor: root, sibling: b, otherBranch: b1 };
    w = { t, tree: { root, a, a1, b, b1, c }, home: a, unitAt: (p) => at[p], passwordHash: await hashPassword('matrix targets never sign in') };
    for (const role of ROLES) {
      const user = await buildUser(t, [{ role, unit: a }]);
      actors.set(role, { role, userId: user.id, cookie: await loginAs(t, user.id) });
      const twoGrants = await buildUser(t, [{ role, unit: a }, { role: 'admin', unit: c }]);
      adminsOfC.set(role, { role, userId: twoGrants.id, cookie: await loginAs(t, twoGrants.id) });
    }
    const nobody = await buildUser(t, [], { home: a });
    actors.set('none', { role: 'none', userId: nobody.id, cookie: await loginAs(t, nobody.id) });
    const onlyC = await buildUser(t, [{ role: 'admin', unit: c }], { home: a });
    adminsOfC.set('none', { role: 'none', userId: onlyC.id, cookie: await loginAs(t, onlyC.id) });
  });
  afterAll(async () => t?.close());

  describe('every route is declared', () => {
    it('each registered /api/ route has a matrix entry, an unscoped reason or a special test', () => {
      const undeclared = app.routeTable
        .map((r) => `${r.method} ${r.url}`)
        .filter((k) => mustBeDeclared(k) && !(k in matrix) && !(k in unscoped) && !(k in special));
      expect(undeclared, 'add these routes to test/authz.matrix.ts').toEqual([]);
    });

    it('no route is declared twice, and every unregistered entry is one another change is adding', () => {
      const keys = [...Object.keys(matrix), ...Object.keys(unscoped), ...Object.keys(special)];
      expect(keys.length).toBe(new Set(keys).size);
      const stale = keys.filter((k) => !isRegistered(k) && !PENDING_ROUTES.has(k));
      expect(stale, 'these entries name routes that do not exist (a typo, or a removed route)').toEqual([]);
    });

    it('each entry exercises the permission it declares', () => {
      for (const [key, e] of Object.entries(matrix)) {
        const used = e.cases.flatMap((c) => [c.gate, c.lists, ...c.checks.flatMap((ch) => [ch.read, ch.need])]);
        expect(used, key).toContain(e.permission);
      }
    });

    it('a well-formed request of every matrix case without a session answers 401 and changes nothing', async () => {
      const problems: string[] = [];
      const admin = actors.get('admin')!;
      for (const [key, entry] of Object.entries(matrix)) {
        if (!isRegistered(key)) continue;
        for (const c of entry.cases) {
          const req = c.request(await c.build(w, w.home, admin), w, admin);
          const before = await snapshot(t.deps.db, c.tables ?? []);
          const a = await send(app, null, req);
          const changed = snapshotDiff(before, await snapshot(t.deps.db, c.tables ?? []));
          if (a.status !== 401 || errorShapeProblem(a) || changed) problems.push(`${key} (${c.name}): ${brief(a)} ${changed ?? ''}`);
        }
      }
      expect(problems).toEqual([]);
    });

    // Regression guard (found by this suite, fixed in 1bce52c): the session check ran in a preHandler
    // hook, after Fastify had validated body and query, so a request without a session and with a
    // missing body got a 400 describing the schema instead of 401.
    it('every route that is not public answers 401 without a session, whatever the body', async () => {
      const problems: string[] = [];
      for (const r of app.routeTable) {
        const key = `${r.method} ${r.url}`;
        if (r.public || !mustBeDeclared(key)) continue;
        const a = await send(app, null, { method: r.method, url: r.url.replace(/:[a-zA-Z]+/g, '1') });
        if (a.status !== 401 || errorShapeProblem(a)) problems.push(`${key}: ${brief(a)}`);
      }
      expect(problems).toEqual([]);
    });
  });

  /** Run one case for every actor and placement; collect every disagreement with the spec. */
  async function runCase(c: MatrixCase, cast: Map<ActorRole, MatrixActor>, elsewhere: ActorRole): Promise<string[]> {
    const problems: string[] = [];
    const shared = new Map<Placement, unknown>();
    const hiddenBodies = new Map<string, { who: string; body: string }>();
    const placements: readonly Placement[] = c.placed === false ? ['own'] : PLACEMENTS;
    for (const role of ACTOR_ROLES) {
      const actor = cast.get(role)!;
      for (const placement of placements) {
        const who = `${role}${elsewhere === 'none' ? '' : `+${elsewhere}@C`}@${placement}`;
        const unit = w.unitAt(placement);
        // A read can share its target across roles; a mutation needs a fresh one every time.
        let target: unknown;
        if (!c.mutates && c.placed !== false && shared.has(placement)) target = shared.get(placement);
        else {
          target = await c.build(w, unit, actor);
          if (!c.mutates && c.placed !== false) shared.set(placement, target);
        }
        const exp = expectedFor(c, role, placement, elsewhere);
        const allowed = typeof exp.status !== 'number' || exp.status < 400;
        const hash = allowed ? [] : (c.tables ?? []);
        const before = await snapshot(t.deps.db, hash);
        const a = await send(app, actor.cookie, c.request(target, w, actor));
        const after = await snapshot(t.deps.db, hash);
        if (!statusMatches(a.status, exp.status)) {
          problems.push(`${who}: expected ${JSON.stringify(exp.status)}${exp.field ? ` naming ${exp.field}` : ''}, got ${brief(a)}`);
          continue;
        }
        if (!allowed) {
          const shape = errorShapeProblem(a);
          if (shape) problems.push(`${who}: ${shape}`);
          if (exp.field && !errorOf(a)?.fields?.[exp.field]) problems.push(`${who}: the 400 does not name ${exp.field}: ${a.raw}`);
          const changed = snapshotDiff(before, after);
          if (changed) problems.push(`${who}: refused with ${a.status} but ${changed}`);
          if (exp.hiddenBy !== undefined) {
            // Out of scope and unreadable must be indistinguishable: one body per hiding lookup.
            const k = String(exp.hiddenBy);
            const seen = hiddenBodies.get(k);
            if (!seen) hiddenBodies.set(k, { who, body: a.raw });
            else if (seen.body !== a.raw) problems.push(`${who}: hidden answer differs from ${seen.who}'s: ${a.raw} vs ${seen.body}`);
          }
          continue;
        }
        if (c.mutates && after.counts.audit_log <= before.counts.audit_log) problems.push(`${who}: an allowed change wrote no audit row`);
        if (c.lists !== undefined && c.found) {
          const want = listedFor(c, role, placement);
          if (c.found(a.json, target) !== want) problems.push(`${who}: the target is ${want ? 'missing from' : 'leaked into'} the list`);
        }
        const page = a.json as { items?: unknown[]; total?: number } | null;
        if (page && Array.isArray(page.items) && typeof page.total === 'number' && page.total < 50 && page.total !== page.items.length)
          problems.push(`${who}: total ${page.total} but ${page.items.length} items`);
      }
    }
    return problems;
  }

  for (const [key, entry] of Object.entries(matrix)) {
    describe.skipIf(!isRegistered(key))(`${key} (${entry.permission})`, () => {
      for (const c of entry.cases) {
        it(c.name, async () => {
          expect(await runCase(c, actors, 'none')).toEqual([]);
        });
        it(`${c.name}, each actor also admin on C`, async () => {
          expect(await runCase(c, adminsOfC, 'admin')).toEqual([]);
        });
      }
    });
  }

  describe.skipIf(!isRegistered('POST /api/v1/setup/demo'))('POST /api/v1/setup/demo (special)', () => {
    it('only an admin on the root may load demo data, and not once people exist', async () => {
      await buildPerson(t, w.tree.a);
      const problems: string[] = [];
      for (const role of ACTOR_ROLES) {
        const before = await snapshot(t.deps.db, ['units', 'people', 'settings']);
        const a = await send(app, actors.get(role)!.cookie, { method: 'POST', url: '/api/v1/setup/demo', body: {} });
        const changed = snapshotDiff(before, await snapshot(t.deps.db, ['units', 'people', 'settings']));
        if (a.status !== 403 || errorShapeProblem(a) || changed) problems.push(`${role}@A: expected 403 changing nothing, got ${brief(a)} ${changed ?? ''}`);
      }
      const rootAdmin = await buildUser(t, [{ role: 'admin', unit: w.tree.root }]);
      const before = await snapshot(t.deps.db, ['units', 'people', 'settings']);
      const a = await send(app, await loginAs(t, rootAdmin.id), { method: 'POST', url: '/api/v1/setup/demo', body: {} });
      const changed = snapshotDiff(before, await snapshot(t.deps.db, ['units', 'people', 'settings']));
      if (a.status !== 409 || errorShapeProblem(a) || changed) problems.push(`admin@root: expected 409 changing nothing, got ${brief(a)} ${changed ?? ''}`);
      expect(problems).toEqual([]);
    });
  });

  describe('denied reads leak no row and no count', () => {
    const places = (): [Placement, ReturnType<World['unitAt']>][] => PLACEMENTS.map((p) => [p, w.unitAt(p)]);

    it('people: a name searched across the tree counts only the subtree', async () => {
      const name = uniq('同名');
      const mine: number[] = [];
      for (const [p, unit] of places()) {
        const person = await buildPerson(t, unit, { name: `${name}-${p}`, employeeNo: uniq('L') });
        if (p === 'own' || p === 'descendant') mine.push(person.id);
      }
      for (const role of ACTOR_ROLES) {
        const c = actors.get(role)!.cookie;
        const all = await send(app, c, { method: 'GET', url: '/api/v1/people', query: { q: name, pageSize: '200' } });
        if (!has(role, 'people.read')) {
          expect(all.status, role).toBe(403);
          continue;
        }
        expect(all.status, role).toBe(200);
        const body = all.json as { items: { id: number }[]; total: number };
        expect(body.items.map((i) => i.id).sort(), role).toEqual([...mine].sort());
        expect(body.total, role).toBe(2);
        const paged = (await send(app, c, { method: 'GET', url: '/api/v1/people', query: { q: name, pageSize: '1', page: '2' } })).json as { items: unknown[]; total: number };
        expect([paged.items.length, paged.total], role).toEqual([1, 2]);
        const third = (await send(app, c, { method: 'GET', url: '/api/v1/people', query: { q: name, pageSize: '1', page: '3' } })).json as { items: unknown[]; total: number };
        expect([third.items.length, third.total], role).toEqual([0, 2]);
        for (const [p, unit] of places()) {
          const inUnit = await send(app, c, { method: 'GET', url: '/api/v1/people', query: { q: name, unitId: String(unit.id) } });
          if (p === 'own') expect([inUnit.status, (inUnit.json as { total: number }).total], `${role} in ${p}`).toEqual([200, 2]);
          else if (p === 'descendant') expect([inUnit.status, (inUnit.json as { total: number }).total], `${role} in ${p}`).toEqual([200, 1]);
          else expect(inUnit.status, `${role} in ${p}`).toBe(404);
        }
      }
    });

    it('units: the list holds only the subtree, and headcounts count only people the actor may see', async () => {
      const subtree = await t.deps.db.selectFrom('units').select(['id', 'path']).where('path', '>=', w.home.path).where('path', '<', `${w.home.path.slice(0, -1)}0`).execute();
      const inside = new Set(subtree.map((u) => u.id));
      for (const role of ACTOR_ROLES) {
        const a = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/units', query: { includeArchived: 'true' } });
        if (!has(role, 'units.read')) {
          expect(a.status, role).toBe(403);
          continue;
        }
        const items = (a.json as { items: { id: number; headcount?: number }[] }).items;
        expect(items.filter((u) => !inside.has(u.id)).map((u) => u.id), role).toEqual([]);
        expect(items.length, role).toBe(inside.size);
        const people = await t.deps.db
          .selectFrom('people')
          .innerJoin('units', 'units.id', 'people.unit_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('units.path', '>=', w.home.path)
          .where('units.path', '<', `${w.home.path.slice(0, -1)}0`)
          .where('people.status', '=', 'active')
          .executeTakeFirstOrThrow();
        const headOfA = items.find((u) => u.id === w.home.id)?.headcount;
        expect(headOfA, role).toBeLessThanOrEqual(Number(people.n));
      }
    });

    it('users: accounts searched across the tree count only the subtree', async () => {
      const prefix = uniq('acct');
      const mine: number[] = [];
      for (const [p, unit] of places()) {
        const u = await buildUser(t, [], { home: unit });
        await t.deps.db.updateTable('users').set({ display_name: `${prefix}-${p}` }).where('id', '=', u.id).execute();
        if (p === 'own' || p === 'descendant') mine.push(u.id);
      }
      for (const role of ACTOR_ROLES) {
        const a = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/users', query: { q: prefix, pageSize: '200' } });
        if (!has(role, 'users.read')) {
          expect(a.status, role).toBe(403);
          continue;
        }
        const body = a.json as { items: { id: number }[]; total: number };
        expect(body.items.map((i) => i.id).sort(), role).toEqual([...mine].sort());
        expect(body.total, role).toBe(2);
      }
    });

    it('grants and tokens: lists hold only grants on the subtree and tokens of its accounts', async () => {
      const subtree = await t.deps.db.selectFrom('units').select('id').where('path', '>=', w.home.path).where('path', '<', `${w.home.path.slice(0, -1)}0`).execute();
      const inside = new Set(subtree.map((u) => u.id));
      for (const role of ACTOR_ROLES) {
        const actor = actors.get(role)!;
        const g = await send(app, actor.cookie, { method: 'GET', url: '/api/v1/grants' });
        if (!has(role, 'users.read')) expect(g.status, role).toBe(403);
        else {
          const items = (g.json as { items: { unitId: number }[] }).items;
          expect(items.length, role).toBeGreaterThan(0);
          expect(items.filter((i) => !inside.has(i.unitId)), role).toEqual([]);
        }
        const tk = await send(app, actor.cookie, { method: 'GET', url: '/api/v1/tokens' });
        expect(tk.status, role).toBe(200);
        const owners = new Set((tk.json as { items: { userId: number }[] }).items.map((i) => i.userId));
        owners.delete(actor.userId);
        if (owners.size === 0) continue;
        if (!has(role, 'users.write')) throw new Error(`${role} sees tokens of ${[...owners].join(', ')}`);
        const homes = await t.deps.db.selectFrom('users').select(['id', 'unit_id']).where('id', 'in', [...owners]).execute();
        expect(homes.filter((h) => h.unit_id === null || !inside.has(h.unit_id)), role).toEqual([]);
      }
    });

    it('audit: entries about the tree count only the subtree; entries about no unit need a root grant', async () => {
      const marker = uniq('leak');
      const mine: number[] = [];
      const admin = await buildUser(t, [{ role: 'admin', unit: w.tree.root }]);
      const ac = await loginAs(t, admin.id);
      for (const [p, unit] of places()) {
        const r = await send(app, ac, { method: 'PATCH', url: `/api/v1/units/${unit.id}`, body: { code: `${marker}-${p}` } });
        expect(r.status).toBe(200);
      }
      await transact(t.deps, systemCtx, (tx) => recordAudit(tx, t.deps, systemCtx, { action: 'matrix.probe', entity: 'matrix-nounit', entityId: marker, unitId: null }));
      const rootView = await send(app, ac, { method: 'GET', url: '/api/v1/audit', query: { entity: 'matrix-nounit', entityId: marker } });
      expect((rootView.json as { total: number }).total).toBe(1);
      const entries = await t.deps.db.selectFrom('audit_log').select(['id', 'unit_id']).where('actor_user_id', '=', admin.id).execute();
      for (const e of entries) if (e.unit_id === w.tree.a.id || e.unit_id === w.tree.a1.id) mine.push(e.id);
      for (const role of ACTOR_ROLES) {
        const a = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/audit', query: { actorUserId: String(admin.id), pageSize: '200' } });
        if (!has(role, 'audit.read')) {
          expect(a.status, role).toBe(403);
          continue;
        }
        const body = a.json as { items: { id: number }[]; total: number };
        expect(body.items.map((i) => i.id).sort(), role).toEqual([...mine].sort());
        expect(body.total, role).toBe(2);
        // Entries about no unit (settings, system events) are for a grant on the root only.
        const unitless = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/audit', query: { entity: 'matrix-nounit', entityId: marker } });
        expect([unitless.status, (unitless.json as { total: number }).total], role).toEqual([200, 0]);
      }
    });

    it('out of scope answers exactly like a record that does not exist', async () => {
      const c = actors.get('admin')!.cookie;
      const missing = 2_147_483_000;
      const elsewhere = await buildPerson(t, w.tree.b1);
      const otherUser = await buildUser(t, [], { home: w.tree.b });
      const pairs: [string, string][] = [
        [`/api/v1/people/${elsewhere.id}`, `/api/v1/people/${missing}`],
        [`/api/v1/units/${w.tree.root.id}`, `/api/v1/units/${missing}`],
        [`/api/v1/users/${otherUser.id}`, `/api/v1/users/${missing}`],
      ];
      for (const [outside, absent] of pairs) {
        const x = await send(app, c, { method: 'GET', url: outside });
        const y = await send(app, c, { method: 'GET', url: absent });
        expect([x.status, x.raw], outside).toEqual([y.status, y.raw]);
      }
      const body = (unitId: number) => ({ name: '某人', unitId, employeeNo: uniq('X') });
      const x = await send(app, c, { method: 'POST', url: '/api/v1/people', body: body(w.tree.b.id) });
      const y = await send(app, c, { method: 'POST', url: '/api/v1/people', body: body(missing) });
      expect([x.status, x.raw]).toEqual([y.status, y.raw]);
    });
  });

  describe('privilege boundaries', () => {
    // Regression guard (found by this suite, fixed in 1bce52c): account administration was scoped by
    // the account's home unit only, so an admin on A could reset the password of, disable, or mint
    // an API token for an account homed in A1 holding admin on the root, and become a root admin.
    it('an administrator of A cannot take over an account homed in A whose grants reach beyond A', async () => {
      const rootAdmin = await buildUser(t, [{ role: 'admin', unit: w.tree.root }], { home: w.tree.a1 });
      const c = actors.get('admin')!.cookie;
      const problems: string[] = [];
      const attempts = [
        { method: 'PATCH', url: `/api/v1/users/${rootAdmin.id}`, body: { password: 'taken over at last' } },
        { method: 'PATCH', url: `/api/v1/users/${rootAdmin.id}`, body: { disabled: true } },
        { method: 'POST', url: '/api/v1/tokens', body: { name: 'backdoor', userId: rootAdmin.id } },
      ];
      for (const req of attempts) {
        const before = await snapshot(t.deps.db, ['users', 'api_tokens']);
        const a = await send(app, c, req);
        const changed = snapshotDiff(before, await snapshot(t.deps.db, ['users', 'api_tokens']));
        if (a.status !== 403 || changed) problems.push(`${req.method} ${req.url} ${JSON.stringify(req.body)}: ${brief(a)} ${changed ?? ''}`);
      }
      expect(problems).toEqual([]);
    });

    // Regression guard (found by this suite, fixed in 1bce52c): GET /users/:id and GET /users listed
    // every grant of the account, with the id and name of units outside the viewer's scope (here B).
    it('an account shows only the grants on units the viewer can see', async () => {
      const both = await buildUser(t, [{ role: 'liaison', unit: w.tree.a1 }, { role: 'command', unit: w.tree.b }]);
      const c = actors.get('admin')!.cookie;
      const one = await send(app, c, { method: 'GET', url: `/api/v1/users/${both.id}` });
      expect(one.status).toBe(200);
      expect((one.json as { grants: { unitId: number }[] }).grants.map((g) => g.unitId)).toEqual([w.tree.a1.id]);
      expect(one.raw).not.toContain(w.tree.b.name);
      const list = await send(app, c, { method: 'GET', url: '/api/v1/users', query: { q: both.username } });
      expect(list.raw).not.toContain(w.tree.b.name);
    });

    // Regression guard (found by this suite, fixed in 1bce52c): q made of digits matched people.phone
    // for every reader, so a supervisor (people.read without people.phone) could confirm a full
    // number, or recover it digit by digit, although every answer showed it masked.
    it('a role without people.phone cannot find people by their phone number', async () => {
      const phone = `139${String(Date.now()).slice(-8)}`;
      const person = await buildPerson(t, w.tree.a1, { phone });
      for (const role of ACTOR_ROLES.filter((r) => has(r, 'people.read') && !has(r, 'people.phone'))) {
        const a = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/people', query: { q: phone } });
        expect(hasItem(a.json, person.id), `${role} searched the full number`).toBe(false);
        const a2 = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/people', query: { q: phone.slice(3, 7) } });
        expect(hasItem(a2.json, person.id), `${role} searched the masked middle digits`).toBe(false);
      }
    });
  });

  describe('abilities sent with the data', () => {
    it('say exactly what roles.ts allows, so the console never offers a refused action', async () => {
      const person = await buildPerson(t, w.tree.a1);
      const account = await buildUser(t, [], { home: w.tree.a1 });
      for (const role of ACTOR_ROLES) {
        const c = actors.get(role)!.cookie;
        if (has(role, 'units.read')) {
          const unit = await send(app, c, { method: 'GET', url: `/api/v1/units/${w.tree.a1.id}` });
          const write = has(role, 'units.write');
          expect((unit.json as { abilities: unknown }).abilities, role).toEqual({
            update: write,
            createChild: write,
            move: write,
            archive: write,
            delete: write,
            addPerson: has(role, 'people.write'),
            export: has(role, 'people.export'),
            import: has(role, 'people.import'),
          });
        }
        if (has(role, 'people.read')) {
          const p = await send(app, c, { method: 'GET', url: `/api/v1/people/${person.id}` });
          const write = has(role, 'people.write');
          expect((p.json as { abilities: unknown }).abilities, role).toEqual({ update: write, transfer: write, markLeft: write });
        }
        if (has(role, 'users.read')) {
          const u = await send(app, c, { method: 'GET', url: `/api/v1/users/${account.id}` });
          const write = has(role, 'users.write');
          expect((u.json as { abilities: unknown }).abilities, role).toEqual({ update: write, disable: write, resetPassword: write, createToken: write, grant: write });
        }
      }
    });
  });

  describe('other ways in', () => {
    it('an API token acts with exactly its owner’s scope, and not at all once revoked', async () => {
      const name = uniq('令牌');
      for (const [p, unit] of PLACEMENTS.map((pl) => [pl, w.unitAt(pl)] as const)) await buildPerson(t, unit, { name: `${name}-${p}`, employeeNo: uniq('T') });
      for (const role of ACTOR_ROLES) {
        const actor = actors.get(role)!;
        const secret = `bwk_${uniq('matrix')}${uniq()}`;
        const tok = await insertApiToken(t.deps.db, { userId: actor.userId, name: 'matrix', tokenHash: sha256(secret), prefix: secret.slice(0, 10), now: t.clock.now(), createdBy: null });
        const viaToken = await send(app, null, { method: 'GET', url: '/api/v1/people', query: { q: name }, headers: { authorization: `Bearer ${secret}` } });
        const viaSession = await send(app, actor.cookie, { method: 'GET', url: '/api/v1/people', query: { q: name } });
        expect([viaToken.status, itemIdsOf(viaToken.json)], role).toEqual([viaSession.status, itemIdsOf(viaSession.json)]);
        const write = await send(app, null, { method: 'POST', url: '/api/v1/people', body: { name: '令牌写', unitId: w.tree.b.id, employeeNo: uniq('T') }, headers: { authorization: `Bearer ${secret}` } });
        expect(write.status, role).toBe(400);
        await t.deps.db.updateTable('api_tokens').set({ revoked_at: t.clock.now() }).where('id', '=', tok.id).execute();
        const revoked = await send(app, null, { method: 'GET', url: '/api/v1/people', query: { q: name }, headers: { authorization: `Bearer ${secret}` } });
        expect(revoked.status, role).toBe(401);
      }
    });

    it('an Idempotency-Key never replays another user’s answer', async () => {
      const key = uniq('idem');
      const body = { name: uniq('幂等'), unitId: w.tree.a1.id, employeeNo: uniq('K') };
      const first = await send(app, actors.get('admin')!.cookie, { method: 'POST', url: '/api/v1/people', body, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      const adminOfB = await buildUser(t, [{ role: 'admin', unit: w.tree.b }]);
      const other = await send(app, await loginAs(t, adminOfB.id), { method: 'POST', url: '/api/v1/people', body, headers: { 'idempotency-key': key } });
      expect(other.status).toBe(400);
      expect(errorOf(other)?.fields).toHaveProperty('unitId');
      expect(other.raw).not.toContain(String((first.json as { id: number }).id));
    });

    it.skipIf(!isRegistered('POST /api/v1/import'))('an import cannot reach, move or describe a person outside the subtree by employee number', async () => {
      const outsider = await buildPerson(t, w.tree.b1, { name: uniq('外人'), employeeNo: uniq('OUT') });
      const csv = `姓名,工号,单位\r\n${uniq('改名')},${outsider.employee_no},\r\n`;
      const c = actors.get('admin')!.cookie;
      for (const dryRun of ['true', 'false']) {
        const { body, headers } = multipartFile({ filename: 'people.csv', contentType: 'text/csv', content: csv });
        const before = await snapshot(t.deps.db, ['people', 'units']);
        const a = await send(app, c, { method: 'POST', url: '/api/v1/import', query: { unitId: String(w.home.id), dryRun }, body, headers });
        expect(snapshotDiff(before, await snapshot(t.deps.db, ['people', 'units'])), `dryRun=${dryRun}`).toBeNull();
        expect(a.status, `dryRun=${dryRun}: ${a.raw.slice(0, 200)}`).toBe(dryRun === 'true' ? 200 : 400);
        for (const secret of [outsider.name, w.tree.b1.name, w.tree.b.name]) expect(a.raw, `dryRun=${dryRun} leaks ${secret}`).not.toContain(secret);
      }
    });
  });

  describe('phone numbers', () => {
    it('roles without people.phone see masked numbers, in one record, in lists and in the audit log', async () => {
      const person = await buildPerson(t, w.tree.a1, { name: uniq('电话'), phone: '13900001111' });
      for (const role of ACTOR_ROLES) {
        const c = actors.get(role)!.cookie;
        const one = await send(app, c, { method: 'GET', url: `/api/v1/people/${person.id}` });
        if (!has(role, 'people.read')) {
          expect(one.status, role).toBe(404);
          continue;
        }
        const want = has(role, 'people.phone') ? '13900001111' : '139****1111';
        expect((one.json as { phone: string }).phone, role).toBe(want);
        const list = await send(app, c, { method: 'GET', url: '/api/v1/people', query: { q: person.name } });
        expect((list.json as { items: { phone: string }[] }).items.map((i) => i.phone), role).toEqual([want]);
        if (!has(role, 'people.phone')) {
          const byPhone = await send(app, c, { method: 'GET', url: '/api/v1/people', query: { q: '13900001111' } });
          expect(byPhone.raw, role).not.toContain('13900001111');
        }
      }
      const admin = actors.get('admin')!.cookie;
      expect((await send(app, admin, { method: 'PATCH', url: `/api/v1/people/${person.id}`, body: { phone: '13900002222' } })).status).toBe(200);
      for (const role of ACTOR_ROLES.filter((r) => has(r, 'audit.read'))) {
        const a = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/audit', query: { entity: 'person', entityId: String(person.id) } });
        expect(a.status, role).toBe(200);
        expect(a.raw, role).not.toMatch(/13900001111|13900002222/);
      }
    });
  });

  describe('an account with no grant', () => {
    it('gets 403 from every scoped list and 404 for every record', async () => {
      const c = actors.get('none')!.cookie;
      for (const url of ['/api/v1/units', '/api/v1/people', '/api/v1/users', '/api/v1/grants', '/api/v1/audit']) {
        const a = await send(app, c, { method: 'GET', url });
        expect([a.status, errorShapeProblem(a)], url).toEqual([403, null]);
      }
      const p = await buildPerson(t, w.home);
      for (const url of [`/api/v1/units/${w.home.id}`, `/api/v1/people/${p.id}`, `/api/v1/users/${actors.get('admin')!.userId}`]) {
        expect((await send(app, c, { method: 'GET', url })).status, url).toBe(404);
      }
      const me = await send(app, c, { method: 'GET', url: '/api/v1/me' });
      expect(me.json).toMatchObject({ grants: [], permissions: [], scopeRoots: [] });
    });
  });

  describe('the signed-in user’s own routes', () => {
    it('/me reports exactly the permissions of roles.ts for each role', async () => {
      for (const role of ROLES) {
        const me = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/me' });
        const perms = (me.json as { permissions: string[] }).permissions;
        const expected = PERMISSIONS.filter((p) => roleHas(role, p));
        expect([...perms].sort(), role).toEqual([...expected].sort());
      }
    });

    it.skipIf(!isRegistered('GET /api/v1/import/template.xlsx'))('the import template is served to anyone signed in', async () => {
      for (const role of ACTOR_ROLES) {
        const a = await send(app, actors.get(role)!.cookie, { method: 'GET', url: '/api/v1/import/template.xlsx' });
        expect(a.status, role).toBe(200);
      }
    });
  });
});
