import { QualityPage } from '../../../common/schemas/health-reports.js';
import { buildUrl, request } from './client';

export type { QualityPage, QualityReason } from '../../../common/schemas/health-reports.js';
export type QualityFlag = QualityPage['items'][number];

export const listQualityFlags = (q: { unitId: number; day?: string; page: number; pageSize: number }) => request('GET', '/api/v1/checkins/quality', { schema: QualityPage, query: { ...q } });

/** The day's report as .xlsx: a plain link (the browser downloads it with the session cookie). */
export const checkinReportUrl = (unitId: number, day?: string, depth?: number) => buildUrl('/api/v1/reports/checkins', { unitId, day, depth });

/** My own personal data report as .xlsx. */
export const myDataReportUrl = () => buildUrl('/api/v1/me/data-report', { format: 'xlsx' });
