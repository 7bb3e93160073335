import { inflateRawSync } from 'node:zlib';

/**
 * A lean reader for the cell text of .xlsx worksheets: the zip's central directory, then a
 * tag-by-tag scan over each sheet's bytes. It reads only what an import needs (sheet names, shared
 * strings, and each cell's text by row and column) and is several times faster than exceljs's
 * SAX-based streaming reader on a 100,000-row roster (bench/RESULTS.md); anything it cannot make
 * sense of is refused as a damaged file.
 */

export class XlsxFormatError extends Error {}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** No single part may inflate past this (about 400,000 rows of a roster): a zip bomb stops here. */
const MAX_PART_BYTES = 128 * 1024 * 1024;

function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  // End of central directory: 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxFormatError('no zip directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new XlsxFormatError('bad zip directory');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.set(name.replace(/\\/g, '/'), { name, method, compressedSize, size, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function readPart(buf: Buffer, e: ZipEntry): Buffer {
  if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) throw new XlsxFormatError('bad zip entry');
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const raw = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return raw;
  if (e.method !== 8) throw new XlsxFormatError(`unsupported zip compression ${e.method}`);
  if (e.size > MAX_PART_BYTES) throw new XlsxFormatError('too large');
  try {
    // One output chunk of the size the directory announces: no second copy while zlib concatenates.
    return inflateRawSync(raw, { maxOutputLength: MAX_PART_BYTES, chunkSize: Math.max(64 * 1024, e.size + 1) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new XlsxFormatError('too large');
    throw new XlsxFormatError('damaged zip entry');
  }
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML text to a string: entities, and Excel's own _xHHHH_ escapes for control characters. */
function unescapeXml(s: string): string {
  let out = s.indexOf('&') < 0 ? s : s.replace(ENTITY, (_m, hex: string, dec: string, name: string) => (name ? NAMED[name]! : String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec))));
  if (out.indexOf('_x') >= 0) out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// A tag-by-tag scan over the bytes of sheet XML and shared strings. Nothing is decoded but the
// text of each value (a shared string's index is read straight from its digits), so a 100,000-row
// sheet leaves almost no garbage behind. Element names may carry a namespace prefix (<x:c>).

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;
const EQUALS = 0x3d;

function isNameByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === COLON || c === 0x5f || c === 0x2d || c === 0x2e;
}

/** A tag's local name as a number: its bytes packed, for names of up to four letters (all we look for). */
function nameKey(name: string): number {
  let k = name.length;
  for (let i = 0; i < name.length; i++) k = k * 256 + name.charCodeAt(i);
  return k;
}
const ROW = nameKey('row');
const C = nameKey('c');
const V = nameKey('v');
const IS = nameKey('is');
const T = nameKey('t');
const SI = nameKey('si');
const RPH = nameKey('rPh');
const SHEET_DATA = -1;
const OTHER = -2;

/** One tag: its local name (prefix dropped), whether it closes or closes itself, and where it ends. */
interface Tag {
  /** nameKey() of the local name; SHEET_DATA, or OTHER for any longer name. */
  key: number;
  closing: boolean;
  selfClosing: boolean;
  attrsStart: number;
  attrsEnd: number;
  end: number; // index just past '>'
}

/** The tag starting at buf[at] === '<', or null for a comment, declaration or processing instruction. */
function readTag(buf: Buffer, at: number, tag: Tag): Tag | null {
  let j = at + 1;
  const first = buf[j];
  if (first === 0x21 || first === 0x3f) {
    // <!-- … -->, <![CDATA[ … ]]>, <?xml … ?>: skipped whole.
    const close = first === 0x21 && buf[j + 1] === 0x2d ? buf.indexOf('-->', j) + 2 : buf.indexOf(GT, j);
    tag.end = close < 0 ? buf.length : close + 1;
    return null;
  }
  tag.closing = first === SLASH;
  if (tag.closing) j++;
  const nameStart = j;
  let localStart = j;
  while (j < buf.length && isNameByte(buf[j]!)) {
    if (buf[j] === COLON) localStart = j + 1;
    j++;
  }
  const len = j - localStart;
  if (len <= 4) {
    let k = len;
    for (let b = localStart; b < j; b++) k = k * 256 + buf[b]!;
    tag.key = k;
  } else tag.key = len === 9 && sameBytes(buf, localStart, 'sheetData') ? SHEET_DATA : OTHER;
  tag.attrsStart = j;
  // Attribute values may hold '>' (and '/') inside quotes.
  let quote = 0;
  for (; j < buf.length; j++) {
    const c = buf[j]!;
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === GT) break;
  }
  tag.attrsEnd = j;
  tag.selfClosing = j > nameStart && buf[j - 1] === SLASH;
  tag.end = j + 1;
  return tag;
}

function sameBytes(buf: Buffer, at: number, ascii: string): boolean {
  for (let i = 0; i < ascii.length; i++) if (buf[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** The raw value of attribute `name` (no prefix) within a tag's attribute bytes, or undefined. */
function attrOf(buf: Buffer, tag: Tag, name: string): string | undefined {
  let j = tag.attrsStart;
  while (j < tag.attrsEnd) {
    while (j < tag.attrsEnd && !isNameByte(buf[j]!)) j++;
    const nameStart = j;
    while (j < tag.attrsEnd && isNameByte(buf[j]!)) j++;
    const nameEnd = j;
    while (j < tag.attrsEnd && buf[j] !== EQUALS && isNameByte(buf[j]!) === false && buf[j] !== 0x22 && buf[j] !== 0x27) j++;
    if (buf[j] !== EQUALS) continue;
    j++;
    while (j < tag.attrsEnd && buf[j] !== 0x22 && buf[j] !== 0x27) j++;
    const quote = buf[j];
    const valueStart = j + 1;
    const valueEnd = buf.indexOf(quote!, valueStart);
    if (valueEnd < 0 || valueEnd > tag.attrsEnd) return undefined;
    j = valueEnd + 1;
    if (nameEnd - nameStart === name.length && sameBytes(buf, nameStart, name)) return buf.toString('utf8', valueStart, valueEnd);
  }
  return undefined;
}

/**
 * A copy of a string that does not keep the text it was cut from alive: V8 represents a substring
 * of 13 characters or more as a view into its parent.
 */
function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * The visible text of an <si> or an <is> that starts at `from` (just past its opening tag): its
 * <t>s, run after run, without phonetic guides (<rPh>). Answers the text and where the element ends.
 */
function richText(buf: Buffer, from: number, element: number): { text: string; end: number } {
  const tag = {} as Tag;
  let text = '';
  let inPhonetic = false;
  let tStart = -1;
  for (let i = buf.indexOf(LT, from); i >= 0; i = buf.indexOf(LT, i)) {
    const t = readTag(buf, i, tag);
    if (t) {
      if (t.key === T && !inPhonetic) {
        if (!t.closing && !t.selfClosing) tStart = t.end;
        else if (t.closing && tStart >= 0) {
          text += buf.toString('utf8', tStart, i);
          tStart = -1;
        }
      } else if (t.key === RPH && !t.selfClosing) inPhonetic = !t.closing;
      else if (t.key === element && t.closing) return { text: unescapeXml(text), end: t.end };
    }
    i = tag.end;
  }
  return { text: unescapeXml(text), end: buf.length };
}

function sharedStrings(buf: Buffer | null): string[] {
  const out: string[] = [];
  if (!buf) return out;
  const tag = {} as Tag;
  for (let i = buf.indexOf(LT); i >= 0; i = buf.indexOf(LT, i)) {
    const t = readTag(buf, i, tag);
    i = tag.end;
    if (!t || t.key !== SI || t.closing) continue;
    if (t.selfClosing) {
      out.push('');
      continue;
    }
    const r = richText(buf, t.end, SI);
    out.push(r.text);
    i = r.end;
  }
  return out;
}

/** One attribute of a tag's text (workbook.xml and its relationships: small parts, read once). */
function attr(tagText: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)')`).exec(tagText);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Column letters of a cell reference to a 0-based index: 'C7' → 2. */
function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** A shared string's index, read from the digits of its <v> without making a string of them. */
function digits(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c >= 0x30 && c <= 0x39) n = n * 10 + (c - 0x30);
    else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return -1;
  }
  return n;
}

/** A sheet's rows, tag by tag. */
function* sheetRows(buf: Buffer, shared: string[]): Generator<{ row: number; cells: string[] }> {
  const tag = {} as Tag;
  let rowNumber = 0;
  let cells: string[] | null = null;
  let col = -1;
  let type: string | undefined;
  let vStart = -1;
  let vEnd = -1;
  let inline: string | null = null;
  const start = buf.indexOf('sheetData');
  if (start < 0) return;
  const n = buf.length;
  for (let i = start; ; ) {
    // A plain loop finds the next '<' faster than a native indexOf call per tag.
    while (i < n && buf[i] !== LT) i++;
    if (i >= n) return;
    const at = i;
    const t = readTag(buf, at, tag);
    i = tag.end;
    if (!t) continue;
    switch (t.key) {
      case ROW:
        if (t.closing) {
          if (cells) yield { row: rowNumber, cells };
          cells = null;
          break;
        }
        {
          const r = attrOf(buf, t, 'r');
          rowNumber = r ? Number(r) : rowNumber + 1;
        }
        col = -1;
        cells = [];
        if (t.selfClosing) {
          yield { row: rowNumber, cells };
          cells = null;
        }
        break;
      case C:
        if (!t.closing) {
          const ref = attrOf(buf, t, 'r');
          col = ref ? columnIndex(ref) : col + 1;
          type = attrOf(buf, t, 't');
          vStart = vEnd = -1;
          inline = null;
          if (t.selfClosing) break;
          continue;
        }
        if (cells) {
          let text = '';
          if (inline !== null) text = inline;
          else if (vStart >= 0) {
            if (type === 's') {
              const k = digits(buf, vStart, vEnd);
              text = k >= 0 ? (shared[k] ?? '') : '';
            } else {
              const raw = buf.toString('utf8', vStart, vEnd);
              text = type === 'b' ? (raw === '1' ? 'TRUE' : 'FALSE') : unescapeXml(raw); // n, str (a formula's text), e (an error like #N/A)
            }
          }
          if (text !== '') {
            while (cells.length < col) cells.push('');
            cells[col] = text;
          }
        }
        break;
      case V:
        if (t.closing) vEnd = at;
        else if (!t.selfClosing) vStart = t.end;
        break;
      case IS:
        if (!t.closing && !t.selfClosing) {
          const r = richText(buf, t.end, IS);
          inline = detached(r.text);
          i = r.end;
        }
        break;
      case SHEET_DATA:
        if (t.closing) return;
        break;
    }
  }
}

export interface XlsxSheet {
  name: string;
  /** Rows in order: the Excel row number and the text of each cell (0-based by column). */
  rows(): Generator<{ row: number; cells: string[] }>;
}

/** The worksheets of a workbook, in the workbook's own order, each read when asked for. */
export function readXlsx(buf: Buffer): XlsxSheet[] {
  const entries = readZipDirectory(buf);
  const part = (name: string) => {
    const e = entries.get(name);
    return e ? readPart(buf, e) : null;
  };
  const text = (name: string) => part(name)?.toString('utf8') ?? null;
  const workbook = text('xl/workbook.xml');
  if (workbook === null) throw new XlsxFormatError('no workbook part');
  const rels = text('xl/_rels/workbook.xml.rels') ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\s[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  let shared: string[] | null = null;
  const sheets: XlsxSheet[] = [];
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)) {
    const name = unescapeXml(attr(m[0], 'name') ?? '');
    const rid = /\s(?:\w+:)?id="([^"]*)"/.exec(m[0])?.[1];
    const target = rid ? targets.get(rid) : undefined;
    if (!target) continue;
    sheets.push({
      name,
      *rows() {
        const xml = part(target.replace(/\/\.\//g, '/'));
        if (xml === null) return;
        shared ??= sharedStrings(part('xl/sharedStrings.xml'));
        yield* sheetRows(xml, shared);
      },
    });
  }
  return sheets;
}
