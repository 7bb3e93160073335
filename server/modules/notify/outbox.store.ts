import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { NotifyAttemptsTable, NotifyDeliveriesTable, NotifyMessagesTable } from '../../db/schema.js';

/** The queries of the outbox: messages, their deliveries and each delivery's attempts. */

export type MessageRow = Selectable<NotifyMessagesTable>;
export type DeliveryRow = Selectable<NotifyDeliveriesTable>;
export type AttemptRow = Selectable<NotifyAttemptsTable>;

const SLICE = 500;
function* slices<T>(xs: readonly T[]): Generator<T[]> {
  for (let i = 0; i < xs.length; i += SLICE) yield xs.slice(i, i + SLICE);
}

/** Insert messages; answers each one's id by its event id. */
export async function insertMessages(tx: Conn, rows: readonly Insertable<NotifyMessagesTable>[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of slices(rows)) {
    for (const r of await tx.insertInto('notify_messages').values(part).returning(['id', 'event_id']).execute()) ids.set(r.event_id, Number(r.id));
  }
  return ids;
}

/** Insert deliveries; answers them with their ids. */
export async function insertDeliveries(tx: Conn, rows: readonly Insertable<NotifyDeliveriesTable>[]): Promise<Pick<DeliveryRow, 'id' | 'message_id' | 'route' | 'channel_id'>[]> {
  const out: Pick<DeliveryRow, 'id' | 'message_id' | 'route' | 'channel_id'>[] = [];
  for (const part of slices(rows)) out.push(...(await tx.insertInto('notify_deliveries').values(part).returning(['id', 'message_id', 'route', 'channel_id']).execute()));
  return out;
}

export type DeliveryWithMessage = DeliveryRow & { message: MessageRow };

export async function findDelivery(db: Conn, id: number): Promise<DeliveryWithMessage | undefined> {
  const d = await db.selectFrom('notify_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) return undefined;
  const message = await db.selectFrom('notify_messages').selectAll().where('id', '=', d.message_id).executeTakeFirstOrThrow();
  return { ...d, message };
}

export async function findMessage(db: Conn, id: number): Promise<MessageRow | undefined> {
  return db.selectFrom('notify_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDelivery(db: Conn, id: number, set: Partial<Insertable<NotifyDeliveriesTable>>): Promise<void> {
  await db.updateTable('notify_deliveries').set(set).where('id', '=', id).execute();
}

export async function insertAttempt(db: Conn, row: Insertable<NotifyAttemptsTable>): Promise<void> {
  await db.insertInto('notify_attempts').values(row).execute();
}

/** The accounts that got a message in-app. */
export async function addresseesOf(db: Conn, messageId: number): Promise<number[]> {
  const rows = await db.selectFrom('notifications').select('user_id').where('message_id', '=', messageId).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/** The deliveries to a unit's channels, newest first, with their messages' titles. */
export async function deliveriesOfUnit(db: Conn, unitId: number, opts: { state?: string; channelId?: number; offset: number; limit: number }) {
  let q = db.selectFrom('notify_deliveries').where('notify_deliveries.unit_id', '=', unitId).where('notify_deliveries.route', '=', 'channel');
  if (opts.state) q = q.where('notify_deliveries.state', '=', opts.state);
  if (opts.channelId !== undefined) q = q.where('notify_deliveries.channel_id', '=', opts.channelId);
  const rows = await q
    .innerJoin('notify_messages', 'notify_messages.id', 'notify_deliveries.message_id')
    .selectAll('notify_deliveries')
    .select(['notify_messages.title as message_title', 'notify_messages.kind as message_kind'])
    .orderBy('notify_deliveries.id', 'desc')
    .offset(opts.offset)
    .limit(opts.limit)
    .execute();
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export async function deliveriesOfMessage(db: Conn, messageId: number): Promise<DeliveryRow[]> {
  return db.selectFrom('notify_deliveries').selectAll().where('message_id', '=', messageId).orderBy('id').execute();
}

export async function attemptsOf(db: Conn, deliveryIds: readonly number[]): Promise<AttemptRow[]> {
  const out: AttemptRow[] = [];
  for (const part of slices(deliveryIds)) out.push(...(await db.selectFrom('notify_attempts').selectAll().where('delivery_id', 'in', part).orderBy('id').execute()));
  return out;
}

/** Delete up to `limit` messages created before `before`, with their deliveries and attempts; returns how many messages went. */
export async function deleteMessagesBefore(tx: Conn, before: number, limit: number): Promise<number> {
  const ids = (await tx.selectFrom('notify_messages').select('id').where('created_at', '<', before).orderBy('id').limit(limit).execute()).map((r) => r.id);
  if (ids.length === 0) return 0;
  for (const part of slices(ids)) {
    const deliveries = tx.selectFrom('notify_deliveries').select('id').where('message_id', 'in', part);
    await tx.deleteFrom('notify_attempts').where('delivery_id', 'in', deliveries).execute();
    await tx.deleteFrom('notify_deliveries').where('message_id', 'in', part).execute();
    await tx.deleteFrom('notify_messages').where('id', 'in', part).execute();
  }
  return ids.length;
}
