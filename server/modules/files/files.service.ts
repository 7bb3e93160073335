import { createHash } from 'node:crypto';
import {
  ATTACHMENT_TYPE_NAMES,
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  type Attachment,
  type AttachmentOwnerKind,
  type AttachmentType,
} from '../../../common/schemas/files.js';
import type { Deps } from '../../deps.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import { systemCtx, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { safeFileName, sniffType } from './sniff.js';
import * as store from './files.store.js';

/** Attachments: upload, link to an owner, download by the owner's read rule, purge what was never linked. */

/** What one uploader may hold in uploads not yet linked: enough for a long form, not a disk filler. */
export const MAX_PENDING_BYTES = 100 * 1024 * 1024;
/** An upload not linked within a day was abandoned (a closed form, a failed save). */
export const UNLINKED_TTL_MS = 24 * 60 * 60 * 1000;

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** Who may read an owner's attachments: the owning module's own read rule for that owner. */
export type AttachmentReadCheck = (deps: Deps, actor: Actor, ownerId: number) => Promise<boolean>;
const readChecks = new Map<AttachmentOwnerKind, AttachmentReadCheck>();

/**
 * A module that links attachments says who may read them, when it registers its routes. A kind
 * with no check is read by nobody but the uploader.
 */
export function registerAttachmentOwner(kind: AttachmentOwnerKind, canRead: AttachmentReadCheck): void {
  readChecks.set(kind, canRead);
}

export function presentAttachment(m: store.AttachmentMeta): Attachment {
  const t = ATTACHMENT_TYPES[m.type as AttachmentType];
  return { id: m.id, fileName: m.file_name, type: m.type as AttachmentType, contentType: t.contentType, size: m.size, image: t.image, createdAt: Number(m.created_at) };
}

/** Store an upload as the actor's own, unlinked; the type comes from the bytes, never the name. */
export async function uploadAttachment(deps: Deps, ctx: Ctx, file: { fileName: string; data: Buffer }): Promise<Attachment> {
  const actor = requireActor(ctx.actor);
  const { data } = file;
  if (data.length === 0) throw errors.validation({ file: 'the file is empty' });
  if (data.length > MAX_ATTACHMENT_BYTES) throw errors.validation({ file: `the file is larger than ${MB(MAX_ATTACHMENT_BYTES)}` });
  const type = sniffType(data);
  if (!type) throw errors.validation({ file: `not a file type Bulwark accepts (${ATTACHMENT_TYPE_NAMES.join(', ')}), judged by its content` });
  const pending = await store.pendingBytesOf(deps.db, actor.userId);
  if (pending + data.length > MAX_PENDING_BYTES) {
    throw errors.validation({ file: `you have ${MB(pending)} of uploads not yet attached to anything; attach or wait for them to expire (a day) before uploading more` });
  }
  const now = deps.clock.now();
  const meta = await transact(deps, ctx, async (tx) => {
    const row = await store.insertAttachment(tx, {
      uploader_user_id: actor.userId,
      file_name: safeFileName(file.fileName, ATTACHMENT_TYPES[type].ext),
      type,
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data,
      owner_kind: null,
      owner_id: null,
      created_at: now,
      linked_at: null,
    });
    await recordAudit(tx, deps, ctx, { action: 'attachment.uploaded', entity: 'attachment', entityId: row.id, after: { fileName: row.file_name, type, size: row.size, sha256: row.sha256 } });
    return row;
  });
  return presentAttachment(meta);
}

/**
 * Link the actor's own unlinked uploads to what owns them, inside the owner's transaction. An id
 * that is not such an upload (someone else's, already linked, purged, never existed) is a
 * validation error naming `field`, the same answer for each.
 */
export async function linkAttachments(
  tx: Conn,
  deps: Deps,
  actor: Actor,
  ids: readonly number[],
  owner: { kind: AttachmentOwnerKind; id: number },
  field = 'attachmentIds',
): Promise<Attachment[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = new Map((await store.findAttachmentsMeta(tx, unique)).map((m) => [m.id, m]));
  for (const id of unique) {
    const m = found.get(id);
    if (!m || m.uploader_user_id !== actor.userId || m.owner_kind !== null) throw errors.validation({ [field]: `${id} is not an upload of yours waiting to be attached` });
  }
  // A twin request linking the same upload first leaves fewer rows to link: refuse rather than share.
  const linked = await store.linkToOwner(tx, unique, actor.userId, owner.kind, owner.id, deps.clock.now());
  if (linked !== unique.length) throw errors.validation({ [field]: 'an upload was attached to something else at the same time' });
  return unique.map((id) => presentAttachment({ ...found.get(id)!, owner_kind: owner.kind, owner_id: owner.id }));
}

/** The attachments of each owner of one kind (owners without any get an empty list). */
export async function attachmentsOf(db: Conn, kind: AttachmentOwnerKind, ownerIds: readonly number[]): Promise<Map<number, Attachment[]>> {
  const out = new Map<number, Attachment[]>(ownerIds.map((id) => [id, []]));
  for (const m of await store.attachmentsOfOwners(db, kind, ownerIds)) out.get(m.owner_id!)?.push(presentAttachment(m));
  return out;
}

/**
 * One attachment with its bytes, for the actor: the uploader always; anyone else only through the
 * owning module's read rule. Anything else is not found.
 */
export async function readAttachment(deps: Deps, ctx: Ctx, id: number): Promise<{ attachment: Attachment; data: Buffer }> {
  const actor = requireActor(ctx.actor);
  const meta = await store.findAttachmentMeta(deps.db, id);
  if (!meta || !(await mayRead(deps, actor, meta))) throw errors.notFound('attachment');
  const data = await store.attachmentData(deps.db, id);
  if (!data) throw errors.notFound('attachment');
  return { attachment: presentAttachment(meta), data: Buffer.isBuffer(data) ? data : Buffer.from(data) };
}

async function mayRead(deps: Deps, actor: Actor, meta: store.AttachmentMeta): Promise<boolean> {
  if (meta.uploader_user_id === actor.userId) return true;
  if (meta.owner_kind === null || meta.owner_id === null) return false;
  const check = readChecks.get(meta.owner_kind as AttachmentOwnerKind);
  return check ? check(deps, actor, meta.owner_id) : false;
}

/** Delete uploads never linked within a day; run by the nightly retention job. One audit row when any went. */
export async function purgeUnlinkedAttachments(deps: Deps): Promise<{ count: number; bytes: number }> {
  return transact(deps, systemCtx, async (tx) => {
    const gone = await store.deleteUnlinkedBefore(tx, deps.clock.now() - UNLINKED_TTL_MS);
    if (gone.count > 0) await recordAudit(tx, deps, systemCtx, { action: 'attachments.purged', entity: 'attachments', note: gone });
    return gone;
  });
}
