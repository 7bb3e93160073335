import { request } from './client';

import { Attachment, attachmentUrl } from '../../../common/schemas/files.js';

export { Attachment, attachmentUrl };

/** Upload one file; the answer's id is what a create body's `attachmentIds` takes. */
export function uploadAttachment(file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return request('POST', '/api/v1/attachments', { schema: Attachment, form });
}
