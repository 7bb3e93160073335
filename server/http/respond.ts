import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import type { Ctx } from './actor.js';
import { checkIdempotency } from './idempotency.js';
import { ctxOf } from './plumbing.js';

/**
 * Run a create with Idempotency-Key support and answer 201. A retry of a finished request gets
 * the first answer; a retry racing the first one loses on the key's primary key and then finds
 * the winner's answer.
 */
export async function respondCreated<T>(deps: Deps, req: FastifyRequest, reply: FastifyReply, run: (ctx: Ctx) => Promise<T>): Promise<T> {
  const first = await checkIdempotency(deps, req, ctxOf(req), 201);
  if ('replay' in first) {
    void reply.status(first.replay.statusCode);
    return first.replay.body as T;
  }
  try {
    const out = await run(first.ctx);
    void reply.status(201);
    return out;
  } catch (err) {
    if (first.ctx.idempotency) {
      const again = await checkIdempotency(deps, req, ctxOf(req), 201);
      if ('replay' in again) {
        void reply.status(again.replay.statusCode);
        return again.replay.body as T;
      }
    }
    throw err;
  }
}

/**
 * Like respondCreated, for a write whose status depends on what it did (201 created, 200 replaced):
 * `run` gives the status with the body, and the service stores both under the key itself.
 */
export async function respondIdempotent<T>(deps: Deps, req: FastifyRequest, reply: FastifyReply, run: (ctx: Ctx) => Promise<{ status: number; body: T }>): Promise<T> {
  const first = await checkIdempotency(deps, req, ctxOf(req), 201);
  if ('replay' in first) {
    void reply.status(first.replay.statusCode);
    return first.replay.body as T;
  }
  try {
    const out = await run(first.ctx);
    void reply.status(out.status);
    return out.body;
  } catch (err) {
    // A twin request with the same key won the race: answer what it answered.
    if (first.ctx.idempotency) {
      const again = await checkIdempotency(deps, req, ctxOf(req), 201);
      if ('replay' in again) {
        void reply.status(again.replay.statusCode);
        return again.replay.body as T;
      }
    }
    throw err;
  }
}
