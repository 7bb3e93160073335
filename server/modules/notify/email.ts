import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../config.js';
import type { RobotMessage } from './channels.js';

/**
 * E-mail over SMTP (nodemailer). An e-mail channel of a unit is a list of addresses, kept as a
 * mailto: URL (`mailto:a@x.cn,b@y.cn`); the server's SMTP settings (BULWARK_SMTP_URL and
 * BULWARK_SMTP_FROM) say how to send. Without them e-mail is off.
 */

/** A plain address: something@domain.tld, no display name, no spaces. */
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
export const MAX_ADDRESSES = 50;

/** The addresses of a mailto: URL, or null when it is not one we accept. */
export function emailAddresses(url: string): string[] | null {
  if (!url.startsWith('mailto:')) return null;
  const list = decodeURIComponent(url.slice('mailto:'.length).split('?')[0]!)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (list.length === 0 || list.length > MAX_ADDRESSES || !list.every((a) => ADDRESS.test(a))) return null;
  return [...new Set(list)];
}

const transports = new Map<string, Transporter>();

/** One pooled transport per SMTP URL, made on first use. */
function transportFor(smtp: SmtpConfig): Transporter {
  let t = transports.get(smtp.url);
  if (!t) {
    t = nodemailer.createTransport(smtp.url, { from: smtp.from });
    transports.set(smtp.url, t);
  }
  return t;
}

/** Close the transports (tests; the server at exit). */
export function closeEmailTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** The e-mail a message becomes: the title as subject, the text, the link to open, UTF-8 throughout. */
export function emailOf(m: RobotMessage, to: string[]) {
  const link = m.event.link ? `\n\n${m.event.link}` : '';
  return {
    to,
    subject: m.title,
    text: `${m.text}${link}\n\n—— Bulwark 防控`,
    // A receiver (or a retry landing twice) can tell it is the same message.
    messageId: `<${m.eventId}@bulwark>`,
    headers: { 'X-Bulwark-Event-Id': m.eventId, 'X-Bulwark-Kind': m.event.kind },
  };
}

/** Send the message to these addresses; an SMTP refusal, a network error or e-mail being off come back as { ok: false }. */
export async function sendEmail(smtp: SmtpConfig | null, to: string[], m: RobotMessage): Promise<{ ok: true } | { ok: false; error: string }> {
  if (!smtp) return { ok: false, error: 'e-mail is off: the server has no SMTP settings (BULWARK_SMTP_URL, BULWARK_SMTP_FROM)' };
  try {
    const info = await transportFor(smtp).sendMail({ from: smtp.from, ...emailOf(m, to) });
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0 && rejected.length === to.length) return { ok: false, error: `SMTP refused every recipient: ${rejected.join(', ')}` };
    return { ok: true };
  } catch (err) {
    return { ok: false, error: `SMTP: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) };
  }
}
