import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  Campaign,
  CampaignCreate,
  CampaignListQuery,
  CampaignPage,
  CampaignProgress,
  CampaignUnitQuery,
  MyCampaigns,
  PendingPage,
  PendingQuery,
  ResultImportPlan,
  ResultImportQuery,
  Sample,
  SampleRecord,
} from '../../../common/schemas/campaigns.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { uploadedFile } from '../../http/upload.js';
import * as results from './campaign-results.service.js';
import * as campaigns from './campaigns.service.js';

export function campaignRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['campaigns'];
  r.post('/api/v1/campaigns', { schema: { tags, summary: 'Start a testing campaign; its people due are resolved now', body: CampaignCreate, response: { 201: Campaign } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => campaigns.createCampaign(deps, ctx, req.body)),
  );
  r.get('/api/v1/campaigns', { schema: { tags, summary: "Campaigns reaching into the actor's health scope, newest first", querystring: CampaignListQuery, response: { 200: CampaignPage } } }, (req) =>
    campaigns.listCampaigns(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/campaigns/mine', { schema: { tags, summary: "The signed-in person's open campaigns, each with their testing code", response: { 200: MyCampaigns } } }, (req) =>
    campaigns.myCampaigns(deps, ctxOf(req)),
  );
  r.get('/api/v1/campaigns/:id', { schema: { tags, summary: 'One campaign', params: IdParams, response: { 200: Campaign } } }, (req) => campaigns.getCampaign(deps, ctxOf(req), req.params.id));
  r.get(
    '/api/v1/campaigns/:id/progress',
    { schema: { tags, summary: 'Due, sampled, resulted and positive: the unit, each child subtree with anyone due, the whole subtree', params: IdParams, querystring: CampaignUnitQuery, response: { 200: CampaignProgress } } },
    (req) => campaigns.campaignProgress(deps, ctxOf(req), req.params.id, req.query),
  );
  r.get('/api/v1/campaigns/:id/pending', { schema: { tags, summary: 'People due under a unit with no sample yet', params: IdParams, querystring: PendingQuery, response: { 200: PendingPage } } }, (req) =>
    campaigns.listPending(deps, ctxOf(req), req.params.id, req.query),
  );
  r.post(
    '/api/v1/campaigns/:id/samples',
    {
      schema: {
        tags,
        summary: "Record today's sample: one's own (empty body), a liaison's tick (personId) or a scan (code); a repeat the same day is the same sample",
        params: IdParams,
        body: SampleRecord,
        response: { 200: Sample, 201: Sample },
      },
    },
    async (req, reply) => {
      const out = await campaigns.recordSample(deps, ctxOf(req), req.params.id, req.body);
      void reply.status(out.created ? 201 : 200);
      return out.sample;
    },
  );
  r.post('/api/v1/campaigns/:id/close', { schema: { tags, summary: 'Close a campaign: no more samples (results may still be imported)', params: IdParams, response: { 200: Campaign } } }, (req) =>
    campaigns.closeCampaign(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/campaigns/:id/results',
    {
      schema: {
        tags,
        summary: "Import the lab's results (.xlsx or .csv) by employee number (dryRun=true, the default, only plans)",
        consumes: ['multipart/form-data'],
        params: IdParams,
        querystring: ResultImportQuery,
        response: { 200: ResultImportPlan },
      },
    },
    async (req) => {
      const file = await uploadedFile(req);
      return results.importResults(deps, ctxOf(req), req.params.id, { dryRun: req.query.dryRun === 'true', ...file });
    },
  );
}
