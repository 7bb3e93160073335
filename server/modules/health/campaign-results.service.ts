import { createHash } from 'node:crypto';
import { RESULT_COLUMNS, RESULT_WORDS, type ResultColumn, type ResultImportPlan, type ResultRow, type TestResult } from '../../../common/schemas/campaigns.js';
import type { Deps } from '../../deps.js';
import type { Conn, Tx } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { AppError, errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { cleanText, csvRecordsOf, detectFormat, MAX_ROWS, normaliseHeader, visitXlsx } from '../org/import.parse.js';
import { idRanges } from '../org/import.service.js';
import { peopleByEmployeeNos, tagsOfPeople, type PersonWithPath } from '../org/import.store.js';
import { inTarget } from './campaigns.policy.js';
import { assertCommandOf, visibleCampaign } from './campaigns.service.js';
import * as store from './campaigns.store.js';
import { onPositiveResult } from './campaign-positive.js';

/**
 * The lab's results, imported by employee number from .xlsx or .csv: a dry run answers every row's
 * fate (with the row, column and reason of each error); a real run writes them all in one
 * transaction, or nothing when any row is rejected. A result is unique per person and sample day,
 * so importing the same file again finds every row unchanged and writes nothing at all.
 */

export interface ResultImportInput {
  fileName: string;
  data: Buffer;
  dryRun: boolean;
}

/** The answer keeps every reject (up to this many) and this many other rows of a big file. */
const ANSWER_ROWS = 2000;
const HEADER_SEARCH_ROWS = 10;

const LOOKUP = new Map<string, ResultColumn>();
for (const c of RESULT_COLUMNS) for (const n of [c.zh, c.key, ...c.aliases]) LOOKUP.set(normaliseHeader(n), c.key);
const KEYS = RESULT_COLUMNS.map((c) => c.key);

interface ResultsTable {
  headers: Partial<Record<ResultColumn, string>>;
  rows: { row: number; v: Record<ResultColumn, string> }[];
}

/** Finds the header row (工号 and 检测结果 at least) in the first rows, then keeps every non-blank row. */
class ResultsReader {
  headers: Partial<Record<ResultColumn, string>> | null = null;
  private at: Partial<Record<ResultColumn, number>> = {};
  private scanned = 0;
  readonly rows: ResultsTable['rows'] = [];

  add(row: number, cells: string[], counter: { rows: number }): void {
    if (!this.headers) {
      if (this.scanned++ >= HEADER_SEARCH_ROWS) return;
      const at: Partial<Record<ResultColumn, number>> = {};
      cells.forEach((c, i) => {
        const key = LOOKUP.get(normaliseHeader(cleanText(c)));
        if (key && at[key] === undefined) at[key] = i;
      });
      if (at.employeeNo === undefined || at.result === undefined) return;
      this.at = at;
      this.headers = Object.fromEntries(Object.entries(at).map(([k, i]) => [k, cleanText(cells[i] ?? '')]));
      return;
    }
    const v = Object.fromEntries(KEYS.map((k) => [k, this.at[k] === undefined ? '' : cleanText(cells[this.at[k]] ?? '')])) as Record<ResultColumn, string>;
    if (KEYS.every((k) => v[k] === '')) return;
    if (++counter.rows > MAX_ROWS) throw errors.validation({ file: `the file has more than ${MAX_ROWS} rows; split it` });
    this.rows.push({ row, v });
  }
}

/** The results sheet of an upload: the first sheet with a recognisable header. */
export async function parseResultsFile(fileName: string, data: Buffer): Promise<ResultsTable> {
  if (data.length === 0) throw errors.validation({ file: 'the file is empty' });
  const readers: ResultsReader[] = [];
  const counter = { rows: 0 };
  if (detectFormat(fileName, data) === 'xlsx') {
    await visitXlsx(data, () => {
      const r = new ResultsReader();
      readers.push(r);
      return (row, cells) => r.add(row, cells, counter);
    });
  } else {
    const r = new ResultsReader();
    readers.push(r);
    csvRecordsOf(data).forEach((cells, i) => r.add(i + 1, cells, counter));
  }
  const found = readers.find((r) => r.headers);
  if (!found) throw errors.validation({ file: 'no recognisable header row: the sheet needs columns 工号 and 检测结果 (or employeeNo and result), and 采样日期 (sampleDay)' });
  if (found.headers!.sampleDay === undefined) throw errors.validation({ file: 'the sheet needs a 采样日期 (sampleDay) column' });
  return { headers: found.headers!, rows: found.rows };
}

const pad = (n: number) => String(n).padStart(2, '0');
function realDay(y: number, m: number, d: number): string | null {
  const s = `${y}-${pad(m)}-${pad(d)}`;
  const t = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === s ? s : null;
}

/** A sample day as labs write it: 2026-11-24, 2026/11/24, 2026.11.24, 2026年11月24日 (a time after it is ignored), or an Excel date. */
export function parseSampleDay(text: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/.exec(text);
  if (m) return realDay(Number(m[1]), Number(m[2]), Number(m[3]));
  // Excel's date serial (days since 1899-12-30), as the .xlsx reader gives a date cell.
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const d = new Date((Math.floor(Number(text)) - 25569) * 86_400_000);
    return realDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}

interface PlannedRow {
  out: ResultRow;
  person?: PersonWithPath;
  day?: string;
  lab?: string | null;
  existing?: store.StoredResult;
}

interface ResultWork {
  rows: PlannedRow[];
  summary: ResultImportPlan['summary'];
}

/** Every row's fate against what is stored now: create, update, unchanged, or reject with reasons. */
async function planResults(deps: Deps, conn: Conn, actor: Actor, campaign: store.CampaignWithTargets, table: ResultsTable): Promise<ResultWork> {
  const h = table.headers;
  const numbers = [...new Set(table.rows.map((r) => r.v.employeeNo).filter(Boolean))];
  const people = new Map((await peopleByEmployeeNos(conn, deps.dialect, numbers)).map((p) => [p.employee_no, p]));
  const [due, stored] = await Promise.all([store.duePersonIds(conn, campaign.id), store.resultsOf(conn, campaign.id)]);
  const lateCandidates = [...people.values()].filter((p) => !due.has(p.id) && p.status === 'active');
  const tags = await tagsOfPeople(conn, deps.dialect, lateCandidates.map((p) => p.id));
  const targetPaths = campaign.targets.map((t) => t.path);
  const campaignTags = JSON.parse(campaign.tags) as string[];
  const seen = new Set<string>();
  const summary = { create: 0, update: 0, unchanged: 0, rejected: 0, positive: 0 };
  const rows: PlannedRow[] = [];
  for (const r of table.rows) {
    const reasons: ResultRow['reasons'] = [];
    const reject = (column: ResultColumn | null, code: string, message: string) => reasons.push({ column: column ? (h[column] ?? column) : null, code, message });
    const no = r.v.employeeNo;
    const result: TestResult | undefined = RESULT_WORDS[r.v.result.toLowerCase()];
    const day = parseSampleDay(r.v.sampleDay);
    const lab = r.v.lab === '' ? null : r.v.lab;
    let person: PersonWithPath | undefined;
    if (!no) reject('employeeNo', 'required', 'the employee number is missing');
    else {
      person = people.get(no);
      // Out of the actor's scope reads as absent, exactly like a number nobody holds.
      if (!person || !can(actor, 'people.read', person.unit_path)) {
        reject('employeeNo', 'unknown_person', 'no person has this employee number');
        person = undefined;
      } else if (!due.has(person.id) && !(person.status === 'active' && inTarget(person.unit_path, tags.get(person.id) ?? [], targetPaths, campaignTags))) {
        reject('employeeNo', 'not_due', 'the person is not due in this campaign');
      }
    }
    if (!r.v.result) reject('result', 'required', 'the result is missing');
    else if (!result) reject('result', 'invalid', 'must be 阴性, 阳性, 无效 (negative, positive, invalid)');
    if (!r.v.sampleDay) reject('sampleDay', 'required', 'the sample day is missing');
    else if (!day) reject('sampleDay', 'invalid', 'must be a day such as 2026-11-24');
    else if (day < campaign.start_day || day > campaign.end_day) reject('sampleDay', 'outside_campaign', `must be within the campaign (${campaign.start_day} to ${campaign.end_day})`);
    if (lab !== null && lab.length > 100) reject('lab', 'too_long', 'at most 100 characters');
    if (reasons.length === 0 && person && day) {
      const key = `${person.id}|${day}`;
      if (seen.has(key)) reject(null, 'duplicate_in_file', 'the same person and sample day appear on an earlier row');
      seen.add(key);
    }
    if (reasons.length) {
      summary.rejected++;
      rows.push({ out: { row: r.row, employeeNo: no, action: 'reject', result: result ?? null, reasons } });
      continue;
    }
    const existing = stored.get(`${person!.id}|${day}`);
    const action = !existing ? 'create' : existing.result === result && existing.lab === lab ? 'unchanged' : 'update';
    summary[action]++;
    if (action !== 'unchanged' && result === 'positive' && existing?.result !== 'positive') summary.positive++;
    rows.push({ out: { row: r.row, employeeNo: no, action, result: result!, reasons: [] }, person, day: day!, lab, existing });
  }
  return { rows, summary };
}

function presentPlan(work: ResultWork, meta: { dryRun: boolean; fileName: string; sha256: string }): ResultImportPlan {
  let rows = work.rows.map((r) => r.out);
  if (rows.length > ANSWER_ROWS) {
    let others = 0;
    rows = rows.filter((r) => r.action === 'reject' || (r.action !== 'unchanged' && ++others <= ANSWER_ROWS));
  }
  // Rejects first: they are what a person must read and fix.
  rows.sort((a, b) => Number(b.action === 'reject') - Number(a.action === 'reject') || a.row - b.row);
  return { ...meta, summary: work.summary, rows, rowsOmitted: work.rows.length - rows.length };
}

/** Thrown by a real import when rows are rejected: a 400 naming `file`; nothing is written. */
export class ResultsRejectedError extends AppError {
  constructor(readonly plan: ResultImportPlan) {
    const n = plan.summary.rejected;
    super('validation', `${n} row${n === 1 ? '' : 's'} rejected; nothing was imported (run a dry run to see why)`, { file: `${n} rows rejected` });
  }
}

/**
 * Import a lab's results into a campaign (campaigns.write over the whole campaign). A dry run
 * answers the plan; a real run plans again inside its transaction and writes it, opening a health
 * watch and telling the unit head and the command office for each new positive.
 */
export async function importResults(deps: Deps, ctx: Ctx, campaignId: number, input: ResultImportInput): Promise<ResultImportPlan> {
  if (!ctx.actor) throw errors.unauthenticated();
  const actor = ctx.actor;
  const campaign = await visibleCampaign(deps, actor, campaignId);
  assertCommandOf(actor, campaign);
  const table = await parseResultsFile(input.fileName, input.data);
  const meta = { dryRun: input.dryRun, fileName: input.fileName.slice(0, 200), sha256: createHash('sha256').update(input.data).digest('hex') };
  if (input.dryRun) return presentPlan(await planResults(deps, deps.db, actor, campaign, table), meta);
  return transact(deps, ctx, async (tx) => {
    const work = await planResults(deps, tx, actor, campaign, table);
    if (work.summary.rejected > 0) throw new ResultsRejectedError(presentPlan(work, meta));
    if (work.summary.create + work.summary.update > 0) await writeResults(deps, ctx, tx, campaign, work, meta);
    return presentPlan(work, meta);
  });
}

async function writeResults(deps: Deps, ctx: Ctx, tx: Tx, campaign: store.CampaignWithTargets, work: ResultWork, meta: { fileName: string; sha256: string }) {
  const now = deps.clock.now();
  const changed = work.rows.filter((r) => r.out.action === 'create' || r.out.action === 'update');
  const batch = await store.insertBatch(tx, { campaign_id: campaign.id, file_name: meta.fileName, sha256: meta.sha256, rows: changed.length, created_by_user_id: ctx.actor?.userId ?? null, created_at: now });
  const creates = changed.filter((r) => r.out.action === 'create');
  const inserted = await store.insertResults(
    tx,
    creates.map((r) => ({ campaign_id: campaign.id, person_id: r.person!.id, sample_day: r.day!, result: r.out.result!, lab: r.lab ?? null, batch_id: batch.id, created_at: now, updated_at: now })),
  );
  const resultIds = new Map<PlannedRow, number>(creates.map((r, i) => [r, inserted[i]!.id]));
  for (const r of changed.filter((x) => x.out.action === 'update')) {
    await store.updateResult(tx, r.existing!.id, { result: r.out.result!, lab: r.lab ?? null, batch_id: batch.id, updated_at: now });
    resultIds.set(r, r.existing!.id);
  }
  // Each touched person's latest result (by sample day), over what was stored and what this file brings.
  const stored = await store.resultsOf(tx, campaign.id);
  const latest = new Map<number, store.StoredResult>();
  for (const s of stored.values()) {
    const cur = latest.get(s.person_id);
    if (!cur || s.sample_day > cur.sample_day) latest.set(s.person_id, s);
  }
  const touched = new Set(changed.map((r) => r.person!.id));
  for (const personId of touched) {
    const l = latest.get(personId)!;
    await store.ensureDue(tx, campaign.id, personId);
    await store.setLatestResult(tx, campaign.id, personId, l.result, l.sample_day, now);
  }
  await recordAudit(tx, deps, ctx, {
    action: 'campaign.results_imported',
    entity: 'campaign',
    entityId: campaign.id,
    unitId: campaign.targets[0]?.id ?? null,
    note: { batchId: batch.id, fileName: meta.fileName, sha256: meta.sha256, summary: work.summary, people: idRanges([...touched]) },
  });
  for (const r of changed) {
    if (r.out.result === 'positive' && r.existing?.result !== 'positive') {
      await onPositiveResult(tx, deps, ctx, { campaign, personId: r.person!.id, resultId: resultIds.get(r)! });
    }
  }
}
