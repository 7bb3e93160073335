import { z } from 'zod';
import type { BUILTIN_TAGS } from '../roles.js';
import { Id } from './shared.js';
import type { UNIT_KINDS } from './org.js';

/**
 * The import/export file format (docs/import.md). The server parses with these column names and
 * labels, the export writes them, and the console shows them: one definition for all three.
 */

/** Columns of the people sheet, in the order the template and the export write them. */
export const PEOPLE_COLUMNS = [
  { key: 'name', zh: '姓名', aliases: ['name', '名字'] },
  { key: 'employeeNo', zh: '工号', aliases: ['employeeno', 'employee_no', '员工编号', '员工号', '编号'] },
  { key: 'unit', zh: '单位', aliases: ['unit', '所属单位', '部门', '单位路径'] },
  { key: 'phone', zh: '手机', aliases: ['phone', 'mobile', '手机号', '手机号码', '电话', '联系电话'] },
  { key: 'title', zh: '职务', aliases: ['title', '岗位', '职位'] },
  { key: 'tags', zh: '标签', aliases: ['tags', 'tag'] },
  { key: 'status', zh: '状态', aliases: ['status', '在职状态'] },
] as const;
export type PeopleColumn = (typeof PEOPLE_COLUMNS)[number]['key'];

/** Columns of the optional units sheet (units that have no people yet, and each unit's kind). */
export const UNIT_COLUMNS = [
  { key: 'path', zh: '单位路径', aliases: ['path', '单位', '路径'] },
  { key: 'kind', zh: '类型', aliases: ['kind', 'type', '单位类型'] },
] as const;
export type UnitColumn = (typeof UNIT_COLUMNS)[number]['key'];

export const PEOPLE_SHEET = '人员';
export const UNITS_SHEET = '单位';
export const PEOPLE_SHEET_ALIASES = [PEOPLE_SHEET, 'people', '员工', '人员名单'];
export const UNITS_SHEET_ALIASES = [UNITS_SHEET, 'units', '组织', '单位列表'];

/** Separators accepted in the 标签 cell: 、 , ; and their full-width forms. */
export const TAG_SEPARATORS = /[、,，;；]/;
/** Separators between unit path segments: '/' and the full-width '／'. */
export const PATH_SEPARATORS = /[/／]/;

export const UNIT_KIND_LABELS: Record<(typeof UNIT_KINDS)[number], string> = {
  group: '集团',
  office: '办公室',
  department: '部门',
  subsidiary: '子公司',
  site: '站点',
  team: '班组',
};
export const TAG_LABELS: Record<(typeof BUILTIN_TAGS)[number], string> = {
  front_line: '一线',
  overseas: '海外',
  key_group: '重点人群',
};
export const STATUS_LABELS = { active: '在职', left: '离职' } as const;

export const ImportQuery = z.strictObject({
  unitId: Id,
  // A dry run is the default: writing must be asked for explicitly.
  dryRun: z.enum(['true', 'false']).default('true'),
});

export const IMPORT_ACTIONS = ['create', 'update', 'unchanged', 'reject'] as const;

export const ImportReason = z.object({
  /** The column to blame, as headed in the file; null when the row as a whole is at fault. */
  column: z.string().nullable(),
  /** Stable code for translation: required, invalid, too_long, duplicate_in_file, employee_no_taken, … */
  code: z.string(),
  message: z.string(),
});

export const ImportRow = z.object({
  sheet: z.string(),
  /** Row number as Excel shows it (the header is usually row 1). */
  row: z.number().int(),
  kind: z.enum(['unit', 'person']),
  action: z.enum(IMPORT_ACTIONS),
  /** Employee number for a person, unit path (relative to the target unit) for a unit. */
  key: z.string(),
  /** Columns an update changes, as headed in the file. */
  changed: z.array(z.string()),
  reasons: z.array(ImportReason),
});
export type ImportRow = z.infer<typeof ImportRow>;

export const ImportSummary = z.object({
  unitsCreate: z.number().int(),
  unitsUpdate: z.number().int(),
  unitsUnchanged: z.number().int(),
  peopleCreate: z.number().int(),
  peopleUpdate: z.number().int(),
  peopleUnchanged: z.number().int(),
  rejected: z.number().int(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ImportPlan = z.object({
  dryRun: z.boolean(),
  fileName: z.string(),
  sha256: z.string(),
  summary: ImportSummary,
  /** Rejected rows first in importance; a big file's answer leaves some rows out (see rowsOmitted). */
  rows: z.array(ImportRow),
  rowsOmitted: z.number().int(),
});
export type ImportPlan = z.infer<typeof ImportPlan>;

export const DemoLoadBody = z.strictObject({
  people: z.number().int().min(10).max(5000).optional(),
  /** Give the group, its subsidiaries and its sites a month of duty rosters (default true). */
  rosters: z.boolean().optional(),
});
export const DemoLogin = z.object({ username: z.string(), password: z.string(), description: z.string() });
export const DemoLoaded = z.object({
  units: z.number().int(),
  people: z.number().int(),
  /** Units given a duty roster (值班表) for the coming month. */
  rosters: z.number().int(),
  logins: z.array(DemoLogin),
});
