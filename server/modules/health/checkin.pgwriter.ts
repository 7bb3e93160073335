import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/database.js';
import type { CheckinRow } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { appendAuditRows, lockAuditChain } from '../audit/audit.store.js';
import { checkinAuditInput, idempotencyKeyRow, type CheckinWrite, type CheckinWritten } from './checkin.batch.js';
import { checkinsCommitted } from './checkin.events.js';
import { CheckinQueue, type QueuedCheckin } from './checkin.queue.js';
import { abnormalCheckinJob, COUNT_COLUMNS, countDeltas, type CountVector } from './health.policy.js';


const key = (personId: number, day: string) => `${personId}|${day}`;

/**
 * Group commit for check-ins on PostgreSQL. Every write to the audit chain takes one advisory lock
 * and holds it through COMMIT, so check-ins written one transaction each queue behind each other's
 * commits (134/s measured). Here the check-ins that arrive while a batch commits share the next
 * transaction: one lock, a handful of statements whatever the batch's size (the day's rows of the
 * batch's people read at once, inserts and updates from arrays, the counts summed per unit in
 * memory, the audit rows chained in memory and inserted at once), one COMMIT. Each request is
 * answered after that COMMIT.
 *
 * The lock is taken first, so the rows read before writing cannot change under the batch: every
 * check-in writer, in any process, takes it first too (writeOne below, used when a batch fails, and
 * the service's own transaction). A batch that fails is undone whole and its check-ins are written
 * one by one, so a bad one fails alone. A person twice in the queue waits for the next batch.
 */
export class PgCheckinWriter extends CheckinQueue {
  constructor(
    private readonly deps: Deps,
    opts?: { windowMs: number; maxBatch: number },
  ) {
    super(opts);
  }

  /** The next batch: at most maxBatch, each (person, day) once; later repeats stay queued in order. */
  protected override take(): QueuedCheckin[] {
    const seen = new Set<string>();
    const batch: QueuedCheckin[] = [];
    const rest: QueuedCheckin[] = [];
    for (const j of this.queue) {
      const k = key(j.write.row.person_id, j.write.row.day);
      if (batch.length < this.opts.maxBatch && !seen.has(k)) {
        seen.add(k);
        batch.push(j);
      } else rest.push(j);
    }
    this.queue = rest;
    return batch;
  }

  protected async writeAndAnswer(batch: QueuedCheckin[]): Promise<void> {
    let results: CheckinWritten[];
    try {
      results = await this.deps.db.transaction().execute((tx) => writeBatch(this.deps, tx, batch.map((j) => j.write)));
    } catch {
      // Undone whole: each check-in again in a transaction of its own, so only a bad one fails.
      await Promise.all(
        batch.map(async (j) => {
          try {
            const out = await this.deps.db.transaction().execute((tx) => writeBatch(this.deps, tx, [j.write]));
            checkinsCommitted(this.deps, [out[0]!.row]);
            j.resolve(out[0]!);
          } catch (err) {
            j.reject(err);
          }
        }),
      );
      return;
    }
    batch.forEach((j, i) => j.resolve(results[i]!));
    // After the COMMIT: a live dashboard never hears of a check-in that could still roll back.
    checkinsCommitted(
      this.deps,
      results.map((r) => r.row),
    );
  }
}

/** Write check-ins of distinct (person, day) in the open transaction; the results in the same order. */
export async function writeBatch(deps: Deps, tx: Tx, writes: readonly CheckinWrite[]): Promise<CheckinWritten[]> {
  await lockAuditChain(tx, deps.dialect);
  const persons = writes.map((w) => w.row.person_id);
  const days = writes.map((w) => w.row.day);
  const { rows: found } = await sql<CheckinRow>`
    select c.* from checkins c join unnest(${persons}::int[], ${days}::text[]) as k(person_id, day)
      on c.person_id = k.person_id and c.day = k.day`.execute(tx);
  const before = new Map(found.map((r) => [key(r.person_id, r.day), r]));
  const fresh = writes.filter((w) => !before.has(key(w.row.person_id, w.row.day)));
  const again = writes.filter((w) => before.has(key(w.row.person_id, w.row.day)));
  const after = new Map<string, CheckinRow>();
  if (fresh.length > 0) {
    const col = <T>(f: (w: CheckinWrite) => T) => fresh.map(f);
    const { rows } = await sql<CheckinRow>`
      insert into checkins (person_id, unit_id, day, temperature, symptoms, location, city, note, abnormal, on_time, on_behalf_of_user_id, created_at, updated_at)
      select * from unnest(${col((w) => w.row.person_id)}::int[], ${col((w) => w.row.unit_id)}::int[], ${col((w) => w.row.day)}::text[],
        ${col((w) => w.row.temperature)}::int[], ${col((w) => w.row.symptoms)}::text[], ${col((w) => w.row.location)}::text[],
        ${col((w) => w.row.city)}::text[], ${col((w) => w.row.note)}::text[], ${col((w) => w.row.abnormal)}::int[],
        ${col((w) => w.row.on_time)}::int[], ${col((w) => w.row.on_behalf_of_user_id)}::int[], ${col((w) => w.now)}::bigint[], ${col((w) => w.now)}::bigint[])
      returning *`.execute(tx);
    for (const r of rows) after.set(key(r.person_id, r.day), r);
  }
  if (again.length > 0) {
    // A correction keeps the first check-in's timeliness, as on SQLite.
    const col = <T>(f: (w: CheckinWrite) => T) => again.map(f);
    const { rows } = await sql<CheckinRow>`
      update checkins c set unit_id = v.unit_id, temperature = v.temperature, symptoms = v.symptoms, location = v.location, city = v.city,
        note = v.note, abnormal = v.abnormal, on_behalf_of_user_id = v.on_behalf_of_user_id, updated_at = v.updated_at
      from unnest(${col((w) => before.get(key(w.row.person_id, w.row.day))!.id)}::int[], ${col((w) => w.row.unit_id)}::int[],
        ${col((w) => w.row.temperature)}::int[], ${col((w) => w.row.symptoms)}::text[], ${col((w) => w.row.location)}::text[],
        ${col((w) => w.row.city)}::text[], ${col((w) => w.row.note)}::text[], ${col((w) => w.row.abnormal)}::int[],
        ${col((w) => w.row.on_behalf_of_user_id)}::int[], ${col((w) => w.now)}::bigint[])
        as v(id, unit_id, temperature, symptoms, location, city, note, abnormal, on_behalf_of_user_id, updated_at)
      where c.id = v.id
      returning c.*`.execute(tx);
    for (const r of rows) after.set(key(r.person_id, r.day), r);
  }
  const results = writes.map((w) => {
    const k = key(w.row.person_id, w.row.day);
    return { row: after.get(k)!, created: !before.has(k) };
  });
  // The counts: every delta of the batch summed per (day, unit), one upsert.
  const sums = new Map<string, { day: string; unitId: number; delta: CountVector }>();
  for (const { row } of results) {
    for (const d of countDeltas(before.get(key(row.person_id, row.day)) ?? null, row)) {
      const k = `${row.day}|${d.unitId}`;
      const cur = sums.get(k);
      if (cur) for (const c of COUNT_COLUMNS) cur.delta[c] += d.delta[c];
      else sums.set(k, { day: row.day, unitId: d.unitId, delta: { ...d.delta } });
    }
  }
  const deltas = [...sums.values()].sort((a, b) => a.day.localeCompare(b.day) || a.unitId - b.unitId);
  if (deltas.length > 0) {
    const cols = COUNT_COLUMNS.map((c) => sql`${deltas.map((d) => d.delta[c])}::int[]`);
    await sql`
      insert into checkin_counts (day, unit_id, ${sql.join(COUNT_COLUMNS.map((c) => sql.ref(c)))})
      select * from unnest(${deltas.map((d) => d.day)}::text[], ${deltas.map((d) => d.unitId)}::int[], ${sql.join(cols)})
      on conflict (day, unit_id) do update set ${sql.join(COUNT_COLUMNS.map((c) => sql`${sql.ref(c)} = checkin_counts.${sql.ref(c)} + excluded.${sql.ref(c)}`))}`.execute(tx);
  }
  await appendAuditRows(
    tx,
    deps.dialect,
    writes.map((w, i) => checkinAuditInput(w, results[i]!.row, results[i]!.created)),
  );
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i]!;
    const written = results[i]!;
    // An abnormal check-in may open a health watch: decided by a job, committed with the check-in.
    if (written.row.abnormal) await enqueueJob(tx, w.now, abnormalCheckinJob(written.row.id, w.now));
    if (w.idempotency) await tx.insertInto('idempotency_keys').values(idempotencyKeyRow(w, written)).execute();
  }
  return results;
}

const writers = new WeakMap<object, PgCheckinWriter>();

/** The one batching writer of a PostgreSQL database in this process (keyed by its handle). */
export function pgCheckinWriterFor(deps: Deps): PgCheckinWriter | null {
  if (deps.dialect !== 'postgres') return null;
  let w = writers.get(deps.handle);
  if (!w) {
    w = new PgCheckinWriter(deps);
    writers.set(deps.handle, w);
  }
  return w;
}

/** Commit and forget this database's writer, if any (the app is closing). */
export async function closePgCheckinWriter(deps: Deps): Promise<void> {
  const w = writers.get(deps.handle);
  writers.delete(deps.handle);
  await w?.drain();
}
