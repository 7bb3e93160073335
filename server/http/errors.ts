import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../common/errors.js';

/** The one error type. Services throw it; the HTTP layer turns it into `{ error: {...} }`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

/** Named factories: the place to read when each error is thrown. */
export const errors = {
  /** A field failed validation, or a rule about a field's value (e.g. an unknown parent unit). */
  validation: (fields: Record<string, string>, message = 'Invalid input') => new AppError('validation', message, fields),
  /** Missing, or outside the actor's scope: the two must be indistinguishable. */
  notFound: (entity: string) => new AppError('not_found', `${entity} not found`),
  /** Visible to the actor, but the actor may not do this to it. */
  forbidden: (message = 'You may not do this') => new AppError('forbidden', message),
  unauthenticated: (message = 'Sign in required') => new AppError('unauthenticated', message),
  /** A uniqueness or state rule: names the field when one is to blame. */
  conflict: (message: string, fields?: Record<string, string>) => new AppError('conflict', message, fields),
  badRequest: (message: string, fields?: Record<string, string>) => new AppError('bad_request', message, fields),
  tooManyRequests: (retryAfterSeconds: number) =>
    new AppError('too_many_requests', 'Too many attempts; try again later', undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    }),
};
