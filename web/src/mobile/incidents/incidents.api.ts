import type { z } from 'zod';
import type { IncidentDetail as DetailSchema, IncidentFile, IncidentPage, Incident as IncidentSchema } from '../../../../common/schemas/incidents.js';
import type { PersonPage } from '../../../../common/schemas/org.js';
import { call } from '../api';

/** The incidents page's calls. Types come from the shared schemas (type imports only: no zod on the phone). */
export type Incident = z.infer<typeof IncidentSchema>;
export type IncidentDetail = z.infer<typeof DetailSchema>;
export type Person = z.infer<typeof PersonPage>['items'][number];

/** Not closed incidents of the person's scope, with what they may do on each. */
export const activeIncidents = () => call<z.infer<typeof IncidentPage>>('GET', '/api/v1/incidents?state=active&pageSize=100');
export const getIncident = (id: number) => call<IncidentDetail>('GET', `/api/v1/incidents/${id}`);
export const fileIncident = (body: z.input<typeof IncidentFile>) => call<IncidentDetail>('POST', '/api/v1/incidents', { body });
export const acknowledgeIncident = (id: number, note: string) => call<IncidentDetail>('POST', `/api/v1/incidents/${id}/acknowledge`, { body: note ? { note } : {} });
export const acknowledgeInstruction = (id: number, instructionId: number) => call<IncidentDetail>('POST', `/api/v1/incidents/${id}/instructions/${instructionId}/acknowledge`, { body: {} });
export const searchPeople = (q: string) => call<z.infer<typeof PersonPage>>('GET', `/api/v1/people?status=active&pageSize=10&q=${encodeURIComponent(q)}`);
export const incidentStreamUrl = '/api/v1/incidents/stream';
