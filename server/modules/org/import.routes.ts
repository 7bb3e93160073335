import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ImportPlan, ImportQuery } from '../../../common/schemas/import.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { uploadedFile } from '../../http/upload.js';
import * as importer from './import.service.js';
import { importTemplate, XLSX_MIME } from './import.template.js';

export function importRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['import'];
  r.post(
    '/api/v1/import',
    {
      schema: {
        tags,
        summary: 'Import units and people from .xlsx or .csv under a unit (dryRun=true, the default, only plans)',
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 200: ImportPlan },
      },
    },
    async (req) => {
      const file = await uploadedFile(req);
      return importer.importFile(deps, ctxOf(req), { unitId: req.query.unitId, dryRun: req.query.dryRun === 'true', ...file });
    },
  );
  r.get('/api/v1/import/template.xlsx', { schema: { tags, summary: 'The import template, with Chinese headers and an example row' } }, async (_req, reply) => {
    void reply.type(XLSX_MIME).header('content-disposition', `attachment; filename="import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('人员导入模板.xlsx')}`);
    return importTemplate();
  });
}
