import type { Deps } from '../../deps.js';
import type { Conn } from '../../db/database.js';
import { scopeFor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { appendAudit, auditInputOf, listAudit, verifyAuditChain, type AuditFilter } from './audit.store.js';
import { findUnitPath } from '../org/units.store.js';

export interface AuditEvent {
  action: string; // verb in the past: 'unit.created', 'person.transferred', 'user.disabled'
  entity: string;
  entityId?: string | number | null;
  unitId?: number | null;
  before?: unknown;
  after?: unknown;
  note?: unknown;
}

/** Record one change in the audit chain, inside the caller's transaction. */
export async function recordAudit(tx: Conn, deps: Deps, ctx: Ctx, e: AuditEvent): Promise<void> {
  const detail: Record<string, unknown> = {};
  if (e.before !== undefined) detail.before = e.before;
  if (e.after !== undefined) detail.after = e.after;
  if (e.note !== undefined) detail.note = e.note;
  await appendAudit(tx, deps.dialect, {
    at: deps.clock.now(),
    actorUserId: ctx.actor?.userId ?? null,
    actorName: ctx.actor ? ctx.actor.username : 'system',
    action: e.action,
    entity: e.entity,
    entityId: e.entityId == null ? null : String(e.entityId),
    unitId: e.unitId ?? null,
    detail: JSON.stringify(detail),
    ip: ctx.ip,
  });
}

export interface AuditListInput {
  unitId?: number;
  actorUserId?: number;
  entity?: string;
  entityId?: string;
  from?: number;
  to?: number;
  page: number;
  pageSize: number;
}

/** The audit entries in the actor's audit scope. Rows with no unit (logins, settings) need a root-level grant. */
export async function listAuditEntries(deps: Deps, ctx: Ctx, input: AuditListInput) {
  const actor = ctx.actor;
  if (!actor) throw errors.unauthenticated();
  const scope = scopeFor(actor, 'audit.read');
  if (scope.length === 0) throw errors.forbidden();
  const seesAll = scope.some((p) => p.split('/').filter(Boolean).length === 1);
  const filter: AuditFilter = { scopePaths: seesAll ? 'all' : scope };
  if (input.unitId !== undefined) {
    const path = await findUnitPath(deps.db, input.unitId);
    if (!path || (!seesAll && !scope.some((p) => path.startsWith(p)))) throw errors.notFound('unit');
    filter.unitPath = path;
  }
  Object.assign(filter, {
    actorUserId: input.actorUserId,
    entity: input.entity,
    entityId: input.entityId,
    from: input.from,
    to: input.to,
  });
  const { rows, total } = await listAudit(deps.db, filter, (input.page - 1) * input.pageSize, input.pageSize);
  return {
    items: rows.map((r) => {
      // The reader sees what was hashed, minus the client address, with the detail parsed.
      const { ip: _ip, ...shown } = auditInputOf(r);
      return { id: r.id, ...shown, detail: JSON.parse(r.detail) as unknown, hash: r.hash };
    }),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** Walk the whole chain; any audit reader may run it since it reveals only where it breaks. */
export async function verifyAudit(deps: Deps) {
  const r = await verifyAuditChain(deps.db);
  return { ok: r.firstBadId === null, ...r };
}
