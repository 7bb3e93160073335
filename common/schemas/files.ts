import { z } from 'zod';
import { Id, Timestamp } from './shared.js';

/**
 * Attachments (附件): files uploaded once and then linked to the thing that owns them (a notice, a
 * directive, a task's evidence). The type is what the bytes are, sniffed on the server; the name is
 * only what the uploader called it.
 */

/** The file types Bulwark accepts, by what their first bytes say they are. */
export const ATTACHMENT_TYPES = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg', image: true },
  png: { contentType: 'image/png', ext: 'png', image: true },
  gif: { contentType: 'image/gif', ext: 'gif', image: true },
  webp: { contentType: 'image/webp', ext: 'webp', image: true },
  pdf: { contentType: 'application/pdf', ext: 'pdf', image: false },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', image: false },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', image: false },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx', image: false },
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;
export const ATTACHMENT_TYPE_NAMES = Object.keys(ATTACHMENT_TYPES) as AttachmentType[];

/** The largest file: a scanned directive or a phone photo fits; a video does not. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The most attachments one owner (a notice, a task report) links at once. */
export const MAX_ATTACHMENTS = 20;

/**
 * The kinds of things that own attachments. A module that links attachments adds its kind here and
 * registers who may read them (server/modules/files/files.service.ts registerAttachmentOwner).
 */
export const ATTACHMENT_OWNER_KINDS = ['notice', 'directive', 'task', 'inspection'] as const;
export type AttachmentOwnerKind = (typeof ATTACHMENT_OWNER_KINDS)[number];

export const Attachment = z.object({
  id: z.number().int(),
  fileName: z.string(),
  type: z.enum(ATTACHMENT_TYPE_NAMES as [AttachmentType, ...AttachmentType[]]),
  contentType: z.string(),
  size: z.number().int(),
  /** Shown inline (an <img>) rather than downloaded. */
  image: z.boolean(),
  createdAt: Timestamp,
});
export type Attachment = z.infer<typeof Attachment>;

/** Attachment ids in a create body: each must be the actor's own upload not yet linked to anything. */
export const AttachmentIds = z.array(Id).max(MAX_ATTACHMENTS).default([]);

/** The download address of an attachment, for links and <img> in the console and the mobile pages. */
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;
