import type SQLite from 'better-sqlite3';
import type { CheckinRow } from '../../db/schema.js';
import { idempotentAnswerRow } from '../../http/idempotency.js';
import { touchSessionRows } from '../auth/auth.store.js';
import { ENQUEUE_JOB_SQL, enqueueJobParams } from '../../jobs/jobs.js';
import { auditHash, GENESIS_HASH, type AuditInput } from '../audit/audit.store.js';
import { checkinAnswer } from './checkin.present.js';
import { abnormalCheckinJob, COUNT_COLUMNS, countDeltas } from './health.policy.js';
import { ADD_COUNTS_SQL, type NewCheckin } from './health.store.js';

/**
 * One check-in, fully decided by the service (person, unit, day, answers, who did it): what is
 * left is the upsert, the counts and the audit row, which commit together. Plain data, so that it
 * can be handed to the writer's thread.
 */
export interface CheckinWrite {
  row: Omit<NewCheckin, 'created_at' | 'updated_at'>;
  now: number;
  actor: { userId: number | null; name: string | null; ip: string | null };
  /** The request's Idempotency-Key: its answer (checkinAnswer) commits with the check-in, so a retry replays it and never writes twice. */
  idempotency?: { userId: number; key: string; requestHash: string };
}

export interface CheckinWritten {
  row: CheckinRow;
  created: boolean;
}

/** The audit row of a check-in: who, whose and which day, never the answers (health details). */
export function checkinAuditInput(w: CheckinWrite, row: CheckinRow, created: boolean): AuditInput {
  return {
    at: w.now,
    actorUserId: w.actor.userId,
    actorName: w.actor.name,
    action: created ? 'checkin.created' : 'checkin.updated',
    entity: 'checkin',
    entityId: String(row.id),
    unitId: row.unit_id,
    detail: JSON.stringify({ after: { personId: row.person_id, day: row.day, onBehalf: row.on_behalf_of_user_id !== null } }),
    ip: w.actor.ip,
  };
}

/** The idempotency_keys row of a check-in written under an Idempotency-Key. */
export function idempotencyKeyRow(w: CheckinWrite, written: CheckinWritten) {
  const idem = w.idempotency!;
  const { statusCode, body } = checkinAnswer(written);
  return idempotentAnswerRow(w.now, idem.userId, { key: idem.key, requestHash: idem.requestHash, statusCode }, body);
}

/** A check-in of a batch and, once the batch ran, what became of it. */
export interface BatchItem {
  write: CheckinWrite;
  result?: CheckinWritten;
  error?: unknown;
}

const CHECKIN_COLUMNS = ['person_id', 'unit_id', 'day', 'temperature', 'symptoms', 'location', 'city', 'note', 'abnormal', 'on_time', 'on_behalf_of_user_id', 'created_at', 'updated_at'] as const;

function prepare(db: SQLite.Database) {
  return {
    find: db.prepare<[number, string], CheckinRow>('select * from checkins where person_id = ? and day = ?'),
    // The morning's first check-in is the usual case: try the insert first, and only when the day
    // already has one (the unique (person_id, day) says so) read it and update it.
    insert: db.prepare<unknown[], CheckinRow>(
      `insert into checkins (${CHECKIN_COLUMNS.join(', ')}) values (${CHECKIN_COLUMNS.map(() => '?').join(', ')}) on conflict (person_id, day) do nothing returning *`,
    ),
    update: db.prepare<unknown[], CheckinRow>(
      `update checkins set unit_id = ?, temperature = ?, symptoms = ?, location = ?, city = ?, note = ?, abnormal = ?, on_behalf_of_user_id = ?, updated_at = ? where id = ? returning *`,
    ),
    addCounts: db.prepare(ADD_COUNTS_SQL),
    enqueueJob: db.prepare(ENQUEUE_JOB_SQL),
    lastHash: db.prepare<[], { hash: string }>('select hash from audit_log order by id desc limit 1'),
    idempotency: db.prepare(
      'insert into idempotency_keys (user_id, key, request_hash, status_code, response, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)',
    ),
    audit: db.prepare(
      'insert into audit_log (at, actor_user_id, actor_name, action, entity, entity_id, unit_id, detail, ip, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}

/**
 * A batch of check-ins written to SQLite in one transaction on one connection, with cached
 * statements: the part of group commit that is the same whichever thread runs it (the event loop's
 * own connection for an in-memory database, else the writer thread's, checkin.writer.ts).
 */
export class CheckinBatchWriter {
  private stmts: ReturnType<typeof prepare> | null = null;

  constructor(readonly sqlite: SQLite.Database) {}

  /**
   * Write the batch, setting each item's result or error; throws only when the batch could not be
   * written at all. `touches` (session id, last seen) commit with it (session.touches.ts).
   */
  commit(batch: BatchItem[], touches: readonly (readonly [string, number])[] = []): void {
    this.stmts ??= prepare(this.sqlite);
    try {
      this.writeBatch(batch, touches, false);
    } catch {
      // One check-in failed (its person deleted meanwhile, say) and took the batch with it: write the
      // batch again with each check-in in a savepoint of its own, so that the failure fails alone.
      for (const j of batch) j.result = j.error = undefined;
      this.writeBatch(batch, touches, true);
    }
  }

  /**
   * One transaction for the whole batch. Savepoints cost two statements a check-in, so the usual
   * batch runs without them and only a batch that failed is written again with them (`isolate`).
   * The audit chain is extended in memory from the last hash read inside the same transaction.
   */
  private writeBatch(batch: BatchItem[], touches: readonly (readonly [string, number])[], isolate: boolean): void {
    const s = this.stmts!;
    const write = (j: BatchItem, prevHash: string): { written: CheckinWritten; hash: string } => {
      const w = j.write;
      const r = w.row;
      const inserted = s.insert.get(...CHECKIN_COLUMNS.map((c) => (c === 'created_at' || c === 'updated_at' ? w.now : r[c])));
      const before = inserted ? undefined : s.find.get(r.person_id, r.day);
      const row = inserted ?? s.update.get(r.unit_id, r.temperature, r.symptoms, r.location, r.city, r.note, r.abnormal, r.on_behalf_of_user_id, w.now, before!.id)!;
      for (const d of countDeltas(before ?? null, row)) s.addCounts.run(r.day, d.unitId, ...COUNT_COLUMNS.map((c) => d.delta[c]));
      const input = checkinAuditInput(w, row, !before);
      const hash = auditHash(prevHash, input);
      s.audit.run(input.at, input.actorUserId, input.actorName, input.action, input.entity, input.entityId, input.unitId, input.detail, input.ip, prevHash, hash);
      // An abnormal check-in may open a health watch: decided by a job, committed with the check-in.
      if (row.abnormal) s.enqueueJob.run(...enqueueJobParams(w.now, abnormalCheckinJob(row.id, w.now)));
      const written = { row, created: !before };
      if (w.idempotency) {
        const k = idempotencyKeyRow(w, written);
        s.idempotency.run(k.user_id, k.key, k.request_hash, k.status_code, k.response, k.created_at, k.expires_at);
      }
      return { written, hash };
    };
    const inSavepoint = this.sqlite.transaction(write); // nested in the batch's transaction: a savepoint
    this.sqlite
      .transaction(() => {
        let prev = s.lastHash.get()?.hash ?? GENESIS_HASH;
        for (const j of batch) {
          if (!isolate) {
            const out = write(j, prev);
            prev = out.hash;
            j.result = out.written;
            continue;
          }
          try {
            const out = inSavepoint(j, prev); // a failure undoes this check-in only
            prev = out.hash;
            j.result = out.written;
          } catch (err) {
            j.error = err;
          }
        }
        touchSessionRows(this.sqlite, touches);
      })
      .immediate();
  }
}
