import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../../common/roles.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { permissionsOf, topScopeUnits, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { getSettingHot } from '../setup/settings.store.js';
import * as store from './auth.store.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';
import { sessionTouchesFor } from './session.touches.js';

export const SESSION_COOKIE = 'bulwark_session';
export const TOKEN_PREFIX = 'bwk_';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');

// Throttling: per account, a short block that doubles with each failure past the fifth, capped at
// 15 minutes, so a guesser is slowed to a crawl while the real user waits minutes at worst, never
// for good. Per address, a wider net for one client spraying many accounts.
const WINDOW_MS = 15 * 60 * 1000;
const ACCOUNT_FREE_FAILURES = 5;
const ADDRESS_FREE_FAILURES = 30;
const MAX_BLOCK_MS = 15 * 60 * 1000;

async function assertNotThrottled(deps: Deps, keys: string[]): Promise<void> {
  const now = deps.clock.now();
  for (const key of keys) {
    const t = await store.getThrottle(deps.db, key);
    if (t && t.blocked_until > now) throw errors.tooManyRequests((t.blocked_until - now) / 1000);
  }
}

async function recordFailure(deps: Deps, key: string, freeFailures: number): Promise<void> {
  const now = deps.clock.now();
  const t = await store.getThrottle(deps.db, key);
  const fresh = !t || t.window_started_at < now - WINDOW_MS;
  const failures = fresh ? 1 : t.failures + 1;
  const over = failures - freeFailures;
  const blockedUntil = over > 0 ? now + Math.min(MAX_BLOCK_MS, 60_000 * 2 ** (over - 1)) : 0;
  await store.putThrottle(deps.db, { key, failures, window_started_at: fresh ? now : t.window_started_at, blocked_until: blockedUntil });
}

export interface LoginResult {
  token: string;
  userId: number;
}

/**
 * Check credentials and open a new session. Unknown user, wrong password and disabled account all
 * answer the same 401 after the same argon2 work. Any session the browser already had is ended
 * (rotation), so a fixed session id planted before login is worthless.
 */
export async function login(
  deps: Deps,
  input: { username: string; password: string; ip: string | null; userAgent: string | null; previousToken?: string | null },
): Promise<LoginResult> {
  const accountKey = `acct:${input.username.toLowerCase()}`;
  const addressKey = `ip:${input.ip ?? 'unknown'}`;
  await assertNotThrottled(deps, [accountKey, addressKey]);
  const user = await store.findUserByUsername(deps.db, input.username);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
  if (!user || !ok || user.disabled_at !== null) {
    await recordFailure(deps, accountKey, ACCOUNT_FREE_FAILURES);
    await recordFailure(deps, addressKey, ADDRESS_FREE_FAILURES);
    throw errors.unauthenticated('Wrong username or password');
  }
  await store.clearThrottle(deps.db, accountKey);
  const token = newSecret();
  const now = deps.clock.now();
  const ctx: Ctx = { actor: null, ip: input.ip };
  await transact(deps, ctx, async (tx) => {
    if (input.previousToken) await store.deleteSession(tx, sha256(input.previousToken));
    await store.insertSession(tx, { id: sha256(token), userId: user.id, now, expiresAt: now + deps.config.sessionAbsoluteMs, ip: input.ip, userAgent: input.userAgent });
    await recordAudit(tx, deps, { actor: null, ip: input.ip }, { action: 'user.logged_in', entity: 'user', entityId: user.id, unitId: user.unit_id, note: { username: user.username } });
  });
  return { token, userId: user.id };
}

export async function logout(deps: Deps, token: string): Promise<void> {
  sessionTouchesFor(deps).forget(sha256(token));
  await store.deleteSession(deps.db, sha256(token));
}

async function actorFor(deps: Deps, userId: number, via: Actor['via'], sessionId: string | null): Promise<Actor | null> {
  const user = await store.findUserById(deps.db, userId);
  if (!user || user.disabled_at !== null) return null;
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    personId: user.person_id,
    grants: await store.grantsOfUser(deps.db, user.id),
    via,
    sessionId,
  };
}

/**
 * The actor behind a session cookie, or null when it is unknown, idle too long, past its end or its
 * user disabled. One query per request (session, user and live grants together), nothing cached:
 * a logout, a disabled account or a changed grant holds from the very next request in every process.
 */
export async function actorFromSession(deps: Deps, token: string): Promise<Actor | null> {
  const id = sha256(token);
  const rows = await store.findSessionActor(deps.handle, id);
  const s = rows[0];
  if (!s) return null;
  const now = deps.clock.now();
  const touches = sessionTouchesFor(deps);
  const lastSeen = Math.max(Number(s.last_seen_at), touches.seenAt(id) ?? 0);
  if (Number(s.expires_at) <= now || lastSeen + deps.config.sessionIdleMs <= now) {
    touches.forget(id);
    await store.deleteSession(deps.db, id);
    return null;
  }
  if (s.disabled_at !== null) return null;
  // Idle expiry needs no finer grain than a minute, and the write is batched (session.touches.ts).
  if (now - lastSeen > 60_000) touches.touch(id, now);
  return {
    userId: s.user_id,
    username: s.username,
    displayName: s.display_name,
    personId: s.person_id,
    person: s.person_id !== null && s.person_status !== null ? { id: s.person_id, status: s.person_status, unitId: s.person_unit_id!, unitPath: s.person_unit_path! } : null,
    grants: rows
      .filter((r) => r.role !== null && r.path !== null)
      .map((r) => ({ role: r.role as Role, unitId: r.unit_id!, unitName: r.unit_name!, path: r.path! }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    via: 'session',
    sessionId: id,
  };
}

/** The actor behind an API token (`Authorization: Bearer bwk_…`), or null when unknown or revoked. */
export async function actorFromApiToken(deps: Deps, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const t = await store.findApiToken(deps.db, sha256(token));
  if (!t || t.revoked_at !== null) return null;
  const now = deps.clock.now();
  if (!t.last_used_at || now - t.last_used_at > 60_000) await store.touchApiToken(deps.db, t.id, now);
  return actorFor(deps, t.user_id, 'token', null);
}

/** What the console needs to know about the signed-in user. */
export async function describeMe(deps: Deps, actor: Actor) {
  const [orgName, demo] = await Promise.all([getSettingHot(deps.handle, 'organisation.name'), getSettingHot(deps.handle, 'demo')]);
  return {
    user: { id: actor.userId, username: actor.username, displayName: actor.displayName, personId: actor.personId },
    grants: actor.grants.map((g) => ({ role: g.role, unitId: g.unitId, unitName: g.unitName })),
    permissions: permissionsOf(actor),
    scopeRoots: topScopeUnits(actor),
    organisation: { name: typeof orgName === 'string' ? orgName : null, demo: demo === true, timeZone: deps.config.timeZone },
  };
}

/**
 * A user changes their own password: the current one must be right (and is throttled like a
 * sign-in); every other session of theirs ends, the one in use stays.
 */
export async function changeOwnPassword(deps: Deps, ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const actor = ctx.actor;
  if (!actor) throw errors.unauthenticated();
  const key = `acct:${actor.username.toLowerCase()}`;
  await assertNotThrottled(deps, [key]);
  const user = await store.findUserById(deps.db, actor.userId);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordFailure(deps, key, ACCOUNT_FREE_FAILURES);
    throw errors.validation({ currentPassword: 'wrong password' });
  }
  const hashed = await hashPassword(input.newPassword);
  await transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await tx.updateTable('users').set({ password_hash: hashed, password_changed_at: now }).where('id', '=', actor.userId).execute();
    let q = tx.deleteFrom('sessions').where('user_id', '=', actor.userId);
    if (actor.sessionId) q = q.where('id', '!=', actor.sessionId);
    await q.execute();
    await recordAudit(tx, deps, ctx, { action: 'user.password_changed', entity: 'user', entityId: actor.userId, unitId: user.unit_id });
  });
}

/** Purge expired sessions and stale throttle rows (a recurring job). */
export async function purgeExpiredSessions(deps: Deps): Promise<void> {
  const now = deps.clock.now();
  await store.purgeSessions(deps.db, now, deps.config.sessionIdleMs);
  await store.purgeThrottle(deps.db, now - WINDOW_MS);
}
