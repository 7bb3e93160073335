import type { FastifyRequest } from 'fastify';
import { AppError, errors } from './errors.js';

/**
 * The one uploaded file of a multipart request, in a field named `file`; anything else is a 400
 * naming `file`. `maxBytes` lowers the server-wide file size limit for this route: a larger file
 * is a 413 naming `file`.
 */
export async function uploadedFile(req: FastifyRequest, opts: { maxBytes?: number } = {}): Promise<{ fileName: string; data: Buffer }> {
  if (!req.isMultipart()) throw errors.validation({ file: 'send the file as multipart/form-data in a field named "file"' });
  let part;
  try {
    part = await req.file(opts.maxBytes ? { limits: { fileSize: opts.maxBytes } } : undefined);
  } catch {
    throw errors.validation({ file: 'the upload could not be read as multipart/form-data' });
  }
  if (!part) throw errors.validation({ file: 'no file was uploaded' });
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw errors.validation({ file: `the file must be sent in a field named "file", not "${part.fieldname.slice(0, 40)}"` });
  }
  // Over the size limit this throws FST_REQ_FILE_TOO_LARGE, which the error handler answers with 413.
  if (!opts.maxBytes) return { fileName: part.filename || 'upload', data: await part.toBuffer() };
  let data: Buffer;
  try {
    data = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('payload_too_large', 'File too large', { file: `larger than ${Math.floor(opts.maxBytes / (1024 * 1024))} MB` });
    }
    throw err;
  }
  return { fileName: part.filename || 'upload', data };
}
