/**
 * Loaded with `--import` into the real server that checkins.process.test.ts starts as a child
 * process; never part of the application. Two switches, by environment:
 *
 * BULWARK_TEST_CLOCK=<ms>  the server's clock stands still at this instant and moves on by
 *   BULWARK_TEST_CLOCK_STEP_MS at each SIGUSR2, so a test can put a real server a moment before a
 *   midnight and then past it.
 * BULWARK_TEST_ACK_BEFORE_COMMIT=1  durability broken on purpose: the SQLite check-in writer
 *   answers each batch from a dry run and writes it 50 ms later.
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
  type Touches = readonly (readonly [string, number])[];
  type Internals = { sqlite: SQLite.Database; commit(batch: { write: unknown }[], touches?: Touches): void };
  const proto = CheckinBatchWriter.prototype as unknown as Internals;
  const commitForReal = proto.commit;
  proto.commit = function (this: Internals, batch: { write: unknown }[], touches?: Touches) {
    // A dry run tells each request its answer: the batch written in a transaction that is rolled
    // back. The real write of the same check-ins follows 50 ms later, so every answer goes out up to
    // 50 ms before its COMMIT. (Holding one transaction open for those 50 ms instead kept the write
    // lock from the event loop's own writes, whose waits stalled the stream: a kill then often found
    // everything committed, and the test failed to see a loss about one round in two.)
    this.sqlite.exec('BEGIN IMMEDIATE');
    try {
      commitForReal.call(this, batch, touches);
    } finally {
      this.sqlite.exec('ROLLBACK');
    }
    const again = batch.map((j) => ({ write: j.write }));
    setTimeout(() => commitForReal.call(this, again, touches), 50);
  };
}
