import type { z } from 'zod';
import {
  IncidentDetail,
  IncidentPage,
  IncidentSettings,
  IncidentTimeline,
  type IncidentAction,
  type IncidentClose,
  type IncidentFile,
  type IncidentInstruct,
  type IncidentListQuery,
  type IncidentResolve,
  type InstructionAcknowledge,
  type IncidentKind,
  type IncidentSeverity,
} from '../../../common/schemas/incidents.js';
import { request } from './client';

export type {
  Incident,
  IncidentDetail,
  IncidentEvent,
  IncidentEventKind,
  IncidentInstruction,
  IncidentKind,
  IncidentLevel,
  IncidentSeverity,
  IncidentStatus,
  Involvement,
  LevelState,
  IncidentChanged,
} from '../../../common/schemas/incidents.js';
export { INCIDENT_KINDS, INCIDENT_SEVERITIES, INVOLVEMENTS, SEVERITIES_NEEDING_REVIEW } from '../../../common/schemas/incidents.js';

const V1 = '/api/v1';

export type IncidentListState = z.infer<typeof IncidentListQuery>['state'];
export interface IncidentQuery {
  unitId?: number;
  state?: IncidentListState;
  severity?: IncidentSeverity;
  kind?: IncidentKind;
  page?: number;
  pageSize?: number;
}
export const listIncidents = (q: IncidentQuery) =>
  request('GET', `${V1}/incidents`, { schema: IncidentPage, query: { ...q } });
export const getIncident = (id: number) => request('GET', `${V1}/incidents/${id}`, { schema: IncidentDetail });
export const getIncidentTimeline = (id: number) => request('GET', `${V1}/incidents/${id}/timeline`, { schema: IncidentTimeline });
export const fileIncident = (body: z.input<typeof IncidentFile>) => request('POST', `${V1}/incidents`, { schema: IncidentDetail, body });
export const acknowledgeIncident = (id: number, note?: string) => request('POST', `${V1}/incidents/${id}/acknowledge`, { schema: IncidentDetail, body: note ? { note } : {} });
export const instructIncident = (id: number, body: z.input<typeof IncidentInstruct>) => request('POST', `${V1}/incidents/${id}/instructions`, { schema: IncidentDetail, body });
export const acknowledgeInstruction = (id: number, instructionId: number, body: z.input<typeof InstructionAcknowledge> = {}) =>
  request('POST', `${V1}/incidents/${id}/instructions/${instructionId}/acknowledge`, { schema: IncidentDetail, body });
export const recordIncidentAction = (id: number, body: z.input<typeof IncidentAction>) => request('POST', `${V1}/incidents/${id}/actions`, { schema: IncidentDetail, body });
export const resolveIncident = (id: number, body: z.input<typeof IncidentResolve>) => request('POST', `${V1}/incidents/${id}/resolve`, { schema: IncidentDetail, body });
export const closeIncident = (id: number, body: z.input<typeof IncidentClose>) => request('POST', `${V1}/incidents/${id}/close`, { schema: IncidentDetail, body });

/** The live stream of incident changes in a unit's subtree (an EventSource sends the session cookie itself). */
export const incidentStreamUrl = (unitId?: number | null) => (unitId ? `${V1}/incidents/stream?unitId=${unitId}` : `${V1}/incidents/stream`);

// ── settings ──
/** How high each severity must go; only the holders of incidents.handle on a root unit may read and set it (else 403). */
export const getIncidentSettings = () => request('GET', `${V1}/settings/incidents`, { schema: IncidentSettings });
export const putIncidentSettings = (body: z.input<typeof IncidentSettings>) => request('PUT', `${V1}/settings/incidents`, { schema: IncidentSettings, body });
export type { IncidentReach } from '../../../common/schemas/incidents.js';
