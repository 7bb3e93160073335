/**
 * The check-in writer's thread (checkin.writer.ts, CheckinThreadWriter): its own connection to the
 * SQLite file, on which it writes each batch it is sent in one durable transaction and sends back
 * what became of every check-in. Parsing, sessions and answers stay on the event loop's thread; the
 * inserts, the audit chain's hashes and the fsync of the COMMIT happen here, on the other core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteFile } from '../../db/sqlite.js';
import { CheckinBatchWriter, type BatchItem } from './checkin.batch.js';
import { errorData, type ThreadReply, type ThreadRequest } from './checkin.thread.js';

const port = parentPort!;
const { file, preload } = workerData as { file: string; preload: string[] };
// Test fixtures only (CheckinThreadWriter.preload), imported from here so they share this thread's modules.
for (const m of preload) await import(m);
// The writer touches few pages (the ends of the check-ins, counts and audit log, and their indexes): a small cache.
const writer = new CheckinBatchWriter(openSqliteFile(file, { cacheKiB: 8_000 }));

port.on('message', (m: ThreadRequest) => {
  if (m.type === 'close') {
    writer.sqlite.close();
    port.close();
    return;
  }
  const batch: BatchItem[] = m.writes.map((write) => ({ write }));
  let reply: ThreadReply;
  try {
    writer.commit(batch, m.touches);
    reply = { type: 'done', id: m.id, results: batch.map((j) => (j.result ? { written: j.result } : { error: errorData(j.error ?? new Error('check-in not written')) })) };
  } catch (err) {
    reply = { type: 'failed', id: m.id, error: errorData(err) };
  }
  port.postMessage(reply);
});
