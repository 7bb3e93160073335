import type { z } from 'zod';
import type { Attachment } from '../../../../common/schemas/files.js';
import type { Task as TaskSchema, TaskComplete, TaskDetail as TaskDetailSchema, TaskPage } from '../../../../common/schemas/directives.js';
import { ApiError } from '../../api/client';
import { call } from '../api';

/** The my-tasks page's calls. Types come from the shared schemas (type imports only: no zod on the phone). */
export type Task = z.infer<typeof TaskSchema>;
export type TaskDetail = z.infer<typeof TaskDetailSchema>;

export const myTasks = (state: 'open' | 'done' | 'all') => call<z.infer<typeof TaskPage>>('GET', `/api/v1/tasks/mine?state=${state}&pageSize=100`);
export const getTask = (id: number) => call<TaskDetail>('GET', `/api/v1/tasks/${id}`);
export const acknowledgeTask = (id: number) => call<TaskDetail>('POST', `/api/v1/tasks/${id}/acknowledge`, { body: {} });
export const completeTask = (id: number, body: z.input<typeof TaskComplete>) => call<TaskDetail>('POST', `/api/v1/tasks/${id}/complete`, { body });

/** The download address of an attachment (common/schemas/files.ts attachmentUrl, without pulling zod in). */
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;

/** Upload one file (a photo from the camera) as multipart; its id goes into the completion's photoIds or fileIds. */
export async function uploadFile(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name || 'photo.jpg');
  let res: Response;
  try {
    res = await fetch('/api/v1/attachments', { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network', 'Network error');
  }
  const json = (await res.json().catch(() => null)) as (Attachment & { error?: { code?: ApiError['code']; message?: string; fields?: Record<string, string> } }) | null;
  if (!res.ok || !json) throw new ApiError(res.status, json?.error?.code ?? (res.status === 413 ? 'payload_too_large' : 'internal'), json?.error?.message ?? res.statusText, json?.error?.fields ?? {});
  return json;
}
