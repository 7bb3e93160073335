import path from 'node:path';
import {
  PEOPLE_COLUMNS,
  PEOPLE_SHEET,
  PEOPLE_SHEET_ALIASES,
  UNIT_COLUMNS,
  UNITS_SHEET,
  UNITS_SHEET_ALIASES,
  type PeopleColumn,
  type UnitColumn,
} from '../../../common/schemas/import.js';
import { AppError, errors } from '../../http/errors.js';
import { readXlsx, XlsxFormatError } from './import.xlsx.js';

/**
 * Reading an import file into plain tables: which sheet holds people, which holds units, which
 * column is which, and every data row as text. No rules about the values live here.
 */

export type FileFormat = 'xlsx' | 'csv';

export interface Table<K extends string> {
  /** Sheet name as in the file (a CSV is named after what it holds). */
  sheet: string;
  /** For each known column present, its header as written in the file (reasons name columns by it). */
  headers: Partial<Record<K, string>>;
  keys: readonly K[];
  /** Data rows: the Excel row number and the text of each known column, in `keys` order ('' when blank or absent). */
  rows: { row: number; v: string[] }[];
}

export interface ParsedFile {
  format: FileFormat;
  people: Table<PeopleColumn> | null;
  units: Table<UnitColumn> | null;
}

/** Beyond this the file is not an organisation's roster; stop before memory does. */
export const MAX_ROWS = 300_000;
/** Rows read between two turns of the event loop (a few milliseconds' work). */
const YIELD_EVERY = 5000;
/** How far down a sheet the header row may be (a title row or two above it is common). */
const HEADER_SEARCH_ROWS = 10;

const PEOPLE_KEYS = PEOPLE_COLUMNS.map((c) => c.key);
const UNIT_KEYS = UNIT_COLUMNS.map((c) => c.key);

/** Header text as people write it: any case, spaces, a '*' for required, a hint in brackets. */
export function normaliseHeader(s: string): string {
  return s
    .replace(/^\uFEFF/, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s*＊]/g, '')
    .toLowerCase();
}

function lookup<K extends string>(columns: readonly { key: K; zh: string; aliases: readonly string[] }[]): Map<string, K> {
  const m = new Map<string, K>();
  for (const c of columns) for (const name of [c.zh, c.key, ...c.aliases]) m.set(normaliseHeader(name), c.key);
  return m;
}
const PEOPLE_LOOKUP = lookup(PEOPLE_COLUMNS);
const UNIT_LOOKUP = lookup(UNIT_COLUMNS);
const PEOPLE_SHEETS = new Set(PEOPLE_SHEET_ALIASES.map(normaliseHeader));
const UNITS_SHEETS = new Set(UNITS_SHEET_ALIASES.map(normaliseHeader));

const FORMULA_GUARD = /^'[=+\-@\t\r]/;

/** Cell text: the export's formula guard (a leading ') is taken off again, surrounding space trimmed. */
export function cleanText(s: string): string {
  const t = FORMULA_GUARD.test(s) ? s.slice(1) : s;
  return t.trim();
}

function badFile(message: string) {
  return errors.validation({ file: message }, message);
}

/** Which format a file is: by its extension, checked against its first bytes. */
export function detectFormat(fileName: string, data: Buffer): FileFormat {
  const ext = path.extname(fileName).toLowerCase();
  const isZip = data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
  if (ext === '.xlsx') {
    if (!isZip) throw badFile('not a valid .xlsx file');
    return 'xlsx';
  }
  if (ext === '.csv') {
    if (isZip) throw badFile('this .csv file is really a workbook; name it .xlsx');
    return 'csv';
  }
  if (ext === '.xls') throw badFile('Excel 97-2003 (.xls) files cannot be read; save the file as .xlsx');
  throw badFile('only .xlsx and .csv files can be imported');
}

type Kind = 'people' | 'units';

/**
 * Builds one table from rows as they arrive: finds the header row, then keeps the known columns
 * of every non-blank row. `kindHint` comes from the sheet's name; without it the header decides.
 */
class TableBuilder {
  kind: Kind | null = null;
  private positions: number[] = []; // file column index of each key, -1 when absent
  private headers: Record<string, string> = {};
  private scanned = 0;
  readonly rows: { row: number; v: string[] }[] = [];

  constructor(
    public sheet: string,
    private readonly kindHint: Kind | null,
  ) {}

  /** `cells` are 0-based raw texts of one row. */
  add(rowNumber: number, cells: string[], counter: { rows: number }): void {
    if (this.kind === null) {
      if (this.scanned++ >= HEADER_SEARCH_ROWS) return;
      this.tryHeader(cells);
      return;
    }
    const v = this.positions.map((p) => (p >= 0 ? cleanText(cells[p] ?? '') : ''));
    if (v.every((s) => s === '')) return;
    if (++counter.rows > MAX_ROWS) throw badFile(`the file has more than ${MAX_ROWS} rows; split it`);
    this.rows.push({ row: rowNumber, v });
  }

  private tryHeader(cells: string[]): void {
    const names = cells.map((c) => normaliseHeader(cleanText(c)));
    const found = (m: Map<string, string>) => {
      const at: Record<string, number> = {};
      names.forEach((n, i) => {
        const key = m.get(n);
        if (key && at[key] === undefined) at[key] = i;
      });
      return at;
    };
    const people = found(PEOPLE_LOOKUP);
    const units = found(UNIT_LOOKUP);
    const isPeople = people.name !== undefined || people.employeeNo !== undefined;
    let kind: Kind | null = null;
    // A sheet named 人员 takes any row with two known columns as its header, so that a header
    // missing 工号 is reported as exactly that rather than as "no header".
    if (isPeople && this.kindHint !== 'units') kind = 'people';
    else if (this.kindHint === 'people' && Object.keys(people).length >= 2) kind = 'people';
    else if (units.path !== undefined && this.kindHint !== 'people') kind = 'units';
    if (!kind) return;
    const at = kind === 'people' ? people : units;
    const keys: readonly string[] = kind === 'people' ? PEOPLE_KEYS : UNIT_KEYS;
    this.kind = kind;
    this.positions = keys.map((k) => at[k] ?? -1);
    for (const k of keys) if (at[k] !== undefined) this.headers[k] = cleanText(cells[at[k]] ?? '');
  }

  table<K extends string>(keys: readonly K[]): Table<K> {
    return { sheet: this.sheet, headers: this.headers as Partial<Record<K, string>>, keys, rows: this.rows };
  }
}

function sheetKindHint(name: string): Kind | null {
  const n = normaliseHeader(name);
  if (PEOPLE_SHEETS.has(n)) return 'people';
  if (UNITS_SHEETS.has(n)) return 'units';
  return null;
}

function finish(format: FileFormat, builders: TableBuilder[]): ParsedFile {
  // The first sheet of each kind is the one imported; a named sheet beats a sheet guessed by its header.
  const pick = (kind: Kind) => {
    const all = builders.filter((b) => b.kind === kind);
    return all.find((b) => sheetKindHint(b.sheet) === kind) ?? all[0] ?? null;
  };
  const people = pick('people');
  const units = pick('units');
  if (!people && !units) {
    throw badFile(`no recognisable header row: the ${PEOPLE_SHEET} sheet needs columns 姓名, 工号, 单位 (or name, employeeNo, unit)`);
  }
  if (people && (people.table(PEOPLE_KEYS).headers.name === undefined || people.table(PEOPLE_KEYS).headers.employeeNo === undefined)) {
    throw badFile(`the ${people.sheet} sheet needs both a 姓名 (name) and a 工号 (employeeNo) column`);
  }
  return { format, people: people ? people.table(PEOPLE_KEYS) : null, units: units ? units.table(UNIT_KEYS) : null };
}

/**
 * Visit every row of every worksheet, in the workbook's order (import.xlsx.ts), letting other
 * requests through now and then; a damaged file is a 400 naming `file`. `onSheet` answers the
 * visitor of that sheet's rows. Shared with the other spreadsheet imports (campaign results).
 */
export async function visitXlsx(data: Buffer, onSheet: (name: string) => (row: number, cells: string[]) => void): Promise<void> {
  try {
    for (const sheet of readXlsx(data)) {
      const visit = onSheet(sheet.name);
      let n = 0;
      for (const { row, cells } of sheet.rows()) {
        visit(row, cells);
        // Reading is synchronous: let other requests through now and then.
        if (++n % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err; // too many rows
    if (err instanceof XlsxFormatError && err.message === 'too large') throw badFile('the .xlsx file is too large once unpacked; split it');
    throw badFile('the .xlsx file could not be read (is it damaged, or password-protected?)');
  }
}

/** Read every worksheet's rows; which sheet is which is decided by name and header. */
export async function parseXlsx(data: Buffer): Promise<ParsedFile> {
  const builders: TableBuilder[] = [];
  const counter = { rows: 0 };
  await visitXlsx(data, (name) => {
    const b = new TableBuilder(name, sheetKindHint(name));
    builders.push(b);
    return (row, cells) => b.add(row, cells, counter);
  });
  return finish('xlsx', builders);
}

/** RFC 4180 CSV: quoted fields may hold separators, quotes ("") and line breaks. */
export function parseCsvRecords(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The records of a UTF-8 CSV (with or without BOM): Excel's own "CSV UTF-8" and plain comma, semicolon or tab files. */
export function csvRecordsOf(data: Buffer): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw badFile('the .csv file is not UTF-8 text; in Excel save it as "CSV UTF-8"');
  }
  if (text.includes('\u0000')) throw badFile('the .csv file is not text');
  text = text.replace(/^\uFEFF/, '');
  const eol = text.search(/\r|\n/);
  const firstLine = eol < 0 ? text : text.slice(0, eol);
  const count = (d: string) => firstLine.split(d).length - 1;
  const delimiter = [',', ';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
  return parseCsvRecords(text, delimiter);
}

/** A CSV of people or of units: the header decides which. */
export function parseCsv(data: Buffer): ParsedFile {
  const records = csvRecordsOf(data);
  const b = new TableBuilder(PEOPLE_SHEET, null);
  const counter = { rows: 0 };
  records.forEach((cells, i) => b.add(i + 1, cells, counter));
  if (b.kind === 'units') b.sheet = UNITS_SHEET;
  return finish('csv', [b]);
}

/** Parse an uploaded file of either format. */
export async function parseImportFile(fileName: string, data: Buffer): Promise<ParsedFile> {
  if (data.length === 0) throw badFile('the file is empty');
  const format = detectFormat(fileName, data);
  return format === 'xlsx' ? parseXlsx(data) : parseCsv(data);
}
