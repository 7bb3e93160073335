/**
 * Stable error codes shared by server and client. The server throws AppError with one of these;
 * the client maps the code to a translated message. Adding a code means adding its translations.
 */
export const ERROR_CODES = {
  validation: 400, // a field is missing, malformed or unknown; `fields` names each one
  bad_request: 400, // the request as a whole cannot be served (e.g. a cycle in a move)
  unauthenticated: 401, // no valid session or token, or wrong credentials (same answer either way)
  forbidden: 403, // authenticated but the action is not allowed on a target the actor can see
  not_found: 404, // absent, or outside the actor's scope (we never say which)
  conflict: 409, // unique value taken, or state forbids the change (e.g. unit with people)
  idempotency_conflict: 409, // an Idempotency-Key reused with another request, or still in flight
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429, // login throttling; Retry-After says when to try again
  internal: 500, // never carries details
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: Record<string, string> };
}
