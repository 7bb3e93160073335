import { createHmac } from 'node:crypto';

/**
 * The payloads of the chat robots and of our signed webhook, exactly as ../shared/INTEGRATIONS.md
 * gives them, as pure functions: what to POST where, and whether the answer means "delivered".
 */
export const CHANNEL_KINDS = ['dingtalk', 'wecom', 'feishu', 'generic', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelTarget {
  kind: ChannelKind;
  url: string;
  secret: string | null;
}

/** One message for a robot, rendered in zh-CN, with the event it comes from (the generic webhook sends all of it). */
export interface RobotMessage {
  eventId: string;
  title: string;
  text: string;
  /** Phone numbers to mention (DingTalk and WeCom highlight them). */
  mentions: string[];
  event: { kind: string; params: Record<string, string | number>; unitId: number | null; entity: string; entityId: string; link: string | null; createdAt: number };
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** DingTalk 加签: HMAC-SHA256 keyed by the secret over "timestamp\nsecret", Base64 (not yet URL-encoded). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu: HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message, Base64. */
export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

/** Ours: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body). */
export function genericSignature(secret: string, timestampSec: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/** Cut a string to at most `bytes` of UTF-8 without splitting a character. */
export function truncateBytes(s: string, bytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= bytes) return s;
  let end = bytes - 3; // room for the ellipsis
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return `${buf.subarray(0, end).toString('utf8')}…`;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function dingtalk(t: ChannelTarget, m: RobotMessage, now: number): OutgoingRequest {
  let url = t.url;
  if (t.secret) {
    // The raw Base64 goes through encodeURIComponent exactly once ('+' → %2B, '=' → %3D).
    url += `${url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${encodeURIComponent(dingtalkSign(t.secret, now))}`;
  }
  // A mention is highlighted only when the text also carries "@phone".
  const at = m.mentions.map((p) => `@${p}`).join(' ');
  const text = truncateBytes(`#### ${m.title}\n\n${m.text}${at ? `\n\n${at}` : ''}`, 18_000);
  return { url, headers: JSON_HEADERS, body: JSON.stringify({ msgtype: 'markdown', markdown: { title: m.title, text }, at: { atMobiles: m.mentions, isAtAll: false } }) };
}

function wecom(t: ChannelTarget, m: RobotMessage): OutgoingRequest {
  // Only the text type mentions by phone; markdown reads better otherwise.
  const body =
    m.mentions.length > 0
      ? { msgtype: 'text', text: { content: truncateBytes(`${m.title}\n${m.text}`, 2048), mentioned_mobile_list: m.mentions } }
      : { msgtype: 'markdown', markdown: { content: truncateBytes(`**${m.title}**\n${m.text}`, 4096) } };
  return { url: t.url, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

function feishu(t: ChannelTarget, m: RobotMessage, now: number): OutgoingRequest {
  const seconds = Math.floor(now / 1000);
  const signed = t.secret ? { timestamp: String(seconds), sign: feishuSign(t.secret, seconds) } : {};
  const post = { zh_cn: { title: m.title, content: [[{ tag: 'text', text: truncateBytes(m.text, 16_000) }]] } };
  return { url: t.url, headers: JSON_HEADERS, body: JSON.stringify({ ...signed, msg_type: 'post', content: { post } }) };
}

function generic(t: ChannelTarget, m: RobotMessage, now: number): OutgoingRequest {
  const seconds = Math.floor(now / 1000);
  const body = JSON.stringify({ id: m.eventId, ...m.event, title: m.title, text: m.text });
  const headers: Record<string, string> = { ...JSON_HEADERS, 'x-bulwark-event-id': m.eventId, 'x-bulwark-timestamp': String(seconds) };
  if (t.secret) headers['x-bulwark-signature'] = genericSignature(t.secret, seconds, body);
  return { url: t.url, headers, body };
}

/** The HTTP request that delivers `m` to the channel at instant `now` (ms). */
export function buildRequest(t: ChannelTarget, m: RobotMessage, now: number): OutgoingRequest {
  switch (t.kind) {
    case 'dingtalk':
      return dingtalk(t, m, now);
    case 'wecom':
      return wecom(t, m);
    case 'feishu':
      return feishu(t, m, now);
    case 'generic':
      return generic(t, m, now);
    case 'email':
      throw new Error('an e-mail channel is sent over SMTP (email.ts), not HTTP');
  }
}

/**
 * Whether the answer means delivered. The robots answer 200 even when they refuse: DingTalk and
 * WeCom say errcode 0, Feishu code 0; our webhook's receiver only needs a 2xx.
 */
export function deliveryOutcome(kind: ChannelKind, status: number, body: string): { ok: true } | { ok: false; error: string } {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}: ${body.slice(0, 200)}` };
  if (kind === 'generic' || kind === 'email') return { ok: true };
  let parsed: { errcode?: unknown; errmsg?: unknown; code?: unknown; msg?: unknown; StatusCode?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { ok: false, error: `not JSON: ${body.slice(0, 200)}` };
  }
  const code = kind === 'feishu' ? (parsed.code ?? parsed.StatusCode) : parsed.errcode;
  if (code === 0) return { ok: true };
  return { ok: false, error: `${kind} refused: ${String(code)} ${String(parsed.errmsg ?? parsed.msg ?? '')}`.trim() };
}

/** POST the request; a network error, a timeout or a refusal all come back as { ok: false }. */
export async function sendRequest(kind: ChannelKind, req: OutgoingRequest, timeoutMs = 10_000): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    return deliveryOutcome(kind, res.status, await res.text());
  } catch (err) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout, a bad certificate) is its cause.
    const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
    const reason = cause?.code ?? cause?.message;
    return { ok: false, error: err instanceof Error ? `${err.message}${reason ? ` (${reason})` : ''}` : String(err) };
  }
}

/** The URL as shown back to the console: the token that authorises posting is a secret too. */
export function maskUrl(raw: string): string {
  if (raw.startsWith('mailto:')) return raw; // e-mail addresses are not secrets
  try {
    const u = new URL(raw);
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***');
    const segments = u.pathname.split('/');
    // Feishu's token is the last path segment.
    if (u.hostname.endsWith('feishu.cn') || u.hostname.endsWith('larksuite.com')) segments[segments.length - 1] = '***';
    u.pathname = segments.join('/');
    return decodeURIComponent(u.toString());
  } catch {
    return '***';
  }
}
