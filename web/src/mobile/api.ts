import type { z } from 'zod';
import type { LoginBody, Me as MeSchema } from '../../../common/schemas/auth.js';
import type { Checkin as CheckinSchema, CheckinSubmit, MyCheckins } from '../../../common/schemas/health.js';
import { ApiError } from '../api/client';

/**
 * The few calls the mobile pages make. Unlike the console's client, answers are not parsed again
 * with the shared zod schemas here: zod alone would add 25 KB gzip to the check-in page's
 * download, and the server already validates every answer against those same schemas (each route
 * has a response schema). The types still come from the schemas. Input is validated with the
 * shared schema in the form (CheckinForm.tsx), which is loaded on its own.
 */
export type Me = z.infer<typeof MeSchema>;
export type Checkin = z.infer<typeof CheckinSchema>;

let unauthenticated: (() => void) | null = null;
/** The session listens here: an expired session anywhere brings the sign-in form back. */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticated = handler;
}

/** One call; exported so each mobile page keeps its own few calls beside it (TripsPage's trips.api.ts). */
export async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, opts: { body?: unknown; headers?: Record<string, string>; expect401?: boolean } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(opts.body !== undefined && { 'content-type': 'application/json' }), ...opts.headers },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'Network error');
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    json = null; // a proxy's HTML error page
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: ApiError['code']; message?: string; fields?: Record<string, string> } } | null)?.error;
    // A gateway's 502/503/504 without our error body: the server was not reached.
    if (!e && res.status >= 500) throw new ApiError(res.status, 'network', res.statusText);
    if (res.status === 401 && !opts.expect401) unauthenticated?.();
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(res.status, e?.code ?? 'internal', e?.message ?? res.statusText, e?.fields ?? {}, retry > 0 ? retry : null);
  }
  if (json === null || typeof json !== 'object') throw new ApiError(res.status, 'bad_response', 'Unexpected answer from the server');
  return json as T;
}

export const getMe = () => call<Me>('GET', '/api/v1/me', { expect401: true });
export const login = (body: z.input<typeof LoginBody>) => call<Me>('POST', '/api/v1/auth/login', { body, expect401: true });
export const logout = () => call<{ ok: true }>('POST', '/api/v1/auth/logout', { expect401: true });
export const myCheckins = () => call<z.infer<typeof MyCheckins>>('GET', '/api/v1/checkins/mine');

/**
 * Send one check-in under its Idempotency-Key: a resend after a lost answer replays the first
 * answer instead of writing again. Throws ApiError (code 'network' when the server was not reached).
 */
export const sendCheckin = (body: CheckinSubmit, key: string) => call<Checkin>('POST', '/api/v1/checkins', { body, headers: { 'idempotency-key': key } });
