import type { z } from 'zod';
import { dayOf } from '../../../common/day.js';
import type { Campaign, CampaignCreate, CampaignListQuery, CampaignProgress, CampaignUnitQuery, PendingQuery, ProgressFigures, SampleRecord } from '../../../common/schemas/campaigns.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { sumByChild, topmostPaths } from '../../db/tree.js';
import { isUniqueViolation } from '../../db/sql.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { findPerson, tagsOf, type PersonWithUnit } from '../org/people.store.js';
import { findUnitsByIds } from '../org/units.store.js';
import { groupTarget } from '../org/groups.target.js';
import { codeKeys, decodeCode, encodeCode, ensureCodeSecret } from './campaigns.code.js';
import { campaignAbilities, inTarget, pathsAbove, reachesCampaign } from './campaigns.policy.js';
import { healthUnit, presentPersonToReach } from './health.access.js';
import * as store from './campaigns.store.js';
import { unitsForRollup } from './health.store.js';

/** Testing campaigns: start one, see who is due and how far each unit is, record samples, close it. */

const todayOf = (deps: Deps) => dayOf(deps.clock.now(), deps.config.timeZone);
const tagsOfCampaign = (c: { tags: string }) => JSON.parse(c.tags) as string[];

/** A campaign as the actor sees it: only the target units inside their read scope are named. */
export function presentCampaign(actor: Actor, c: store.CampaignWithTargets): Campaign {
  const paths = c.targets.map((t) => t.path);
  return {
    id: c.id,
    name: c.name,
    startDay: c.start_day,
    endDay: c.end_day,
    status: c.status as Campaign['status'],
    tags: tagsOfCampaign(c),
    units: c.targets.filter((t) => can(actor, 'units.read', t.path)).map((t) => ({ id: t.id, name: t.name })),
    group: c.group_id === null ? null : { id: c.group_id, name: c.group_name ?? '' },
    createdAt: Number(c.created_at),
    closedAt: c.closed_at === null ? null : Number(c.closed_at),
    abilities: campaignAbilities(actor, paths, c.status === 'open'),
  };
}

/** A campaign the actor can see with `permission` (health.read by default), or not_found. */
export async function visibleCampaign(deps: Deps, actor: Actor, id: number): Promise<store.CampaignWithTargets> {
  const c = await store.findCampaign(deps.db, id);
  if (!c || !reachesCampaign(actor, 'health.read', c.targets.map((t) => t.path))) throw errors.notFound('campaign');
  return c;
}

/** The command office's check for closing and importing: campaigns.write over every target unit. */
export function assertCommandOf(actor: Actor, c: store.CampaignWithTargets): void {
  if (!c.targets.every((t) => can(actor, 'campaigns.write', t.path))) throw errors.forbidden();
}

/**
 * Start a campaign and resolve its target into the people due, in one transaction. No target unit
 * means the topmost units of the actor's campaigns.write scope.
 */
export async function createCampaign(deps: Deps, ctx: Ctx, given: CampaignCreate): Promise<Campaign> {
  const actor = requireActor(ctx.actor);
  const scope = requireScope(actor, 'campaigns.write');
  // A key group stands for its units (within the actor's campaigns.write scope) and its tags.
  const group = given.groupId === undefined ? null : await groupTarget(deps.db, actor, given.groupId, 'campaigns.write');
  const input = group ? { ...given, unitIds: group.unitIds, tags: group.tags } : given;
  let units;
  if (input.unitIds.length === 0) {
    units = actor.grants.filter((g) => scope.includes(g.path)).map((g) => ({ id: g.unitId, path: g.path }));
  } else {
    const found = new Map((await findUnitsByIds(deps.db, [...new Set(input.unitIds)])).map((u) => [u.id, u]));
    units = [];
    for (const id of new Set(input.unitIds)) {
      const u = found.get(id);
      // Out of scope reads as absent: the same answer as an id that does not exist.
      if (!u || !can(actor, 'units.read', u.path)) throw errors.validation({ unitIds: 'no such unit' });
      if (!can(actor, 'campaigns.write', u.path)) throw errors.forbidden();
      if (u.archived_at !== null) throw errors.validation({ unitIds: 'the unit is archived' });
      units.push({ id: u.id, path: u.path });
    }
  }
  // A unit inside another target adds nobody: keep the topmost, one row each.
  const tops = topmostPaths(units.map((u) => u.path));
  const targets = tops.map((p) => units.find((u) => u.path === p)!);
  const tags = [...new Set(input.tags)];
  const now = deps.clock.now();
  const out = await transact(deps, ctx, async (tx) => {
    await ensureCodeSecret(tx, now);
    const row = await store.insertCampaign(tx, {
      name: input.name,
      start_day: input.startDay,
      end_day: input.endDay,
      tags: JSON.stringify(tags),
      status: 'open',
      created_by_user_id: actor.userId,
      created_at: now,
      closed_by_user_id: null,
      closed_at: null,
      group_id: group?.group.id ?? null,
    });
    await store.insertCampaignUnits(tx, row.id, targets.map((t) => t.id));
    const due = await store.snapshotPeople(tx, row.id, tops, tags);
    await recordAudit(tx, deps, ctx, {
      action: 'campaign.created',
      entity: 'campaign',
      entityId: row.id,
      unitId: targets[0]!.id,
      after: { name: row.name, startDay: row.start_day, endDay: row.end_day, unitIds: targets.map((t) => t.id), tags, groupId: group?.group.id ?? null },
      note: { due },
    });
    return row;
  });
  return presentCampaign(actor, (await store.findCampaign(deps.db, out.id))!);
}

/** The campaigns that reach into the actor's health scope, newest first. */
export async function listCampaigns(deps: Deps, ctx: Ctx, q: z.infer<typeof CampaignListQuery>) {
  const actor = requireActor(ctx.actor);
  const scope = requireScope(actor, 'health.read');
  const { rows, total } = await store.listCampaigns(deps.db, scope, pathsAbove(scope), q.status, (q.page - 1) * q.pageSize, q.pageSize);
  const targets = await store.targetsOf(deps.db, rows.map((r) => r.id));
  return { items: rows.map((r) => presentCampaign(actor, { ...r, targets: targets.get(r.id)! })), total, page: q.page, pageSize: q.pageSize };
}

export async function getCampaign(deps: Deps, ctx: Ctx, id: number): Promise<Campaign> {
  const actor = requireActor(ctx.actor);
  return presentCampaign(actor, await visibleCampaign(deps, actor, id));
}

/** Close a campaign: no more samples; results may still be imported (labs report late). */
export async function closeCampaign(deps: Deps, ctx: Ctx, id: number): Promise<Campaign> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCampaign(deps, actor, id);
  assertCommandOf(actor, c);
  if (c.status === 'closed') throw errors.conflict('the campaign is already closed');
  await transact(deps, ctx, async (tx) => {
    await store.closeCampaign(tx, id, actor.userId, deps.clock.now());
    await recordAudit(tx, deps, ctx, { action: 'campaign.closed', entity: 'campaign', entityId: id, unitId: c.targets[0]?.id ?? null, before: { status: 'open' }, after: { status: 'closed' } });
  });
  return presentCampaign(actor, (await store.findCampaign(deps.db, id))!);
}

/** A subtree holding the whole campaign is read from the campaign's rows, a smaller one from its units (campaigns.store.ts). */
const driveFor = (c: store.CampaignWithTargets, path: string): store.Drive => (c.targets.every((t) => t.path.startsWith(path)) ? 'campaign' : 'units');

const zero = (): ProgressFigures => ({ due: 0, sampled: 0, resulted: 0, positive: 0, pending: 0 });
function addInto(f: ProgressFigures, r: store.ProgressRow): void {
  f.due += r.due;
  f.sampled += r.sampled;
  f.resulted += r.resulted;
  f.positive += r.positive;
  f.pending = f.due - f.sampled;
}

/**
 * Progress of a campaign under a unit: the unit's own people, each child's subtree with anyone due,
 * and the subtree's total. One grouped pass over the campaign's due rows, summed up the tree in memory.
 */
export async function campaignProgress(deps: Deps, ctx: Ctx, id: number, q: z.infer<typeof CampaignUnitQuery>): Promise<CampaignProgress> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCampaign(deps, actor, id);
  const unit = await healthUnit(deps, actor, q.unitId);
  const [all, rows] = await Promise.all([unitsForRollup(deps.db, unit.path), store.progressByUnit(deps.db, id, unit.path, driveFor(c, unit.path))]);
  const { own, total, byChild } = sumByChild(rows, new Map(all.map((u) => [u.id, u.path])), unit.path, zero, addInto);
  const hasChildren = new Set(all.filter((u) => u.archived_at === null).map((u) => u.parent_id));
  const children = all.filter((u) => u.parent_id === unit.id && byChild.has(u.id));
  return {
    campaignId: id,
    unit: { id: unit.id, name: unit.name, hasChildren: children.length > 0, ...own },
    children: children.map((c) => ({ id: c.id, name: c.name, hasChildren: hasChildren.has(c.id), ...byChild.get(c.id)! })),
    total,
  };
}

/** Active people due in the campaign under a unit with no sample yet; phones masked without people.phone. */
export async function listPending(deps: Deps, ctx: Ctx, id: number, q: z.infer<typeof PendingQuery>) {
  const actor = requireActor(ctx.actor);
  const c = await visibleCampaign(deps, actor, id);
  const unit = await healthUnit(deps, actor, q.unitId);
  const { rows, total } = await store.pendingPeople(deps.db, id, unit.path, driveFor(c, unit.path), (q.page - 1) * q.pageSize, q.pageSize);
  return {
    items: rows.map((r) => presentPersonToReach(actor, r)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Whether the person is due in the campaign, or falls in its target now (a late joiner). */
async function isDueOrInTarget(deps: Deps, c: store.CampaignWithTargets, person: PersonWithUnit): Promise<boolean> {
  if (await store.dueRow(deps.db, c.id, person.id)) return true;
  if (person.status !== 'active') return false;
  const tags = (await tagsOf(deps.db, [person.id])).get(person.id) ?? [];
  return inTarget(person.unit_path, tags, c.targets.map((t) => t.path), tagsOfCampaign(c));
}

interface SampleSubject {
  campaign: store.CampaignWithTargets;
  person: PersonWithUnit;
  via: 'self' | 'liaison' | 'scan';
}

/** Whose sample this is and by which way, with every refusal a liaison or the person may meet. */
async function sampleSubject(deps: Deps, actor: Actor, id: number, input: SampleRecord): Promise<SampleSubject> {
  let personId = input.personId;
  if (input.code !== undefined) {
    const keys = await codeKeys(deps.db);
    const decoded = keys ? decodeCode(keys, input.code) : null;
    // A code of another campaign is as wrong here as a mistyped one.
    if (!decoded || decoded.campaignId !== id) {
      await visibleCampaign(deps, actor, id);
      throw errors.validation({ code: 'not a testing code of this campaign' });
    }
    personId = decoded.personId;
  }
  if (input.code === undefined && (personId === undefined || personId === actor.personId)) {
    // One's own sample: the campaign exists for the person only if they are due in it.
    if (actor.personId === null) throw errors.validation({ personId: 'this account is not linked to a person; name the person sampled' });
    const campaign = await store.findCampaign(deps.db, id);
    const person = await findPerson(deps.db, actor.personId);
    if (!campaign || !person || !(await isDueOrInTarget(deps, campaign, person))) throw errors.notFound('campaign');
    return { campaign, person, via: 'self' };
  }
  const campaign = await visibleCampaign(deps, actor, id);
  const field = input.code !== undefined ? 'code' : 'personId';
  const person = await findPerson(deps.db, personId!);
  if (!person || !can(actor, 'people.read', person.unit_path)) throw errors.validation({ [field]: 'no such person' });
  if (!can(actor, 'health.write', person.unit_path)) throw errors.forbidden();
  if (!(await isDueOrInTarget(deps, campaign, person))) throw errors.validation({ [field]: 'the person is not due in this campaign' });
  return { campaign, person, via: input.code !== undefined ? 'scan' : 'liaison' };
}

/**
 * Record that a person was sampled today: by themself, a liaison's tick, or a scan of their code.
 * A second record the same day is the same sample (created: false, nothing written). A person who
 * joined the target after the start is made due by their first sample.
 */
export async function recordSample(deps: Deps, ctx: Ctx, id: number, input: SampleRecord) {
  const actor = requireActor(ctx.actor);
  const { campaign, person, via } = await sampleSubject(deps, actor, id, input);
  const now = deps.clock.now();
  const day = dayOf(now, deps.config.timeZone);
  if (campaign.status !== 'open') throw errors.conflict('the campaign is closed');
  if (day < campaign.start_day) throw errors.conflict(`the campaign starts on ${campaign.start_day}`);
  const present = (s: { id: number; day: string; taken_at: number; via: string }) => ({
    id: s.id,
    campaignId: id,
    personId: person.id,
    personName: person.name,
    employeeNo: person.employee_no,
    day: s.day,
    takenAt: Number(s.taken_at),
    via: s.via as 'self' | 'liaison' | 'scan',
  });
  const write = () =>
    transact(deps, ctx, async (tx) => {
      const existing = await store.findSample(tx, id, person.id, day);
      if (existing) return { sample: present(existing), created: false };
      const s = await store.insertSample(tx, { campaign_id: id, person_id: person.id, day, taken_at: now, recorded_by_user_id: actor.userId, via });
      await store.ensureDue(tx, id, person.id);
      await store.markSampled(tx, id, person.id, now);
      await recordAudit(tx, deps, ctx, { action: 'campaign.sample_recorded', entity: 'campaign_sample', entityId: s.id, unitId: person.unit_id, after: { campaignId: id, personId: person.id, day, via } });
      return { sample: present(s), created: true };
    });
  try {
    return await write();
  } catch (err) {
    // Two scans of one code raced: the loser finds the winner's sample.
    if (isUniqueViolation(err)) return write();
    throw err;
  }
}

/** The open campaigns the signed-in person is due in (or falls in the target of), each with their code. */
export async function myCampaigns(deps: Deps, ctx: Ctx) {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { items: [] };
  const person = await findPerson(deps.db, actor.personId);
  const keys = await codeKeys(deps.db);
  if (!person || !keys) return { items: [] };
  const tags = (await tagsOf(deps.db, [person.id])).get(person.id) ?? [];
  const rows = await store.openCampaignsFor(deps.db, person.id, pathsAbove([person.unit_path]));
  const targets = await store.targetsOf(deps.db, rows.map((r) => r.id));
  // Due already, or a late joiner who falls in the target now (units and tags).
  const mine = rows.filter(
    (r) => r.due_person_id !== null || (person.status === 'active' && inTarget(person.unit_path, tags, targets.get(r.id)!.map((t) => t.path), tagsOfCampaign(r))),
  );
  const today = todayOf(deps);
  const sampled = await store.sampledOn(deps.db, person.id, mine.map((r) => r.id), today);
  return {
    items: mine.map((r) => ({
      id: r.id,
      name: r.name,
      startDay: r.start_day,
      endDay: r.end_day,
      code: encodeCode(keys, r.id, person.id),
      sampledToday: sampled.has(r.id),
      sampledAt: r.sampled_at === null ? null : Number(r.sampled_at),
      result: (r.result ?? null) as 'negative' | 'positive' | 'invalid' | null,
    })),
  };
}
