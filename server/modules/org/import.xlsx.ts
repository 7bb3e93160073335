import { inflateRawSync } from 'node:zlib';

/**
 * A lean reader for the cell text of .xlsx worksheets: the zip's central directory, then a
 * regular-expression pass over each sheet's XML. It reads only what an import needs (sheet names,
 * shared strings, and each cell's text by row and column) and is several times faster than a
 * general SAX-based reader on a 100,000-row roster; anything it cannot make sense of is refused
 * as a damaged file.
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

// Element names may carry a namespace prefix (<x:c>) in files from some generators.
const T_TEXT = /<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)<\/(?:\w+:)?t>/g;
const PHONETIC = /<(?:\w+:)?rPh[\s>][\s\S]*?<\/(?:\w+:)?rPh>/g;

/**
 * A copy of a string that does not keep the text it was cut from alive: V8 represents a substring
 * of 13 characters or more as a view into its parent, and one cell's unit path would otherwise pin
 * a whole sheet's XML in memory for as long as the import holds the row.
 */
function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** The visible text of an <si> or <is>: its runs' <t>s, without phonetic guides (<rPh>). */
function richText(inner: string): string {
  const visible = inner.indexOf('rPh') >= 0 ? inner.replace(PHONETIC, '') : inner;
  let out = '';
  T_TEXT.lastIndex = 0;
  for (let m = T_TEXT.exec(visible); m; m = T_TEXT.exec(visible)) out += m[1]!;
  return detached(unescapeXml(out));
}

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  const SI = /<(?:\w+:)?si>([\s\S]*?)<\/(?:\w+:)?si>|<(?:\w+:)?si\/>/g;
  for (let m = SI.exec(xml); m; m = SI.exec(xml)) out.push(m[1] === undefined ? '' : richText(m[1]));
  return out;
}

const ATTRS: Record<string, RegExp> = {};
/** One attribute's raw value; the expressions are compiled once per name (this runs for every cell). */
const attr = (attrs: string, name: string): string | undefined => {
  const re = (ATTRS[name] ??= new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)')`));
  const m = re.exec(attrs);
  return m ? (m[1] ?? m[2]) : undefined;
};

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

export interface XlsxSheet {
  name: string;
  /** Rows in order: the Excel row number and the text of each cell (0-based by column). */
  rows(): Generator<{ row: number; cells: string[] }>;
}

const ROW = /<(?:\w+:)?row(\s[^>]*)?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
const CELL = /<(?:\w+:)?c(\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g; // used whole within one row, so shared
const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)<\/(?:\w+:)?v>/;
const INLINE = /<(?:\w+:)?is>([\s\S]*?)<\/(?:\w+:)?is>/;

/** Where the last complete </row> (or </x:row>) before `end` ends, or -1. */
function lastRowEnd(buf: Buffer, from: number, end: number): number {
  for (let i = buf.lastIndexOf('row>', end - 4); i > from; i = buf.lastIndexOf('row>', i - 1)) {
    let j = i - 1;
    if (buf[j] === 0x3a) for (j--; j > from && /\w/.test(String.fromCharCode(buf[j]!)); j--);
    if (buf[j] === 0x2f && buf[j - 1] === 0x3c) return i + 4;
  }
  return -1;
}

/** A sheet's rows, decoding its XML a slice of whole rows at a time (a few MB, not the whole sheet). */
function* sheetRows(buf: Buffer, shared: string[]): Generator<{ row: number; cells: string[] }> {
  const SLICE = 2 * 1024 * 1024;
  let lastRow = 0;
  for (let pos = 0; pos < buf.length; ) {
    let end = Math.min(buf.length, pos + SLICE);
    let cut = end === buf.length ? end : lastRowEnd(buf, pos, end);
    while (cut < 0 && end < buf.length) {
      end = Math.min(buf.length, end + SLICE);
      cut = end === buf.length ? end : lastRowEnd(buf, pos, end);
    }
    const xml = buf.toString('utf8', pos, cut);
    pos = cut;
    yield* rowsOf(xml, shared, lastRow, (n) => (lastRow = n));
  }
}

function* rowsOf(xml: string, shared: string[], previous: number, seen: (n: number) => void): Generator<{ row: number; cells: string[] }> {
  const rowRe = new RegExp(ROW.source, 'g');
  let lastRow = previous;
  for (let m = rowRe.exec(xml); m; m = rowRe.exec(xml)) {
    const r = m[1] ? attr(m[1], 'r') : undefined;
    const rowNumber = r ? Number(r) : lastRow + 1;
    lastRow = rowNumber;
    seen(rowNumber);
    const cells: string[] = [];
    const inner = m[2];
    if (inner) {
      let col = -1;
      CELL.lastIndex = 0;
      for (let c = CELL.exec(inner); c; c = CELL.exec(inner)) {
        const attrs = c[1] ?? '';
        const ref = attr(attrs, 'r');
        col = ref ? columnIndex(ref) : col + 1;
        const body = c[2];
        if (!body) continue;
        const type = attr(attrs, 't');
        let text = '';
        if (type === 'inlineStr') {
          const is = INLINE.exec(body);
          text = is ? richText(is[1]!) : '';
        } else {
          const v = VALUE.exec(body);
          const raw = v ? v[1]! : '';
          if (type === 's') text = shared[Number(raw)] ?? '';
          else if (type === 'b') text = raw === '1' ? 'TRUE' : 'FALSE';
          else text = detached(unescapeXml(raw)); // n, str (a formula's text), e (an error like #N/A)
        }
        while (cells.length < col) cells.push('');
        cells[col] = text;
      }
    }
    yield { row: rowNumber, cells };
  }
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
        shared ??= sharedStrings(text('xl/sharedStrings.xml') ?? '');
        yield* sheetRows(xml, shared);
      },
    });
  }
  return sheets;
}
