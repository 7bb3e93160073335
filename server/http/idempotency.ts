import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import type { Conn } from '../db/database.js';
import { errors, AppError } from './errors.js';
import type { Ctx } from './actor.js';

const KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

export async function storeIdempotentAnswer(
  tx: Conn,
  deps: Deps,
  userId: number,
  idem: NonNullable<Ctx['idempotency']>,
  result: unknown,
): Promise<void> {
  await tx.insertInto('idempotency_keys').values(idempotentAnswerRow(deps.clock.now(), userId, idem, result)).execute();
}

/** The stored row of an answer: also written by hand by the check-in group commit, inside its own transaction. */
export function idempotentAnswerRow(now: number, userId: number, idem: NonNullable<Ctx['idempotency']>, result: unknown) {
  return {
    user_id: userId,
    key: idem.key,
    request_hash: idem.requestHash,
    status_code: idem.statusCode,
    response: JSON.stringify(result ?? null),
    created_at: now,
    expires_at: now + KEY_TTL_MS,
  };
}

/**
 * Read the Idempotency-Key header of a create request. Returns the stored answer when this is a
 * retry of a request already done, or the context to run it with when it is new.
 */
export async function checkIdempotency(
  deps: Deps,
  req: FastifyRequest,
  ctx: Ctx,
  statusCode: number,
): Promise<{ replay: StoredAnswer } | { ctx: Ctx }> {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined || !ctx.actor) return { ctx };
  const key = Array.isArray(raw) ? raw[0] ?? '' : raw;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw errors.validation({ 'Idempotency-Key': 'must be 1-200 visible ASCII characters' });
  const requestHash = createHash('sha256')
    .update(`${req.method} ${req.routeOptions.url ?? req.url}\n${JSON.stringify(req.params ?? null)}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
  const found = await deps.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', ctx.actor.userId)
    .where('key', '=', key)
    .where('expires_at', '>', deps.clock.now())
    .executeTakeFirst();
  if (found) {
    if (found.request_hash !== requestHash)
      throw new AppError('idempotency_conflict', 'This Idempotency-Key was used for a different request', {
        'Idempotency-Key': 'already used for a different request',
      });
    return { replay: { statusCode: found.status_code, body: JSON.parse(found.response) as unknown } };
  }
  return { ctx: { ...ctx, idempotency: { key, requestHash, statusCode } } };
}

/** Drop keys past their day: run by the jobs scheduler. */
export async function purgeIdempotencyKeys(deps: Deps): Promise<number> {
  const r = await deps.db.deleteFrom('idempotency_keys').where('expires_at', '<=', deps.clock.now()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
