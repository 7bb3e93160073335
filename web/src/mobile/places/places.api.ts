import type { z } from 'zod';
import type { Inspection as InspectionSchema, InspectablePlaceList, InspectionCreate, PlaceDetail as PlaceDetailSchema } from '../../../../common/schemas/places.js';
import { call } from '../api';

/** The phone's inspection calls. Types from the shared schemas (type imports only: no zod on the phone). */
export type InspectablePlace = z.infer<typeof InspectablePlaceList>['items'][number];
export type PlaceDetail = z.infer<typeof PlaceDetailSchema>;
export type Inspection = z.infer<typeof InspectionSchema>;

export const inspectablePlaces = () => call<z.infer<typeof InspectablePlaceList>>('GET', '/api/v1/me/inspectable-places');
export const getPlace = (id: number) => call<PlaceDetail>('GET', `/api/v1/places/${id}`);
export const inspectPlace = (id: number, body: z.input<typeof InspectionCreate>) => call<Inspection>('POST', `/api/v1/places/${id}/inspections`, { body });
