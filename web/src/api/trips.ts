import type { z } from 'zod';
import { AwayPage, ByDestination, RiskArea as RiskAreaSchema, RiskAreaList, RiskAreaWritten, Trip as TripSchema, TripPage, type RiskAreaCreate, type RiskAreaPatch, type TripCreate, type TripPatch, type TripStatus } from '../../../common/schemas/trips.js';
import { request } from './client';

export type TripListItem = z.infer<typeof TripPage>['items'][number];
export type AwayPerson = z.infer<typeof AwayPage>['items'][number];
export type DestinationCount = z.infer<typeof ByDestination>['items'][number];
export type RiskArea = z.infer<typeof RiskAreaSchema>;
export type Trip = z.infer<typeof TripSchema>;

export interface TripQuery {
  unitId?: number;
  status?: z.infer<typeof TripStatus>;
  destination?: string;
  page?: number;
  pageSize?: number;
}
export const listTrips = (q: TripQuery) => request('GET', '/api/v1/trips', { schema: TripPage, query: { ...q } });
export const listAway = (q: { unitId: number; day?: string; page?: number; pageSize?: number }) => request('GET', '/api/v1/trips/away', { schema: AwayPage, query: { ...q } });
export const tripsByDestination = (q: { unitId: number; from?: string; to?: string }) => request('GET', '/api/v1/trips/by-destination', { schema: ByDestination, query: { ...q } });

export const listRiskAreas = (q: { all?: boolean; city?: string }) => request('GET', '/api/v1/risk-areas', { schema: RiskAreaList, query: { all: q.all ? 'true' : undefined, city: q.city } });
export const createRiskArea = (body: RiskAreaCreate) => request('POST', '/api/v1/risk-areas', { schema: RiskAreaWritten, body });
export const updateRiskArea = (id: number, body: RiskAreaPatch) => request('PATCH', `/api/v1/risk-areas/${id}`, { schema: RiskAreaWritten, body });
export const endRiskArea = (id: number, lastDay?: string) => request('POST', `/api/v1/risk-areas/${id}/end`, { schema: RiskAreaSchema, body: lastDay ? { lastDay } : {} });

export const reportTrip = (body: z.input<typeof TripCreate>) => request('POST', '/api/v1/trips', { schema: TripSchema, body });
export const updateTrip = (id: number, body: z.input<typeof TripPatch>) => request('PATCH', `/api/v1/trips/${id}`, { schema: TripSchema, body });
export const cancelTrip = (id: number) => request('POST', `/api/v1/trips/${id}/cancel`, { schema: TripSchema });
export const returnFromTrip = (id: number, day: string) => request('POST', `/api/v1/trips/${id}/return`, { schema: TripSchema, body: { day } });
