/**
 * Loaded with `--import` into the real server that checkins.process.test.ts starts as a child
 * process; never part of the application. Two switches, by environment:
 *
 * BULWARK_TEST_CLOCK=<ms>  the server's clock stands still at this instant and moves on by
 *   BULWARK_TEST_CLOCK_STEP_MS at each SIGUSR2, so a test can put a real server a moment before a
 *   midnight and then past it.
 * BULWARK_TEST_ACK_BEFORE_COMMIT=1  durability broken on purpose: the SQLite check-in writer
 *   answers each batch before its COMMIT, which comes every 50 ms for all the batches of that time.
 *   The kill test must then find acknowledged check-ins missing, which shows it can see a loss.
 *   The writer runs on a thread of its own: this module asks to be imported there too.
 */
import type SQLite from 'better-sqlite3';
import { isMainThread } from 'node:worker_threads';
import { systemClock } from '../../clock.js';
import { CheckinBatchWriter } from './checkin.batch.js';
import { CheckinThreadWriter } from './checkin.writer.js';

const at = process.env.BULWARK_TEST_CLOCK;
if (at) {
  let now = Number(at);
  const step = Number(process.env.BULWARK_TEST_CLOCK_STEP_MS ?? 0);
  (systemClock as { now: () => number }).now = () => now;
  process.on('SIGUSR2', () => {
    now += step;
  });
}

if (isMainThread) CheckinThreadWriter.preload.push(import.meta.url);

if (process.env.BULWARK_TEST_ACK_BEFORE_COMMIT === '1') {
  type Internals = { sqlite: SQLite.Database; commit(batch: unknown[]): void };
  const proto = CheckinBatchWriter.prototype as unknown as Internals;
  const commitForReal = proto.commit;
  proto.commit = function (this: Internals, batch: unknown[]) {
    // One transaction stays open for 50 ms and takes every batch of that time; inside it the
    // writer's own transaction becomes a savepoint, so its requests are answered on return, up to
    // 50 ms before their COMMIT.
    if (!this.sqlite.inTransaction) {
      this.sqlite.exec('BEGIN IMMEDIATE');
      setTimeout(() => {
        if (this.sqlite.inTransaction) this.sqlite.exec('COMMIT');
      }, 50);
    }
    commitForReal.call(this, batch);
  };
}
