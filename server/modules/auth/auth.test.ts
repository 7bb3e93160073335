import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, buildUser, TEST_PASSWORD } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { flushSessionTouches } from './session.touches.js';

describe.each(testDialects())('sign-in and sessions on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function login(username: string, password: string, cookie?: string, ip = '10.0.0.1') {
    const app = await t.app();
    return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers: cookie ? { cookie } : {}, remoteAddress: ip });
  }
  const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;
  async function me(cookie: string) {
    const app = await t.app();
    return app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  }

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const wrong = await login(u.username, 'not the password', undefined, '10.1.0.1');
    const unknown = await login(`nobody-${u.username}`, 'not the password', undefined, '10.1.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
  });

  it('logs in, shows me, rotates the session at login and kills it at logout', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const first = await login(u.username, TEST_PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly/i);
    const c1 = cookieOf(first);
    expect(JSON.parse((await me(c1)).body)).toMatchObject({ user: { id: u.id }, permissions: expect.arrayContaining(['people.read']) });
    const second = await login(u.username, TEST_PASSWORD, c1);
    const c2 = cookieOf(second);
    expect(c2).not.toBe(c1);
    expect((await me(c1)).statusCode).toBe(401);
    const app = await t.app();
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: c2 } });
    expect((await me(c2)).statusCode).toBe(401);
  });

  it('expires a session after the idle time and after the absolute time', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const c = cookieOf(await login(u.username, TEST_PASSWORD));
    t.clock.advance(t.deps.config.sessionIdleMs - 60_000);
    expect((await me(c)).statusCode).toBe(200);
    t.clock.advance(t.deps.config.sessionIdleMs + 1);
    expect((await me(c)).statusCode).toBe(401);

    const c2 = cookieOf(await login(u.username, TEST_PASSWORD));
    const steps = Math.ceil(t.deps.config.sessionAbsoluteMs / (t.deps.config.sessionIdleMs / 2)) + 1;
    let last = 200;
    for (let i = 0; i < steps; i++) {
      t.clock.advance(t.deps.config.sessionIdleMs / 2);
      last = (await me(c2)).statusCode;
      if (last === 401) break;
    }
    expect(last).toBe(401);
  });

  it('disabling a user or resetting their password ends their sessions', async () => {
    const { root, a } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const ac = cookieOf(await login(admin.username, TEST_PASSWORD, undefined, '10.2.0.1'));
    const uc = cookieOf(await login(u.username, TEST_PASSWORD, undefined, '10.2.0.2'));
    const app = await t.app();
    const reset = await app.inject({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: ac }, payload: { password: 'a brand new password' } });
    expect(reset.statusCode).toBe(200);
    expect((await me(uc)).statusCode).toBe(401);
    expect((await login(u.username, TEST_PASSWORD, undefined, '10.2.0.3')).statusCode).toBe(401);
    const uc2 = cookieOf(await login(u.username, 'a brand new password', undefined, '10.2.0.4'));
    await app.inject({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: ac }, payload: { disabled: true } });
    expect((await me(uc2)).statusCode).toBe(401);
    expect((await login(u.username, 'a brand new password', undefined, '10.2.0.5')).statusCode).toBe(401);
  });

  it('sees grants, a disabled account and a logout written by another process on the very next request', async () => {
    const { a, b } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const c = cookieOf(await login(u.username, TEST_PASSWORD, undefined, '10.7.0.1'));
    const scopeOf = async () => (JSON.parse((await me(c)).body) as { grants: { unitId: number }[] }).grants.map((g) => g.unitId);
    expect(await scopeOf()).toEqual([a.id]);
    // Straight into the database, as another server process over the same PostgreSQL would.
    const now = t.clock.now();
    await t.deps.db.insertInto('grants').values({ user_id: u.id, role: 'liaison', unit_id: b.id, created_at: now, created_by: null }).execute();
    expect((await scopeOf()).sort()).toEqual([a.id, b.id].sort());
    await t.deps.db.deleteFrom('grants').where('user_id', '=', u.id).where('unit_id', '=', a.id).execute();
    expect(await scopeOf()).toEqual([b.id]);
    await t.deps.db.updateTable('users').set({ disabled_at: now }).where('id', '=', u.id).execute();
    expect((await me(c)).statusCode).toBe(401);
    await t.deps.db.updateTable('users').set({ disabled_at: null }).where('id', '=', u.id).execute();
    expect((await me(c)).statusCode).toBe(200);
    await t.deps.db.deleteFrom('sessions').where('user_id', '=', u.id).execute();
    expect((await me(c)).statusCode).toBe(401);
  });

  it('slides the idle expiry with a batched write that counts at once and reaches the database', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const c = cookieOf(await login(u.username, TEST_PASSWORD, undefined, '10.8.0.1'));
    const idle = t.deps.config.sessionIdleMs;
    t.clock.advance(idle - 60_000);
    const seenAt = t.clock.now();
    expect((await me(c)).statusCode).toBe(200); // queued: last seen now
    t.clock.advance(idle - 60_000); // idle since login, not since the queued touch
    expect((await me(c)).statusCode).toBe(200);
    await flushSessionTouches(t.deps);
    const row = await t.deps.db.selectFrom('sessions').select('last_seen_at').where('user_id', '=', u.id).executeTakeFirstOrThrow();
    expect(Number(row.last_seen_at)).toBeGreaterThan(seenAt);
  });

  it('throttles repeated failures per account for a while, then lets the real user in', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    for (let i = 0; i < 5; i++) expect((await login(u.username, 'wrong password', undefined, `10.3.0.${i}`)).statusCode).toBe(401);
    expect((await login(u.username, 'wrong password', undefined, '10.3.1.1')).statusCode).toBe(401);
    const blocked = await login(u.username, TEST_PASSWORD, undefined, '10.3.1.2');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(16 * 60 * 1000);
    expect((await login(u.username, TEST_PASSWORD, undefined, '10.3.1.3')).statusCode).toBe(200);
  });

  it('throttles one address spraying many accounts', async () => {
    const ip = '10.4.0.1';
    for (let i = 0; i <= 30; i++) await login(`spray-${i}`, 'x', undefined, ip);
    expect((await login('spray-x', 'x', undefined, ip)).statusCode).toBe(429);
    expect((await login('spray-x', 'x', undefined, '10.4.0.2')).statusCode).toBe(401);
  });

  it('API tokens act as their user, are shown once, stored hashed and can be revoked', async () => {
    const { root } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = cookieOf(await login(admin.username, TEST_PASSWORD, undefined, '10.5.0.1'));
    const app = await t.app();
    const created = JSON.parse((await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: c }, payload: { name: 'HR sync' } })).body) as { id: number; token: string };
    expect(created.token).toMatch(/^bwk_/);
    const stored = await t.deps.db.selectFrom('api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(created.token);
    const list = JSON.parse((await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: c } })).body) as { items: unknown[] };
    expect(JSON.stringify(list)).not.toContain(created.token);
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
    await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: { cookie: c } });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write from another origin', async () => {
    const { root } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = cookieOf(await login(admin.username, TEST_PASSWORD, undefined, '10.6.0.1'));
    const app = await t.app();
    const r = await app.inject({ method: 'POST', url: '/api/v1/units', headers: { cookie: c, origin: 'https://evil.example', host: 'localhost:3000' }, payload: { name: 'x', parentId: root.id } });
    expect(r.statusCode).toBe(403);
    const opaque = await app.inject({ method: 'POST', url: '/api/v1/units', headers: { cookie: c, origin: 'null', host: 'localhost:3000' }, payload: { name: 'x', parentId: root.id } });
    expect(opaque.statusCode).toBe(403);
  });

  it('sends security headers and no-store on API answers', async () => {
    const app = await t.app();
    const r = await app.inject({ method: 'GET', url: '/api/v1/setup' });
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe.each(testDialects())('own password change on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('needs the current password, keeps this session and ends the others', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const app = await t.app();
    const signIn = async () =>
      String((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: TEST_PASSWORD } })).headers['set-cookie']).split(';')[0]!;
    const here = await signIn();
    const elsewhere = await signIn();
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: here }, payload: { currentPassword: 'nope', newPassword: 'another long password' } });
    expect(JSON.parse(wrong.body)).toMatchObject({ error: { fields: { currentPassword: expect.any(String) } } });
    const ok = await app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: here }, payload: { currentPassword: TEST_PASSWORD, newPassword: 'another long password' } });
    expect(ok.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: here } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: elsewhere } })).statusCode).toBe(401);
  });
});
