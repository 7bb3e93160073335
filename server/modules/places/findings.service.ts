import type { z } from 'zod';
import type { Finding, FindingListQuery, FindingStatus } from '../../../common/schemas/places.js';
import type { TaskStatus } from '../../../common/schemas/directives.js';
import type { Attachment } from '../../../common/schemas/files.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { linkedTaskStates } from '../directives/tasks.linked.js';
import { attachmentsOf } from '../files/files.service.js';
import { requireActor } from '../org/org.policy.js';
import * as istore from './inspections.store.js';
import { canReadPlace } from './places.policy.js';
import { readPaths } from './places.service.js';

/**
 * Findings: a failed checklist item and its rectification task (整改). open → fixed (the task is
 * done) → verified (a re-inspection passed the item). The task moves by the tasks module's own steps
 * (the responsible person completes it; whoever assigned it may return it): onRectificationMoved
 * follows it in the same transaction. The re-inspection is the only way to verified.
 */

/** Findings as the API shows them: with their task's state and every failure recorded on them. */
export async function presentFindings(db: Conn, deps: Deps, rows: readonly istore.FindingView[]): Promise<Finding[]> {
  const now = deps.clock.now();
  const [tasks, failures] = await Promise.all([
    linkedTaskStates(
      db,
      rows.map((r) => r.task_id),
      now,
    ),
    istore.failuresOf(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((f) => {
    const t = tasks.get(f.task_id);
    if (!t) throw new Error(`finding ${f.id}: its task ${f.task_id} is missing`);
    return {
      id: f.id,
      placeId: f.place_id,
      placeName: f.place_name,
      unitId: f.unit_id,
      unitName: f.unit_name,
      itemId: f.item_id,
      itemText: f.item_text,
      status: f.status as FindingStatus,
      note: f.note,
      openedAt: Number(f.opened_at),
      openedByInspectionId: f.opened_inspection_id,
      failureCount: f.failure_count,
      lastFailedAt: Number(f.last_failed_at),
      fixedAt: f.fixed_at === null ? null : Number(f.fixed_at),
      verifiedAt: f.verified_at === null ? null : Number(f.verified_at),
      verifiedByInspectionId: f.verified_inspection_id,
      task: t,
      failures: (failures.get(f.id) ?? []).map((x) => ({ inspectionId: x.inspection_id, at: Number(x.at), note: x.note, inspectorName: x.inspector_name })),
    };
  });
}

/** One page of the findings of a subtree (default: the actor's places.read scope). */
export async function listFindings(deps: Deps, ctx: Ctx, q: z.output<typeof FindingListQuery>) {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  const { rows, total } = await istore.listFindings(deps.db, { paths, status: q.status, placeId: q.placeId }, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: await presentFindings(deps.db, deps, rows), total, page: q.page, pageSize: q.pageSize };
}

/** One finding with its failures and its task. */
export async function getFinding(deps: Deps, ctx: Ctx, id: number): Promise<Finding> {
  const actor = requireActor(ctx.actor);
  const f = await istore.findFinding(deps.db, id);
  if (!f || !canReadPlace(actor, f.unit_path)) throw errors.notFound('finding');
  return (await presentFindings(deps.db, deps, [f]))[0]!;
}

/**
 * The tasks module moved a rectification task (in its transaction): done → the finding is fixed,
 * awaiting re-inspection; returned (back to acknowledged) → open again.
 */
export async function onRectificationMoved(tx: Conn, _deps: Deps, taskId: number, status: TaskStatus, at: number): Promise<void> {
  const f = await istore.findingByTask(tx, taskId);
  if (!f) return;
  if (status === 'done') await istore.moveFinding(tx, f.id, ['open'], { status: 'fixed', fixed_at: at, updated_at: at });
  else if (status === 'assigned' || status === 'acknowledged') await istore.moveFinding(tx, f.id, ['fixed'], { status: 'open', fixed_at: null, updated_at: at });
}

/** The photos of a rectification task's finding: those attached to the item at each inspection that failed it, oldest first. */
export async function rectificationPhotos(db: Conn, taskId: number): Promise<Attachment[]> {
  const f = await istore.findingByTask(db, taskId);
  if (!f) return [];
  const rows = await db
    .selectFrom('place_finding_failures as ff')
    .innerJoin('place_inspection_items as ii', (j) => j.onRef('ii.inspection_id', '=', 'ff.inspection_id').on('ii.item_id', '=', f.item_id))
    .select(['ff.inspection_id', 'ii.photo_ids'])
    .where('ff.finding_id', '=', f.id)
    .orderBy('ff.at')
    .execute();
  const files = await attachmentsOf(
    db,
    'inspection',
    rows.map((r) => r.inspection_id),
  );
  return rows.flatMap((r) => {
    const byId = new Map((files.get(r.inspection_id) ?? []).map((a) => [a.id, a]));
    return (JSON.parse(r.photo_ids) as number[]).flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  });
}

/** Whether the person answers for a rectification task of a finding this inspection failed (they see its photos). */
export async function isRectifierOf(db: Conn, inspectionId: number, personId: number): Promise<boolean> {
  const taskIds = (await db.selectFrom('place_findings as f').innerJoin('place_finding_failures as ff', 'ff.finding_id', 'f.id').select('f.task_id').where('ff.inspection_id', '=', inspectionId).execute()).map((r) => r.task_id);
  if (taskIds.length === 0) return false;
  const states = await linkedTaskStates(db, taskIds, 0);
  return [...states.values()].some((s) => s.responsiblePersonId === personId);
}
