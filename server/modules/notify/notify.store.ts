import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { NotificationsTable, UnitChannelsTable } from '../../db/schema.js';
import type { Selectable, Insertable } from 'kysely';

/** The queries of the notify module. Rules live in notify.service.ts and channels.service.ts. */

export type NotificationRow = Selectable<NotificationsTable>;
export type ChannelRow = Selectable<UnitChannelsTable>;
export type NewNotification = Insertable<NotificationsTable>;

/** Id lists go to the database in slices: SQLite and PostgreSQL both cap bound parameters. */
const SLICE = 500;
function* slices<T>(xs: readonly T[]): Generator<T[]> {
  for (let i = 0; i < xs.length; i += SLICE) yield xs.slice(i, i + SLICE);
}

export async function insertNotifications(tx: Conn, rows: readonly NewNotification[]): Promise<void> {
  for (const part of slices(rows)) await tx.insertInto('notifications').values(part).execute();
}

/** Of these accounts, the ones that exist and are not disabled. */
export async function activeUserIds(db: Conn, userIds: readonly number[]): Promise<number[]> {
  const out: number[] = [];
  for (const part of slices(userIds)) {
    const rows = await db.selectFrom('users').select('id').where('id', 'in', part).where('disabled_at', 'is', null).execute();
    for (const r of rows) out.push(r.id);
  }
  return out;
}

export interface PersonContact {
  person_id: number;
  name: string;
  phone: string | null;
  user_id: number | null;
}

/** These people, each with their active account if they have one (a person may have several). */
export async function contactsOfPeople(db: Conn, personIds: readonly number[]): Promise<PersonContact[]> {
  const out: PersonContact[] = [];
  for (const part of slices(personIds)) {
    const rows = await db
      .selectFrom('people')
      .leftJoin('users', (j) => j.onRef('users.person_id', '=', 'people.id').on('users.disabled_at', 'is', null))
      .select(['people.id as person_id', 'people.name as name', 'people.phone as phone', 'users.id as user_id'])
      .where('people.id', 'in', part)
      .orderBy('people.id')
      .execute();
    out.push(...rows);
  }
  return out;
}

/** The enabled channels of these units. */
export async function enabledChannelsOf(db: Conn, unitIds: readonly number[]): Promise<ChannelRow[]> {
  if (unitIds.length === 0) return [];
  return db.selectFrom('unit_channels').selectAll().where('unit_id', 'in', unitIds).where('enabled', '=', 1).orderBy('id').execute();
}

/** Ids of the units that have at least one enabled channel. */
export async function unitsWithChannels(db: Conn): Promise<Set<number>> {
  const rows = await db.selectFrom('unit_channels').select('unit_id').where('enabled', '=', 1).distinct().execute();
  return new Set(rows.map((r) => r.unit_id));
}

/** Active accounts holding one of the roles by a grant on one of these units. */
export async function roleHoldersOn(db: Conn, unitIds: readonly number[], roles: readonly string[]): Promise<{ user_id: number; unit_id: number }[]> {
  if (unitIds.length === 0 || roles.length === 0) return [];
  return db
    .selectFrom('grants')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .select(['grants.user_id as user_id', 'grants.unit_id as unit_id'])
    .where('grants.unit_id', 'in', unitIds)
    .where('grants.role', 'in', roles)
    .where('users.disabled_at', 'is', null)
    .execute();
}

export async function unitPath(db: Conn, unitId: number): Promise<string | undefined> {
  const r = await db.selectFrom('units').select('path').where('id', '=', unitId).executeTakeFirst();
  return r?.path;
}

// ── the inbox ────────────────────────────────────────────────────────────────────────────────────

export async function listInbox(db: Conn, userId: number, opts: { unreadOnly: boolean; unreadFirst: boolean; offset: number; limit: number }) {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  if (opts.unreadFirst) q = q.orderBy(sql`case when read_at is null then 0 else 1 end`);
  const rows = await q.orderBy('id', 'desc').offset(opts.offset).limit(opts.limit).execute();
  const counts = await db
    .selectFrom('notifications')
    .select([(eb) => eb.fn.countAll<number>().as('total'), (eb) => eb.fn.count<number>('id').filterWhere('read_at', 'is', null).as('unread')])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(counts.total), unread: Number(counts.unread) };
}

export async function findNotification(db: Conn, id: number): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** This user's row of an outbox message (what a live stream shows). */
export async function notificationOfMessage(db: Conn, userId: number, messageId: number): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('message_id', '=', messageId).where('user_id', '=', userId).executeTakeFirst();
}

export async function unreadCount(db: Conn, userId: number): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function markRead(tx: Conn, userId: number, id: number, now: number): Promise<void> {
  await tx.updateTable('notifications').set({ read_at: now }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

export async function markAllRead(tx: Conn, userId: number, now: number): Promise<number> {
  const r = await tx.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Delete up to `limit` notifications created before `before`; returns how many went. */
export async function deleteNotificationsBefore(tx: Conn, before: number, limit: number): Promise<number> {
  const r = await tx
    .deleteFrom('notifications')
    .where('id', 'in', (eb) => eb.selectFrom('notifications').select('id').where('created_at', '<', before).orderBy('id').limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Scheduled-run markers older than `before` (their days are long past: nothing will run them again). */
export async function deleteScheduledRunsBefore(tx: Conn, before: number): Promise<void> {
  await tx.deleteFrom('scheduled_runs').where('at', '<', before).execute();
}

// ── once-only scheduled runs ─────────────────────────────────────────────────────────────────────

export async function hasScheduledRun(db: Conn, key: string): Promise<boolean> {
  return (await db.selectFrom('scheduled_runs').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
}

/** Mark a scheduled run as done; false when it already was (another process, or a re-run after a crash). */
export async function claimScheduledRun(tx: Conn, key: string, now: number): Promise<boolean> {
  const r = await tx.insertInto('scheduled_runs').values({ key, at: now }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

// ── channels ─────────────────────────────────────────────────────────────────────────────────────

export type ChannelWithPath = ChannelRow & { unit_path: string };

export async function findChannel(db: Conn, id: number): Promise<ChannelWithPath | undefined> {
  return db
    .selectFrom('unit_channels')
    .innerJoin('units', 'units.id', 'unit_channels.unit_id')
    .selectAll('unit_channels')
    .select('units.path as unit_path')
    .where('unit_channels.id', '=', id)
    .executeTakeFirst();
}

export async function channelsOfUnit(db: Conn, unitId: number): Promise<ChannelRow[]> {
  return db.selectFrom('unit_channels').selectAll().where('unit_id', '=', unitId).orderBy('id').execute();
}

export async function insertChannel(tx: Conn, row: Insertable<UnitChannelsTable>): Promise<ChannelRow> {
  return tx.insertInto('unit_channels').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateChannel(tx: Conn, id: number, set: Partial<Insertable<UnitChannelsTable>>): Promise<ChannelRow> {
  return tx.updateTable('unit_channels').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteChannel(tx: Conn, id: number): Promise<void> {
  await tx.deleteFrom('unit_channels').where('id', '=', id).execute();
}

export const SENDS_PER_MINUTE = 20;

/**
 * Take one of the robot's 20 sends of the current minute, atomically (several processes deliver):
 * false when the minute's sends are used up. The window restarts a minute after it began.
 */
export async function claimSendSlot(db: Conn, channelId: number, now: number): Promise<boolean> {
  const fresh = now - 60_000;
  const r = await db
    .updateTable('unit_channels')
    .set({
      window_count: sql<number>`case when window_started_at <= ${fresh} then 1 else window_count + 1 end`,
      window_started_at: sql<number>`case when window_started_at <= ${fresh} then ${now} else window_started_at end`,
    })
    .where('id', '=', channelId)
    .where((eb) => eb.or([eb('window_started_at', '<=', fresh), eb('window_count', '<', SENDS_PER_MINUTE)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function recordDelivery(db: Conn, channelId: number, now: number, error: string | null): Promise<void> {
  await db
    .updateTable('unit_channels')
    .set(error === null ? { last_sent_at: now, last_error: null } : { last_error: error.slice(0, 500) })
    .where('id', '=', channelId)
    .execute();
}
