/**
 * What a durable SQLite COMMIT costs as a function of the random index pages a batch dirties: the
 * figure that limits the check-in writer thread (bench/RESULTS.md, "Where the writer thread's time
 * goes"). A table like a check-in's, with 0–4 secondary indexes on random keys, 300,000 rows,
 * then 1,500 batches of 15 inserts (the morning peak's usual batch), each in one BEGIN IMMEDIATE …
 * COMMIT on a WAL file; the time of the inserts and of the COMMIT, per batch.
 *
 *   npx tsx bench/sqlite-commit.bench.ts
 *
 * Variants: synchronous FULL (what ships) and NORMAL (no fsync at commit), the automatic
 * checkpoint at SQLite's default 1,000 pages, at 10,000, and off (the WAL only grows), and a 1 KiB
 * page. Each variant runs on a fresh file in the OS temporary directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';

interface Variant {
  indexes: number;
  synchronous: 'FULL' | 'NORMAL';
  autocheckpoint: number;
  pageSize: number;
}

const ROWS = 300_000;
const BATCHES = 1_500;
const BATCH = 15;
const random = () => Math.floor(Math.random() * 1e6);

function run(v: Variant): { body: number; commit: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-commit-'));
  const db = new SQLite(path.join(dir, 'bench.db'));
  try {
    db.pragma(`page_size = ${v.pageSize}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${v.synchronous}`);
    db.pragma(`wal_autocheckpoint = ${v.autocheckpoint}`);
    db.pragma('cache_size = -8000');
    db.exec('create table t (id integer primary key, a integer, b integer, c integer, d integer, x text)');
    for (let k = 0; k < v.indexes; k++) db.exec(`create index t_${k} on t (${'abcd'[k]}, id)`);
    const insert = db.prepare('insert into t (a, b, c, d, x) values (?, ?, ?, ?, ?)');
    const note = 'x'.repeat(80);
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) insert.run(random(), random(), random(), random(), note);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    let body = 0n;
    let commit = 0n;
    for (let i = 0; i < BATCHES; i++) {
      db.exec('BEGIN IMMEDIATE');
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < BATCH; k++) insert.run(random(), random(), random(), random(), note);
      const t1 = process.hrtime.bigint();
      db.exec('COMMIT');
      commit += process.hrtime.bigint() - t1;
      body += t1 - t0;
    }
    return { body: Number(body) / BATCHES / 1e3, commit: Number(commit) / BATCHES / 1e3 };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const base: Variant = { indexes: 4, synchronous: 'FULL', autocheckpoint: 1000, pageSize: 4096 };
const variants: [string, Variant][] = [
  ['no secondary index', { ...base, indexes: 0 }],
  ['2 random indexes', { ...base, indexes: 2 }],
  ['4 random indexes (as shipped: FULL, checkpoint at 1,000 pages)', base],
  ['4, synchronous NORMAL', { ...base, synchronous: 'NORMAL' }],
  ['4, checkpoint at 10,000 pages', { ...base, autocheckpoint: 10_000 }],
  ['4, no automatic checkpoint', { ...base, autocheckpoint: 0 }],
  ['4, NORMAL and no automatic checkpoint', { ...base, synchronous: 'NORMAL', autocheckpoint: 0 }],
  ['4, 1 KiB pages', { ...base, pageSize: 1024 }],
];

console.log(`SQLite COMMIT cost: ${ROWS} rows, ${BATCHES} batches of ${BATCH} inserts, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
for (const [name, v] of variants) {
  const r = run(v);
  console.log(`  ${name}: inserts ${r.body.toFixed(0)} µs, COMMIT ${r.commit.toFixed(0)} µs a batch (${(r.commit / BATCH).toFixed(0)} µs a row)`);
}
