import type { z } from 'zod';
import type { MyTrips, RiskAreaList, Trip as TripSchema, TripCreate, TripPatch } from '../../../common/schemas/trips.js';
import { call } from './api';

/** The trips page's calls. Types come from the shared schemas; the server validates every answer. */
export type Trip = z.infer<typeof TripSchema>;
export type RiskArea = z.infer<typeof RiskAreaList>['items'][number];

export const myTrips = () => call<z.infer<typeof MyTrips>>('GET', '/api/v1/trips/mine');
/** The areas on the list today: public, read by everyone signed in. */
export const riskAreasToday = () => call<z.infer<typeof RiskAreaList>>('GET', '/api/v1/risk-areas');
export const reportTrip = (body: z.input<typeof TripCreate>) => call<Trip>('POST', '/api/v1/trips', { body });
export const updateTrip = (id: number, body: z.input<typeof TripPatch>) => call<Trip>('PATCH', `/api/v1/trips/${id}`, { body });
export const cancelTrip = (id: number) => call<Trip>('POST', `/api/v1/trips/${id}/cancel`);
export const reportReturn = (id: number, day: string) => call<Trip>('POST', `/api/v1/trips/${id}/return`, { body: { day } });
