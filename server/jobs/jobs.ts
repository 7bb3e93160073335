import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Conn } from '../db/database.js';
import type { JobRow } from '../db/schema.js';
import type { Deps } from '../deps.js';

/**
 * Time-bound work is rows, not timers. A job is written in the same transaction as the change that
 * causes it, claimed by whichever server process gets there first (SKIP LOCKED on PostgreSQL),
 * retried with back-off, and its handler must be idempotent: a job may run again after a crash
 * between its work and its completion.
 */
export interface JobSpec {
  kind: string;
  /** Unique: a second enqueue with the same key is ignored, so causes may enqueue freely. */
  key: string;
  payload?: unknown;
  runAt: number;
  maxAttempts?: number;
  /** Recurring jobs are rescheduled this long after each successful run. */
  intervalMs?: number;
}

export type JobHandler = (deps: Deps, payload: unknown, job: JobRow) => Promise<void>;

/** The row a new job is: pending, no attempts yet, nobody holding it. */
function newJobRow(now: number, spec: JobSpec) {
  return {
    kind: spec.kind,
    key: spec.key,
    payload: JSON.stringify(spec.payload ?? null),
    run_at: spec.runAt,
    status: 'pending',
    attempts: 0,
    max_attempts: spec.maxAttempts ?? 10,
    interval_ms: spec.intervalMs ?? null,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

export async function enqueueJob(tx: Conn, now: number, spec: JobSpec): Promise<void> {
  await tx
    .insertInto('jobs')
    .values(newJobRow(now, spec))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** Many jobs in a few statements (a notification to thousands of units); the same rows as enqueueJob. */
export async function enqueueJobs(tx: Conn, now: number, specs: readonly JobSpec[]): Promise<void> {
  for (let i = 0; i < specs.length; i += 500) {
    await tx
      .insertInto('jobs')
      .values(specs.slice(i, i + 500).map((s) => newJobRow(now, s)))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
}

const JOB_COLUMNS = ['kind', 'key', 'payload', 'run_at', 'status', 'attempts', 'max_attempts', 'interval_ms', 'locked_by', 'locked_until', 'last_error', 'created_at', 'updated_at'] as const;

/** enqueueJob as one raw statement, for a write path running on the SQLite driver itself (the check-in group commit). */
export const ENQUEUE_JOB_SQL = `insert into jobs (${JOB_COLUMNS.join(', ')}) values (${JOB_COLUMNS.map(() => '?').join(', ')}) on conflict (key) do nothing`;

/** The parameters of ENQUEUE_JOB_SQL: the same row enqueueJob writes. */
export function enqueueJobParams(now: number, spec: JobSpec): unknown[] {
  const row: Record<(typeof JOB_COLUMNS)[number], unknown> = newJobRow(now, spec);
  return JOB_COLUMNS.map((c) => row[c]);
}

export function backoffMs(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1) * 5_000, 60 * 60 * 1000);
}

/**
 * How long a claim holds without news from its worker. A worker renews the leases of the jobs it
 * holds every RENEW_MS while it runs them (however long a handler takes), so a lease only runs out
 * when its worker is gone: then another process takes the job within a minute, not the five a
 * lease long enough for the slowest handler would cost. (On SQLite one process runs the jobs and
 * puts a dead predecessor's back at start: releaseOrphans.)
 */
export const LEASE_MS = 60 * 1000;
const RENEW_MS = 15 * 1000;

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  readonly workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly deps: Deps,
    private readonly pollMs = 1000,
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Claim due jobs (and jobs whose lease ran out: their worker died) for this worker. */
  async claim(limit = 20): Promise<JobRow[]> {
    const { db, clock, dialect } = this.deps;
    const now = clock.now();
    const due = db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .limit(limit);
    return db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        locked_by: this.workerId,
        locked_until: now + LEASE_MS,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', dialect === 'postgres' ? due.modifyEnd(sql`for update skip locked`) : due)
      .returningAll()
      .execute();
  }

  /** Put every job marked running back to pending: only for a database no other live process runs jobs on (SQLite). */
  async releaseOrphans(): Promise<number> {
    const r = await this.deps.db
      .updateTable('jobs')
      .set({ status: 'pending', locked_by: null, locked_until: null, updated_at: this.deps.clock.now() })
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Extend the leases of the jobs this worker holds (while it runs them). */
  async renewLeases(): Promise<number> {
    const now = this.deps.clock.now();
    const r = await this.deps.db
      .updateTable('jobs')
      .set({ locked_until: now + LEASE_MS, updated_at: now })
      .where('status', '=', 'running')
      .where('locked_by', '=', this.workerId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** One pass: claim what is due and run it. Returns how many jobs ran. Tests call this directly. */
  async tick(): Promise<number> {
    const jobs = await this.claim();
    if (jobs.length === 0) return 0;
    const renew = setInterval(() => void this.renewLeases().catch(() => undefined), RENEW_MS);
    renew.unref();
    try {
      for (const job of jobs) await this.runOne(job);
    } finally {
      clearInterval(renew);
    }
    return jobs.length;
  }

  private async runOne(job: JobRow): Promise<void> {
    const { db, clock } = this.deps;
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler(this.deps, JSON.parse(job.payload) as unknown, job);
      const now = clock.now();
      const done = job.interval_ms
        ? { status: 'pending', run_at: now + Number(job.interval_ms), attempts: 0, last_error: null }
        : { status: 'done' };
      await db
        .updateTable('jobs')
        .set({ ...done, locked_by: null, locked_until: null, updated_at: now })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.workerId)
        .execute();
    } catch (err) {
      const now = clock.now();
      const failed = job.attempts >= job.max_attempts;
      await db
        .updateTable('jobs')
        .set({
          status: failed ? 'failed' : 'pending',
          run_at: failed ? job.run_at : now + backoffMs(job.attempts),
          last_error: String(err instanceof Error ? err.message : err).slice(0, 2000),
          locked_by: null,
          locked_until: null,
          updated_at: now,
        })
        .where('id', '=', job.id)
        .execute();
    }
  }

  start(): void {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      this.running = this.tick().catch(() => 0);
      const n = await this.running;
      this.running = null;
      // Drain a backlog at once; otherwise wait for the next poll.
      if (!this.stopped) this.timer = setTimeout(() => void loop(), n > 0 ? 0 : this.pollMs);
    };
    this.timer = setTimeout(() => void loop(), 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
  }
}

/** Jobs waiting to run (the queue depth shown in /metrics). */
export async function queueDepth(db: Conn): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const get = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: get('pending'), failed: get('failed') };
}
