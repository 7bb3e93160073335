import { z } from 'zod';
import { request } from './client';

/**
 * The import's answer. The contract was agreed before common/schemas held it; when the server
 * publishes its schema there, import it from there instead.
 */
export const ImportPlan = z.object({
  dryRun: z.boolean(),
  summary: z.object({
    unitsCreate: z.number().int(),
    unitsUpdate: z.number().int(),
    unitsUnchanged: z.number().int(),
    peopleCreate: z.number().int(),
    peopleUpdate: z.number().int(),
    peopleUnchanged: z.number().int(),
    rejected: z.number().int(),
  }),
  rows: z.array(
    z.object({
      sheet: z.string(),
      row: z.number().int(),
      kind: z.enum(['unit', 'person']),
      action: z.enum(['create', 'update', 'unchanged', 'reject']),
      key: z.string(),
      reasons: z.array(z.object({ column: z.string(), message: z.string() })),
    }),
  ),
});
export type ImportPlan = z.infer<typeof ImportPlan>;
export type ImportRow = ImportPlan['rows'][number];

export const importTemplateUrl = '/api/v1/import/template.xlsx';

/** Upload a workbook; with dryRun nothing is written and the plan says what would happen. */
export function runImport(unitId: number, file: File, dryRun: boolean) {
  const form = new FormData();
  form.append('file', file, file.name);
  return request('POST', '/api/v1/import', { schema: ImportPlan, query: { unitId, dryRun: String(dryRun) }, form });
}
