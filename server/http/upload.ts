import type { FastifyRequest } from 'fastify';
import { errors } from './errors.js';

/** The one uploaded file of a multipart request, in a field named `file`; anything else is a 400 naming `file`. */
export async function uploadedFile(req: FastifyRequest): Promise<{ fileName: string; data: Buffer }> {
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
