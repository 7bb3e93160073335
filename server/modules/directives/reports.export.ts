import ExcelJS from 'exceljs';
import { localDateTime } from '../../../common/day.js';
import type { AnswerValue, ReportField, SubmissionState } from '../../../common/schemas/reports.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { contentDisposition, escapeCell } from '../org/export.service.js';
import { requireActor } from '../org/org.policy.js';
import { roundRows, visibleRound } from './reports.rounds.service.js';
import { fieldsOf } from './reports.service.js';

/** A round as .xlsx: the table the round view shows, a unit a row, a field a column. */

export const ROUND_SHEET = '报送情况';
export const ROUND_FIXED_HEADERS = ['单位', '状态', '提交时间', '提交人'] as const;
export const STATE_WORDS: Record<SubmissionState, string> = { on_time: '按时提交', late: '逾期提交', pending: '待提交', missing: '未提交' };

/** An answer as a cell: numbers stay numbers (to sum in the sheet), yes/no in words, text escaped. */
export function answerCell(f: ReportField, v: AnswerValue | undefined): string | number | null {
  if (v === undefined || v === null) return null;
  if (f.type === 'yes_no') return v === true ? '是' : '否';
  if (typeof v === 'number') return v;
  return escapeCell(String(v));
}

export async function exportRound(deps: Deps, ctx: Ctx, id: number): Promise<{ fileName: string; contentDisposition: string; data: Buffer }> {
  const actor = requireActor(ctx.actor);
  const { round, request, targets } = await visibleRound(deps, actor, id);
  const rows = await roundRows(deps, actor, request, round, targets);
  const fields = fieldsOf(request);
  const tz = deps.config.timeZone;
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(ROUND_SHEET);
  sheet.columns = [...ROUND_FIXED_HEADERS, ...fields.map((f) => f.label)].map((h, i) => ({ header: escapeCell(h), width: i === 0 ? 30 : i < 4 ? 18 : 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    sheet.addRow([
      escapeCell(r.unitName),
      STATE_WORDS[r.state],
      r.submittedAt === null ? null : localDateTime(r.submittedAt, tz),
      escapeCell(r.submittedBy),
      ...fields.map((f) => answerCell(f, r.answers?.[f.key])),
    ]);
  }
  const safeTitle = request.title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 60);
  const fileName = `${safeTitle}-${round.day}.xlsx`;
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'report_round.exported', entity: 'report_round', entityId: round.id, unitId: request.unit_id, note: { units: rows.length, fileName } }),
  );
  return { fileName, contentDisposition: contentDisposition(fileName, `report-${round.id}-${round.day}.xlsx`), data: Buffer.from(await wb.xlsx.writeBuffer()) };
}
