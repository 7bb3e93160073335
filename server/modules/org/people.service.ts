import type { z } from 'zod';
import type { Person, PersonCreate, PersonListQuery, PersonPatch } from '../../../common/schemas/org.js';
import { dayOf } from '../../../common/day.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { isUniqueViolation } from '../../db/sql.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertAllowed, assertVisible, personAbilities, requireActor, requireScope } from './org.policy.js';
import * as store from './people.store.js';
import { findUnit } from './units.store.js';
import { visibleUnit } from './units.service.js';

/** '13812345678' → '138****5678': enough to recognise, not enough to call. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** A person's phone as this actor may see it: whole where they hold people.phone, masked elsewhere. */
export function phoneAsSeenBy(actor: Actor, row: { phone: string | null; unit_path: string }): string | null {
  return can(actor, 'people.phone', row.unit_path) ? row.phone : maskPhone(row.phone);
}

export function presentPerson(actor: Actor, row: store.PersonWithUnit, tags: string[]): Person {
  return {
    id: row.id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    name: row.name,
    employeeNo: row.employee_no,
    phone: phoneAsSeenBy(actor, row),
    title: row.title,
    tags,
    status: row.status as Person['status'],
    leftOn: row.left_on,
    updatedAt: Number(row.updated_at),
    abilities: personAbilities(actor, row.unit_path),
  };
}

/** What the audit log keeps of a person: no full phone number, even for auditors. */
export const personAuditView = (p: { name: string; employee_no: string; phone: string | null; title: string | null; unit_id: number; status: string }, tags?: string[]) => ({
  name: p.name,
  employeeNo: p.employee_no,
  phone: maskPhone(p.phone),
  title: p.title,
  unitId: p.unit_id,
  status: p.status,
  ...(tags ? { tags } : {}),
});

/** Search and page through people in the actor's scope, or in one visible unit's subtree. */
export async function listPeople(deps: Deps, ctx: Ctx, q: z.infer<typeof PersonListQuery>) {
  const actor = requireActor(ctx.actor);
  let paths = requireScope(actor, 'people.read');
  if (q.unitId !== undefined) {
    const unit = await visibleUnit(deps, actor, q.unitId);
    assertVisible(actor, 'people.read', unit.path, 'unit');
    paths = [unit.path];
  }
  const filter = { paths, q: q.q, tag: q.tag, status: q.status, phonePaths: scopeFor(actor, 'people.phone') };
  const { rows, total } = await store.listPeople(deps.db, filter, (q.page - 1) * q.pageSize, q.pageSize);
  const tags = await store.tagsOf(deps.db, rows.map((r) => r.id));
  return { items: rows.map((r) => presentPerson(actor, r, tags.get(r.id) ?? [])), total, page: q.page, pageSize: q.pageSize };
}

export async function visiblePerson(deps: Deps, actor: Actor, id: number): Promise<store.PersonWithUnit> {
  const row = await store.findPerson(deps.db, id);
  assertVisible(actor, 'people.read', row?.unit_path, 'person');
  return row!;
}

export async function getPerson(deps: Deps, ctx: Ctx, id: number): Promise<Person> {
  const actor = requireActor(ctx.actor);
  const row = await visiblePerson(deps, actor, id);
  const tags = await store.tagsOf(deps.db, [id]);
  return presentPerson(actor, row, tags.get(id) ?? []);
}

/** A live unit the actor may put people in, or a validation error on `field`. */
async function targetUnit(deps: Deps, actor: Actor, unitId: number, field: string) {
  const unit = await findUnit(deps.db, unitId);
  if (!unit || !can(actor, 'units.read', unit.path)) throw errors.validation({ [field]: 'no such unit' });
  assertAllowed(actor, 'people.write', unit.path);
  if (unit.archived_at !== null) throw errors.validation({ [field]: 'the unit is archived' });
  return unit;
}

async function assertEmployeeNoFree(deps: Deps, employeeNo: string, exceptId?: number) {
  const other = await store.findPersonByEmployeeNo(deps.db, employeeNo);
  if (other && other.id !== exceptId) throw errors.conflict('employee number already in use', { employeeNo: 'already in use' });
}

/** Add a person to a unit the actor manages. */
export async function createPerson(deps: Deps, ctx: Ctx, input: z.infer<typeof PersonCreate>): Promise<Person> {
  const actor = requireActor(ctx.actor);
  const unit = await targetUnit(deps, actor, input.unitId, 'unitId');
  await assertEmployeeNoFree(deps, input.employeeNo);
  try {
    return await transact(deps, ctx, async (tx) => {
      const row = await store.insertPerson(tx, { unit_id: unit.id, name: input.name, employee_no: input.employeeNo, phone: input.phone ?? null, title: input.title ?? null, now: deps.clock.now() });
      const tags = [...new Set(input.tags ?? [])].sort();
      await store.replaceTags(tx, row.id, tags);
      await recordAudit(tx, deps, ctx, { action: 'person.created', entity: 'person', entityId: row.id, unitId: unit.id, after: personAuditView(row, tags) });
      return presentPerson(actor, { ...row, unit_name: unit.name, unit_path: unit.path }, tags);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.conflict('employee number already in use', { employeeNo: 'already in use' });
    throw err;
  }
}

/** Edit a person; a new unitId is a transfer, status 'left' marks them as left (history kept). */
export async function updatePerson(deps: Deps, ctx: Ctx, id: number, patch: z.infer<typeof PersonPatch>): Promise<Person> {
  const actor = requireActor(ctx.actor);
  const row = await visiblePerson(deps, actor, id);
  assertAllowed(actor, 'people.write', row.unit_path);
  const unit = patch.unitId !== undefined && patch.unitId !== row.unit_id ? await targetUnit(deps, actor, patch.unitId, 'unitId') : null;
  if (patch.employeeNo !== undefined && patch.employeeNo !== row.employee_no) await assertEmployeeNoFree(deps, patch.employeeNo, id);
  const now = deps.clock.now();
  const status = patch.status ?? row.status;
  const leftOn = status === 'left' ? (patch.leftOn ?? row.left_on ?? dayOf(now, deps.config.timeZone)) : null;
  try {
    return await transact(deps, ctx, async (tx) => {
      const beforeTags = (await store.tagsOf(tx, [id])).get(id) ?? [];
      const set = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.employeeNo !== undefined ? { employee_no: patch.employeeNo } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(unit ? { unit_id: unit.id } : {}),
        status,
        left_on: leftOn,
        updated_at: now,
      };
      await store.updatePerson(tx, id, set);
      const tags = patch.tags !== undefined ? [...new Set(patch.tags)].sort() : beforeTags;
      if (patch.tags !== undefined) await store.replaceTags(tx, id, tags);
      const next = { ...row, ...set };
      const action = unit ? 'person.transferred' : status === 'left' && row.status !== 'left' ? 'person.left' : 'person.updated';
      await recordAudit(tx, deps, ctx, {
        action,
        entity: 'person',
        entityId: id,
        unitId: next.unit_id,
        before: personAuditView(row, beforeTags),
        after: personAuditView(next, tags),
      });
      return presentPerson(actor, { ...next, unit_name: unit?.name ?? row.unit_name, unit_path: unit?.path ?? row.unit_path }, tags);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.conflict('employee number already in use', { employeeNo: 'already in use' });
    throw err;
  }
}
