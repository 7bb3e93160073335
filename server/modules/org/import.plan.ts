import { PATH_SEPARATORS, STATUS_LABELS, TAG_LABELS, TAG_SEPARATORS, UNIT_KIND_LABELS, type ImportRow, type ImportSummary } from '../../../common/schemas/import.js';
import { UNIT_KINDS } from '../../../common/schemas/org.js';
import type { PersonRow, UnitRow } from '../../db/schema.js';
import { maskPhone } from './people.service.js';
import type { ParsedFile, Table } from './import.parse.js';
import type { PeopleColumn, UnitColumn } from '../../../common/schemas/import.js';

/**
 * The import's rules, as a pure function from (file, what exists, what the actor may touch) to a
 * plan: every row's verdict and the exact writes. No I/O, so a dry run and the real run agree by
 * construction and the rules are tested without a database.
 */

export type ExistingPerson = PersonRow & { unit_path: string; tags: string[] };
type Reason = ImportRow['reasons'][number];
type UnitKind = (typeof UNIT_KINDS)[number];

/** A unit of the target's subtree, existing or to be created by this import. */
export class UnitNode {
  /** Live children by name (archived units are never matched, so a name can be reused). */
  readonly children = new Map<string, UnitNode[]>();
  nextSortOrder = 0;
  id: number | null;
  path: string | null;
  kind: string;
  /** Set when the file gives an existing unit a different kind. */
  newKind: string | null = null;

  constructor(
    readonly name: string,
    kind: string,
    readonly depth: number,
    readonly parent: UnitNode | null,
    readonly relPath: string,
    readonly existing: UnitRow | null,
    readonly sortOrder: number,
  ) {
    this.kind = kind;
    this.id = existing?.id ?? null;
    this.path = existing?.path ?? null;
  }

  addChild(child: UnitNode): void {
    const list = this.children.get(child.name);
    if (list) list.push(child);
    else this.children.set(child.name, [child]);
  }
}

export interface PersonCreatePlan {
  name: string;
  employeeNo: string;
  phone: string | null;
  title: string | null;
  status: 'active' | 'left';
  tags: string[];
  unit: UnitNode;
}

export interface PersonUpdatePlan {
  before: ExistingPerson;
  name: string;
  phone: string | null;
  title: string | null;
  status: string;
  leftOn: string | null;
  /** null: the tags stay as they are. */
  tags: string[] | null;
  /** null: the person stays in their unit. */
  unit: UnitNode | null;
}

export interface ImportWork {
  rows: ImportRow[];
  summary: ImportSummary;
  /** Parents before children. */
  unitCreates: UnitNode[];
  unitUpdates: UnitNode[];
  personCreates: PersonCreatePlan[];
  personUpdates: PersonUpdatePlan[];
}

export interface PlanInput {
  target: UnitRow;
  /** Every unit of the target's subtree, the target included. */
  subtree: readonly UnitRow[];
  file: ParsedFile;
  /** People of the file's employee numbers, wherever they are, with their tags. */
  existing: Map<string, ExistingPerson>;
  /** Whether the actor may import over the unit at this path (people found outside it are "taken"). */
  mayImportAt: (unitPath: string) => boolean;
  /** The deployment's today, for left_on when a row marks someone as left. */
  today: string;
}

const KIND_BY_TEXT = new Map<string, UnitKind>();
for (const k of UNIT_KINDS) {
  KIND_BY_TEXT.set(k, k);
  KIND_BY_TEXT.set(UNIT_KIND_LABELS[k], k);
}
const TAG_BY_LABEL = new Map<string, string>(Object.entries(TAG_LABELS).map(([code, label]) => [label, code]));
const STATUS_BY_TEXT = new Map<string, 'active' | 'left'>([
  ['active', 'active'],
  ['left', 'left'],
  [STATUS_LABELS.active, 'active'],
  [STATUS_LABELS.left, 'left'],
]);

/** The kind a new unit gets when the file does not say: read from how Chinese unit names end. */
export function inferUnitKind(name: string): UnitKind {
  if (/(队|班|组|班组|车组|机组)$/.test(name)) return 'team';
  if (/(站|场|厂|库|基地|工地|项目部|机场|码头|枢纽|中心站|营业厅|办事处|航站楼|车间|园区)$/.test(name)) return 'site';
  if (/(集团|公司|分公司)$/.test(name)) return 'subsidiary';
  if (/(办公室|办)$/.test(name)) return 'office';
  return 'department';
}

const MAX_TAGS = 20;

/**
 * The rules of Name(), PersonCreate and Tag in common/schemas, as plain expressions over the
 * already-trimmed cell text: zod per cell was a third of a 100,000-row plan. import.plan.test.ts
 * holds these to the schemas.
 */
const CONTROL = /[\u0000-\u001f\u007f]/;
const EMPLOYEE_NO = /^[A-Za-z0-9_.-]{1,40}$/;
const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;
export const rules = {
  name: (s: string, max: number) => s.length >= 1 && s.length <= max && !CONTROL.test(s),
  employeeNo: (s: string) => EMPLOYEE_NO.test(s),
  phone: (s: string) => PHONE.test(s),
  title: (s: string) => s.length <= 60,
  tag: (s: string) => s.length >= 1 && s.length <= 30,
};
/** Shared by every row without reasons or changes: 100,000 empty arrays are garbage for nothing. */
const NONE: never[] = [];

function textReason(column: string, value: string, max: number): Reason {
  if (value === '') return { column, code: 'required', message: `${column}不能为空` };
  if (value.length > max) return { column, code: 'too_long', message: `${column}不能超过 ${max} 个字符` };
  return { column, code: 'invalid', message: `${column}含有不可见的控制字符` };
}

/** The 标签 cell: labels of built-in tags become their codes; sorted, without repeats. Shared between rows. */
function parseTags(text: string, column: string): { tags: string[] } | { reason: Reason } {
  const tags: string[] = [];
  for (const raw of text.split(TAG_SEPARATORS)) {
    const s = raw.trim();
    if (s === '') continue;
    const tag = TAG_BY_LABEL.get(s) ?? s;
    if (!rules.tag(tag)) return { reason: { column, code: 'invalid_tag', message: `标签「${s.slice(0, 20)}」不能超过 30 个字符` } };
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { reason: { column, code: 'too_many_tags', message: `${column}最多 ${MAX_TAGS} 个` } };
  return { tags: tags.sort() };
}

export function planImport(input: PlanInput): ImportWork {
  return new Planner(input).run();
}

class Planner {
  private readonly root: UnitNode;
  private readonly rows: ImportRow[] = [];
  private readonly unitCreates: UnitNode[] = [];
  private readonly unitUpdates: UnitNode[] = [];
  private readonly personCreates: PersonCreatePlan[] = [];
  private readonly personUpdates: PersonUpdatePlan[] = [];
  private readonly touched = new Set<UnitNode>();
  /** Kinds given in the units sheet, by normalised relative path: applied when the unit is created. */
  private readonly declaredKinds = new Map<string, UnitKind>();
  /** Sheets in the order planned (units first): the order of the answer's rows. */
  private readonly sheetOrder = new Map<string, number>();

  constructor(private readonly input: PlanInput) {
    const { target, subtree } = input;
    this.root = new UnitNode(target.name, target.kind, target.depth, null, '', target, target.sort_order);
    const byId = new Map<number, UnitNode>([[target.id, this.root]]);
    // Path order puts every parent before its children.
    const sorted = [...subtree].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const u of sorted) {
      if (u.id === target.id || u.parent_id === null) continue;
      const parent = byId.get(u.parent_id);
      if (!parent) continue;
      parent.nextSortOrder = Math.max(parent.nextSortOrder, u.sort_order + 1);
      if (u.archived_at !== null) continue;
      const node = new UnitNode(u.name, u.kind, u.depth, parent, parent.relPath ? `${parent.relPath}/${u.name}` : u.name, u, u.sort_order);
      parent.addChild(node);
      byId.set(u.id, node);
    }
  }

  run(): ImportWork {
    const { units, people } = this.input.file;
    if (units) this.planUnitsSheet(units);
    if (people) this.planPeopleSheet(people);
    // By sheet, then row; the units a row creates come just before it, parents first (a stable sort).
    const rank = (r: ImportRow) => (r.kind === 'person' ? 2 : r.action === 'create' ? 0 : 1);
    const sheet = (r: ImportRow) => this.sheetOrder.get(r.sheet) ?? 0;
    this.rows.sort((a, b) => sheet(a) - sheet(b) || a.row - b.row || rank(a) - rank(b));
    const summary: ImportSummary = {
      unitsCreate: this.unitCreates.length,
      unitsUpdate: this.unitUpdates.length,
      unitsUnchanged: [...this.touched].filter((n) => n.existing && n.newKind === null && n !== this.root).length,
      peopleCreate: this.personCreates.length,
      peopleUpdate: this.personUpdates.length,
      peopleUnchanged: this.rows.filter((r) => r.kind === 'person' && r.action === 'unchanged').length,
      rejected: this.rows.filter((r) => r.action === 'reject').length,
    };
    return {
      rows: this.rows,
      summary,
      unitCreates: this.unitCreates,
      unitUpdates: this.unitUpdates,
      personCreates: this.personCreates,
      personUpdates: this.personUpdates,
    };
  }

  private push(sheet: string, row: number, kind: 'unit' | 'person', action: ImportRow['action'], key: string, reasons: Reason[] = NONE, changed: string[] = NONE) {
    this.rows.push({ sheet, row, kind, action, key, changed, reasons });
  }

  /** Split and check a relative unit path; [] is the target unit itself. */
  private segmentsOf(raw: string, column: string): { segments: string[] } | { reason: Reason } {
    const segments = raw.split(PATH_SEPARATORS).map((s) => s.trim());
    while (segments[0] === '') segments.shift();
    while (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
    if (segments.some((s) => s === '')) return { reason: { column, code: 'invalid_unit_path', message: '单位路径中有空的层级（连续的 /）' } };
    for (const s of segments) {
      if (!rules.name(s, 100)) {
        const r = textReason(column, s, 100);
        return { reason: { ...r, code: 'invalid_unit_path', message: `单位名称「${s.slice(0, 20)}」无效：${r.message}` } };
      }
    }
    return { segments };
  }

  /** Walk a path from the target, matching live units by name and planning the missing ones. */
  private resolve(segments: string[], column: string, sheet: string, row: number): { node: UnitNode; createdLeaf: boolean } | { reason: Reason } {
    // Check the whole path before planning anything, so a rejected path creates nothing.
    let node = this.root;
    let depth = 0;
    for (; depth < segments.length; depth++) {
      const matches = node.children.get(segments[depth]!) ?? [];
      if (matches.length > 1) {
        return { reason: { column, code: 'ambiguous_unit', message: `「${node.name}」下有 ${matches.length} 个名为「${segments[depth]}」的单位，无法确定是哪一个` } };
      }
      if (matches.length === 0) break;
      node = matches[0]!;
      if (node.existing) this.touched.add(node);
    }
    const created = depth < segments.length;
    for (; depth < segments.length; depth++) {
      const name = segments[depth]!;
      const relPath = node.relPath ? `${node.relPath}/${name}` : name;
      const kind = this.declaredKinds.get(relPath) ?? inferUnitKind(name);
      const child = new UnitNode(name, kind, node.depth + 1, node, relPath, null, node.nextSortOrder++);
      node.addChild(child);
      this.unitCreates.push(child);
      this.push(sheet, row, 'unit', 'create', relPath);
      node = child;
    }
    // Once one segment is new, every segment below it is new too: the leaf was created here.
    return { node, createdLeaf: created };
  }

  private planUnitsSheet(t: Table<UnitColumn>) {
    this.sheetOrder.set(t.sheet, this.sheetOrder.size);
    const column = t.headers.path ?? '单位路径';
    const kindColumn = t.headers.kind ?? '类型';
    const seen = new Map<string, number[]>();
    const valid: { row: number; segments: string[]; kind: UnitKind | null }[] = [];
    for (const { row, v } of t.rows) {
      const rawPath = v[0] ?? '';
      const rawKind = v[1] ?? '';
      const reasons: Reason[] = [];
      let segments: string[] = [];
      const parsed = this.segmentsOf(rawPath, column);
      if ('reason' in parsed) reasons.push(parsed.reason);
      else if (parsed.segments.length === 0) reasons.push({ column, code: 'required', message: `${column}不能为空` });
      else segments = parsed.segments;
      let kind: UnitKind | null = null;
      if (rawKind !== '') {
        kind = KIND_BY_TEXT.get(rawKind) ?? KIND_BY_TEXT.get(rawKind.toLowerCase()) ?? null;
        if (!kind) reasons.push({ column: kindColumn, code: 'invalid_kind', message: `${kindColumn}须为 ${Object.values(UNIT_KIND_LABELS).join('、')} 之一` });
      }
      const key = segments.join('/');
      if (reasons.length > 0) {
        this.push(t.sheet, row, 'unit', 'reject', key || rawPath, reasons);
        continue;
      }
      seen.set(key, [...(seen.get(key) ?? []), row]);
      valid.push({ row, segments, kind });
    }
    for (const u of valid) if (u.kind) this.declaredKinds.set(u.segments.join('/'), u.kind);
    // Shallow paths first: a parent listed below its child still gets the kind its own row gives.
    valid.sort((a, b) => a.segments.length - b.segments.length || a.row - b.row);
    for (const u of valid) {
      const key = u.segments.join('/');
      const dups = seen.get(key)!;
      if (dups.length > 1) {
        this.push(t.sheet, u.row, 'unit', 'reject', key, [{ column, code: 'duplicate_in_file', message: `单位路径在文件中重复（第 ${dups.join('、')} 行）` }]);
        continue;
      }
      const r = this.resolve(u.segments, column, t.sheet, u.row);
      if ('reason' in r) {
        this.push(t.sheet, u.row, 'unit', 'reject', key, [r.reason]);
        continue;
      }
      // A unit this row creates was listed by resolve() as the row's 'create' verdict.
      if (r.createdLeaf) continue;
      const leaf = r.node;
      if (leaf.existing) this.touched.add(leaf);
      if (leaf.existing && u.kind && u.kind !== leaf.kind && leaf.newKind === null) {
        leaf.newKind = u.kind;
        this.unitUpdates.push(leaf);
        this.push(t.sheet, u.row, 'unit', 'update', key, [], [kindColumn]);
      } else {
        this.push(t.sheet, u.row, 'unit', 'unchanged', key);
      }
    }
  }

  private planPeopleSheet(t: Table<PeopleColumn>) {
    this.sheetOrder.set(t.sheet, this.sheetOrder.size);
    const h = t.headers;
    const col = {
      name: h.name ?? '姓名',
      employeeNo: h.employeeNo ?? '工号',
      unit: h.unit ?? '单位',
      phone: h.phone ?? '手机',
      title: h.title ?? '职务',
      tags: h.tags ?? '标签',
      status: h.status ?? '状态',
    };
    const has = { unit: h.unit !== undefined, phone: h.phone !== undefined, title: h.title !== undefined, tags: h.tags !== undefined, status: h.status !== undefined };

    // A roster repeats a few thousand unit paths and a handful of tag lists over 100,000 rows.
    const unitCache = new Map<string, { node: UnitNode } | { reason: Reason }>();
    const tagCache = new Map<string, { tags: string[] } | { reason: Reason }>();
    // Employee numbers seen more than once, with every row that holds them.
    const firstRow = new Map<string, number>();
    const repeated = new Map<string, number[]>();
    for (const { row, v } of t.rows) {
      const no = v[1] ?? '';
      if (no === '') continue;
      const first = firstRow.get(no);
      if (first === undefined) firstRow.set(no, row);
      else repeated.set(no, [...(repeated.get(no) ?? [first]), row]);
    }

    for (const { row, v } of t.rows) {
      // Plain indexing: destructuring with defaults goes through the iterator protocol, row after row.
      const name = v[0] ?? '';
      const employeeNo = v[1] ?? '';
      const unitText = v[2] ?? '';
      const phoneText = v[3] ?? '';
      const titleText = v[4] ?? '';
      const tagsText = v[5] ?? '';
      const statusText = v[6] ?? '';
      const reasons: Reason[] = [];
      if (!rules.name(name, 60)) reasons.push(textReason(col.name, name, 60));
      if (!rules.employeeNo(employeeNo)) {
        reasons.push(
          employeeNo === '' || employeeNo.length > 40
            ? textReason(col.employeeNo, employeeNo, 40)
            : { column: col.employeeNo, code: 'invalid_employee_no', message: `${col.employeeNo}只能包含字母、数字和 _ . -` },
        );
      } else {
        const dups = repeated.get(employeeNo);
        if (dups) reasons.push({ column: col.employeeNo, code: 'duplicate_in_file', message: `${col.employeeNo}在文件中重复（第 ${dups.join('、')} 行）` });
      }
      const existing = employeeNo ? this.input.existing.get(employeeNo) : undefined;

      let phone: string | null = phoneText === '' ? null : phoneText;
      if (phone !== null && !rules.phone(phone)) {
        // A masked number from an export (138****5678) stands for the number already on file.
        if (existing && phone.includes('*') && maskPhone(existing.phone) === phone) phone = existing.phone;
        else reasons.push({ column: col.phone, code: 'invalid_phone', message: `${col.phone}格式不正确` });
      }
      const title = titleText === '' ? null : titleText;
      if (title !== null && !rules.title(title)) reasons.push(textReason(col.title, title, 60));

      let tags: string[] = NONE;
      if (tagsText !== '') {
        const parsed = tagCache.get(tagsText) ?? parseTags(tagsText, col.tags);
        tagCache.set(tagsText, parsed);
        if ('reason' in parsed) reasons.push(parsed.reason);
        else tags = parsed.tags;
      }

      let status: 'active' | 'left' | null = null;
      if (statusText !== '') {
        status = STATUS_BY_TEXT.get(statusText) ?? STATUS_BY_TEXT.get(statusText.toLowerCase()) ?? null;
        if (!status) reasons.push({ column: col.status, code: 'invalid_status', message: `${col.status}须为「${STATUS_LABELS.active}」或「${STATUS_LABELS.left}」` });
      }

      let unit: UnitNode | null = null;
      if (has.unit) {
        // Once resolved (and any missing unit planned, on its first row), a path means the same unit.
        let resolved = unitCache.get(unitText);
        if (!resolved) {
          const parsed = this.segmentsOf(unitText, col.unit);
          resolved = 'reason' in parsed ? parsed : this.resolve(parsed.segments, col.unit, t.sheet, row);
          unitCache.set(unitText, resolved);
        }
        if ('reason' in resolved) reasons.push(resolved.reason);
        else unit = resolved.node;
      }

      if (reasons.length === 0 && existing && !this.input.mayImportAt(existing.unit_path)) {
        // Deliberately the same words whoever holds the number: nothing about them is revealed.
        reasons.push({ column: col.employeeNo, code: 'employee_no_taken', message: `${col.employeeNo}已被占用` });
      }
      if (reasons.length > 0) {
        this.push(t.sheet, row, 'person', 'reject', employeeNo, reasons);
        continue;
      }

      if (!existing) {
        this.personCreates.push({ name, employeeNo, phone, title, status: status ?? 'active', tags, unit: unit ?? this.root });
        this.push(t.sheet, row, 'person', 'create', employeeNo);
        continue;
      }

      const changed: string[] = [];
      const next: PersonUpdatePlan = {
        before: existing,
        name: existing.name,
        phone: existing.phone,
        title: existing.title,
        status: existing.status,
        leftOn: existing.left_on,
        tags: null,
        unit: null,
      };
      if (name !== existing.name) {
        next.name = name;
        changed.push(col.name);
      }
      if (unit && (unit.existing === null || unit.existing.id !== existing.unit_id)) {
        next.unit = unit;
        changed.push(col.unit);
      }
      if (has.phone && phone !== existing.phone) {
        next.phone = phone;
        changed.push(col.phone);
      }
      if (has.title && title !== existing.title) {
        next.title = title;
        changed.push(col.title);
      }
      if (has.tags && tags.join('\n') !== existing.tags.join('\n')) {
        next.tags = tags;
        changed.push(col.tags);
      }
      if (status && status !== existing.status) {
        next.status = status;
        next.leftOn = status === 'left' ? this.input.today : null;
        changed.push(col.status);
      }
      if (changed.length === 0) {
        this.push(t.sheet, row, 'person', 'unchanged', employeeNo);
      } else {
        this.personUpdates.push(next);
        this.push(t.sheet, row, 'person', 'update', employeeNo, [], changed);
      }
    }
  }
}
