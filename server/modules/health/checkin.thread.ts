import type { CheckinWrite, CheckinWritten } from './checkin.batch.js';

/** What the event loop's thread sends the check-in writer's thread. */
export type ThreadRequest = { type: 'batch'; id: number; writes: CheckinWrite[]; touches: [string, number][] } | { type: 'close' };

/** An error as it crosses between threads: its message and, for SQLite's, its code. */
export interface ErrorData {
  message: string;
  code?: string;
}

/** What the writer's thread answers a batch: each check-in's outcome in order, or the batch's failure. */
export type ThreadReply =
  | { type: 'done'; id: number; results: ({ written: CheckinWritten } | { error: ErrorData })[] }
  | { type: 'failed'; id: number; error: ErrorData };

export function errorData(err: unknown): ErrorData {
  if (!(err instanceof Error)) return { message: String(err) };
  const code: unknown = (err as Error & { code?: unknown }).code;
  return { message: err.message, ...(typeof code === 'string' && { code }) };
}

export function errorOf(d: ErrorData): Error {
  return Object.assign(new Error(d.message), d.code !== undefined && { code: d.code });
}
