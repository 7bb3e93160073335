import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { Deps } from '../../deps.js';
import { sessionTouchesFor } from '../auth/session.touches.js';
import { CheckinBatchWriter } from './checkin.batch.js';
import { checkinsCommitted } from './checkin.events.js';
import { CheckinQueue, type QueuedCheckin } from './checkin.queue.js';
import { errorOf, type ThreadReply, type ThreadRequest } from './checkin.thread.js';

export type { CheckinWrite, CheckinWritten } from './checkin.batch.js';

/**
 * Group commit for check-ins on SQLite. A durable commit (synchronous=FULL) costs an fsync, and
 * one per request caps the morning peak far below what the HTTP layer can take; so check-ins that
 * arrive within a few milliseconds of each other (or while the previous batch is committing) share
 * one transaction. Each request is answered only after the COMMIT of its batch has returned, and a
 * live dashboard hears of a check-in only then (it could still roll back before).
 *
 * Two ways to run a batch (CheckinBatchWriter, the same code): on a database file, on a thread of
 * its own with its own connection (CheckinThreadWriter), so the inserts, the audit hashes and the
 * fsync use the second core while the event loop goes on parsing requests; an in-memory database
 * (tests) has one connection only, so there on the event loop (CheckinWriter).
 */
export class CheckinWriter extends CheckinQueue {
  private readonly batches: CheckinBatchWriter;

  constructor(
    private readonly deps: Deps,
    sqlite: SQLite.Database,
    opts?: { windowMs: number; maxBatch: number },
  ) {
    super(opts);
    this.batches = new CheckinBatchWriter(sqlite);
  }

  protected async writeAndAnswer(batch: QueuedCheckin[]): Promise<void> {
    try {
      // The batch runs on the raw handle while holding Kysely's single connection, which keeps every
      // other statement of this process out of its transaction.
      await this.deps.db.connection().execute(async () => this.batches.commit(batch));
    } catch (err) {
      for (const j of batch) j.reject(err);
      return;
    }
    answer(this.deps, batch);
  }
}

/** Answer each request of a written batch, then tell the live dashboards. */
function answer(deps: Deps, batch: QueuedCheckin[]): void {
  for (const j of batch) {
    if (j.result) j.resolve(j.result);
    else j.reject(j.error ?? new Error('check-in not written'));
  }
  checkinsCommitted(deps, batch.flatMap((j) => (j.result ? [j.result.row] : [])));
}

/**
 * The writer on a thread of its own (checkin.worker.ts). One batch is in flight at a time; the
 * next gathers on the event loop meanwhile. If the thread dies, the batch in flight fails (its
 * requests get a 5xx and the phones retry under their Idempotency-Key) and the next batch starts a
 * new thread. Every other write of the app stays on the event loop's connection, whose
 * transactions begin IMMEDIATE (db/database.ts) so the two connections take turns.
 */
export class CheckinThreadWriter extends CheckinQueue {
  /**
   * Modules the thread imports before it starts (test fixtures only: checkins.process.fixture.ts
   * puts itself here so it can act inside the thread too).
   */
  static readonly preload: string[] = [];
  private worker: Worker | null = null;
  private inFlight: { id: number; resolve(r: ThreadReply): void; reject(e: unknown): void } | null = null;
  private nextId = 1;

  constructor(
    private readonly deps: Deps,
    private readonly file: string,
    opts?: { windowMs: number; maxBatch: number },
  ) {
    super(opts);
  }

  protected async writeAndAnswer(batch: QueuedCheckin[]): Promise<void> {
    // The sessions seen since the last batch (each check-in's, mostly) move their last-seen time in
    // this batch's transaction: a few rows each, instead of a second's worth on the event loop.
    const touches = sessionTouchesFor(this.deps);
    const touched = touches.take();
    let reply: ThreadReply;
    try {
      reply = await this.send(batch, [...touched]);
    } catch (err) {
      touches.settle(touched, true);
      for (const j of batch) j.reject(err);
      return;
    }
    touches.settle(touched, reply.type === 'failed');
    if (reply.type === 'failed') {
      for (const j of batch) j.reject(errorOf(reply.error));
      return;
    }
    reply.results.forEach((r, i) => {
      const j = batch[i]!;
      if ('written' in r) j.result = r.written;
      else j.error = errorOf(r.error);
    });
    answer(this.deps, batch);
  }

  /** Commit whatever is queued, then stop the thread (its connection closes with it). */
  async close(): Promise<void> {
    await this.drain();
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = once(w, 'exit');
    w.postMessage({ type: 'close' } satisfies ThreadRequest);
    await exited;
  }

  private send(batch: QueuedCheckin[], touches: [string, number][]): Promise<ThreadReply> {
    const w = (this.worker ??= this.spawn());
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.inFlight = { id, resolve, reject };
      w.postMessage({ type: 'batch', id, writes: batch.map((j) => j.write), touches } satisfies ThreadRequest);
    });
  }

  private spawn(): Worker {
    const w = spawnWriterThread(this.file, CheckinThreadWriter.preload);
    w.on('message', (m: ThreadReply) => {
      const f = this.inFlight;
      if (f?.id !== m.id) return;
      this.inFlight = null;
      f.resolve(m);
    });
    const lost = (err: Error) => {
      if (this.worker === w) this.worker = null;
      const f = this.inFlight;
      this.inFlight = null;
      f?.reject(err);
    };
    w.on('error', lost);
    w.on('exit', (code) => lost(new Error(`the check-in writer thread stopped (exit code ${code})`)));
    // The server's own life decides when the process ends, not this thread.
    w.unref();
    return w;
  }
}

/**
 * Start checkin.worker: the compiled .js in production; when the server runs from its TypeScript
 * sources (tests, tsx), through tsx's loader, which a worker thread does not inherit.
 */
function spawnWriterThread(file: string, preload: readonly string[]): Worker {
  // A batch is at most a few hundred small rows: a small heap keeps the thread's memory small.
  const options = { workerData: { file, preload }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./checkin.worker.js', import.meta.url), options);
  // Resolved here (the thread's eval'd code has no module of its own to resolve from), in its ESM form.
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./checkin.worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { ...options, eval: true });
}

type Writer = CheckinWriter | CheckinThreadWriter;
const writers = new WeakMap<object, Writer>();

/** The one writer of a SQLite database (keyed by its handle), made on first use. */
export function checkinWriterFor(deps: Deps): Writer | null {
  const sqlite = deps.handle.sqlite;
  if (!sqlite) return null;
  let w = writers.get(sqlite);
  if (!w) {
    w = sqlite.memory || !deps.config.checkinThread ? new CheckinWriter(deps, sqlite) : new CheckinThreadWriter(deps, sqlite.name);
    writers.set(sqlite, w);
  }
  return w;
}

/** Commit and forget the writer of this database, if any (the app is closing). */
export async function closeCheckinWriter(deps: Deps): Promise<void> {
  const sqlite = deps.handle.sqlite;
  if (!sqlite) return;
  const w = writers.get(sqlite);
  writers.delete(sqlite);
  if (w instanceof CheckinThreadWriter) await w.close();
  else await w?.drain();
}
