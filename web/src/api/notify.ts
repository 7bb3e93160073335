import { z } from 'zod';
import { Channel, ChannelList, ChannelTestResult, Notification, NotificationPage, ReadAllResult, type ChannelCreate, type ChannelPatch } from '../../../common/schemas/notify.js';
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

export const getHealthSettings = () => request('GET', '/api/v1/settings/health', { schema: HealthSettings });
export const putHealthSettings = (body: HealthSettingsValue) => request('PUT', '/api/v1/settings/health', { schema: HealthSettings, body });
