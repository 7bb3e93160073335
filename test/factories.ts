import { randomBytes } from 'node:crypto';
import type { Role } from '../common/roles.js';
import type { Actor, Ctx } from '../server/http/actor.js';
import type { TestEnv } from './env.js';
import { insertUnit } from '../server/modules/org/units.store.js';
import { insertPerson, replaceTags } from '../server/modules/org/people.store.js';
import { insertGrant, insertUser } from '../server/modules/org/users.store.js';
import { grantsOfUser, insertSession } from '../server/modules/auth/auth.store.js';
import { hashPassword } from '../server/modules/auth/password.js';
import { sha256, SESSION_COOKIE } from '../server/modules/auth/auth.service.js';
import type { UnitRow } from '../server/db/schema.js';
import { forgetCutoffs } from '../server/modules/health/health-settings.service.js';

let seq = 0;
const next = () => `${Date.now().toString(36)}${(++seq).toString(36)}${randomBytes(2).toString('hex')}`;

/** A unit under `parent`, or a new root (a fresh organisation for one test) when none is given. */
export async function buildUnit(t: TestEnv, opts: { parent?: UnitRow; name?: string; kind?: string } = {}): Promise<UnitRow> {
  const now = t.clock.now();
  return insertUnit(
    t.deps.db,
    {
      parent_id: opts.parent?.id ?? null,
      name: opts.name ?? `单位-${next()}`,
      kind: opts.kind ?? (opts.parent ? 'department' : 'group'),
      code: null,
      sort_order: 0,
      depth: opts.parent ? opts.parent.depth + 1 : 0,
      archived_at: null,
      created_at: now,
      updated_at: now,
    },
    opts.parent?.path ?? null,
  );
}

/** A small tree: root → A → A1, root → B; the shape the scope tests need. */
export async function buildTree(t: TestEnv) {
  const root = await buildUnit(t, { name: `集团-${next()}` });
  const a = await buildUnit(t, { parent: root, name: `交发集团-${next()}`, kind: 'subsidiary' });
  const a1 = await buildUnit(t, { parent: a, name: `运营部-${next()}` });
  const b = await buildUnit(t, { parent: root, name: `青岛航空-${next()}`, kind: 'subsidiary' });
  return { root, a, a1, b };
}

export async function buildPerson(t: TestEnv, unit: UnitRow, opts: { name?: string; employeeNo?: string; phone?: string | null; tags?: string[] } = {}) {
  const p = await insertPerson(t.deps.db, {
    unit_id: unit.id,
    name: opts.name ?? `员工${next()}`,
    employee_no: opts.employeeNo ?? `E${next()}`,
    phone: opts.phone === undefined ? '13812345678' : opts.phone,
    title: null,
    now: t.clock.now(),
  });
  if (opts.tags) await replaceTags(t.deps.db, p.id, opts.tags);
  return p;
}

export const TEST_PASSWORD = 'correct horse battery';

/** A user with the given grants; its home unit is the first grant's unit (or `home`). */
export async function buildUser(t: TestEnv, grants: { role: Role; unit: UnitRow }[], opts: { home?: UnitRow; personId?: number; password?: string } = {}) {
  const home = opts.home ?? grants[0]?.unit;
  if (!home) throw new Error('buildUser needs a grant or a home unit');
  const user = await insertUser(t.deps.db, {
    username: `u${next()}`.toLowerCase(),
    passwordHash: await hashPassword(opts.password ?? TEST_PASSWORD),
    personId: opts.personId ?? null,
    unitId: home.id,
    displayName: null,
    now: t.clock.now(),
  });
  for (const g of grants) await insertGrant(t.deps.db, { userId: user.id, role: g.role, unitId: g.unit.id, now: t.clock.now(), createdBy: null });
  return user;
}

/** A signed-in session for the user, as the Cookie header a browser would send. */
export async function loginAs(t: TestEnv, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = t.clock.now();
  await insertSession(t.deps.db, { id: sha256(token), userId, now, expiresAt: now + t.deps.config.sessionAbsoluteMs, ip: null, userAgent: null });
  return `${SESSION_COOKIE}=${token}`;
}

/** A service-level context for the user, as the HTTP layer would build it. */
export async function ctxFor(t: TestEnv, userId: number, username = 'tester'): Promise<Ctx> {
  const actor: Actor = { userId, username, displayName: null, personId: null, grants: await grantsOfUser(t.deps.db, userId), via: 'session', sessionId: null };
  return { actor, ip: '127.0.0.1' };
}

/**
 * The organisation's check-in cut-off ('HH:MM'): the checkin.cutoff measure at every root there is
 * now, in force since the beginning; null removes every cut-off value (back to the default, 24:00).
 */
export async function setOrganisationCutoff(t: TestEnv, hhmm: string | null): Promise<void> {
  forgetCutoffs(t.deps);
  await t.deps.db.deleteFrom('measure_values').where('measure_key', '=', 'checkin.cutoff').execute();
  if (hhmm === null) return;
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  for (const root of await t.deps.db.selectFrom('units').select('id').where('parent_id', 'is', null).execute()) {
    await t.deps.db
      .insertInto('measure_values')
      .values({ unit_id: root.id, measure_key: 'checkin.cutoff', value: h * 60 + m, effective_from: '1970-01-01', status: 'set', reason: null, parent_value: null, requested_by_user_id: null, requested_at: t.clock.now(), decided_by_user_id: null, decided_at: null, decided_day: null, decision_note: null })
      .execute();
  }
}
