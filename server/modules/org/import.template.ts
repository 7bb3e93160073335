import ExcelJS from 'exceljs';
import { PEOPLE_COLUMNS, PEOPLE_SHEET, STATUS_LABELS, TAG_LABELS, UNIT_COLUMNS, UNIT_KIND_LABELS, UNITS_SHEET } from '../../../common/schemas/import.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const EXAMPLE_PERSON = ['张伟', 'JF000123', '交发集团/运营部/一车队', '13812345678', '驾驶员', `${TAG_LABELS.front_line}、党员`, STATUS_LABELS.active];
const EXAMPLE_UNITS = [
  ['交发集团', UNIT_KIND_LABELS.subsidiary],
  ['交发集团/运营部', UNIT_KIND_LABELS.department],
  ['交发集团/运营部/一车队', UNIT_KIND_LABELS.team],
];

const NOTES = [
  '填写说明 (docs/import.md)',
  '',
  `「${PEOPLE_SHEET}」表：每行一人。姓名、工号必填；工号是匹配键，同一工号再次导入会更新此人。`,
  '单位：相对于导入目标单位的路径，层级之间用 / 分隔，例如 交发集团/运营部/一车队；不存在的单位会自动创建；留空表示导入目标单位本身。',
  '手机、职务、标签、状态选填。标签之间用 、 , 或 ; 分隔；内置标签：一线、海外、重点人群。状态：在职 或 离职。',
  '某列整列不存在时，已有人员的该项保持不变；单元格留空表示清空该项（状态留空则不变）。',
  `「${UNITS_SHEET}」表（可选）：列出单位路径和类型（${Object.values(UNIT_KIND_LABELS).join('、')}），可创建还没有人员的单位。`,
  '先做“预检”(dry run)查看每一行的结果；有任何一行被拒绝时，正式导入不会写入任何数据。',
  '也可以上传 UTF-8 编码的 CSV 文件，列与「人员」表相同。',
];

let cached: Promise<Buffer> | null = null;

/** The import template: both sheets with Chinese headers and an example, and a sheet of notes. Built once. */
export function importTemplate(): Promise<Buffer> {
  cached ??= (async () => {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Bulwark';
    const people = wb.addWorksheet(PEOPLE_SHEET);
    people.columns = PEOPLE_COLUMNS.map((c) => ({ header: c.zh, key: c.key, width: c.key === 'unit' ? 32 : 14 }));
    people.addRow(EXAMPLE_PERSON);
    people.getRow(1).font = { bold: true };
    // Employee numbers and phones are text: Excel would otherwise drop leading zeros.
    for (const key of ['employeeNo', 'phone']) people.getColumn(key).numFmt = '@';
    const units = wb.addWorksheet(UNITS_SHEET);
    units.columns = UNIT_COLUMNS.map((c) => ({ header: c.zh, key: c.key, width: c.key === 'path' ? 32 : 12 }));
    for (const u of EXAMPLE_UNITS) units.addRow(u);
    units.getRow(1).font = { bold: true };
    const notes = wb.addWorksheet('说明');
    notes.getColumn(1).width = 120;
    for (const line of NOTES) notes.addRow([line]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  })();
  return cached;
}
