import type { Conn } from '../../db/database.js';
import type { AttachmentsTable } from '../../db/schema.js';
import type { Insertable, Selectable } from 'kysely';

/** The queries of attachments. Rules live in files.service.ts. */

/** Everything of an attachment but its bytes: what lists and checks read. */
export type AttachmentMeta = Omit<Selectable<AttachmentsTable>, 'data'>;
const META = ['id', 'uploader_user_id', 'file_name', 'type', 'size', 'sha256', 'owner_kind', 'owner_id', 'created_at', 'linked_at'] as const;

export async function insertAttachment(tx: Conn, row: Omit<Insertable<AttachmentsTable>, 'id'>): Promise<AttachmentMeta> {
  return tx.insertInto('attachments').values(row).returning([...META]).executeTakeFirstOrThrow();
}

export async function findAttachmentMeta(db: Conn, id: number): Promise<AttachmentMeta | undefined> {
  return db.selectFrom('attachments').select([...META]).where('id', '=', id).executeTakeFirst();
}

export async function attachmentData(db: Conn, id: number): Promise<Buffer | undefined> {
  const row = await db.selectFrom('attachments').select('data').where('id', '=', id).executeTakeFirst();
  return row?.data;
}

export async function findAttachmentsMeta(db: Conn, ids: readonly number[]): Promise<AttachmentMeta[]> {
  if (!ids.length) return [];
  return db.selectFrom('attachments').select([...META]).where('id', 'in', [...ids]).execute();
}

/** Bytes an uploader holds in uploads not yet linked to anything. */
export async function pendingBytesOf(db: Conn, userId: number): Promise<number> {
  const r = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.val(0)).as('n'))
    .where('uploader_user_id', '=', userId)
    .where('owner_kind', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Link unlinked uploads of one uploader to an owner; answers how many rows it linked. */
export async function linkToOwner(tx: Conn, ids: readonly number[], userId: number, kind: string, ownerId: number, now: number): Promise<number> {
  if (!ids.length) return 0;
  const r = await tx
    .updateTable('attachments')
    .set({ owner_kind: kind, owner_id: ownerId, linked_at: now })
    .where('id', 'in', [...ids])
    .where('uploader_user_id', '=', userId)
    .where('owner_kind', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The attachments of several owners of one kind, in upload order. */
export async function attachmentsOfOwners(db: Conn, kind: string, ownerIds: readonly number[]): Promise<AttachmentMeta[]> {
  if (!ownerIds.length) return [];
  return db.selectFrom('attachments').select([...META]).where('owner_kind', '=', kind).where('owner_id', 'in', [...ownerIds]).orderBy('id').execute();
}

/** Delete uploads never linked and created before `before`; answers how many and how many bytes. */
export async function deleteUnlinkedBefore(tx: Conn, before: number): Promise<{ count: number; bytes: number }> {
  const gone = await tx.deleteFrom('attachments').where('owner_kind', 'is', null).where('created_at', '<', before).returning(['size']).execute();
  return { count: gone.length, bytes: gone.reduce((s, r) => s + r.size, 0) };
}
