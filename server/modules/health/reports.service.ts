import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { CheckinReportQuery } from '../../../common/schemas/health-reports.js';
import type { RollupFigures } from '../../../common/schemas/health.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { contentDisposition, escapeCell } from '../org/export.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { maskPhone } from '../org/people.service.js';
import { todayOf } from './checkins.service.js';
import { COUNT_COLUMNS, type CountVector } from './health.policy.js';
import * as store from './health.store.js';
import { healthUnit } from './health.access.js';
import { firstKeptDay, retentionDays } from './retention.service.js';

/** Non-reporters read per query while the sheet is written: memory stays flat on a 100k tree. */
const NON_REPORTERS_PER_BATCH = 5000;

export const ROLLUP_SHEET = '汇总';
export const NON_REPORTERS_SHEET = '未打卡人员';
export const ROLLUP_HEADERS = ['单位', '层级', '应打卡', '已打卡', '未打卡', '打卡率', '正常', '异常', '隔离', '出行'] as const;
export const NON_REPORTER_HEADERS = ['单位', '姓名', '工号', '手机'] as const;

export interface ReportRow {
  unitId: number;
  /** Levels below the unit the report is for (0: the unit itself). */
  level: number;
  /** The unit's path from the report's unit down, '运营部/一车队'; the unit's own name at level 0. */
  label: string;
  figures: RollupFigures;
}

const zero = (): RollupFigures => ({ headcount: 0, checkedIn: 0, notYet: 0, normal: 0, abnormal: 0, quarantine: 0, trip: 0, onTime: 0 });

/**
 * The day's figures of the unit and of every unit down to `depth` levels below it, each over its
 * whole subtree, in tree order. From the per-(day, unit) counts and the headcounts (the same reads
 * as the dashboard's roll-up, so the two agree), summed up the tree in memory.
 */
export async function rollupRows(deps: Deps, unit: { id: number; name: string; path: string }, day: string, depth: number): Promise<ReportRow[]> {
  const [all, counts, heads] = await Promise.all([store.unitsForRollup(deps.db, unit.path), store.countsIn(deps.db, unit.path, day), store.headcountsIn(deps.db, unit.path)]);
  const top = unit.path.split('/').filter(Boolean).length - 1; // the unit's index in a path's ids
  const figures = new Map<number, RollupFigures>();
  const children = new Map<number, typeof all>();
  for (const u of all) {
    if (u.archived_at !== null) continue;
    const level = u.path.split('/').filter(Boolean).length - 1 - top;
    if (level > depth) continue;
    figures.set(u.id, zero());
    if (u.parent_id !== null && u.id !== unit.id) children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u]);
  }
  // Each row of counts or headcount adds to its unit and every shown unit above it, up to the report's unit.
  const addUp = (path: string, add: (f: RollupFigures) => void) => {
    const ids = path.split('/').filter(Boolean);
    for (let i = top; i < ids.length && i - top <= depth; i++) {
      const f = figures.get(Number(ids[i]));
      if (f) add(f);
    }
  };
  for (const r of counts) {
    const c = Object.fromEntries(COUNT_COLUMNS.map((k) => [k, Number(r[k])])) as CountVector;
    addUp(r.path, (f) => {
      f.checkedIn += c.checked_in;
      f.normal += c.normal;
      f.abnormal += c.abnormal;
      f.quarantine += c.quarantine;
      f.trip += c.trip;
      f.onTime += c.on_time;
    });
  }
  const pathOf = new Map(all.map((u) => [u.id, u.path]));
  for (const [unitId, n] of heads) {
    const path = pathOf.get(unitId);
    if (path) addUp(path, (f) => void (f.headcount += n));
  }
  const out: ReportRow[] = [];
  const walk = (id: number, name: string, label: string, level: number) => {
    const f = figures.get(id)!;
    out.push({ unitId: id, level, label: level === 0 ? name : label, figures: { ...f, notYet: Math.max(0, f.headcount - f.checkedIn) } });
    for (const c of children.get(id) ?? []) walk(c.id, c.name, level === 0 ? c.name : `${label}/${c.name}`, level + 1);
  };
  walk(unit.id, unit.name, '', 0);
  return out;
}

export interface CheckinReport {
  fileName: string;
  contentDisposition: string;
  stream: Readable;
}

/**
 * The day's report of a unit as .xlsx: sheet 1 the roll-up down to `depth` levels, sheet 2 the
 * non-reporters per unit (phones masked where the actor may not see them). Streamed as written;
 * the download is an audited read of health data.
 */
export async function checkinReport(deps: Deps, ctx: Ctx, q: z.infer<typeof CheckinReportQuery>): Promise<CheckinReport> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'health.read');
  const unit = await healthUnit(deps, actor, q.unitId);
  const day = q.day ?? todayOf(deps);
  const rows = await rollupRows(deps, unit, day, q.depth);
  const notYet = rows[0]!.figures.notYet;
  const fileName = `${unit.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')}-打卡日报-${day}.xlsx`;
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'checkins.report.exported', entity: 'checkins', entityId: day, unitId: unit.id, note: { day, depth: q.depth, units: rows.length, notYet, fileName } }),
  );
  // A purged day has its counts but no rows: every person would look like a non-reporter.
  const purged = day < firstKeptDay(todayOf(deps), await retentionDays(deps));
  const stream = new PassThrough();
  writeReport(deps, actor, stream, unit, day, rows, purged).catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return { fileName, contentDisposition: contentDisposition(fileName, `checkins-${day}.xlsx`), stream };
}

export const PURGED_NOTE = '该日打卡明细已超过保留期限并已清除，无法列出未打卡人员。';

async function writeReport(deps: Deps, actor: Actor, stream: PassThrough, unit: { path: string; name: string }, day: string, rows: ReportRow[], purged: boolean) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const sheet = wb.addWorksheet(ROLLUP_SHEET);
  sheet.columns = ROLLUP_HEADERS.map((h, i) => ({ header: h, width: i === 0 ? 36 : 10, ...(h === '打卡率' ? { style: { numFmt: '0.0%' } } : {}) }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    const f = r.figures;
    sheet.addRow([escapeCell(r.label), r.level, f.headcount, f.checkedIn, f.notYet, f.headcount > 0 ? f.checkedIn / f.headcount : null, f.normal, f.abnormal, f.quarantine, f.trip]).commit();
  }
  sheet.commit();

  const people = wb.addWorksheet(NON_REPORTERS_SHEET);
  people.columns = NON_REPORTER_HEADERS.map((h, i) => ({ header: h, width: i === 0 ? 36 : 14 }));
  people.getRow(1).font = { bold: true };
  // Each unit by its path below the report's unit, as the first sheet names it, at any depth.
  const names = new Map((await store.unitsForRollup(deps.db, unit.path)).map((u) => [String(u.id), u.name]));
  const top = unit.path.split('/').filter(Boolean).length;
  const labels = new Map<string, string>();
  const labelOf = (path: string) => {
    let label = labels.get(path);
    if (label === undefined) {
      const below = path.split('/').filter(Boolean).slice(top);
      label = below.length === 0 ? unit.name : below.map((id) => names.get(id) ?? id).join('/');
      labels.set(path, label);
    }
    return label;
  };
  if (purged) people.addRow([PURGED_NOTE]).commit();
  for (let offset = 0; !purged; offset += NON_REPORTERS_PER_BATCH) {
    const { rows: batch } = await store.nonReporters(deps.db, unit.path, day, offset, NON_REPORTERS_PER_BATCH);
    for (const p of batch) {
      const label = labelOf(p.unit_path);
      const phone = can(actor, 'people.phone', p.unit_path) ? p.phone : maskPhone(p.phone);
      people.addRow([escapeCell(label), escapeCell(p.name), escapeCell(p.employee_no), escapeCell(phone)]).commit();
    }
    if (batch.length < NON_REPORTERS_PER_BATCH) break;
  }
  people.commit();
  await wb.commit();
}
