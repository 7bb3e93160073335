import type { z } from 'zod';
import { attachmentIdsIn, renderMarkup } from '../../../common/markup.js';
import type {
  MyNoticeQuery,
  Notice,
  NoticeCreate,
  NoticeListQuery,
  NoticeReceipts,
  NoticeRemind,
  NoticeWithdraw,
  ReceiptFigures,
  ReceiptQuery,
  UnreadQuery,
} from '../../../common/schemas/notices.js';
import type { Deps } from '../../deps.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import { sumByChild, topmostPaths } from '../../db/tree.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { attachmentsOf, linkAttachments } from '../files/files.service.js';
import { presentPersonToReach } from '../health/health.access.js';
import { notifyPeople, notifyPeopleInApp, notifyRobotsAboutPeople, addSummary, emptySummary, type NotificationInput } from '../notify/notify.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { findUnit, findUnitsByIds } from '../org/units.store.js';
import { groupTarget } from '../org/groups.target.js';
import { noticeAbilities, pathsAbove, reachesNotice } from './notices.policy.js';
import * as store from './notices.store.js';

/** Notices down (通知公告): publish to a fixed audience, read receipts by unit, remind, withdraw; one's own list. */

/** A person is reminded of one notice at most once an hour, however often the button is pressed. */
export const REMIND_INTERVAL_MS = 60 * 60 * 1000;
/** Notifications are written for this many people at a time: a notice to 100,000 people is 50 batches. */
const NOTIFY_BATCH = 2000;

const tagsOf = (n: { tags: string }) => JSON.parse(n.tags) as string[];
const pathsOf = (n: store.NoticeWithTargets) => n.targets.map((t) => t.path);

function present(actor: Actor, n: store.NoticeWithTargets, counts: { audience: number; read: number }) {
  return {
    id: n.id,
    title: n.title,
    kind: n.kind as Notice['kind'],
    status: n.status as Notice['status'],
    units: n.targets.filter((t) => can(actor, 'units.read', t.path) || can(actor, 'notices.write', t.path)).map((t) => ({ id: t.id, name: t.name })),
    tags: tagsOf(n),
    group: n.group_id === null ? null : { id: n.group_id, name: n.group_name ?? '' },
    audience: counts.audience,
    read: counts.read,
    publishedAt: Number(n.published_at),
    publishedBy: n.publisher,
    withdrawnAt: n.withdrawn_at === null ? null : Number(n.withdrawn_at),
    withdrawReason: n.withdraw_reason,
    abilities: noticeAbilities(actor, pathsOf(n), n.status === 'published'),
  };
}

/**
 * Audience and read counts of each notice as the actor may see them: the part of the audience in
 * their scope. Over a notice whose every target lies in the scope that is the whole, kept on the
 * notice; only the others are counted from their receipts.
 */
async function countsFor(db: Conn, actor: Actor, notices: readonly store.NoticeWithTargets[]): Promise<Map<number, { audience: number; read: number }>> {
  const whole = notices.filter((n) => n.targets.length > 0 && n.targets.every((t) => can(actor, 'notices.write', t.path)));
  const partial = notices.filter((n) => !whole.includes(n)).map((n) => n.id);
  const out = await store.countsInScope(db, partial, scopeFor(actor, 'notices.write'));
  for (const n of whole) out.set(n.id, { audience: n.audience, read: n.read_count });
  return out;
}

/** A notice as the actor sees it in the console: counts are of the part of the audience in their scope. */
async function presentNotice(db: Conn, actor: Actor, n: store.NoticeWithTargets): Promise<Notice> {
  const counts = (await countsFor(db, actor, [n])).get(n.id)!;
  const attachments = (await attachmentsOf(db, 'notice', [n.id])).get(n.id)!;
  return { ...present(actor, n, counts), body: n.body, bodyHtml: renderMarkup(n.body), attachments };
}

/** A notice the actor manages (notices.write over any part of it), or not_found. */
async function managedNotice(deps: Deps, actor: Actor, id: number): Promise<store.NoticeWithTargets> {
  const n = await store.findNotice(deps.db, id);
  if (!n || !reachesNotice(actor, pathsOf(n))) throw errors.notFound('notice');
  return n;
}

/** The target units of a new notice, each checked; the topmost only (a unit inside another adds nobody). */
async function targetUnits(deps: Deps, actor: Actor, unitIds: readonly number[]) {
  const found = new Map((await findUnitsByIds(deps.db, [...new Set(unitIds)])).map((u) => [u.id, u]));
  const units: { id: number; path: string }[] = [];
  for (const id of new Set(unitIds)) {
    const u = found.get(id);
    // Out of scope reads as absent: the same answer as an id that does not exist.
    if (!u || !can(actor, 'units.read', u.path)) throw errors.validation({ unitIds: 'no such unit' });
    if (!can(actor, 'notices.write', u.path)) throw errors.forbidden();
    if (u.archived_at !== null) throw errors.validation({ unitIds: `the unit is archived: ${u.name}` });
    units.push({ id: u.id, path: u.path });
  }
  const tops = topmostPaths(units.map((u) => u.path));
  return tops.map((p) => units.find((u) => u.path === p)!);
}

/**
 * Tell the audience's accounts in-app, and each target unit's robots once about that unit's own
 * people (the targets are disjoint subtrees), in batches, inside the publish transaction.
 */
async function announce(tx: Conn, deps: Deps, noticeId: number, title: string, targets: readonly { id: number; path: string }[]): Promise<void> {
  const byTarget = new Map<number, number[]>(targets.map((t) => [t.id, []]));
  for (const r of await store.audienceWithPaths(tx, noticeId)) {
    const t = targets.find((x) => r.path.startsWith(x.path));
    if (t) byTarget.get(t.id)!.push(r.person_id);
  }
  const n: NotificationInput = { kind: 'notice.published', params: { title }, unitId: null, entity: 'notice', entityId: String(noticeId), link: `/notices/${noticeId}` };
  for (const t of targets) {
    const people = byTarget.get(t.id)!;
    const summary = emptySummary();
    for (let i = 0; i < people.length; i += NOTIFY_BATCH) addSummary(summary, (await notifyPeopleInApp(tx, deps, people.slice(i, i + NOTIFY_BATCH), n)).summary);
    await notifyRobotsAboutPeople(tx, deps, summary, { ...n, unitId: t.id });
  }
}

/**
 * Publish a notice: its audience (active people in the target subtrees, with one of the tags when
 * any are given) is written out now and never changes; its attachments are linked; the audience is
 * told. One transaction.
 */
export async function publishNotice(deps: Deps, ctx: Ctx, given: NoticeCreate): Promise<Notice> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'notices.write');
  // A key group stands for its units (within the actor's notices.write scope) and its tags.
  const group = given.groupId === undefined ? null : await groupTarget(deps.db, actor, given.groupId, 'notices.write');
  const input = group ? { ...given, unitIds: group.unitIds, tags: group.tags } : given;
  const targets = await targetUnits(deps, actor, input.unitIds);
  const tags = [...new Set(input.tags)];
  const attachmentIds = [...new Set(input.attachmentIds)];
  const stray = attachmentIdsIn(input.body).filter((id) => !attachmentIds.includes(id));
  if (stray.length) throw errors.validation({ body: `shows attachment ${stray.join(', ')}, which is not among attachmentIds` });
  const now = deps.clock.now();
  // The answer is built inside the transaction: with an Idempotency-Key it is stored with the change.
  return transact(deps, ctx, async (tx) => {
    const row = await store.insertNotice(tx, {
      title: input.title,
      kind: input.kind,
      body: input.body,
      tags: JSON.stringify(tags),
      status: 'published',
      audience: 0,
      published_by_user_id: actor.userId,
      published_at: now,
      withdrawn_by_user_id: null,
      withdrawn_at: null,
      withdraw_reason: null,
      group_id: group?.group.id ?? null,
    });
    await store.insertNoticeUnits(tx, row.id, targets.map((t) => t.id));
    const audience = await store.snapshotAudience(tx, row.id, targets.map((t) => t.path), tags);
    if (audience === 0) throw errors.validation({ [group ? 'groupId' : tags.length ? 'tags' : 'unitIds']: 'nobody is in this audience: no active person in these units has one of these tags' });
    await store.setAudience(tx, row.id, audience);
    await linkAttachments(tx, deps, actor, attachmentIds, { kind: 'notice', id: row.id });
    await announce(tx, deps, row.id, input.title, targets);
    await recordAudit(tx, deps, ctx, {
      action: 'notice.published',
      entity: 'notice',
      entityId: row.id,
      unitId: targets[0]!.id,
      after: { title: input.title, kind: input.kind, unitIds: targets.map((t) => t.id), tags, attachmentIds, groupId: group?.group.id ?? null },
      note: { audience },
    });
    return presentNotice(tx, actor, (await store.findNotice(tx, row.id))!);
  });
}

/**
 * Publish a notice to one unit's subtree inside the caller's transaction, on behalf of a module that
 * has already decided it must go out (an emergency plan's step, issue 8: the plan's editors wrote
 * its text). Same rows, receipts, announcement and audit as publishNotice; no attachments, no tags.
 * Answers the notice's id and audience (0: nobody active there; the notice is recorded all the same); null when the unit is gone or archived.
 */
export async function publishNoticeFor(tx: Conn, deps: Deps, ctx: Ctx, input: { title: string; body: string; unitId: number; byUserId: number }): Promise<{ id: number; audience: number } | null> {
  const unit = await findUnit(tx, input.unitId);
  if (!unit || unit.archived_at !== null) return null;
  const now = deps.clock.now();
  const row = await store.insertNotice(tx, {
    title: input.title,
    kind: 'guidance',
    body: input.body,
    tags: '[]',
    status: 'published',
    audience: 0,
    published_by_user_id: input.byUserId,
    published_at: now,
    withdrawn_by_user_id: null,
    withdrawn_at: null,
    withdraw_reason: null,
    group_id: null,
  });
  await store.insertNoticeUnits(tx, row.id, [unit.id]);
  const audience = await store.snapshotAudience(tx, row.id, [unit.path], []);
  await store.setAudience(tx, row.id, audience);
  await announce(tx, deps, row.id, input.title, [{ id: unit.id, path: unit.path }]);
  await recordAudit(tx, deps, ctx, { action: 'notice.published', entity: 'notice', entityId: row.id, unitId: unit.id, after: { title: input.title, kind: 'guidance', unitIds: [unit.id], tags: [], attachmentIds: [], groupId: null }, note: { audience } });
  return { id: row.id, audience };
}

/** The notices reaching into the actor's notices.write scope, newest first. */
export async function listNotices(deps: Deps, ctx: Ctx, q: z.infer<typeof NoticeListQuery>) {
  const actor = requireActor(ctx.actor);
  const scope = requireScope(actor, 'notices.write');
  const { rows, total } = await store.listNotices(deps.db, scope, pathsAbove(scope), q.status, q.q, (q.page - 1) * q.pageSize, q.pageSize);
  const targets = await store.targetsOf(deps.db, rows.map((r) => r.id));
  const notices = rows.map((r) => ({ ...r, targets: targets.get(r.id)! }));
  const counts = await countsFor(deps.db, actor, notices);
  return { items: notices.map((n) => present(actor, n, counts.get(n.id)!)), total, page: q.page, pageSize: q.pageSize };
}

export async function getNotice(deps: Deps, ctx: Ctx, id: number): Promise<Notice> {
  const actor = requireActor(ctx.actor);
  return presentNotice(deps.db, actor, await managedNotice(deps, actor, id));
}

/** Withdraw a notice: gone from its audience's lists, its receipts kept. notices.write over every target. */
export async function withdrawNotice(deps: Deps, ctx: Ctx, id: number, input: z.infer<typeof NoticeWithdraw>): Promise<Notice> {
  const actor = requireActor(ctx.actor);
  const n = await managedNotice(deps, actor, id);
  if (!n.targets.every((t) => can(actor, 'notices.write', t.path))) throw errors.forbidden('Only the level that published a notice may withdraw it');
  await transact(deps, ctx, async (tx) => {
    if ((await store.withdrawNotice(tx, id, actor.userId, input.reason, deps.clock.now())) === 0) throw errors.conflict('the notice is already withdrawn');
    await recordAudit(tx, deps, ctx, { action: 'notice.withdrawn', entity: 'notice', entityId: id, unitId: n.targets[0]?.id ?? null, before: { status: 'published' }, after: { status: 'withdrawn', reason: input.reason } });
  });
  return presentNotice(deps.db, actor, (await store.findNotice(deps.db, id))!);
}

/**
 * The unit receipts are read under: the one asked for (notices.write over it, else not found), or
 * the actor's own topmost unit that overlaps the notice.
 */
async function receiptUnit(deps: Deps, actor: Actor, n: store.NoticeWithTargets, unitId: number | undefined) {
  if (unitId !== undefined) {
    const u = await findUnit(deps.db, unitId);
    if (!u || !can(actor, 'notices.write', u.path)) throw errors.notFound('unit');
    return { id: u.id, name: u.name, path: u.path };
  }
  const scope = scopeFor(actor, 'notices.write');
  const top = scope.find((s) => n.targets.some((t) => s.startsWith(t.path) || t.path.startsWith(s)))!;
  const g = actor.grants.find((x) => x.path === top)!;
  return { id: g.unitId, name: g.unitName, path: top };
}

const zero = (): ReceiptFigures => ({ audience: 0, read: 0, unread: 0 });
function addInto(f: ReceiptFigures, r: store.ReceiptRow): void {
  f.audience += r.audience;
  f.read += r.read;
  f.unread = f.audience - f.read;
}

/**
 * Receipts under a unit: its own people, each child subtree with anyone in the audience, and the
 * subtree's total. One grouped pass over the notice's audience, summed up the tree in memory.
 */
export async function noticeReceipts(deps: Deps, ctx: Ctx, id: number, q: z.infer<typeof ReceiptQuery>): Promise<NoticeReceipts> {
  const actor = requireActor(ctx.actor);
  const n = await managedNotice(deps, actor, id);
  const unit = await receiptUnit(deps, actor, n, q.unitId);
  const [all, rows] = await Promise.all([store.unitsUnder(deps.db, unit.path), store.receiptsByUnit(deps.db, id, unit.path)]);
  const { own, total, byChild } = sumByChild(rows, new Map(all.map((u) => [u.id, u.path])), unit.path, zero, addInto);
  // A child has children worth opening when some unit below it holds audience.
  const withAudience = new Set(rows.map((r) => r.unit_id));
  const hasDeeper = (childPath: string) => all.some((u) => u.path !== childPath && u.path.startsWith(childPath) && withAudience.has(u.id));
  const children = all.filter((u) => u.parent_id === unit.id && byChild.has(u.id));
  return {
    noticeId: id,
    unit: { id: unit.id, name: unit.name, hasChildren: children.length > 0, ...own },
    children: children.map((c) => ({ id: c.id, name: c.name, hasChildren: hasDeeper(c.path), ...byChild.get(c.id)! })),
    total,
  };
}

/** Who under a unit has not read the notice; phones as the actor may see them (people.phone). */
export async function listUnread(deps: Deps, ctx: Ctx, id: number, q: z.infer<typeof UnreadQuery>) {
  const actor = requireActor(ctx.actor);
  const n = await managedNotice(deps, actor, id);
  const unit = await receiptUnit(deps, actor, n, q.unitId);
  const { rows, total } = await store.unreadPeople(deps.db, id, unit.path, (q.page - 1) * q.pageSize, q.pageSize);
  return {
    items: rows.map((r) => ({ ...presentPersonToReach(actor, r), remindedAt: r.reminded_at === null ? null : Number(r.reminded_at) })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * Remind those under a unit who have not read the notice (in-app, and the unit's robots name
 * them). Anyone reminded of it within the hour is skipped, so pressing twice tells nobody twice.
 */
export async function remindUnread(deps: Deps, ctx: Ctx, id: number, input: z.infer<typeof NoticeRemind>) {
  const actor = requireActor(ctx.actor);
  const n = await managedNotice(deps, actor, id);
  const unit = await receiptUnit(deps, actor, n, input.unitId);
  if (n.status !== 'published') throw errors.conflict('the notice is withdrawn');
  const now = deps.clock.now();
  const since = now - REMIND_INTERVAL_MS;
  const { due, skipped } = await store.unreadToRemind(deps.db, id, unit.path, since);
  const reminded = await transact(deps, ctx, async (tx) => {
    const marked = await store.markReminded(tx, id, due, since, now);
    if (marked.length) {
      await notifyPeople(tx, deps, marked, { kind: 'notice.reminder', params: { title: n.title }, unitId: unit.id, entity: 'notice', entityId: String(id), link: `/notices/${id}` });
    }
    await recordAudit(tx, deps, ctx, { action: 'notice.reminded', entity: 'notice', entityId: id, unitId: unit.id, note: { reminded: marked.length, skipped: skipped + due.length - marked.length } });
    return marked.length;
  });
  return { reminded, skipped: skipped + due.length - reminded };
}

// ── one's own notices ───────────────────────────────────────────────────────────────────────────

/** The signed-in person's notices (the mobile 通知 list), newest first, unread marked. */
export async function myNotices(deps: Deps, ctx: Ctx, q: z.infer<typeof MyNoticeQuery>) {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { items: [], total: 0, page: q.page, pageSize: q.pageSize, unread: 0 };
  const { rows, total, unread } = await store.myNotices(deps.db, actor.personId, (q.page - 1) * q.pageSize, q.pageSize);
  return {
    items: rows.map((r) => ({ id: r.id, title: r.title, kind: r.kind as Notice['kind'], publishedAt: Number(r.published_at), readAt: r.read_at === null ? null : Number(r.read_at) })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    unread,
  };
}

/** One of the person's own published notices, or not found (not in its audience, or withdrawn). */
export async function myNotice(deps: Deps, ctx: Ctx, id: number) {
  const actor = requireActor(ctx.actor);
  const receipt = actor.personId === null ? undefined : await store.myReceipt(deps.db, id, actor.personId);
  const n = receipt ? await store.findNotice(deps.db, id) : undefined;
  if (!receipt || !n) throw errors.notFound('notice');
  return {
    id: n.id,
    title: n.title,
    kind: n.kind as Notice['kind'],
    publishedAt: Number(n.published_at),
    readAt: receipt.read_at === null ? null : Number(receipt.read_at),
    publishedBy: n.publisher,
    bodyHtml: renderMarkup(n.body),
    attachments: (await attachmentsOf(deps.db, 'notice', [id])).get(id)!,
  };
}

/**
 * Mark one of one's own notices read: the first time is the receipt. Not audited: the receipt row
 * is itself the record, and a notice to 100,000 people would add 100,000 rows to the audit chain.
 */
export async function markNoticeRead(deps: Deps, ctx: Ctx, id: number) {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null || !(await store.myReceipt(deps.db, id, actor.personId))) throw errors.notFound('notice');
  const personId = actor.personId;
  await transact(deps, ctx, (tx) => store.markRead(tx, id, personId, deps.clock.now()));
  return myNotice(deps, ctx, id);
}

/** Who may read a notice's attachments: its audience while published, and those who manage it. */
export async function canReadNoticeAttachments(deps: Deps, actor: Actor, noticeId: number): Promise<boolean> {
  if (actor.personId !== null && (await store.isRecipient(deps.db, noticeId, actor.personId))) return true;
  const n = await store.findNotice(deps.db, noticeId);
  return Boolean(n && reachesNotice(actor, pathsOf(n)));
}
