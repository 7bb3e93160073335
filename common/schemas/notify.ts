import { z } from 'zod';
import { Id, Name, Page, Timestamp } from './shared.js';

/** Notifications (the in-app inbox) and the chat robots of a unit. */

export const NotificationLang = z.enum(['zh-CN', 'en']);

export const NotificationListQuery = z.strictObject({
  ...Page,
  /** unread_first: unread at the top, then newest first; newest: by time only. */
  order: z.enum(['unread_first', 'newest']).default('unread_first'),
  unreadOnly: z.enum(['true', 'false']).optional(),
  lang: NotificationLang.optional(),
});

export const Notification = z.object({
  id: z.number().int(),
  kind: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  title: z.string(),
  text: z.string(),
  unitId: z.number().int().nullable(),
  entity: z.string(),
  entityId: z.string(),
  link: z.string().nullable(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = z.object({
  items: z.array(Notification),
  total: z.number().int(),
  unread: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

export const ReadAllResult = z.object({ updated: z.number().int() });

export const CHANNEL_KINDS = ['dingtalk', 'wecom', 'feishu', 'generic'] as const;
export const ChannelKind = z.enum(CHANNEL_KINDS);

const ChannelUrl = z
  .string()
  .trim()
  .max(1000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');
const Secret = z.string().trim().min(1).max(500);

export const ChannelCreate = z.strictObject({
  kind: ChannelKind,
  name: Name(100),
  url: ChannelUrl,
  secret: Secret.nullable().optional(),
  enabled: z.boolean().default(true),
});
export type ChannelCreate = z.infer<typeof ChannelCreate>;

/** `secret: null` removes it; leaving it out keeps it (the console never sees it to send it back). */
export const ChannelPatch = z.strictObject({
  name: Name(100).optional(),
  url: ChannelUrl.optional(),
  secret: Secret.nullable().optional(),
  enabled: z.boolean().optional(),
});
export type ChannelPatch = z.infer<typeof ChannelPatch>;

export const Channel = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  kind: ChannelKind,
  name: z.string(),
  /** The URL with its token masked: posting rights are a secret too. */
  url: z.string(),
  /** Whether a secret is set; the secret itself never leaves the server. */
  secret: z.enum(['set', 'none']),
  enabled: z.boolean(),
  lastSentAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
});
export type Channel = z.infer<typeof Channel>;

export const ChannelList = z.object({ items: z.array(Channel) });
export const ChannelTestResult = z.object({ ok: z.boolean(), error: z.string().nullable() });
export const UnitChannelParams = z.strictObject({ id: Id });
