/**
 * A small iCalendar (RFC 5545) writer for the duty feed: exactly what /work/shared/INTEGRATIONS.md
 * asks and no more. CRLF line ends; content lines folded at 75 octets (a continuation line starts
 * with one space, which counts) without splitting a UTF-8 character; TEXT values escape `\ ; ,` and
 * line breaks; instants in UTC ("…Z"), so no VTIMEZONE is needed.
 */

export interface CalendarEvent {
  /** Stable across fetches, so a calendar app updates the event instead of adding another. */
  uid: string;
  /** When the event's data last changed (DTSTAMP). */
  stamp: number;
  start: number;
  end: number;
  summary: string;
  description?: string;
  location?: string;
}

export const ICAL_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** TEXT escaping (RFC 5545 3.3.11). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** An instant as an iCalendar UTC DATE-TIME: 20261201T000000Z. */
export function utcStamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Fold one content line: no physical line over 75 octets, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n');
}

/** A whole calendar, ending in CRLF. */
export function renderCalendar(opts: { prodId: string; name: string; events: readonly CalendarEvent[] }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${opts.prodId}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(opts.name)}`];
  for (const e of opts.events) {
    lines.push('BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${utcStamp(e.stamp)}`, `DTSTART:${utcStamp(e.start)}`, `DTEND:${utcStamp(e.end)}`, `SUMMARY:${escapeText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
