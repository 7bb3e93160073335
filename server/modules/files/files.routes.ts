import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Attachment, MAX_ATTACHMENT_BYTES } from '../../../common/schemas/files.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { uploadedFile } from '../../http/upload.js';
import { readAttachment, uploadAttachment } from './files.service.js';
import { contentDisposition } from './sniff.js';

export function fileRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['attachments'];
  // No Idempotency-Key: the key's request hash cannot see a multipart body, and a repeated upload
  // only leaves an unlinked copy that the nightly purge removes.
  r.post(
    '/api/v1/attachments',
    {
      schema: {
        tags,
        summary: 'Upload a file (multipart, field "file", at most 10 MB; JPEG, PNG, GIF, WebP, PDF, DOCX, XLSX, PPTX by content); it is yours until attached to something',
        consumes: ['multipart/form-data'],
        response: { 201: Attachment },
      },
    },
    async (req, reply) => {
      const file = await uploadedFile(req, { maxBytes: MAX_ATTACHMENT_BYTES });
      const out = await uploadAttachment(deps, ctxOf(req), file);
      void reply.status(201);
      return out;
    },
  );
  r.get('/api/v1/attachments/:id', { schema: { tags, summary: 'Download an attachment (images inline); readable by whoever may read what it is attached to', params: IdParams } }, async (req, reply) => {
    const { attachment, data } = await readAttachment(deps, ctxOf(req), req.params.id);
    void reply
      .type(attachment.contentType)
      .header('content-disposition', contentDisposition(attachment.image ? 'inline' : 'attachment', attachment.fileName))
      .header('content-length', String(data.length));
    return reply.send(data);
  });
}
