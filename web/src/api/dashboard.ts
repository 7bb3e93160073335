import type { z } from 'zod';
import { Checkin, CheckinRollup, NonReporterPage, type CheckinSubmit } from '../../../common/schemas/health.js';
import { CheckinPeriod, CheckinTrend } from '../../../common/schemas/dashboard.js';
import { ReminderSent } from '../../../common/schemas/reminders.js';
import { request } from './client';

export type { CheckinRollup, RollupFigures } from '../../../common/schemas/health.js';
export type { CheckinPeriod, CheckinTrend, PeriodFigures } from '../../../common/schemas/dashboard.js';
export type NonReporter = z.infer<typeof NonReporterPage>['items'][number];

export const getRollup = (unitId: number, day?: string) => request('GET', '/api/v1/rollups/checkins', { schema: CheckinRollup, query: { unitId, day } });
export const getTrend = (unitId: number, from?: string, to?: string) => request('GET', '/api/v1/rollups/checkins/trend', { schema: CheckinTrend, query: { unitId, from, to } });
export const getPeriod = (unitId: number, from?: string, to?: string) => request('GET', '/api/v1/rollups/checkins/period', { schema: CheckinPeriod, query: { unitId, from, to } });
export const listNonReporters = (q: { unitId: number; day?: string; page: number; pageSize: number }) =>
  request('GET', '/api/v1/checkins/non-reporters', { schema: NonReporterPage, query: { ...q } });
export const checkInFor = (body: CheckinSubmit) => request('POST', '/api/v1/checkins', { schema: Checkin, body });

export const sendReminders = (unitId: number) => request('POST', '/api/v1/checkins/reminders', { schema: ReminderSent, body: { unitId } });

/** The live stream's URL (an EventSource sends the session cookie itself). */
export const liveCheckinsUrl = (unitId: number) => `/api/v1/live/checkins?unitId=${unitId}`;
