import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import { systemCtx, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { newSecret, sha256 } from '../auth/auth.service.js';
import { hashPassword } from '../auth/password.js';
import { insertGrant, insertUser } from '../org/users.store.js';
import { insertUnit, listRootUnits } from '../org/units.store.js';
import { deleteSetting, getSetting, putSetting } from './settings.store.js';

const TOKEN_KEY = 'setup.token_hash';

async function hasUsers(deps: Deps): Promise<boolean> {
  return (await deps.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * There are no default accounts. While no user exists, each start mints a fresh one-time setup
 * token, prints it to the operator's console and keeps only its hash; whoever holds it creates
 * the first administrator.
 */
export async function issueSetupToken(deps: Deps): Promise<string | null> {
  if (await hasUsers(deps)) return null;
  const token = newSecret().slice(0, 24);
  await putSetting(deps.db, TOKEN_KEY, sha256(token), deps.clock.now());
  return token;
}

export async function setupStatus(deps: Deps) {
  const [org, demo] = await Promise.all([getSetting(deps.db, 'organisation.name'), getSetting(deps.db, 'demo')]);
  return { needsSetup: !(await hasUsers(deps)), demo: demo === true, organisation: typeof org === 'string' ? org : null };
}

/** Root unit of the organisation, created on first need. */
async function ensureRoot(tx: Tx, deps: Deps, ctx: Ctx, name: string) {
  const roots = await listRootUnits(tx);
  if (roots[0]) return roots[0];
  const now = deps.clock.now();
  const root = await insertUnit(tx, { parent_id: null, name, kind: 'group', code: null, sort_order: 0, depth: 0, archived_at: null, created_at: now, updated_at: now }, null);
  await putSetting(tx, 'organisation.name', name, now);
  await recordAudit(tx, deps, ctx, { action: 'unit.created', entity: 'unit', entityId: root.id, unitId: root.id, after: { name, kind: 'group', root: true } });
  return root;
}

async function createAdministrator(tx: Tx, deps: Deps, ctx: Ctx, input: { username: string; password: string; organisation: string }) {
  const root = await ensureRoot(tx, deps, ctx, input.organisation);
  const taken = await tx.selectFrom('users').select('id').where('username', '=', input.username.toLowerCase()).executeTakeFirst();
  if (taken) throw errors.conflict('username already taken', { username: 'already taken' });
  const now = deps.clock.now();
  const user = await insertUser(tx, { username: input.username, passwordHash: await hashPassword(input.password), personId: null, unitId: root.id, displayName: null, now });
  await insertGrant(tx, { userId: user.id, role: 'admin', unitId: root.id, now, createdBy: null });
  await recordAudit(tx, deps, ctx, { action: 'user.created', entity: 'user', entityId: user.id, unitId: root.id, after: { username: user.username, grant: { role: 'admin', unitId: root.id } } });
  return user;
}

/** First-run setup: check the printed token, then create the root unit and the first administrator. */
export async function completeSetup(deps: Deps, ip: string | null, input: { token: string; username: string; password: string; organisation: string }) {
  const stored = await getSetting(deps.db, TOKEN_KEY);
  const given = Buffer.from(sha256(input.token));
  if (typeof stored !== 'string' || (await hasUsers(deps)) || !timingSafeEqual(Buffer.from(stored), given)) {
    throw errors.validation({ token: 'wrong or already used setup token' });
  }
  const ctx: Ctx = { actor: null, ip };
  return transact(deps, ctx, async (tx) => {
    // Checked again inside the transaction: two racing setups cannot both create an administrator.
    if ((await tx.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined) throw errors.validation({ token: 'wrong or already used setup token' });
    const user = await createAdministrator(tx, deps, ctx, input);
    await deleteSetting(tx, TOKEN_KEY);
    return user;
  });
}

/** The operator's way in (`bulwark create-admin`): an administrator over the root, creating the root if needed. */
export async function createAdminAccount(deps: Deps, input: { username: string; password: string; organisation?: string }) {
  const user = await transact(deps, systemCtx, (tx) => createAdministrator(tx, deps, systemCtx, { ...input, organisation: input.organisation ?? '集团' }));
  await deleteSetting(deps.db, TOKEN_KEY);
  return user;
}
