import type { CheckinWrite, CheckinWritten } from './checkin.batch.js';

/** One queued check-in: the write, how to answer its request, and (SQLite) what its batch made of it. */
export interface QueuedCheckin {
  write: CheckinWrite;
  resolve(r: CheckinWritten): void;
  reject(e: unknown): void;
  result?: CheckinWritten;
  error?: unknown;
}

/**
 * The queue of a group-commit writer, the same on both databases: check-ins wait here and are
 * written a batch at a time, one batch running at once, each request answered by the database's
 * writer after its batch commits. Only writing (and, on PostgreSQL, picking) a batch differs.
 */
export abstract class CheckinQueue {
  protected queue: QueuedCheckin[] = [];
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    /**
     * windowMs 0: the batch starts at the end of the event loop's turn (setImmediate), once every
     * request that arrived with this one has reached the queue; requests arriving while it commits
     * make the next batch. A fixed wait (2 ms) added itself to every answer at low load and measured
     * no better at high load (bench/RESULTS.md).
     */
    protected readonly opts: { windowMs: number; maxBatch: number } = { windowMs: 0, maxBatch: 500 },
  ) {}

  /** Queue one check-in; resolves once it is committed. */
  submit(write: CheckinWrite): Promise<CheckinWritten> {
    if (this.closed) return Promise.reject(new Error('the check-in writer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.schedule();
    });
  }

  /** Commit whatever is queued and wait for it: called when the app closes. */
  async drain(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    this.timer = null;
    if (this.queue.length > 0 && !this.running) this.start();
    await this.running;
  }

  /** The next batch, taken off the queue: at most maxBatch, in order. */
  protected take(): QueuedCheckin[] {
    return this.queue.splice(0, this.opts.maxBatch);
  }

  /** Write one batch and answer each of its requests (never throws: a failure rejects its requests). */
  protected abstract writeAndAnswer(batch: QueuedCheckin[]): Promise<void>;

  private schedule(): void {
    if (this.running) return; // the running loop takes whatever is queued when its batch is done
    if (this.queue.length >= this.opts.maxBatch) {
      this.start();
      return;
    }
    if (this.timer) return;
    const go = () => {
      this.timer = null;
      if (!this.running) this.start();
    };
    if (this.opts.windowMs > 0) {
      const t = setTimeout(go, this.opts.windowMs);
      this.timer = { cancel: () => clearTimeout(t) };
    } else {
      const t = setImmediate(go);
      this.timer = { cancel: () => clearImmediate(t) };
    }
  }

  private start(): void {
    this.timer?.cancel();
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      // Anything queued after the loop's last look starts a new round.
      if (this.queue.length > 0) this.schedule();
    });
  }

  private async loop(): Promise<void> {
    while (this.queue.length > 0) await this.writeAndAnswer(this.take());
  }
}
