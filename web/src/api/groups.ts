import { Group, GroupMemberPage, GroupPage, type GroupCreate, type GroupPatch } from '../../../common/schemas/groups.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export type { Group, GroupMember } from '../../../common/schemas/groups.js';

const V1 = '/api/v1';

/** Key groups (重点人群): saved selections of people, by units' subtrees and tags. */
export const listGroups = (q: { unitId?: number; q?: string; page?: number; pageSize?: number }) => request('GET', `${V1}/groups`, { schema: GroupPage, query: q });
export const getGroup = (id: number) => request('GET', `${V1}/groups/${id}`, { schema: Group });
export const createGroup = (body: Partial<GroupCreate> & Pick<GroupCreate, 'name' | 'ownerUnitId'>) => request('POST', `${V1}/groups`, { schema: Group, body });
export const updateGroup = (id: number, body: GroupPatch) => request('PATCH', `${V1}/groups/${id}`, { schema: Group, body });
export const archiveGroup = (id: number) => request('DELETE', `${V1}/groups/${id}`, { schema: Ok });
/** Its members now, within the reader's scope; `total` is the count. */
export const groupMembers = (id: number, page = 1, pageSize = 20) => request('GET', `${V1}/groups/${id}/members`, { schema: GroupMemberPage, query: { page, pageSize } });
