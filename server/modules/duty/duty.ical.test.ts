import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, renderCalendar, utcStamp } from './duty.ical.js';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');

describe('the iCalendar writer', () => {
  it('escapes backslash, semicolon, comma and line breaks in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('writes instants in UTC with a Z', () => {
    expect(utcStamp(Date.parse('2026-12-01T00:00:00+08:00'))).toBe('20261130T160000Z');
    expect(utcStamp(Date.parse('2026-12-01T08:30:15.999Z'))).toBe('20261201T083015Z');
  });

  it('folds at 75 octets, continuation lines starting with a space, never inside a UTF-8 character', () => {
    const line = `SUMMARY:${'值班带班领导'.repeat(20)}`; // 3 octets a character
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(octets(p)).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true);
    // Unfolding (drop CRLF + one space) gives the line back, and every part is whole UTF-8.
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    for (const p of parts) expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
    // 'SUMMARY:' is 8 octets; 22 characters of 3 fit (74), the 23rd would make 77.
    expect(octets(parts[0]!)).toBe(74);
    // A line of exactly 75 octets is not folded; 76 is.
    expect(foldLine('X'.repeat(75))).toBe('X'.repeat(75));
    expect(foldLine('X'.repeat(76))).toBe(`${'X'.repeat(75)}\r\n X`);
    // A four-octet character at the edge moves whole to the next line.
    const emoji = foldLine(`${'X'.repeat(73)}😀`);
    expect(emoji).toBe(`${'X'.repeat(73)}\r\n 😀`);
  });

  it('renders a calendar with CRLF line ends, VERSION, PRODID and one VEVENT per event', () => {
    const ics = renderCalendar({
      prodId: '-//Bulwark//Duty roster//ZH',
      name: '我的值班',
      events: [{ uid: 'duty-shift-1-person-2@bulwark', stamp: Date.UTC(2026, 10, 1), start: Date.UTC(2026, 11, 1, 0), end: Date.UTC(2026, 11, 2, 0), summary: '值班, 带班; 领导', description: '第一行\n第二行' }],
    });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = ics.split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Bulwark//Duty roster//ZH']);
    expect(lines).toContain('UID:duty-shift-1-person-2@bulwark');
    expect(lines).toContain('DTSTAMP:20261101T000000Z');
    expect(lines).toContain('DTSTART:20261201T000000Z');
    expect(lines).toContain('DTEND:20261202T000000Z');
    expect(lines).toContain('SUMMARY:值班\\, 带班\\; 领导');
    expect(lines).toContain('DESCRIPTION:第一行\\n第二行');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.at(-2)).toBe('END:VCALENDAR');
  });
});
