import type { z } from 'zod';
import {
  Campaign as CampaignSchema,
  CampaignPage,
  CampaignProgress as CampaignProgressSchema,
  PendingPage,
  ResultImportPlan as ResultImportPlanSchema,
  Sample as SampleSchema,
  type CampaignCreate,
} from '../../../common/schemas/campaigns.js';
import { request } from './client';

export type Campaign = z.infer<typeof CampaignSchema>;
export type CampaignProgress = z.infer<typeof CampaignProgressSchema>;
export type PendingPerson = z.infer<typeof PendingPage>['items'][number];
export type ResultImportPlan = z.infer<typeof ResultImportPlanSchema>;
export type Sample = z.infer<typeof SampleSchema>;

export const listCampaigns = (q: { status?: 'open' | 'closed'; page?: number; pageSize?: number }) => request('GET', '/api/v1/campaigns', { schema: CampaignPage, query: { ...q } });
export const getCampaign = (id: number) => request('GET', `/api/v1/campaigns/${id}`, { schema: CampaignSchema });
export const createCampaign = (body: z.input<typeof CampaignCreate>) => request('POST', '/api/v1/campaigns', { schema: CampaignSchema, body });
export const closeCampaign = (id: number) => request('POST', `/api/v1/campaigns/${id}/close`, { schema: CampaignSchema });
export const campaignProgress = (id: number, unitId: number) => request('GET', `/api/v1/campaigns/${id}/progress`, { schema: CampaignProgressSchema, query: { unitId } });
export const pendingPeople = (id: number, q: { unitId: number; page: number; pageSize: number }) => request('GET', `/api/v1/campaigns/${id}/pending`, { schema: PendingPage, query: { ...q } });
/** A liaison's tick (personId) or a scan (code). */
export const recordSample = (id: number, body: { personId: number } | { code: string }) => request('POST', `/api/v1/campaigns/${id}/samples`, { schema: SampleSchema, body });

/** Upload the lab's file; with dryRun nothing is written and the plan says what would happen. */
export function importResults(id: number, file: File, dryRun: boolean) {
  const form = new FormData();
  form.append('file', file, file.name);
  return request('POST', `/api/v1/campaigns/${id}/results`, { schema: ResultImportPlanSchema, query: { dryRun: String(dryRun) }, form });
}
