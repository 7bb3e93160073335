import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/** Runs the real CLI against a temporary SQLite file; resolves with the exit code and output. */
async function bulwark(dbFile: string, ...args: string[]) {
  try {
    const r = await run(tsx, [path.join(root, 'cli/bulwark.ts'), ...args], { env: { ...process.env, BULWARK_DB: dbFile, DATABASE_URL: '' }, cwd: root });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('bulwark CLI (SQLite file)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates, creates an administrator, backs up online and verifies the audit chain', async () => {
    const db = path.join(dir, 'a.db');
    expect((await bulwark(db, 'migrate')).code).toBe(0);
    const bad = await bulwark(db, 'create-admin', '--username', 'root');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--password');
    const ok = await bulwark(db, 'create-admin', '--username', 'root', '--password', 'long enough password', '--organisation', '青岛城投集团');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('administrator "root" created');
    const backup = path.join(dir, 'backup.db');
    expect((await bulwark(db, 'backup', backup)).code).toBe(0);
    const copy = new SQLite(backup, { readonly: true });
    expect(copy.prepare('select username from users').all()).toEqual([{ username: 'root' }]);
    copy.close();
    const verified = await bulwark(db, 'verify-audit');
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/intact: \d+ rows/);
  }, 60_000);

  it('verify-audit exits non-zero and names the first altered row', async () => {
    const db = path.join(dir, 'b.db');
    await bulwark(db, 'create-admin', '--username', 'root', '--password', 'long enough password');
    const raw = new SQLite(db);
    const first = raw.prepare('select min(id) as id from audit_log').get() as { id: number };
    raw.prepare("update audit_log set actor_name = 'someone else' where id = ?").run(first.id);
    raw.close();
    const r = await bulwark(db, 'verify-audit');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`row ${first.id}`);
  }, 60_000);

  it('rejects an unknown command with usage', async () => {
    const r = await bulwark(path.join(dir, 'c.db'), 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command');
  });
});
