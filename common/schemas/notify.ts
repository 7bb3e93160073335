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

/** email: a list of addresses, written as a mailto: URL (mailto:a@x.cn,b@y.cn), sent over the server's SMTP. */
export const CHANNEL_KINDS = ['dingtalk', 'wecom', 'feishu', 'generic', 'email'] as const;
export const ChannelKind = z.enum(CHANNEL_KINDS);

const ADDRESS = String.raw`[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+`;
const MAILTO = new RegExp(`^mailto:${ADDRESS}(\\s*,\\s*${ADDRESS}){0,49}$`);

const ChannelUrl = z
  .string()
  .trim()
  .max(1000)
  .refine((s) => {
    try {
      if (s.startsWith('mailto:')) return MAILTO.test(s);
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL, or for e-mail mailto: and the addresses separated by commas');
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

// ── the outbox's delivery log ────────────────────────────────────────────────────────────────────

export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'given_up', 'cancelled'] as const;
export const DeliveryState = z.enum(DELIVERY_STATES);

export const DeliveryAttempt = z.object({ attempt: z.number().int(), at: Timestamp, ok: z.boolean(), error: z.string().nullable() });

/** One way a message went out: the live push to its addressees, or one channel of its unit. */
export const Delivery = z.object({
  id: z.number().int(),
  messageId: z.number().int(),
  route: z.enum(['live', 'channel']),
  channelId: z.number().int().nullable(),
  channelKind: ChannelKind.nullable(),
  channelName: z.string().nullable(),
  state: DeliveryState,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: Timestamp.nullable(),
  sentAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryLogQuery = z.strictObject({
  ...Page,
  state: DeliveryState.optional(),
  channelId: z.coerce.number().int().positive().optional(),
});

/** A unit's channel deliveries, newest first, each with its message's title. */
export const DeliveryLog = z.object({
  items: z.array(Delivery.extend({ messageTitle: z.string(), messageKind: z.string() })),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type DeliveryLog = z.infer<typeof DeliveryLog>;

/** One message of the outbox and every delivery of it, each with its attempts. */
export const OutboxMessage = z.object({
  id: z.number().int(),
  eventId: z.string(),
  kind: z.string(),
  title: z.string(),
  text: z.string(),
  unitId: z.number().int().nullable(),
  entity: z.string(),
  entityId: z.string(),
  link: z.string().nullable(),
  recipients: z.number().int(),
  createdAt: Timestamp,
  deliveries: z.array(Delivery.extend({ attemptLog: z.array(DeliveryAttempt) })),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const NotificationStreamQuery = z.strictObject({ lang: NotificationLang.optional() });
