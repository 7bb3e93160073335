import { Overview } from '../../../common/schemas/overview.js';
import { request } from './client';

export type { Overview } from '../../../common/schemas/overview.js';

/** The command office's day at a glance for a unit's subtree: only the sections the user's permissions open. */
export const getOverview = (unitId: number) => request('GET', '/api/v1/overview', { schema: Overview, query: { unitId } });
