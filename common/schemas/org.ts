import { z } from 'zod';
import { ROLES, PERMISSIONS } from '../roles.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

export const UNIT_KINDS = ['group', 'office', 'department', 'subsidiary', 'site', 'team'] as const;
export const UnitKind = z.enum(UNIT_KINDS);

/** What the actor may do with an object: sent with the data so the UI never re-derives a rule. */
export const Abilities = z.record(z.string(), z.boolean());

export const Unit = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  kind: UnitKind,
  code: z.string().nullable(),
  sortOrder: z.number().int(),
  depth: z.number().int(),
  archived: z.boolean(),
  headcount: z.number().int().optional(),
  abilities: Abilities,
});
export type Unit = z.infer<typeof Unit>;

export const UnitCreate = z.strictObject({
  name: Name(100),
  parentId: Id,
  kind: UnitKind.default('department'),
  code: z.string().trim().max(50).nullable().optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
});
export const UnitPatch = z.strictObject({
  name: Name(100).optional(),
  kind: UnitKind.optional(),
  code: z.string().trim().max(50).nullable().optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  archived: z.boolean().optional(),
});
export const UnitMove = z.strictObject({ parentId: Id, sortOrder: z.number().int().min(0).max(1_000_000).optional() });
export const UnitListQuery = z.strictObject({
  parentId: Id.optional(),
  rootId: Id.optional(), // the subtree to list; default: the actor's whole scope
  includeArchived: z.enum(['true', 'false']).optional(),
});
export const UnitList = z.object({ items: z.array(Unit) });

export const Tag = z.string().trim().min(1).max(30);
export const PERSON_STATUSES = ['active', 'left'] as const;
const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{4,19}$/, 'must be a phone number');
const EmployeeNo = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

export const Person = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  name: z.string(),
  employeeNo: z.string(),
  phone: z.string().nullable(), // masked for roles without people.phone
  title: z.string().nullable(),
  tags: z.array(z.string()),
  status: z.enum(PERSON_STATUSES),
  leftOn: z.string().nullable(),
  updatedAt: Timestamp,
  abilities: Abilities,
});
export type Person = z.infer<typeof Person>;

export const PersonCreate = z.strictObject({
  name: Name(60),
  unitId: Id,
  employeeNo: EmployeeNo,
  phone: Phone.nullable().optional(),
  title: z.string().trim().max(60).nullable().optional(),
  tags: z.array(Tag).max(20).optional(),
});
export const PersonPatch = z.strictObject({
  name: Name(60).optional(),
  unitId: Id.optional(), // a transfer
  employeeNo: EmployeeNo.optional(),
  phone: Phone.nullable().optional(),
  title: z.string().trim().max(60).nullable().optional(),
  tags: z.array(Tag).max(20).optional(),
  status: z.enum(PERSON_STATUSES).optional(), // 'left' marks the person as left
  leftOn: z.iso.date().nullable().optional(),
});
export const PersonListQuery = z.strictObject({
  unitId: Id.optional(),
  q: z.string().trim().max(60).optional(),
  tag: Tag.optional(),
  status: z.enum([...PERSON_STATUSES, 'all']).optional(),
  ...Page,
});
export const PersonPage = pageOf(Person);

export const Role = z.enum(ROLES);
export const Permission = z.enum(PERMISSIONS);

export const User = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string().nullable(),
  personId: z.number().int().nullable(),
  unitId: z.number().int().nullable(),
  disabled: z.boolean(),
  createdAt: Timestamp,
  grants: z.array(z.object({ id: z.number().int(), role: Role, unitId: z.number().int(), unitName: z.string() })),
  abilities: Abilities,
});
export type User = z.infer<typeof User>;

export const Username = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits, _ . @ - only');
/** Long enough to resist guessing; no composition rules (NIST 800-63B). */
export const Password = z.string().min(10).max(200);

export const UserCreate = z.strictObject({
  username: Username,
  password: Password,
  personId: Id.nullable().optional(),
  unitId: Id.optional(),
  displayName: z.string().trim().max(60).nullable().optional(),
});
export const UserPatch = z.strictObject({
  displayName: z.string().trim().max(60).nullable().optional(),
  disabled: z.boolean().optional(),
  password: Password.optional(), // a reset by an administrator
});
export const UserListQuery = z.strictObject({ q: z.string().trim().max(60).optional(), ...Page });
export const UserPage = pageOf(User);

export const Grant = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  username: z.string(),
  role: Role,
  unitId: z.number().int(),
  unitName: z.string(),
  createdAt: Timestamp,
});
export const GrantCreate = z.strictObject({ userId: Id, role: Role, unitId: Id });
export const GrantListQuery = z.strictObject({ userId: Id.optional(), unitId: Id.optional() });
export const GrantList = z.object({ items: z.array(Grant) });

export const ApiToken = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revoked: z.boolean(),
});
export const ApiTokenCreate = z.strictObject({ name: Name(60), userId: Id.optional() });
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });
export const ApiTokenList = z.object({ items: z.array(ApiToken) });
