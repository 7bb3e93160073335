import { addDays, dayOf, endOfDay, localDateTime } from '../../../common/day.js';
import type { Attachment } from '../../../common/schemas/files.js';
import type { Inspection, InspectionCreate, ItemResult, PlaceHistory } from '../../../common/schemas/places.js';
import type { Conn } from '../../db/database.js';
import { isUniqueViolation } from '../../db/sql.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { createLinkedTasks, nearestUnitHeadPerson, returnLinkedTask, verifyLinkedTask } from '../directives/tasks.linked.js';
import { attachmentsOf, linkAttachments } from '../files/files.service.js';
import { requireActor } from '../org/org.policy.js';
import { isRectifierOf, presentFindings } from './findings.service.js';
import * as istore from './inspections.store.js';
import { canInspectPlace, canReadPlace } from './places.policy.js';
import { dueAtOf, getPlace, visiblePlace } from './places.service.js';
import * as store from './places.store.js';

/**
 * Inspections (督导检查): every current checklist item answered — passed, failed (with a note), not
 * applicable — with photos. In the same transaction:
 * - a failed item with no unverified finding opens one, with a rectification task (a directives
 *   task of source `inspection`) for the place's responsible person, else the nearest unit head;
 * - a failed item with an unverified finding records the failure on it (and returns its task with
 *   the note as reason if it was done);
 * - a passed item with an unverified finding verifies it, and its task with it (completing it first
 *   if the responsible person had not);
 * - the place's last inspection and next due day move on.
 */

const ids = (json: string): number[] => JSON.parse(json) as number[];

/** The default deadline of a rectification: the end of the next day in the deployment's time zone. */
export function defaultRectifyBy(deps: Deps): number {
  const tz = deps.config.timeZone;
  return endOfDay(addDays(dayOf(deps.clock.now(), tz), 1), tz);
}

/** Whether the actor may see this inspection's photos: a reader of the place, its inspector, or whoever must rectify what it found failed. */
export async function canReadInspection(deps: Deps, actor: Actor, id: number): Promise<boolean> {
  const i = await istore.findInspection(deps.db, id);
  if (!i) return false;
  if (canReadPlace(actor, i.unit_path) || i.inspector_user_id === actor.userId) return true;
  return actor.personId !== null && isRectifierOf(deps.db, id, actor.personId);
}

async function presentInspections(db: Conn, rows: readonly istore.InspectionView[]): Promise<Inspection[]> {
  const list = rows.map((r) => r.id);
  const [items, photos, findings] = await Promise.all([
    istore.itemsOfInspections(db, list),
    attachmentsOf(db, 'inspection', list),
    list.length ? db.selectFrom('place_findings').select(['id', 'opened_inspection_id', 'verified_inspection_id']).where((eb) => eb.or([eb('opened_inspection_id', 'in', list), eb('verified_inspection_id', 'in', list)])).execute() : [],
  ]);
  return rows.map((r) => {
    const byId = new Map((photos.get(r.id) ?? []).map((a) => [a.id, a]));
    const pick = (json: string): Attachment[] => ids(json).flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    return {
      id: r.id,
      placeId: r.place_id,
      placeName: r.place_name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      inspectorUserId: r.inspector_user_id,
      inspectorName: r.inspector_name,
      inspectedAt: Number(r.inspected_at),
      note: r.note,
      passed: r.passed,
      failed: r.failed,
      notApplicable: r.not_applicable,
      items: items.get(r.id)!.map((i) => ({ itemId: i.item_id, text: i.text, position: i.position, result: i.result as ItemResult, note: i.note, photos: pick(i.photo_ids), findingId: i.finding_id })),
      photos: pick(r.photo_ids),
      openedFindingIds: findings.filter((f) => f.opened_inspection_id === r.id).map((f) => f.id),
      verifiedFindingIds: findings.filter((f) => f.verified_inspection_id === r.id).map((f) => f.id),
    };
  });
}

/** One inspection with its answers and photos. */
export async function getInspection(deps: Deps, ctx: Ctx, id: number): Promise<Inspection> {
  const actor = requireActor(ctx.actor);
  const i = await istore.findInspection(deps.db, id);
  if (!i || !(canReadPlace(actor, i.unit_path) || i.inspector_user_id === actor.userId)) throw errors.notFound('inspection');
  return (await presentInspections(deps.db, [i]))[0]!;
}

/** A place's history: the place, its inspections (newest first, the latest 200) and all its findings. */
export async function placeHistory(deps: Deps, ctx: Ctx, id: number): Promise<PlaceHistory> {
  const actor = requireActor(ctx.actor);
  await visiblePlace(deps.db, actor, id);
  const [place, inspections, findings] = await Promise.all([getPlace(deps, ctx, id), istore.inspectionsOfPlace(deps.db, id, 200), istore.findingsOfPlace(deps.db, id)]);
  return { place, inspections: await presentInspections(deps.db, inspections), findings: await presentFindings(deps.db, deps, findings) };
}

/** Check the answers against the current checklist; every failure names its field. */
function checkAnswers(current: readonly store.ChecklistItemRow[], input: InspectionCreate): void {
  const fields: Record<string, string> = {};
  const known = new Set(current.map((i) => i.id));
  const stray = input.items.filter((a) => !known.has(a.itemId)).map((a) => a.itemId);
  if (stray.length) fields.items = `not a current item of this place's checklist: ${stray.join(', ')}`;
  const answered = new Set(input.items.map((a) => a.itemId));
  const missing = current.filter((i) => !answered.has(i.id));
  if (missing.length && !stray.length) fields.items = `every current item must be answered; missing: ${missing.map((i) => `${i.text} (${i.id})`).join(', ')}`;
  input.items.forEach((a, n) => {
    if (a.result === 'failed' && !a.note) fields[`items.${n}.note`] = 'required when the item failed';
  });
  if (Object.keys(fields).length) throw errors.validation(fields, 'The inspection is incomplete');
}

/** Record an inspection of a place; failed items open findings with rectification tasks, passed items verify open ones. */
export async function recordInspection(deps: Deps, ctx: Ctx, placeId: number, input: InspectionCreate): Promise<Inspection> {
  const actor = requireActor(ctx.actor);
  const place = await store.findPlace(deps.db, placeId);
  if (!place || !(canReadPlace(actor, place.unit_path) || canInspectPlace(actor, place.unit_path))) throw errors.notFound('place');
  if (!canInspectPlace(actor, place.unit_path)) throw errors.forbidden('You may not inspect key places of this unit');
  if (place.archived_at !== null) throw errors.conflict('The place is archived', { status: 'archived' });
  const rectifyBy = input.rectifyBy ?? defaultRectifyBy(deps);
  if (rectifyBy <= deps.clock.now()) throw errors.validation({ rectifyBy: 'must be in the future' });
  try {
    return await transact(deps, ctx, async (tx) => (await presentInspections(tx, [(await istore.findInspection(tx, await writeInspection(tx, deps, ctx, actor, place, input, rectifyBy)))!]))[0]!);
  } catch (err) {
    // Two inspections failing the same item at the same moment: one unverified finding per item holds, the later one retries.
    if (isUniqueViolation(err)) throw errors.conflict('The place was inspected at the same moment by someone else; reload it and inspect again', { status: 'changed' });
    throw err;
  }
}

/**
 * Write one inspection of an active place in the caller's transaction (the checks of access done):
 * its answers and photos, the findings it opens, repeats or verifies with their tasks, the place's
 * next due day, its audit row. `inspector` null: recorded by the system (the demo), without photos.
 * Answers the inspection's id.
 */
export async function writeInspection(tx: Conn, deps: Deps, ctx: Ctx, inspector: Actor | null, place: store.PlaceView, input: InspectionCreate, rectifyBy: number): Promise<number> {
  const tz = deps.config.timeZone;
  const now = deps.clock.now();
  const current = ((await store.checklistsOf(tx, [place.id])).get(place.id) ?? []).filter((i) => i.retired_at === null);
  checkAnswers(current, input);
  const itemById = new Map(current.map((i) => [i.id, i]));
  const unverified = await istore.unverifiedFindings(tx, place.id);
  const answers = [...input.items].sort((a, b) => itemById.get(a.itemId)!.position - itemById.get(b.itemId)!.position);
  const count = (r: ItemResult) => answers.filter((a) => a.result === r).length;
  const inspectionId = await istore.insertInspection(tx, {
    place_id: place.id,
    unit_id: place.unit_id,
    inspector_user_id: inspector?.userId ?? null,
    inspected_at: now,
    note: input.note ?? null,
    passed: count('passed'),
    failed: count('failed'),
    not_applicable: count('not_applicable'),
    photo_ids: JSON.stringify(input.photoIds),
    directive_id: null,
  });

  // Photos become the inspection's: the inspector's own fresh uploads, and images only.
  const owner = { kind: 'inspection' as const, id: inspectionId };
  const link = async (ids: readonly number[], field: string) => {
    if (ids.length && !inspector) throw new Error('writeInspection: photos need an inspector');
    return inspector ? (await linkAttachments(tx, deps, inspector, ids, owner, field)).map((a) => ({ a, field })) : [];
  };
  const linked = await link(input.photoIds, 'photoIds');
  for (const [n, a] of input.items.entries()) linked.push(...(await link(a.photoIds, `items.${n}.photoIds`)));
  const notPhoto = linked.find((l) => !l.a.image);
  if (notPhoto) throw errors.validation({ [notPhoto.field]: `not a photo: ${notPhoto.a.id}` });

  // New findings: one rectification task each, for the responsible person (else the nearest unit head).
  const fresh = answers.filter((a) => a.result === 'failed' && !unverified.has(a.itemId));
  const findingOf = new Map<number, number>();
  const openedIds: number[] = [];
  let directiveId: number | null = null;
  if (fresh.length) {
    const responsible = place.responsible_person_id !== null && (await store.personIn(tx, place.responsible_person_id, place.unit_path)) ? place.responsible_person_id : (await nearestUnitHeadPerson(tx, place.unit_path))?.personId;
    if (responsible === undefined) throw errors.validation({ responsiblePersonId: `${place.name} has no responsible person and no unit head is linked to a person above it: name a responsible person for the place first` });
    const made = await createLinkedTasks(tx, deps, ctx, {
      unitId: place.unit_id,
      source: 'inspection',
      title: `督导检查整改 · ${place.name}`,
      body: [`${place.name}（${place.unit_name}）${localDateTime(now, tz)}`, ...fresh.map((a) => `× ${itemById.get(a.itemId)!.text}：${a.note}`), ...(input.note ? [input.note] : [])].join('\n'),
      tasks: fresh.map((a) => ({
        unitId: place.unit_id,
        responsiblePersonId: responsible,
        title: `整改：${itemById.get(a.itemId)!.text}（${place.name}）`,
        instructions: a.note ?? null,
        deadline: rectifyBy,
        evidence: ['photo'],
      })),
    });
    directiveId = made.directiveId;
    for (const [n, a] of fresh.entries()) {
      const item = itemById.get(a.itemId)!;
      const id = await istore.insertFinding(tx, {
        place_id: place.id,
        item_id: item.id,
        item_text: item.text,
        status: 'open',
        note: a.note ?? null,
        opened_at: now,
        opened_inspection_id: inspectionId,
        failure_count: 1,
        last_failed_at: now,
        task_id: made.taskIds[n]!,
        fixed_at: null,
        verified_at: null,
        verified_inspection_id: null,
        updated_at: now,
      });
      findingOf.set(item.id, id);
      openedIds.push(id);
    }
    await istore.setInspectionDirective(tx, inspectionId, made.directiveId);
  }

  // Known findings: a failure is recorded on them (a done task goes back), a pass verifies them.
  const verifiedIds: number[] = [];
  const repeated: number[] = [];
  for (const a of answers) {
    const f = unverified.get(a.itemId);
    if (!f || a.result === 'not_applicable') continue;
    findingOf.set(a.itemId, f.id);
    if (a.result === 'failed') {
      await istore.moveFinding(tx, f.id, ['open', 'fixed'], { status: 'open', fixed_at: null, note: a.note ?? null, failure_count: f.failure_count + 1, last_failed_at: now, updated_at: now });
      await returnLinkedTask(tx, deps, ctx, f.task_id, a.note!);
      repeated.push(f.id);
    } else {
      await istore.moveFinding(tx, f.id, ['open', 'fixed'], { status: 'verified', verified_at: now, verified_inspection_id: inspectionId, fixed_at: f.fixed_at ?? now, updated_at: now });
      await verifyLinkedTask(tx, deps, ctx, f.task_id, a.note ?? `复查通过 · inspection ${inspectionId}`);
      verifiedIds.push(f.id);
    }
  }
  await istore.insertFailures(
    tx,
    answers.filter((a) => a.result === 'failed').map((a) => ({ finding_id: findingOf.get(a.itemId)!, inspection_id: inspectionId, at: now, note: a.note ?? null })),
  );
  await istore.insertInspectionItems(
    tx,
    answers.map((a) => {
      const item = itemById.get(a.itemId)!;
      const finding = a.result === 'not_applicable' ? null : (findingOf.get(a.itemId) ?? null);
      return { inspection_id: inspectionId, item_id: item.id, position: item.position, text: item.text, result: a.result, note: a.note ?? null, photo_ids: JSON.stringify(a.photoIds), finding_id: finding };
    }),
  );
  await store.updatePlace(tx, place.id, { last_inspected_at: now, due_at: dueAtOf(now, place.frequency_days, tz), updated_at: now });
  await recordAudit(tx, deps, ctx, {
    action: 'place.inspected',
    entity: 'place',
    entityId: place.id,
    unitId: place.unit_id,
    after: { inspectionId, passed: count('passed'), failed: count('failed'), notApplicable: count('not_applicable'), openedFindings: openedIds, repeatedFindings: repeated, verifiedFindings: verifiedIds, directiveId, rectifyBy: fresh.length ? rectifyBy : null },
  });
  return inspectionId;
}
