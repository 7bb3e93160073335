import { describe, expect, it } from 'vitest';
import { PersonCreate, Tag } from '../../../common/schemas/org.js';
import { Name } from '../../../common/schemas/shared.js';
import type { UnitRow } from '../../db/schema.js';
import type { ParsedFile } from './import.parse.js';
import { inferUnitKind, planImport, rules, type ExistingPerson } from './import.plan.js';

const SAMPLES = ['', 'a', '张三', 'A-1_2.3', 'bad no!', 'x'.repeat(30), 'x'.repeat(31), 'x'.repeat(40), 'x'.repeat(41), 'y'.repeat(60), 'y'.repeat(61), 'y'.repeat(100), 'y'.repeat(101),
  'tab\there', 'nul\u0000', 'del\u007f', '13812345678', '+86 138 1234 5678', '+86-138', '138-', '1234', '12345', '+1234', '+12345', `1${'2'.repeat(19)}`, `1${'2'.repeat(20)}`, '12ab', '  ', '——'];

describe('plan rules', () => {
  it('agree with the shared schemas they stand in for', () => {
    // The planner sees cell text already trimmed, so only trimmed samples can be compared.
    for (const s of SAMPLES.filter((x) => x.trim() === x)) {
      expect(rules.name(s, 60), `name ${JSON.stringify(s)}`).toBe(Name(60).safeParse(s).success);
      expect(rules.name(s, 100), `unit ${JSON.stringify(s)}`).toBe(Name(100).safeParse(s).success);
      expect(rules.employeeNo(s), `employeeNo ${JSON.stringify(s)}`).toBe(PersonCreate.shape.employeeNo.safeParse(s).success);
      expect(rules.phone(s), `phone ${JSON.stringify(s)}`).toBe(PersonCreate.shape.phone.safeParse(s).success);
      expect(rules.title(s), `title ${JSON.stringify(s)}`).toBe(PersonCreate.shape.title.safeParse(s).success);
      expect(rules.tag(s), `tag ${JSON.stringify(s)}`).toBe(Tag.safeParse(s).success);
    }
  });

  it('reads a unit’s kind from how its name ends', () => {
    expect(['一车队', '李村停车场', '交发集团', '防控办', '运营部', '首尔办事处'].map(inferUnitKind)).toEqual(['team', 'site', 'subsidiary', 'office', 'department', 'site']);
  });
});

const unit = (id: number, parent: UnitRow | null, name: string, extra: Partial<UnitRow> = {}): UnitRow => ({
  id,
  parent_id: parent?.id ?? null,
  name,
  kind: 'department',
  code: null,
  sort_order: 0,
  path: `${parent?.path ?? '/'}${id}/`,
  depth: parent ? parent.depth + 1 : 0,
  archived_at: null,
  created_at: 0,
  updated_at: 0,
  ...extra,
});

const people = (...rows: string[][]): ParsedFile => ({
  format: 'csv',
  units: null,
  people: { sheet: '人员', headers: { name: '姓名', employeeNo: '工号', unit: '单位', phone: '手机', title: '职务', tags: '标签', status: '状态' }, keys: ['name', 'employeeNo', 'unit', 'phone', 'title', 'tags', 'status'], rows: rows.map((v, i) => ({ row: i + 2, v })) },
});

describe('planImport', () => {
  const root = unit(1, null, '集团');
  const a = unit(2, root, '运营部', { sort_order: 4 });
  const archived = unit(3, root, '旧部门', { archived_at: 1 });
  const twinA = unit(4, root, '同名');
  const twinB = unit(5, root, '同名');
  const subtree = [root, a, archived, twinA, twinB];
  const base = { target: root, subtree, existing: new Map<string, ExistingPerson>(), mayImportAt: () => true, today: '2026-11-24' };

  it('reuses live units by name, skips archived ones, and refuses an ambiguous name', () => {
    const work = planImport({ ...base, file: people(['甲', 'E1', '运营部/一班', '', '', '', ''], ['乙', 'E2', '旧部门', '', '', '', ''], ['丙', 'E3', '同名/x', '', '', '', '']) });
    expect(work.unitCreates.map((n) => [n.relPath, n.parent?.name, n.sortOrder])).toEqual([
      ['运营部/一班', '运营部', 0],
      ['旧部门', '集团', 5],
    ]);
    expect(work.rows.find((r) => r.row === 4)).toMatchObject({ action: 'reject', reasons: [{ code: 'ambiguous_unit', column: '单位' }] });
  });

  it('keeps a masked phone from an export as the number on file', () => {
    const existing = new Map<string, ExistingPerson>([
      ['E1', { id: 9, unit_id: 2, unit_path: a.path, name: '甲', employee_no: 'E1', phone: '13812345678', title: null, status: 'active', left_on: null, created_at: 0, updated_at: 0, tags: [] }],
    ]);
    const work = planImport({ ...base, existing, file: people(['甲', 'E1', '运营部', '138****5678', '', '', '在职']) });
    expect(work.rows).toEqual([expect.objectContaining({ action: 'unchanged' })]);
    const other = planImport({ ...base, existing, file: people(['甲', 'E1', '运营部', '139****5678', '', '', '']) });
    expect(other.rows[0]).toMatchObject({ action: 'reject', reasons: [{ code: 'invalid_phone' }] });
  });
});
