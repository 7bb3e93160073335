import type { z } from 'zod';
import {
  BlindSpotList,
  Finding,
  FindingPage,
  Inspection,
  InspectablePlaceList,
  PlaceDetail,
  PlaceHistory,
  PlacePage,
  type InspectionCreate as InspectionCreateSchema,
  type ChecklistItemCreate,
  type ChecklistItemUpdate,
  type FindingListQuery,
  type PlaceCreate,
  type PlaceListQuery,
  type PlaceUpdate,
} from '../../../common/schemas/places.js';
import { request } from './client';

export {
  BLIND_SPOT_REASONS,
  DEFAULT_CHECKLIST,
  FINDING_STATUSES,
  ITEM_RESULTS,
  MAX_FREQUENCY_DAYS,
  MIN_FREQUENCY_DAYS,
  PLACE_KINDS,
  RISK_LEVELS,
} from '../../../common/schemas/places.js';
export type {
  BlindSpot,
  BlindSpotReason,
  ChecklistItem,
  FindingStatus,
  FindingTask,
  InspectablePlace,
  InspectionItem,
  ItemResult,
  Place,
  PlaceAbilities,
  PlaceKind,
  RiskLevel,
} from '../../../common/schemas/places.js';
export type { BlindSpotList, Finding, Inspection, PlaceDetail, PlaceHistory };

/** A list's query as the client sends it (the schemas' coerced ids and pages take `unknown` in). */
type Paged<Q> = { [K in keyof Q]?: Q[K] extends infer V ? (unknown extends V ? number : V) : never };

const V1 = '/api/v1';

// ── places ──
export const listPlaces = (q: Paged<PlaceListQuery>) => request('GET', `${V1}/places`, { schema: PlacePage, query: { ...q } });
export const getPlace = (id: number) => request('GET', `${V1}/places/${id}`, { schema: PlaceDetail });
export const createPlace = (body: PlaceCreate) => request('POST', `${V1}/places`, { schema: PlaceDetail, body });
export const updatePlace = (id: number, body: PlaceUpdate) => request('PATCH', `${V1}/places/${id}`, { schema: PlaceDetail, body });
export const archivePlace = (id: number) => request('POST', `${V1}/places/${id}/archive`, { schema: PlaceDetail, body: {} });
export const addChecklistItem = (id: number, body: ChecklistItemCreate) => request('POST', `${V1}/places/${id}/checklist`, { schema: PlaceDetail, body });
export const updateChecklistItem = (id: number, itemId: number, body: ChecklistItemUpdate) => request('PATCH', `${V1}/places/${id}/checklist/${itemId}`, { schema: PlaceDetail, body });
export const placeHistory = (id: number) => request('GET', `${V1}/places/${id}/history`, { schema: PlaceHistory });

// ── inspections, findings, blind spots ──
export const inspectPlace = (id: number, body: z.input<typeof InspectionCreateSchema>) => request('POST', `${V1}/places/${id}/inspections`, { schema: Inspection, body });
export const listFindings = (q: Paged<FindingListQuery>) => request('GET', `${V1}/findings`, { schema: FindingPage, query: { ...q } });
export const getFinding = (id: number) => request('GET', `${V1}/findings/${id}`, { schema: Finding });
export const listBlindSpots = (unitId?: number) => request('GET', `${V1}/places/blind-spots`, { schema: BlindSpotList, query: { unitId } });
export const inspectablePlaces = (q?: string) => request('GET', `${V1}/me/inspectable-places`, { schema: InspectablePlaceList, query: { q } });
