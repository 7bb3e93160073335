import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { App } from '../server/app.js';
import type { Conn } from '../server/db/database.js';
import { testEnv } from './env.js';

/** One request as the security suites describe it: everything app.inject needs, nothing more. */
export interface HttpRequest {
  method: string;
  url: string;
  query?: Record<string, string>;
  /** A JSON value (sent as application/json), or raw bytes with the content type in `headers`. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  /** Parsed JSON when the answer is JSON, else null (spreadsheets, HTML, metrics text). */
  json: unknown;
  contentType: string;
  raw: string;
}

export function urlWithQuery(url: string, query?: Record<string, string>): string {
  if (!query || Object.keys(query).length === 0) return url;
  return `${url}?${new URLSearchParams(query).toString()}`;
}

/** Send one request through the app (no network), with the session cookie when given. */
export async function send(app: App, cookie: string | null, req: HttpRequest): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...req.headers };
  let payload: string | Buffer | undefined;
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') payload = req.body;
  else if (req.body !== undefined) {
    payload = JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.inject({
    method: req.method as 'GET',
    url: urlWithQuery(req.url, req.query),
    headers,
    ...(payload !== undefined ? { payload } : {}),
  });
  const contentType = String(res.headers['content-type'] ?? '');
  let json: unknown = null;
  if (contentType.includes('json') && res.body) {
    try {
      json = JSON.parse(res.body);
    } catch {
      json = null;
    }
  }
  return { status: res.statusCode, json, contentType, raw: contentType.includes('json') || contentType.startsWith('text/') ? res.body : '' };
}

/**
 * What is wrong with an error answer's body, or null when it has the one error shape:
 * `{ error: { code, message, fields? } }`, and a 400 validation error names at least one field.
 */
export function errorShapeProblem(a: HttpAnswer): string | null {
  const body = a.json as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null;
  if (!body || typeof body !== 'object' || !body.error || typeof body.error !== 'object') return `no { error } body (${a.contentType}: ${a.raw.slice(0, 120)})`;
  const e = body.error;
  if (typeof e.code !== 'string' || e.code.length === 0) return 'error.code is not a non-empty string';
  if (typeof e.message !== 'string' || e.message.length === 0) return 'error.message is not a non-empty string';
  if (e.fields !== undefined) {
    if (!e.fields || typeof e.fields !== 'object' || Array.isArray(e.fields)) return 'error.fields is not an object';
    for (const [k, v] of Object.entries(e.fields)) if (typeof v !== 'string') return `error.fields.${k} is not a string reason`;
  }
  if (e.code === 'validation' && (!e.fields || Object.keys(e.fields).length === 0)) return 'a validation error names no field';
  return null;
}

export function errorOf(a: HttpAnswer): { code?: string; message?: string; fields?: Record<string, string> } | undefined {
  return (a.json as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)?.error;
}

/** The tables whose rows a refused request must leave alone. */
export const DATA_TABLES = ['units', 'people', 'person_tags', 'users', 'grants', 'api_tokens', 'audit_log', 'settings', 'unit_channels', 'notifications', 'care_cases', 'care_needs', 'care_actions', 'care_requests'] as const;
export type DataTable = (typeof DATA_TABLES)[number];

export interface Snapshot {
  counts: Record<DataTable, number>;
  hashes: Partial<Record<DataTable, string>>;
}

/** Row counts of every data table (one query) and a content hash of the named tables. */
export async function snapshot(db: Conn, hashTables: readonly DataTable[] = []): Promise<Snapshot> {
  const counts = await sql<Record<DataTable, number | string>>`select ${sql.join(
    DATA_TABLES.map((t) => sql`(select count(*) from ${sql.table(t)}) as ${sql.ref(t)}`),
  )}`.execute(db);
  const row = counts.rows[0]!;
  const out: Snapshot = { counts: Object.fromEntries(DATA_TABLES.map((t) => [t, Number(row[t])])) as Record<DataTable, number>, hashes: {} };
  // audit_log is append-only (its rows never change), so its count above already says whether a
  // request wrote to it; hashing it too would read the whole log twice per actor, and the log grows
  // with every request the suite makes (the matrix slowed to quadratic time on it).
  for (const t of hashTables.filter((t) => t !== 'audit_log')) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db);
    const lines = rows.rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k] === null ? null : String(r[k])]))).sort();
    out.hashes[t] = createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return out;
}

/** How two snapshots differ, in words, or null when they are the same. */
export function snapshotDiff(before: Snapshot, after: Snapshot): string | null {
  const diffs: string[] = [];
  for (const t of DATA_TABLES) if (before.counts[t] !== after.counts[t]) diffs.push(`${t} rows ${before.counts[t]} → ${after.counts[t]}`);
  for (const [t, h] of Object.entries(before.hashes)) if (after.hashes[t as DataTable] !== h) diffs.push(`${t} contents changed`);
  return diffs.length ? diffs.join(', ') : null;
}

/** A multipart/form-data body with one file part, boundary written by hand. */
export function multipartFile(opts: { field?: string; filename: string; contentType: string; content: string | Buffer; fields?: Record<string, string> }): {
  body: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----bulwark${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(opts.fields ?? {})) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${opts.filename}"\r\nContent-Type: ${opts.contentType}\r\n\r\n`,
    ),
    Buffer.isBuffer(opts.content) ? opts.content : Buffer.from(opts.content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * The routes this build registers as `METHOD /url` (without the server-sent event streams when `streams: false`), read from a throwaway app at collection time,
 * so that suites can give each route its own (possibly skipped) test.
 */
export async function registeredRouteKeys(opts: { streams?: boolean } = {}): Promise<Set<string>> {
  const t = await testEnv('sqlite');
  try {
    return new Set((await t.app()).routeTable.filter((r) => opts.streams !== false || !r.stream).map((r) => `${r.method} ${r.url}`));
  } finally {
    await t.close();
  }
}
