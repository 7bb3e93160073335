import { z } from 'zod';
import { Channel, ChannelList, ChannelTestResult, DeliveryLog, Notification, NotificationPage, OutboxMessage, ReadAllResult, type ChannelCreate, type ChannelPatch, type DeliveryState } from '../../../common/schemas/notify.js';
import { HealthSettings } from '../../../common/schemas/reminders.js';
import { request } from './client';

export type NotificationItem = z.infer<typeof Notification>;
export type NotificationList = z.infer<typeof NotificationPage>;
export type UnitChannel = z.infer<typeof Channel>;
export type HealthSettingsValue = z.infer<typeof HealthSettings>;

/** My notifications in the interface's language. */
export const listNotifications = (q: { page?: number; pageSize?: number; order?: 'unread_first' | 'newest'; lang: 'zh-CN' | 'en' }) =>
  request('GET', '/api/v1/notifications', { schema: NotificationPage, query: { ...q } });
export const markNotificationRead = (id: number, lang: 'zh-CN' | 'en') => request('POST', `/api/v1/notifications/${id}/read`, { schema: Notification, query: { lang } });
export const markAllNotificationsRead = () => request('POST', '/api/v1/notifications/read-all', { schema: ReadAllResult });

export const listChannels = (unitId: number) => request('GET', `/api/v1/units/${unitId}/channels`, { schema: ChannelList });
export const createChannel = (unitId: number, body: ChannelCreate) => request('POST', `/api/v1/units/${unitId}/channels`, { schema: Channel, body });
export const updateChannel = (id: number, body: ChannelPatch) => request('PATCH', `/api/v1/channels/${id}`, { schema: Channel, body });
export const deleteChannel = (id: number) => request('DELETE', `/api/v1/channels/${id}`, { schema: z.object({ ok: z.literal(true) }) });
export const testChannel = (id: number) => request('POST', `/api/v1/channels/${id}/test`, { schema: ChannelTestResult });

/** The delivery log of a unit's channels, newest first. */
export const listDeliveries = (unitId: number, q: { page?: number; pageSize?: number; state?: z.infer<typeof DeliveryState> }) =>
  request('GET', `/api/v1/units/${unitId}/deliveries`, { schema: DeliveryLog, query: { ...q } });
/** One message of the outbox with every delivery and attempt. */
export const getOutboxMessage = (id: number) => request('GET', `/api/v1/outbox/messages/${id}`, { schema: OutboxMessage });
export type DeliveryLogItem = z.infer<typeof DeliveryLog>['items'][number];
export type OutboxMessageDetail = z.infer<typeof OutboxMessage>;

export const getHealthSettings = () => request('GET', '/api/v1/settings/health', { schema: HealthSettings });
export const putHealthSettings = (body: HealthSettingsValue) => request('PUT', '/api/v1/settings/health', { schema: HealthSettings, body });
