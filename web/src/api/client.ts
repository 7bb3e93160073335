import type { z } from 'zod';
import type { ErrorCode } from '../../../common/errors.js';

/** Codes the server sends, plus two of the client's own: the server unreachable, or an answer we cannot read. */
export type ApiErrorCode = ErrorCode | 'network' | 'bad_response';

/** Every failed call becomes one of these, carrying the server's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
    /** Seconds, from Retry-After (sign-in throttling). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

let unauthenticatedHandler: (() => void) | null = null;
/** The session listens here so an expired session anywhere sends the user back to sign in. */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticatedHandler = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Options<S extends z.ZodType> {
  schema: S;
  query?: Query;
  body?: unknown;
  form?: FormData;
  /** A 401 here is an answer (wrong password), not an expired session. */
  expect401?: boolean;
}

function errorBody(json: unknown): { code?: ErrorCode; message?: string; fields?: Record<string, string> } {
  if (json && typeof json === 'object' && 'error' in json && json.error && typeof json.error === 'object') {
    return json.error as { code?: ErrorCode; message?: string; fields?: Record<string, string> };
  }
  return {};
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** Call the API and parse the answer with the shared schema; throws ApiError on any failure. */
export async function request<S extends z.ZodType>(method: Method, path: string, opts: Options<S>): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'Network error');
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null; // a proxy's HTML error page, say
  }
  if (!res.ok) {
    const e = errorBody(json);
    const retry = Number(res.headers.get('retry-after'));
    const code = e.code ?? CODE_BY_STATUS[res.status] ?? 'internal';
    if (res.status === 401 && !opts.expect401) unauthenticatedHandler?.();
    throw new ApiError(res.status, code, e.message ?? res.statusText, e.fields ?? {}, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  const parsed = opts.schema.safeParse(json);
  if (!parsed.success) {
    console.error(`Unexpected answer from ${method} ${path}`, parsed.error.issues);
    throw new ApiError(res.status, 'bad_response', 'Unexpected answer from the server');
  }
  return parsed.data;
}
