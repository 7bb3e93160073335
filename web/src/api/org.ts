import type { z } from 'zod';
import {
  Person,
  PersonPage,
  Unit,
  UnitList,
  type PersonCreate,
  type PersonPatch,
  type UnitCreate,
  type UnitPatch,
} from '../../../common/schemas/org.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export type { Unit, Person } from '../../../common/schemas/org.js';
export type PersonStatusFilter = 'active' | 'left' | 'all';

export const listUnits = (q: { rootId?: number; includeArchived?: boolean } = {}) =>
  request('GET', '/api/v1/units', { schema: UnitList, query: { rootId: q.rootId, includeArchived: q.includeArchived ? 'true' : undefined } });
export const createUnit = (body: z.input<typeof UnitCreate>) => request('POST', '/api/v1/units', { schema: Unit, body });
export const updateUnit = (id: number, body: z.input<typeof UnitPatch>) => request('PATCH', `/api/v1/units/${id}`, { schema: Unit, body });
export const moveUnit = (id: number, parentId: number) => request('POST', `/api/v1/units/${id}/move`, { schema: Unit, body: { parentId } });
export const deleteUnit = (id: number) => request('DELETE', `/api/v1/units/${id}`, { schema: Ok });
/** A plain link: the browser downloads the workbook with the session cookie. */
export const peopleExportUrl = (unitId: number) => `/api/v1/units/${unitId}/people.xlsx`;

export interface PeopleQuery {
  unitId?: number;
  q?: string;
  tag?: string;
  status?: PersonStatusFilter;
  page?: number;
  pageSize?: number;
}
export const listPeople = (q: PeopleQuery) => request('GET', '/api/v1/people', { schema: PersonPage, query: { ...q } });
export const createPerson = (body: z.input<typeof PersonCreate>) => request('POST', '/api/v1/people', { schema: Person, body });
export const updatePerson = (id: number, body: z.input<typeof PersonPatch>) => request('PATCH', `/api/v1/people/${id}`, { schema: Person, body });
