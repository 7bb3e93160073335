import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import * as exporter from './export.service.js';
import { XLSX_MIME } from './import.template.js';

export function exportRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/units/:id/people.xlsx',
    { schema: { tags: ['people'], summary: "The people of a unit's subtree as .xlsx, in the import format", params: IdParams } },
    async (req, reply) => {
      const out = await exporter.exportPeople(deps, ctxOf(req), req.params.id);
      void reply.type(XLSX_MIME).header('content-disposition', out.contentDisposition);
      return reply.send(out.stream);
    },
  );
}
