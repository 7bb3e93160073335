import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Conn, Dialect } from '../../db/database.js';
import type { AuditRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

export interface AuditInput {
  at: number;
  actorUserId: number | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  unitId: number | null;
  detail: string;
  ip: string | null;
}

/** A stored row back in the shape its hash was computed over. */
export function auditInputOf(r: AuditRow): AuditInput {
  return {
    at: Number(r.at),
    actorUserId: r.actor_user_id,
    actorName: r.actor_name,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    unitId: r.unit_id,
    detail: r.detail,
    ip: r.ip,
  };
}

export const GENESIS_HASH = '0'.repeat(64);
// Any constant will do: with the schema's hash it names the one lock that orders writers of the
// chain on PostgreSQL. Keyed by schema so that deployments (or test files) sharing one database in
// different schemas do not queue behind each other's transactions.
const AUDIT_CHAIN_LOCK = 7_270_001;

/** The hash of one row, over every field a reader relies on, chained to the previous row's hash. */
export function auditHash(prevHash: string, r: AuditInput): string {
  const canonical = JSON.stringify([r.at, r.actorUserId, r.actorName, r.action, r.entity, r.entityId, r.unitId, r.detail, r.ip]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Append a row to the chain. Must run inside the transaction of the change it records. On
 * PostgreSQL an advisory lock held until commit keeps two writers from chaining to the same row;
 * SQLite has one writer at a time already.
 */
export async function appendAudit(tx: Conn, dialect: Dialect, input: AuditInput): Promise<void> {
  await lockAuditChain(tx, dialect);
  const last = await tx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx
    .insertInto('audit_log')
    .values({
      at: input.at,
      actor_user_id: input.actorUserId,
      actor_name: input.actorName,
      action: input.action,
      entity: input.entity,
      entity_id: input.entityId,
      unit_id: input.unitId,
      detail: input.detail,
      ip: input.ip,
      prev_hash: prevHash,
      hash: auditHash(prevHash, input),
    })
    .execute();
}

/**
 * Take the chain's lock now (PostgreSQL; SQLite has one writer already), held until the transaction
 * ends. Taking it again later in the same transaction is free. The check-in writers take it first,
 * so that what they read before writing (a person's check-in of the day) cannot change under them.
 */
export async function lockAuditChain(tx: Conn, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::int4, hashtext(current_schema()))`.execute(tx);
}

/** Append many rows to the chain in one insert (a check-in batch): one lock, hashes chained in memory. */
export async function appendAuditRows(tx: Conn, dialect: Dialect, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await lockAuditChain(tx, dialect);
  const last = await tx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = inputs.map((input) => {
    const hash = auditHash(prevHash, input);
    const row = {
      at: input.at,
      actor_user_id: input.actorUserId,
      actor_name: input.actorName,
      action: input.action,
      entity: input.entity,
      entity_id: input.entityId,
      unit_id: input.unitId,
      detail: input.detail,
      ip: input.ip,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  // Rows get their ids in the order of the VALUES list: the chain's order.
  await tx.insertInto('audit_log').values(rows).execute();
}

export interface AuditFilter {
  scopePaths: string[] | 'all';
  unitPath?: string;
  actorUserId?: number;
  entity?: string;
  entityId?: string;
  from?: number;
  to?: number;
}

function filtered(db: Conn, f: AuditFilter) {
  let q = db.selectFrom('audit_log').leftJoin('units', 'units.id', 'audit_log.unit_id');
  if (f.scopePaths !== 'all') {
    const paths = f.scopePaths;
    q = q.where((eb) => pathInSubtrees(eb, 'units.path', paths));
  }
  if (f.unitPath) {
    const p = f.unitPath;
    q = q.where((eb) => pathInSubtrees(eb, 'units.path', [p]));
  }
  if (f.actorUserId !== undefined) q = q.where('audit_log.actor_user_id', '=', f.actorUserId);
  if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
  if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
  if (f.from !== undefined) q = q.where('audit_log.at', '>=', f.from);
  if (f.to !== undefined) q = q.where('audit_log.at', '<', f.to);
  return q;
}

export async function listAudit(db: Conn, f: AuditFilter, offset: number, limit: number): Promise<{ rows: AuditRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, f).selectAll('audit_log').orderBy('audit_log.id', 'desc').offset(offset).limit(limit).execute(),
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Walk the chain in order, in batches, and report the first row whose hash or link is wrong. */
export async function verifyAuditChain(db: Conn): Promise<{ checked: number; firstBadId: number | null; reason: string | null }> {
  let prev = GENESIS_HASH;
  let afterId = 0;
  let checked = 0;
  for (;;) {
    const batch = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(5000).execute();
    if (batch.length === 0) return { checked, firstBadId: null, reason: null };
    for (const r of batch) {
      if (r.prev_hash !== prev) return { checked, firstBadId: r.id, reason: 'link to the previous row is broken (a row was removed or inserted)' };
      const expect = auditHash(prev, auditInputOf(r));
      if (expect !== r.hash) return { checked, firstBadId: r.id, reason: 'contents do not match the hash (the row was altered)' };
      prev = r.hash;
      afterId = r.id;
      checked++;
    }
  }
}
