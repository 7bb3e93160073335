import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  BlindSpotList,
  BlindSpotQuery,
  ChecklistItemCreate,
  ChecklistItemParams,
  ChecklistItemUpdate,
  Finding,
  FindingListQuery,
  FindingPage,
  InspectablePlaceList,
  InspectableQuery,
  Inspection,
  InspectionCreate,
  PlaceCreate,
  PlaceDetail,
  PlaceHistory,
  PlaceListQuery,
  PlacePage,
  PlaceUpdate,
} from '../../../common/schemas/places.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { registerLinkedTaskSource } from '../directives/tasks.linked.js';
import { registerAttachmentOwner } from '../files/files.service.js';
import { getFinding, listFindings, onRectificationMoved, rectificationPhotos } from './findings.service.js';
import { canReadInspection, getInspection, placeHistory, recordInspection } from './inspections.service.js';
import { inspectablePlaces, listBlindSpots } from './places.blindspots.js';
import * as places from './places.service.js';

/** Key places (重点场所): the register and its checklists, inspections, findings, blind spots, the phone's list. */
export function placeRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['places'];
  // An inspection's photos are read by whoever reads the place, its inspector, and whoever must rectify what it failed.
  registerAttachmentOwner('inspection', canReadInspection);
  // Rectification tasks are verified by re-inspecting the place; their steps move the findings.
  registerLinkedTaskSource('inspection', { verifiedBy: 'verified by re-inspecting the place (a passed item closes its finding)', onStatus: onRectificationMoved, attachments: rectificationPhotos });

  r.get('/api/v1/places', { schema: { tags, summary: 'Key places of a subtree (kind, risk, q, due=true: due now, most overdue first) (places.read)', querystring: PlaceListQuery, response: { 200: PlacePage } } }, (req) =>
    places.listPlaces(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/places', { schema: { tags, summary: 'Register a key place at a unit; the default checklist when none is given (places.write; Idempotency-Key)', body: PlaceCreate, response: { 201: PlaceDetail } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => places.createPlace(deps, ctx, req.body)),
  );
  r.get(
    '/api/v1/places/blind-spots',
    { schema: { tags, summary: 'Blind spots (无死角): active places overdue for inspection or never inspected, and places without a responsible person (places.read)', querystring: BlindSpotQuery, response: { 200: BlindSpotList } } },
    (req) => listBlindSpots(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/places/:id', { schema: { tags, summary: 'One key place with its checklist (places.read)', params: IdParams, response: { 200: PlaceDetail } } }, (req) => places.getPlace(deps, ctxOf(req), req.params.id));
  r.patch('/api/v1/places/:id', { schema: { tags, summary: 'Change a key place (places.write)', params: IdParams, body: PlaceUpdate, response: { 200: PlaceDetail } } }, (req) =>
    places.updatePlace(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/places/:id/archive', { schema: { tags, summary: 'Archive a key place, keeping its history (places.write)', params: IdParams, response: { 200: PlaceDetail } } }, (req) =>
    places.archivePlace(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/places/:id/checklist', { schema: { tags, summary: 'Add a checklist item (places.write)', params: IdParams, body: ChecklistItemCreate, response: { 200: PlaceDetail } } }, (req) =>
    places.addChecklistItem(deps, ctxOf(req), req.params.id, req.body),
  );
  r.patch(
    '/api/v1/places/:id/checklist/:itemId',
    { schema: { tags, summary: 'Rename, move, retire or restore a checklist item; history keeps the old text (places.write)', params: ChecklistItemParams, body: ChecklistItemUpdate, response: { 200: PlaceDetail } } },
    (req) => places.updateChecklistItem(deps, ctxOf(req), req.params.id, req.params.itemId, req.body),
  );
  r.get(
    '/api/v1/places/:id/history',
    { schema: { tags, summary: 'A place’s history: inspections with items and photos, findings with their rectification task (places.read)', params: IdParams, response: { 200: PlaceHistory } } },
    (req) => placeHistory(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/places/:id/inspections',
    {
      schema: {
        tags,
        summary: 'Inspect a place item by item; failed items open findings with rectification tasks, passed items verify open ones (places.inspect; Idempotency-Key)',
        params: IdParams,
        body: InspectionCreate,
        response: { 201: Inspection },
      },
    },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => recordInspection(deps, ctx, req.params.id, req.body)),
  );
  r.get('/api/v1/inspections/:id', { schema: { tags, summary: 'One inspection with its items and photos (places.read, or its inspector)', params: IdParams, response: { 200: Inspection } } }, (req) =>
    getInspection(deps, ctxOf(req), req.params.id),
  );
  r.get('/api/v1/findings', { schema: { tags, summary: 'Findings of a subtree, open first, oldest first (places.read)', querystring: FindingListQuery, response: { 200: FindingPage } } }, (req) =>
    listFindings(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/findings/:id', { schema: { tags, summary: 'One finding with its failures and its rectification task (places.read)', params: IdParams, response: { 200: Finding } } }, (req) =>
    getFinding(deps, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/me/inspectable-places',
    { schema: { tags, summary: 'The places the signed-in user may inspect, soonest due first (the phone; empty without places.inspect)', querystring: InspectableQuery, response: { 200: InspectablePlaceList } } },
    (req) => inspectablePlaces(deps, ctxOf(req), req.query),
  );
}
