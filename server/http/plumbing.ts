import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Actor, Ctx } from './actor.js';
import { AppError, errors } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a signed-in user (login, setup, health). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function ctxOf(req: FastifyRequest): Ctx {
  return { actor: req.actor, ip: req.ip ?? null };
}

type ValidationIssue = { instancePath?: string; message?: string; params?: Record<string, unknown> };

/** Turn schema validation issues into `{ field: reason }`, naming unknown fields too. */
export function fieldsOf(issues: ValidationIssue[], context: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const keys = i.params?.keys;
    if (Array.isArray(keys)) {
      for (const k of keys) out[String(k)] = 'unknown field';
      continue;
    }
    const path = (i.instancePath ?? '').split('/').filter(Boolean).join('.');
    out[path || context || 'body'] ??= i.message ?? 'invalid';
  }
  return out;
}

/** The path of the first string holding U+0000 inside a parsed body or query, or null. */
export function findNul(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'body' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findNul(value[i], [...path, String(i)]);
      if (p !== null) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = findNul(v, [...path, k]);
      if (p !== null) return p;
    }
  }
  return null;
}

/** Whether findNul would find one: the same walk, without the paths. */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') {
    for (const k in value) if (Object.hasOwn(value, k) && hasNul((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/**
 * No text in Bulwark may hold a NUL character: PostgreSQL cannot store one, and no person types it.
 * Refused here once, before validation, for every route, naming the field.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    // The common case (no NUL anywhere) is answered without building a path for every field.
    const field = hasNul(req.body) || hasNul(req.query) || hasNul(req.params) ? (findNul(req.body) ?? findNul(req.query) ?? findNul(req.params)) : null;
    done(field === null ? undefined : errors.validation({ [field]: 'must not contain NUL characters' }));
  });
}

/** One error shape for everything; 5xx bodies say nothing about internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    let e: AppError;
    if (err instanceof AppError) e = err;
    else if (hasZodFastifySchemaValidationErrors(err)) e = errors.validation(fieldsOf(err.validation, err.validationContext), 'Invalid input');
    else if (err.validation) e = errors.validation(fieldsOf(err.validation as ValidationIssue[], err.validationContext));
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') e = new AppError('unsupported_media_type', 'Unsupported content type');
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.code === 'FST_REQ_FILE_TOO_LARGE') e = new AppError('payload_too_large', 'Request body too large');
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, empty body with a JSON content type, bad URL.
      e = err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
        ? errors.validation({ body: 'must be valid JSON' })
        : new AppError('bad_request', err.message);
    } else {
      if (isResponseSerializationError(err)) req.log.error({ err, cause: err.cause }, 'response did not match its schema');
      else req.log.error({ err }, 'unhandled error');
      e = new AppError('internal', 'Internal error');
    }
    if (e.headers) void reply.headers(e.headers);
    void reply.status(e.status).send(e.toBody());
  });
}
