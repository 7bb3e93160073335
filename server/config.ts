import { isValidTimeZone } from '../common/day.js';

/** Settings from the environment, parsed once at start; a bad value stops the server with its name. */
export interface Config {
  port: number;
  host: string;
  sqlitePath: string;
  databaseUrl: string | null;
  /** BULWARK_PG_SCHEMA: the PostgreSQL schema to use instead of the default (several deployments, or a test, on one database). */
  pgSchema: string | null;
  timeZone: string;
  /** Secure cookies need HTTPS; on by default when not on a loopback address. */
  secureCookies: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  logLevel: string;
  webRoot: string | null;
  /** BULWARK_TEST_TIME="anchorMs,speed": an accelerated clock for process tests (NODE_ENV=test only). */
  testClock: { anchor: number; speed: number } | null;
  /** The incident escalation watchdog: how often it looks (ms) and how late an escalation may be (ms). */
  watchdog: { everyMs: number; graceMs: number };
  /** E-mail over SMTP (notify's e-mail channels); null: e-mail is off. */
  smtp: SmtpConfig | null;
  /**
   * The key of counselling notes (care, AES-256-GCM): BULWARK_CARE_KEY (32 bytes, base64), else the
   * key file BULWARK_CARE_KEY_FILE (default: care.key beside the SQLite database), made on first start.
   */
  careKey: { key: Buffer | null; file: string | null };
  /**
   * BULWARK_CHECKIN_THREAD (SQLite file only, default on): write check-ins on a thread of their
   * own (checkin.writer.ts); `off` writes them on the event loop, as before.
   */
  checkinThread: boolean;
}

function pgSchemaOf(v: string | undefined): string | null {
  if (!v) return null;
  // It goes into the connection options unquoted: a plain identifier only.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(v)) throw new Error(`BULWARK_PG_SCHEMA must be a plain lower-case identifier, got "${v}"`);
  return v;
}

function parseTestClock(env: NodeJS.ProcessEnv): Config['testClock'] {
  const v = env.BULWARK_TEST_TIME;
  if (!v) return null;
  // A clock that runs fast would fire every escalation early: never outside a test.
  if (env.NODE_ENV !== 'test') throw new Error('BULWARK_TEST_TIME is for tests only (NODE_ENV=test); remove it');
  const [anchor, speed] = v.split(',').map(Number);
  if (!Number.isFinite(anchor) || !Number.isFinite(speed) || speed! <= 0) throw new Error(`BULWARK_TEST_TIME must be "anchorMs,speed", got "${v}"`);
  return { anchor: anchor!, speed: speed! };
}

export interface SmtpConfig {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. */
  url: string;
  /** The From of every message, e.g. "防控办 <bulwark@example.cn>". */
  from: string;
}

/** BULWARK_SMTP_URL and BULWARK_SMTP_FROM, both or neither. */
function smtpOf(env: NodeJS.ProcessEnv): SmtpConfig | null {
  const url = env.BULWARK_SMTP_URL?.trim();
  const from = env.BULWARK_SMTP_FROM?.trim();
  if (!url) {
    if (from) throw new Error('BULWARK_SMTP_FROM is set but BULWARK_SMTP_URL is not');
    return null;
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error('BULWARK_SMTP_URL must be a URL like smtp://user:pass@host:587 or smtps://host:465');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error('BULWARK_SMTP_URL must start with smtp:// or smtps://');
  if (!from) throw new Error('BULWARK_SMTP_FROM must be set with BULWARK_SMTP_URL (the From address of every e-mail)');
  return { url, from };
}

function onOff(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const v = env[name]?.trim().toLowerCase();
  if (!v) return dflt;
  if (v === 'on' || v === 'true' || v === '1') return true;
  if (v === 'off' || v === 'false' || v === '0') return false;
  throw new Error(`${name} must be on or off, got "${env[name]}"`);
}

/** BULWARK_CARE_KEY (base64 of 32 bytes) or BULWARK_CARE_KEY_FILE (a path); the key file is read or made at start (care.crypto.ts). */
function careKeyOf(env: NodeJS.ProcessEnv): Config['careKey'] {
  const v = env.BULWARK_CARE_KEY?.trim();
  const file = env.BULWARK_CARE_KEY_FILE?.trim() || null;
  if (!v) return { key: null, file };
  const key = Buffer.from(v, 'base64');
  if (key.length !== 32 || key.toString('base64') !== v) throw new Error('BULWARK_CARE_KEY must be 32 bytes in base64 (e.g. the output of: openssl rand -base64 32)');
  return { key, file: null };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const timeZone = env.BULWARK_TIMEZONE ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timeZone)) throw new Error(`BULWARK_TIMEZONE is not a known time zone: "${timeZone}"`);
  const host = env.HOST ?? '127.0.0.1';
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  const minutes = (name: string, dflt: number) => {
    const v = Number(env[name] ?? dflt);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number of minutes`);
    return v * 60_000;
  };
  const seconds = (name: string, dflt: number) => {
    const v = Number(env[name] ?? dflt);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number of seconds`);
    return v * 1000;
  };
  return {
    port,
    host,
    sqlitePath: env.BULWARK_DB ?? './data/bulwark.db',
    databaseUrl: env.DATABASE_URL || null,
    pgSchema: pgSchemaOf(env.BULWARK_PG_SCHEMA),
    timeZone,
    secureCookies: env.BULWARK_SECURE_COOKIES ? env.BULWARK_SECURE_COOKIES === 'true' : !loopback,
    sessionIdleMs: minutes('BULWARK_SESSION_IDLE_MINUTES', 120),
    sessionAbsoluteMs: minutes('BULWARK_SESSION_MAX_MINUTES', 12 * 60),
    logLevel: env.LOG_LEVEL ?? 'info',
    webRoot: env.BULWARK_WEB_ROOT ?? null,
    testClock: parseTestClock(env),
    watchdog: {
      everyMs: seconds('BULWARK_WATCHDOG_EVERY_SECONDS', 30),
      graceMs: seconds('BULWARK_WATCHDOG_GRACE_SECONDS', 120),
    },
    smtp: smtpOf(env),
    careKey: careKeyOf(env),
    checkinThread: onOff(env, 'BULWARK_CHECKIN_THREAD', true),
  };
}
