import type { z } from 'zod';
import type { Role } from '../../../common/roles.js';
import type { Notification, NotificationListQuery, NotificationPage } from '../../../common/schemas/notify.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { chainIds, nearestUp } from '../../db/tree.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { requireActor } from '../org/org.policy.js';
import { renderMessage, type Lang, type Params } from './messages.js';
import * as store from './notify.store.js';
import { writeOutbox } from './outbox.js';
import * as outboxStore from './outbox.store.js';

/**
 * Telling people things. Other modules call these INSIDE their own transaction: the outbox message,
 * its in-app rows and its deliveries (live push, robots, webhooks, e-mail; job rows) commit with the
 * change that caused them, or not at all (outbox.ts).
 */
export interface NotificationInput {
  kind: string; // a key of messages.ts
  params: Record<string, string | number>;
  /** The unit the matter belongs to: its enabled robots get the message too. */
  unitId: number | null;
  entity: string;
  entityId: string;
  /** A console or mobile path to open, e.g. '/health/watches/12'. */
  link?: string;
}

export { DELIVER_JOB, LIVE_JOB } from './outbox.js';

/** In-app to these accounts (+ delivery to the channels of input.unitId, if it has any). Returns the in-app rows written. */
export async function notifyUsers(tx: Conn, deps: Deps, userIds: readonly number[], n: NotificationInput): Promise<number> {
  const active = await store.activeUserIds(tx, [...new Set(userIds)]);
  const channels = n.unitId === null ? [] : await store.enabledChannelsOf(tx, [n.unitId]);
  return writeOutbox(tx, deps, [{ n, userIds: active, channels }]);
}

/**
 * Who a message about people reached, as a robot message tells it: how many and the first names of
 * those with an account (told in-app) and without one (told only through the robot), and the phones
 * of the latter to mention. Kept short, so a run over 100,000 people can add batches into one.
 */
export interface PeopleSummary {
  withAccount: number;
  withAccountNames: string[];
  without: number;
  withoutNames: string[];
  mentions: string[];
}
const NAMES_KEPT = 30;
const MENTIONS_KEPT = 50;

export const emptySummary = (): PeopleSummary => ({ withAccount: 0, withAccountNames: [], without: 0, withoutNames: [], mentions: [] });

/** Add one batch's summary into another (in place). */
export function addSummary(into: PeopleSummary, more: PeopleSummary): PeopleSummary {
  into.withAccount += more.withAccount;
  into.without += more.without;
  into.withAccountNames.push(...more.withAccountNames.slice(0, NAMES_KEPT - into.withAccountNames.length));
  into.withoutNames.push(...more.withoutNames.slice(0, NAMES_KEPT - into.withoutNames.length));
  into.mentions.push(...more.mentions.slice(0, MENTIONS_KEPT - into.mentions.length));
  return into;
}

/** In-app to the accounts linked to these people, only; returns the rows written and who was reached. */
export async function notifyPeopleInApp(tx: Conn, deps: Deps, personIds: readonly number[], n: NotificationInput): Promise<{ written: number; summary: PeopleSummary }> {
  const contacts = await store.contactsOfPeople(tx, [...new Set(personIds)]);
  const userIds = [...new Set(contacts.flatMap((c) => (c.user_id === null ? [] : [c.user_id])))];
  const written = await writeOutbox(tx, deps, [{ n, userIds, channels: [] }]);
  const byPerson = new Map<number, { name: string; phone: string | null; hasAccount: boolean }>();
  for (const c of contacts) {
    const seen = byPerson.get(c.person_id);
    byPerson.set(c.person_id, { name: c.name, phone: c.phone, hasAccount: (seen?.hasAccount ?? false) || c.user_id !== null });
  }
  const summary = emptySummary();
  for (const p of byPerson.values()) {
    if (p.hasAccount) addSummary(summary, { ...emptySummary(), withAccount: 1, withAccountNames: [p.name] });
    else addSummary(summary, { ...emptySummary(), without: 1, withoutNames: [p.name], mentions: p.phone ? [p.phone] : [] });
  }
  return { written, summary };
}

/**
 * One message to the unit's robots about these people. The robot speaks to a group: it names who
 * the message is about, people without an account (who get nothing in-app) first, and mentions
 * their phones so the chat highlights them.
 */
export async function notifyRobotsAboutPeople(tx: Conn, deps: Deps, s: PeopleSummary, n: NotificationInput): Promise<void> {
  if (s.withAccount + s.without === 0) return;
  const named = (names: string[], count: number) => (count > names.length ? `${names.join('、')} 等 ${count} 人` : names.join('、'));
  const lines: string[] = [];
  if (s.without > 0) lines.push(`未开通账号（${s.without} 人）：${named(s.withoutNames, s.without)}`);
  if (s.withAccount > 0) lines.push(`已在系统内通知（${s.withAccount} 人）：${named(s.withAccountNames, s.withAccount)}`);
  const channels = n.unitId === null ? [] : await store.enabledChannelsOf(tx, [n.unitId]);
  await writeOutbox(tx, deps, [{ n, userIds: [], channels, extra: { text: lines.join('\n'), mentions: s.mentions } }]);
}

/**
 * Many notifications at once, each to its own accounts (a report to every unit's head): the same
 * as notifyUsers for each, with one look-up of the accounts and of the robots for all of them.
 */
export async function notifyUsersMany(tx: Conn, deps: Deps, batch: readonly { userIds: readonly number[]; n: NotificationInput }[]): Promise<number> {
  const active = new Set(await store.activeUserIds(tx, [...new Set(batch.flatMap((b) => b.userIds))]));
  const unitIds = [...new Set(batch.flatMap((b) => (b.n.unitId === null ? [] : [b.n.unitId])))];
  const channels = await store.enabledChannelsOf(tx, unitIds);
  return writeOutbox(
    tx,
    deps,
    batch.map((b) => ({ n: b.n, userIds: [...new Set(b.userIds)].filter((id) => active.has(id)), channels: channels.filter((c) => c.unit_id === b.n.unitId) })),
  );
}

/** To the accounts linked to these people; people without an account are named in the unit robot message. */
export async function notifyPeople(tx: Conn, deps: Deps, personIds: readonly number[], n: NotificationInput): Promise<number> {
  const { written, summary } = await notifyPeopleInApp(tx, deps, personIds, n);
  await notifyRobotsAboutPeople(tx, deps, summary, n);
  return written;
}

/**
 * To the users holding one of these roles by a grant on the unit itself, or, if none, on its
 * nearest ancestor that has one. Returns the in-app rows written (0 when nobody holds the role).
 */
export async function notifyUnitRole(tx: Conn, deps: Deps, unitId: number, roles: readonly Role[], n: NotificationInput): Promise<number> {
  const path = await store.unitPath(tx, unitId);
  if (path === undefined) return 0;
  const holders = await store.roleHoldersOn(tx, chainIds(path), roles);
  const nearest = nearestUp(path, (id) => holders.some((h) => h.unit_id === id));
  const userIds = nearest === undefined ? [] : holders.filter((h) => h.unit_id === nearest).map((h) => h.user_id);
  return notifyUsers(tx, deps, userIds, n);
}

/**
 * Mark a scheduled run (a day's reminder, a digest) as done inside its own transaction; false when
 * it already ran. A job handler that may be re-run after a crash checks this first.
 */
export async function claimScheduledRun(tx: Conn, deps: Deps, key: string): Promise<boolean> {
  return store.claimScheduledRun(tx, key, deps.clock.now());
}

// ── the inbox ────────────────────────────────────────────────────────────────────────────────────

export function presentNotification(r: store.NotificationRow, lang: Lang): Notification {
  const params = JSON.parse(r.params) as Params;
  return {
    id: r.id,
    kind: r.kind,
    params,
    ...renderMessage(r.kind, params, lang),
    unitId: r.unit_id,
    entity: r.entity,
    entityId: r.entity_id,
    link: r.link,
    createdAt: Number(r.created_at),
    readAt: r.read_at === null ? null : Number(r.read_at),
  };
}

/** The caller's own notifications, a page at a time, in their language, with the unread count. */
export async function listMyNotifications(deps: Deps, ctx: Ctx, q: z.infer<typeof NotificationListQuery>, lang: Lang): Promise<NotificationPage> {
  const actor = requireActor(ctx.actor);
  const { rows, total, unread } = await store.listInbox(deps.db, actor.userId, {
    unreadOnly: q.unreadOnly === 'true',
    unreadFirst: q.order === 'unread_first',
    offset: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
  });
  return { items: rows.map((r) => presentNotification(r, lang)), total: q.unreadOnly === 'true' ? unread : total, unread, page: q.page, pageSize: q.pageSize };
}

// Marking one's own inbox read changes nothing anyone else sees and would put a row per click in
// the audit chain, so read marks are not audited; everything that reaches other people is.

/** Mark one of the caller's notifications read; anyone else's reads as not found. */
export async function markNotificationRead(deps: Deps, ctx: Ctx, id: number, lang: Lang): Promise<Notification> {
  const actor = requireActor(ctx.actor);
  const row = await store.findNotification(deps.db, id);
  if (!row || row.user_id !== actor.userId) throw errors.notFound('notification');
  await store.markRead(deps.db, actor.userId, id, deps.clock.now());
  return presentNotification((await store.findNotification(deps.db, id))!, lang);
}

/** The account whose notifications a live stream carries: the signed-in user's own. */
export function streamUserOf(ctx: Ctx): number {
  return requireActor(ctx.actor).userId;
}

/** What a stream sends when a message reached this user: their row in their language, and their unread count. */
export async function pushedTo(deps: Deps, userId: number, messageId: number, lang: Lang): Promise<{ notification: Notification; unread: number } | null> {
  const row = await store.notificationOfMessage(deps.db, userId, messageId);
  if (!row) return null;
  return { notification: presentNotification(row, lang), unread: await store.unreadCount(deps.db, userId) };
}

/** Mark every unread notification of the caller read. */
export async function markAllNotificationsRead(deps: Deps, ctx: Ctx): Promise<{ updated: number }> {
  const actor = requireActor(ctx.actor);
  return { updated: await store.markAllRead(deps.db, actor.userId, deps.clock.now()) };
}

/** How long a notification stays in the inbox: two scheduled reminders a day reach every account. */
export const NOTIFICATION_KEEP_DAYS = 90;
const PURGE_BATCH = 5000;

/**
 * Drop notifications older than NOTIFICATION_KEEP_DAYS, in batches of short transactions (SQLite's
 * one writer is shared with the check-ins), and scheduled-run markers and outbox messages of the same age. Daily job.
 */
export async function purgeOldNotifications(deps: Deps): Promise<number> {
  const before = deps.clock.now() - NOTIFICATION_KEEP_DAYS * 24 * 60 * 60_000;
  let deleted = 0;
  for (;;) {
    const n = await deps.db.transaction().execute((tx) => store.deleteNotificationsBefore(tx, before, PURGE_BATCH));
    deleted += n;
    if (n < PURGE_BATCH) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.deleteScheduledRunsBefore(deps.db, before);
  // The outbox's log lives as long as the inbox: its messages, their deliveries and attempts, in batches too.
  while ((await deps.db.transaction().execute((tx) => outboxStore.deleteMessagesBefore(tx, before, PURGE_BATCH))) === PURGE_BATCH) await new Promise((resolve) => setImmediate(resolve));
  return deleted;
}

/**
 * notifyUnitRole for many units at once (a deadline passing for thousands of tasks): the same rule
 * — the holders on the unit itself, else on its nearest ancestor that has any — resolved in a few
 * queries for all of them, then written as one batch. Returns the in-app rows written.
 */
export async function notifyUnitRoleMany(tx: Conn, deps: Deps, roles: readonly Role[], batch: readonly { unitId: number; n: NotificationInput }[]): Promise<number> {
  if (batch.length === 0) return 0;
  const unitIds = [...new Set(batch.map((b) => b.unitId))];
  const paths = new Map<number, string>();
  for (let i = 0; i < unitIds.length; i += 500) {
    for (const u of await tx.selectFrom('units').select(['id', 'path']).where('id', 'in', unitIds.slice(i, i + 500)).execute()) paths.set(u.id, u.path);
  }
  const all = [...new Set([...paths.values()].flatMap(chainIds))];
  const byUnit = new Map<number, number[]>();
  for (let i = 0; i < all.length; i += 500) {
    for (const h of await store.roleHoldersOn(tx, all.slice(i, i + 500), roles)) byUnit.set(h.unit_id, [...(byUnit.get(h.unit_id) ?? []), h.user_id]);
  }
  const holdersOf = (unitId: number) => {
    const path = paths.get(unitId);
    const nearest = path === undefined ? undefined : nearestUp(path, (id) => byUnit.has(id));
    return nearest === undefined ? [] : byUnit.get(nearest)!;
  };
  return notifyUsersMany(
    tx,
    deps,
    batch.map((b) => ({ userIds: holdersOf(b.unitId), n: b.n })),
  );
}
