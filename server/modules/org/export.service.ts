import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { PEOPLE_COLUMNS, PEOPLE_SHEET, STATUS_LABELS, TAG_LABELS, UNIT_COLUMNS, UNIT_KIND_LABELS, UNITS_SHEET } from '../../../common/schemas/import.js';
import { dayOf } from '../../../common/day.js';
import type { Deps } from '../../deps.js';
import type { UnitRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertAllowed, assertVisible, requireActor } from './org.policy.js';
import { maskPhone } from './people.service.js';
import { unitsOfSubtree } from './import.store.js';
import * as store from './export.store.js';

/** People read from the database per batch of units: enough to keep queries few, memory flat. */
const PEOPLE_PER_BATCH = 5000;

/**
 * Text a spreadsheet could take for a formula (= + - @, or a leading tab or CR that some programs
 * strip) gets a leading ' so that it stays text: CSV/formula injection. The import takes it off again.
 */
export function escapeCell(s: string | null): string {
  if (!s) return '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 5987 / 6266: an ASCII fallback name and the real UTF-8 one. */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

const tagText = (tags: string[]) => tags.map((t) => (TAG_LABELS as Record<string, string>)[t] ?? t).join('、');

export interface PeopleExport {
  fileName: string;
  contentDisposition: string;
  rows: number;
  stream: Readable;
}

/**
 * The people of a unit's subtree as an .xlsx in the import's own format (an export re-imports as
 * "unchanged"), streamed as it is written. Phones are masked where the actor may not see them.
 * The export itself is audited: personal data leaving the system is worth knowing about.
 */
export async function exportPeople(deps: Deps, ctx: Ctx, unitId: number): Promise<PeopleExport> {
  const actor = requireActor(ctx.actor);
  const root = await deps.db.selectFrom('units').selectAll().where('id', '=', unitId).executeTakeFirst();
  assertVisible(actor, 'people.read', root?.path, 'unit');
  assertAllowed(actor, 'people.export', root!.path);

  // Archived units are left out (and their people, who are history): their names would not
  // match on a re-import, which only ever matches live units.
  const units = (await unitsOfSubtree(deps.db, root!.path)).filter((u) => u.archived_at === null && u.path.startsWith(root!.path));
  const relPath = relativePaths(root!, units);
  const counts = await store.headcountsByUnit(deps.db, root!.path);
  const rows = units.reduce((n, u) => n + (counts.get(u.id) ?? 0), 0);

  const day = dayOf(deps.clock.now(), deps.config.timeZone);
  const fileName = `${root!.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')}-人员-${day}.xlsx`;
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'people.exported', entity: 'unit', entityId: root!.id, unitId: root!.id, note: { rows, units: units.length, fileName } }),
  );

  const stream = new PassThrough();
  writeWorkbook(deps, actor, stream, units, relPath, counts).catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return { fileName, contentDisposition: contentDisposition(fileName, `people-${day}.xlsx`), rows, stream };
}

/** Each unit's path relative to the exported unit, '' for the unit itself, as the import reads it. */
function relativePaths(root: UnitRow, units: UnitRow[]): Map<number, string> {
  const out = new Map<number, string>([[root.id, '']]);
  // Path order: a parent is named before its children.
  for (const u of [...units].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (u.id === root.id) continue;
    const parent = u.parent_id === null ? undefined : out.get(u.parent_id);
    if (parent === undefined) continue;
    out.set(u.id, parent === '' ? u.name : `${parent}/${u.name}`);
  }
  return out;
}

async function writeWorkbook(deps: Deps, actor: Actor, stream: PassThrough, units: UnitRow[], relPath: Map<number, string>, counts: Map<number, number>) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const people = wb.addWorksheet(PEOPLE_SHEET);
  people.columns = PEOPLE_COLUMNS.map((c) => ({ header: c.zh, key: c.key, width: c.key === 'unit' ? 36 : 14 }));
  people.getRow(1).font = { bold: true };
  people.getRow(1).commit();

  // Tree order, so the sheet reads like the org chart; batches of whole units.
  const ordered = units.filter((u) => relPath.has(u.id)).sort((a, b) => (a.path < b.path ? -1 : 1));
  let batch: UnitRow[] = [];
  let inBatch = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const ids = batch.map((u) => u.id);
    const [rows, tags] = await Promise.all([store.peopleOfUnits(deps.db, ids), store.tagsOfUnits(deps.db, ids)]);
    const order = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(a.unit_id)! - order.get(b.unit_id)!);
    const unitPath = new Map(batch.map((u) => [u.id, u.path]));
    for (const p of rows) {
      const seesPhone = can(actor, 'people.phone', unitPath.get(p.unit_id)!);
      people
        .addRow([
          escapeCell(p.name),
          escapeCell(p.employee_no),
          escapeCell(relPath.get(p.unit_id) ?? ''),
          escapeCell(seesPhone ? p.phone : maskPhone(p.phone)),
          escapeCell(p.title),
          escapeCell(tagText((tags.get(p.id) ?? []).sort())),
          p.status === 'left' ? STATUS_LABELS.left : STATUS_LABELS.active,
        ])
        .commit();
    }
    batch = [];
    inBatch = 0;
  };
  for (const u of ordered) {
    const n = counts.get(u.id) ?? 0;
    if (n === 0) continue;
    if (inBatch > 0 && inBatch + n > PEOPLE_PER_BATCH) await flush();
    batch.push(u);
    inBatch += n;
  }
  await flush();
  people.commit();

  // Every unit with its kind, so empty units and kinds survive a round trip.
  const sheet = wb.addWorksheet(UNITS_SHEET);
  sheet.columns = UNIT_COLUMNS.map((c) => ({ header: c.zh, key: c.key, width: c.key === 'path' ? 36 : 12 }));
  sheet.getRow(1).font = { bold: true };
  for (const u of ordered) {
    const p = relPath.get(u.id);
    if (!p) continue;
    sheet.addRow([escapeCell(p), (UNIT_KIND_LABELS as Record<string, string>)[u.kind] ?? u.kind]).commit();
  }
  sheet.commit();
  await wb.commit();
}
