import { z } from 'zod';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Key groups (重点人群), issue 6: saved selections of people by units' subtrees and/or tags, resolved
 * live, usable wherever a target population is chosen (campaigns, notices: `groupId`; care calls
 * server/modules/org/groups.target.ts `groupTarget`). Rules in docs/meetings.md.
 *
 * Routes (all under /api/v1):
 *   GET    /groups?unitId=&q=                 groups the actor may see: people.read over the owner unit, or a scope under it → GroupPage
 *   POST   /groups                            keep a group (groups.write over the owner unit)                               → Group (201)
 *   GET    /groups/:id                        one group                                                                     → Group
 *   PATCH  /groups/:id                        change it (groups.write over the owner unit)                                  → Group
 *   DELETE /groups/:id                        archive it (groups.write); campaigns and notices keep its name                → Ok
 *   GET    /groups/:id/members?page=          its members now, only those within the reader's people.read scope, with the count → GroupMemberPage
 *
 * Campaigns (POST /campaigns, CampaignCreate) and notices (POST /notices, NoticeCreate) accept
 * `groupId` instead of `unitIds`/`tags`; both given → validation error naming `groupId`. The campaign
 * and the notice answer `group: { id, name } | null`.
 */

const Tags = z
  .array(Name(40))
  .max(20)
  .refine((a) => new Set(a).size === a.length, 'must not repeat a tag');

/** Keep a group. No `unitIds`: the owner's whole subtree. No `tags`: everyone in those subtrees. */
export const GroupCreate = z.strictObject({
  name: Name(100),
  description: z.string().trim().max(2000).optional(),
  ownerUnitId: Id,
  /** Each one's subtree; all inside the owner's subtree. */
  unitIds: z.array(Id).max(200).default([]),
  /** Only people with one of these tags. */
  tags: Tags.default([]),
});
export type GroupCreate = z.infer<typeof GroupCreate>;

/** Change a group: anything but the owner. */
export const GroupPatch = z.strictObject({
  name: Name(100).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  unitIds: z.array(Id).max(200).optional(),
  tags: Tags.optional(),
});
export type GroupPatch = z.infer<typeof GroupPatch>;

/** `unitId`: groups owned within that subtree or above it (usable there); `q`: in the name. */
export const GroupListQuery = z.strictObject({
  unitId: Id.optional(),
  q: z.string().trim().max(100).optional(),
  ...Page,
});
export type GroupListQuery = z.infer<typeof GroupListQuery>;

export const GroupAbilities = z.object({ edit: z.boolean(), archive: z.boolean() });

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

export const Group = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  ownerUnit: UnitRef,
  /** The group's units (each one's subtree); [] means the owner's whole subtree. */
  units: z.array(UnitRef),
  tags: z.array(z.string()),
  archivedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  abilities: GroupAbilities,
});
export type Group = z.infer<typeof Group>;
export const GroupPage = pageOf(Group);

export const GroupMembersQuery = z.strictObject({ ...Page });
export const GroupMember = z.object({
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
});
export type GroupMember = z.infer<typeof GroupMember>;
/** `total`: members within the reader's scope. */
export const GroupMemberPage = pageOf(GroupMember);
export type GroupMemberPage = z.infer<typeof GroupMemberPage>;

/** How a campaign or a notice names the group its target came from. */
export const GroupRef = z.object({ id: z.number().int(), name: z.string() });
