import { z } from 'zod';
import { Attachment, AttachmentIds } from './files.js';
import { GroupRef } from './groups.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Notices (通知公告): information published down to people — protection guidance, news — with a
 * fixed audience taken when published and read receipts against it.
 */

export const NOTICE_KINDS = ['guidance', 'news', 'other'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_STATUSES = ['published', 'withdrawn'] as const;

/** A notice's body is our small Markdown subset (common/markup.ts), at most this many characters. */
export const MAX_NOTICE_BODY = 20_000;

/**
 * Publish a notice to the subtrees of `unitIds`, optionally only to people with one of `tags`, or
 * instead to a key group (`groupId`: its units within the actor's notices.write scope, and its tags).
 * It is published at once; the audience is the people who match now.
 */
export const NoticeCreate = z
  .strictObject({
    title: Name(120),
    kind: z.enum(NOTICE_KINDS),
    body: z
      .string()
      .max(MAX_NOTICE_BODY)
      .refine((s) => s.trim().length > 0, 'must not be empty')
      // Tabs and line breaks are text; other control characters are not.
      .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters'),
    unitIds: z.array(Id).max(200).default([]),
    tags: z.array(Name(40)).max(20).default([]),
    attachmentIds: AttachmentIds,
    /** A key group (重点人群) instead of unitIds/tags. */
    groupId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.groupId !== undefined && (v.unitIds.length > 0 || v.tags.length > 0)) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'give groupId or unitIds/tags, not both' });
    if (v.groupId === undefined && v.unitIds.length === 0) ctx.addIssue({ code: 'custom', path: ['unitIds'], message: 'must name at least one unit (or give groupId)' });
  });
export type NoticeCreate = z.infer<typeof NoticeCreate>;

export const NoticeWithdraw = z.strictObject({ reason: Name(500) });

export const NoticeListQuery = z.strictObject({
  status: z.enum(NOTICE_STATUSES).optional(),
  q: z.string().trim().max(100).optional(),
  ...Page,
});

export const NoticeAbilities = z.object({
  /** Withdraw it (notices.write over every target unit: the level it was published at). */
  withdraw: z.boolean(),
  /** Remind those in the actor's part of the audience who have not read it. */
  remind: z.boolean(),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

/** A notice as its publishers see it (the console). */
export const Notice = z.object({
  id: z.number().int(),
  title: z.string(),
  kind: z.enum(NOTICE_KINDS),
  body: z.string(),
  /** The body rendered by the server's own renderer: safe to insert as HTML. */
  bodyHtml: z.string(),
  status: z.enum(NOTICE_STATUSES),
  /** Target units inside the actor's scope (others are not named). */
  units: z.array(UnitRef),
  tags: z.array(z.string()),
  /** The key group the audience was chosen by, if any. */
  group: GroupRef.nullable(),
  attachments: z.array(Attachment),
  /** The whole audience when published, and how many of it have read it. */
  audience: z.number().int(),
  read: z.number().int(),
  publishedAt: Timestamp,
  publishedBy: z.string().nullable(),
  withdrawnAt: Timestamp.nullable(),
  withdrawReason: z.string().nullable(),
  abilities: NoticeAbilities,
});
export type Notice = z.infer<typeof Notice>;

export const NoticeSummary = Notice.omit({ body: true, bodyHtml: true, attachments: true });
export const NoticePage = pageOf(NoticeSummary);

export const ReceiptFigures = z.object({ audience: z.number().int(), read: z.number().int(), unread: z.number().int() });
export type ReceiptFigures = z.infer<typeof ReceiptFigures>;
const ReceiptUnit = ReceiptFigures.extend({ id: z.number().int(), name: z.string(), hasChildren: z.boolean() });

export const ReceiptQuery = z.strictObject({ unitId: Id.optional() });
/** Receipts under a unit: its own people, each child subtree with anyone in the audience, and the whole. */
export const NoticeReceipts = z.object({ noticeId: z.number().int(), unit: ReceiptUnit, children: z.array(ReceiptUnit), total: ReceiptFigures });
export type NoticeReceipts = z.infer<typeof NoticeReceipts>;

export const UnreadQuery = z.strictObject({ unitId: Id.optional(), ...Page });
export const UnreadPerson = z.object({
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  phone: z.string().nullable(), // masked for roles without people.phone
  remindedAt: Timestamp.nullable(),
});
export const UnreadPage = pageOf(UnreadPerson);

export const NoticeRemind = z.strictObject({ unitId: Id.optional() });
/** `reminded`: told now; `skipped`: reminded within the last hour, so not again. */
export const RemindResult = z.object({ reminded: z.number().int(), skipped: z.number().int() });

/** A notice as one of its audience reads it (the mobile page). */
export const MyNoticeItem = z.object({
  id: z.number().int(),
  title: z.string(),
  kind: z.enum(NOTICE_KINDS),
  publishedAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export const MyNoticeQuery = z.strictObject({ ...Page });
export const MyNoticePage = pageOf(MyNoticeItem).extend({ unread: z.number().int() });
export const MyNotice = MyNoticeItem.extend({ bodyHtml: z.string(), attachments: z.array(Attachment), publishedBy: z.string().nullable() });
export type MyNotice = z.infer<typeof MyNotice>;
