import { request } from './client';

import { ImportPlan } from '../../../common/schemas/import.js';

export { ImportPlan };
export type { ImportRow } from '../../../common/schemas/import.js';

export const importTemplateUrl = '/api/v1/import/template.xlsx';

/** Upload a workbook; with dryRun nothing is written and the plan says what would happen. */
export function runImport(unitId: number, file: File, dryRun: boolean) {
  const form = new FormData();
  form.append('file', file, file.name);
  return request('POST', '/api/v1/import', { schema: ImportPlan, query: { unitId, dryRun: String(dryRun) }, form });
}
