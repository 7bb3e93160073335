import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ImportPlan, ImportQuery } from '../../../common/schemas/import.js';
import type { Deps } from '../../deps.js';
import { errors } from '../../http/errors.js';
import { ctxOf } from '../../http/plumbing.js';
import * as importer from './import.service.js';
import { importTemplate, XLSX_MIME } from './import.template.js';

/** The one uploaded file of a multipart request, in a field named `file`; anything else is a 400 naming `file`. */
async function uploadedFile(req: FastifyRequest): Promise<{ fileName: string; data: Buffer }> {
  if (!req.isMultipart()) throw errors.validation({ file: 'send the file as multipart/form-data in a field named "file"' });
  let part;
  try {
    part = await req.file();
  } catch {
    throw errors.validation({ file: 'the upload could not be read as multipart/form-data' });
  }
  if (!part) throw errors.validation({ file: 'no file was uploaded' });
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw errors.validation({ file: `the file must be sent in a field named "file", not "${part.fieldname.slice(0, 40)}"` });
  }
  // Over the size limit this throws FST_REQ_FILE_TOO_LARGE, which the error handler answers with 413.
  const data = await part.toBuffer();
  return { fileName: part.filename || 'upload', data };
}

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
