import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';

/**
 * Counselling notes are encrypted at rest with AES-256-GCM (node:crypto). The key comes from the
 * server's settings: BULWARK_CARE_KEY (32 bytes, base64), else a key file (BULWARK_CARE_KEY_FILE,
 * default `care.key` beside the SQLite database) made with mode 0600 on first start. The key must
 * be backed up with the database and be the same on every server process: a note written under one
 * key cannot be read under another (decryption fails loudly, never silently).
 *
 * Stored form: base64(iv 12 bytes | tag 16 bytes | ciphertext), with the case id as additional
 * authenticated data, so a note copied onto another case does not decrypt either.
 */

export const CARE_KEY_FILE_NAME = 'care.key';

/** Thrown when a stored note does not decrypt: the key is not the one it was written with (or the row was altered). */
export class CareKeyError extends Error {
  constructor(what: string) {
    super(`A counselling note (${what}) cannot be decrypted: the care key (BULWARK_CARE_KEY or its key file) is not the key it was written with, or the stored note was altered. Restore the key that was backed up with this database.`);
    this.name = 'CareKeyError';
  }
}

const keys = new WeakMap<Config, Buffer>();

/** Where the key file is: BULWARK_CARE_KEY_FILE, else beside the SQLite database; null for an in-memory database without one (tests). */
export function careKeyFilePath(config: Config): string | null {
  if (config.careKey.file) return config.careKey.file;
  if (config.sqlitePath === ':memory:' || config.sqlitePath === '') return null;
  return path.join(path.dirname(path.resolve(config.sqlitePath)), CARE_KEY_FILE_NAME);
}

function readOrMakeKeyFile(file: string): Buffer {
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').trim();
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32) throw new Error(`The care key file ${file} does not hold 32 bytes in base64`);
    return key;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process made a moment ago; then read whichever won.
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readOrMakeKeyFile(file);
    throw e;
  }
  return key;
}

/** The key of this configuration (read or made once per process and configuration). */
export function careKeyFor(config: Config): Buffer {
  let key = keys.get(config);
  if (key) return key;
  if (config.careKey.key) key = config.careKey.key;
  else {
    const file = careKeyFilePath(config);
    // An in-memory database lives and dies with the process: so does its key.
    key = file === null ? randomBytes(32) : readOrMakeKeyFile(file);
  }
  keys.set(config, key);
  return key;
}

const aadOf = (caseId: number) => Buffer.from(`bulwark.care.note.v1:${caseId}`, 'utf8');

/** Encrypt a counselling note of a case. */
export function encryptNote(key: Buffer, caseId: number, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadOf(caseId));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

/** Decrypt a counselling note of a case; CareKeyError when the key or the row is not right. */
export function decryptNote(key: Buffer, caseId: number, stored: string, what = `case ${caseId}`): string {
  const raw = Buffer.from(stored, 'base64');
  if (raw.length < 28) throw new CareKeyError(what);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(aadOf(caseId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new CareKeyError(what);
  }
}
