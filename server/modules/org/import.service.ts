import { createHash } from 'node:crypto';
import type { ImportPlan, ImportRow } from '../../../common/schemas/import.js';
import { dayOf } from '../../../common/day.js';
import type { Deps } from '../../deps.js';
import type { Conn, Tx } from '../../db/database.js';
import type { UnitRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import { isUniqueViolation } from '../../db/sql.js';
import { can, type Ctx } from '../../http/actor.js';
import { AppError, errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertAllowed, assertVisible } from './org.policy.js';
import { personAuditView } from './people.service.js';
import { findUnit } from './units.store.js';
import { parseImportFile, type ParsedFile } from './import.parse.js';
import { planImport, type ExistingPerson, type ImportWork, type UnitNode } from './import.plan.js';
import * as store from './import.store.js';

/**
 * Importing units and people from a spreadsheet: parse, plan (the dry run's answer), and write the
 * plan in one transaction when every row is acceptable.
 */

export interface ImportInput {
  unitId: number;
  fileName: string;
  data: Buffer;
  dryRun: boolean;
}

/**
 * Up to this many changes an import writes one audit row per created or updated unit and person
 * (before and after), as any other change does. Past it, 100,000 chained audit rows would cost more
 * than the import itself (bench/RESULTS.md), so the import.completed row lists the ids it created
 * and updated instead, as compact id ranges.
 */
export const PER_ROW_AUDIT_LIMIT = 1000;

/** The HTTP answer keeps all rejects (up to this many) and this many other rows of a big file. */
export const ANSWER_REJECTS = 5000;
export const ANSWER_OTHER_ROWS = 2000;

/** Thrown by a real import when rows are rejected: a 400 naming `file`, carrying the full plan for the CLI. */
export class ImportRejectedError extends AppError {
  constructor(readonly plan: ImportPlan) {
    const n = plan.summary.rejected;
    const message = `${n} row${n === 1 ? '' : 's'} rejected; nothing was imported (run a dry run to see why)`;
    super('validation', message, { file: message });
  }
}

/** The unit imported into: visible to the actor (else 404) and theirs to import over (else 403). */
async function targetUnit(deps: Deps, ctx: Ctx, conn: Conn, unitId: number): Promise<UnitRow> {
  const unit = await findUnit(conn, unitId);
  if (ctx.actor) {
    assertVisible(ctx.actor, 'units.read', unit?.path, 'unit');
    assertAllowed(ctx.actor, 'people.import', unit!.path);
  } else if (!unit) throw errors.notFound('unit');
  if (unit!.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  return unit!;
}

/** Read what the plan needs in a few passes: the target's subtree, and the file's people by employee number. */
async function buildWork(deps: Deps, ctx: Ctx, conn: Conn, target: UnitRow, file: ParsedFile): Promise<ImportWork> {
  const subtree = await store.unitsOfSubtree(conn, target.path);
  const numbers = new Set<string>();
  for (const r of file.people?.rows ?? []) if (r.v[1]) numbers.add(r.v[1]);
  const found = await store.peopleByEmployeeNos(conn, deps.dialect, [...numbers]);
  const tags = await store.tagsOfPeople(conn, deps.dialect, found.map((p) => p.id));
  // The rows are fresh objects: give them their tags in place rather than copy 100,000 of them.
  const existing = new Map<string, ExistingPerson>(found.map((p) => [p.employee_no, Object.assign(p, { tags: tags.get(p.id) ?? [] })]));
  const actor = ctx.actor;
  return planImport({
    target,
    subtree,
    file,
    existing,
    // The console operator (no actor) acts over the whole organisation.
    mayImportAt: actor ? (path) => can(actor, 'people.import', path) : () => true,
    today: dayOf(deps.clock.now(), deps.config.timeZone),
  });
}

/** The answer: summary, and the rows a person needs to read (all of them for a small file). */
export function presentPlan(work: ImportWork, meta: { dryRun: boolean; fileName: string; sha256: string }, full = false): ImportPlan {
  let rows: ImportRow[] = work.rows;
  if (!full && rows.length > ANSWER_OTHER_ROWS) {
    let rejects = 0;
    let others = 0;
    rows = rows.filter((r) => {
      if (r.action === 'reject') return ++rejects <= ANSWER_REJECTS;
      if (r.action === 'unchanged') return false;
      return ++others <= ANSWER_OTHER_ROWS;
    });
  }
  return { ...meta, summary: work.summary, rows, rowsOmitted: work.rows.length - rows.length };
}

/**
 * Import a file under a unit. A dry run answers the plan; a real run writes it in one transaction
 * (planned again inside it, against what is there at that moment) or throws ImportRejectedError.
 * `full` keeps every row in the answer (the CLI prints them all).
 */
export async function importFile(deps: Deps, ctx: Ctx, input: ImportInput, opts: { full?: boolean } = {}): Promise<ImportPlan> {
  const checked = await targetUnit(deps, ctx, deps.db, input.unitId);
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  const fileName = input.fileName.slice(0, 200);
  const file = await parseImportFile(input.fileName, input.data);
  const meta = { dryRun: input.dryRun, fileName, sha256 };
  if (input.dryRun) return presentPlan(await buildWork(deps, ctx, deps.db, checked, file), meta, opts.full);
  try {
    return await transact(deps, ctx, async (tx) => {
      const target = await targetUnit(deps, ctx, tx, input.unitId);
      const work = await buildWork(deps, ctx, tx, target, file);
      const plan = presentPlan(work, meta, opts.full);
      if (work.summary.rejected > 0) throw new ImportRejectedError(presentPlan(work, meta, true));
      await writeWork(deps, ctx, tx, target, work, { fileName, sha256, format: file.format });
      return plan;
    });
  } catch (err) {
    // Someone else took an employee number between our read and our write.
    if (isUniqueViolation(err)) throw errors.conflict('an employee number in the file was taken meanwhile; run the import again', { file: 'employee number taken meanwhile' });
    throw err;
  }
}

/** [1,2,3,7,9,10] → [[1,3],7,[9,10]]: a 100,000-id list in a few bytes when ids were reserved in a run. */
export function idRanges(ids: readonly number[]): (number | [number, number])[] {
  const sorted = [...ids].sort((a, b) => a - b);
  const out: (number | [number, number])[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j === i ? sorted[i]! : [sorted[i]!, sorted[j]!]);
    i = j + 1;
  }
  return out;
}

const unitAuditView = (n: UnitNode, kind: string) => ({ name: n.name, kind, code: null, parentId: n.parent?.id ?? null, sortOrder: n.sortOrder, archived: false });

async function writeWork(deps: Deps, ctx: Ctx, tx: Tx, target: UnitRow, work: ImportWork, file: { fileName: string; sha256: string; format: string }) {
  const now = deps.clock.now();

  // Units: ids first, so each row goes in with its final path; parents precede children in the list.
  const unitIds = await store.reserveIds(tx, deps.dialect, 'units', work.unitCreates.length);
  work.unitCreates.forEach((n, i) => {
    n.id = unitIds[i]!;
    n.path = `${n.parent!.path!}${n.id}/`;
  });
  await store.insertUnitsBulk(
    tx,
    deps.handle,
    work.unitCreates.map((n) => ({ id: n.id!, parent_id: n.parent!.id!, name: n.name, kind: n.kind, code: null, sort_order: n.sortOrder, path: n.path!, depth: n.depth, archived_at: null, created_at: now, updated_at: now })),
  );
  for (const n of work.unitUpdates) await store.updateUnitKind(tx, n.id!, n.newKind!, now);

  const personIds = await store.reserveIds(tx, deps.dialect, 'people', work.personCreates.length);
  const leftOn = dayOf(now, deps.config.timeZone);
  const newTags: { person_id: number; tag: string }[] = [];
  // In slices: 100,000 row objects need not all exist at once.
  for (let from = 0; from < work.personCreates.length; from += 5000) {
    const slice = work.personCreates.slice(from, from + 5000);
    await store.insertPeopleBulk(
      tx,
      deps.handle,
      slice.map((p, k) => ({
        id: personIds[from + k]!,
        unit_id: p.unit.id!,
        name: p.name,
        employee_no: p.employeeNo,
        phone: p.phone,
        title: p.title,
        status: p.status,
        left_on: p.status === 'left' ? leftOn : null,
        created_at: now,
        updated_at: now,
      })),
    );
    slice.forEach((p, k) => {
      for (const tag of p.tags) newTags.push({ person_id: personIds[from + k]!, tag });
    });
  }

  for (const u of work.personUpdates) {
    await store.updatePersonFields(tx, u.before.id, {
      name: u.name,
      phone: u.phone,
      title: u.title,
      status: u.status,
      left_on: u.leftOn,
      unit_id: u.unit ? u.unit.id! : u.before.unit_id,
      updated_at: now,
    });
  }
  const retagged = work.personUpdates.filter((u) => u.tags !== null);
  await store.deleteTagsOf(tx, retagged.map((u) => u.before.id));
  for (const u of retagged) for (const tag of u.tags!) newTags.push({ person_id: u.before.id, tag });
  await store.insertTagsBulk(tx, deps.handle, newTags);

  const changes = work.unitCreates.length + work.unitUpdates.length + work.personCreates.length + work.personUpdates.length;
  const perRow = changes <= PER_ROW_AUDIT_LIMIT;
  if (perRow) await auditEachChange(deps, ctx, tx, work, personIds, file.sha256);
  await recordAudit(tx, deps, ctx, {
    action: 'import.completed',
    entity: 'import',
    unitId: target.id,
    note: {
      fileName: file.fileName,
      sha256: file.sha256,
      format: file.format,
      summary: work.summary,
      auditDetail: perRow ? 'per_row' : 'compact',
      created: { units: idRanges(unitIds), people: idRanges(personIds) },
      updated: { units: idRanges(work.unitUpdates.map((n) => n.id!)), people: idRanges(work.personUpdates.map((u) => u.before.id)) },
    },
  });
}

/** One audit row per change, as the console's own edits write them, marked as coming from this file. */
async function auditEachChange(deps: Deps, ctx: Ctx, tx: Tx, work: ImportWork, personIds: number[], sha256: string) {
  const note = { via: 'import', sha256 };
  for (const n of work.unitCreates) {
    await recordAudit(tx, deps, ctx, { action: 'unit.created', entity: 'unit', entityId: n.id, unitId: n.id, after: unitAuditView(n, n.kind), note });
  }
  for (const n of work.unitUpdates) {
    await recordAudit(tx, deps, ctx, { action: 'unit.updated', entity: 'unit', entityId: n.id, unitId: n.id, before: unitAuditView(n, n.kind), after: unitAuditView(n, n.newKind!), note });
  }
  for (const [i, p] of work.personCreates.entries()) {
    const row = { name: p.name, employee_no: p.employeeNo, phone: p.phone, title: p.title, unit_id: p.unit.id!, status: p.status };
    await recordAudit(tx, deps, ctx, { action: 'person.created', entity: 'person', entityId: personIds[i], unitId: p.unit.id, after: personAuditView(row, p.tags), note });
  }
  for (const u of work.personUpdates) {
    const next = { name: u.name, employee_no: u.before.employee_no, phone: u.phone, title: u.title, unit_id: u.unit ? u.unit.id! : u.before.unit_id, status: u.status };
    const action = u.unit ? 'person.transferred' : u.status === 'left' && u.before.status !== 'left' ? 'person.left' : 'person.updated';
    await recordAudit(tx, deps, ctx, {
      action,
      entity: 'person',
      entityId: u.before.id,
      unitId: next.unit_id,
      before: personAuditView(u.before, u.before.tags),
      after: personAuditView(next, u.tags ?? u.before.tags),
      note,
    });
  }
}
