import type { Deps } from '../deps.js';
import type { Ctx } from '../http/actor.js';
import type { Tx } from './database.js';
import { storeIdempotentAnswer } from '../http/idempotency.js';

/**
 * Run one change in one transaction. Whatever the change writes (its rows, its audit row, its job
 * rows) commits together or not at all; when the request carried an Idempotency-Key, the answer is
 * stored in the same transaction, so a retry after a crash either finds it or finds nothing done.
 */
export async function transact<T>(deps: Deps, ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return deps.db.transaction().execute(async (tx) => {
    const result = await fn(tx);
    if (ctx.idempotency && ctx.actor) await storeIdempotentAnswer(tx, deps, ctx.actor.userId, ctx.idempotency, result);
    return result;
  });
}
