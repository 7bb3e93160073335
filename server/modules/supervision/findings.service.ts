import {
  MAX_EVIDENCE,
  OverdueItem,
  type Evidence,
  type FindingCreate,
  type FindingDecisionInput,
  type FindingDecisionKind,
  type FindingSubjectKind,
  type FindingUpdate,
  type OverdueKind,
  type OverdueRef,
  type SupervisionFinding,
  type SupervisionFindingPage,
  type SupervisionFindingStatus,
} from '../../../common/schemas/supervision.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { findPerson } from '../org/people.store.js';
import { findUnit } from '../org/units.store.js';
import * as store from './findings.store.js';
import { resolveOverdue } from './overdue.service.js';
import { canHandleFindings, findingAbilities, scopeRoots } from './supervision.policy.js';

/**
 * Findings (问题线索 / 问责记录): a supervisor opens one about a unit or a person, links overdue items
 * as evidence (each stored as a snapshot of the item as shown at link time: later changes to the
 * task, the place or the roster do not change it; evidence is never edited or removed), records the
 * decision (约谈 / 通报 / 问责 / 不予处理) and closes it. Only supervision.findings holders see
 * findings; for everyone else they do not exist (404). Every change is audited in its transaction.
 */

const ENTITY = 'supervision_finding';

function present(actor: Actor, f: store.FindingView, evidence: store.EvidenceView[] = []): SupervisionFinding {
  return {
    id: f.id,
    subjectKind: f.subject_kind as FindingSubjectKind,
    unitId: f.unit_id,
    unitName: f.unit_name,
    personId: f.person_id,
    personName: f.person_name,
    title: f.title,
    description: f.description,
    status: f.status as SupervisionFindingStatus,
    decision: f.decision as FindingDecisionKind | null,
    decisionText: f.decision_text,
    decidedAt: f.decided_at === null ? null : Number(f.decided_at),
    decidedBy: f.decided_by,
    openedAt: Number(f.opened_at),
    openedBy: f.opened_by,
    closedAt: f.closed_at === null ? null : Number(f.closed_at),
    closedBy: f.closed_by,
    evidenceCount: f.evidence_count,
    evidence: evidence.map(
      (e): Evidence => ({
        id: e.id,
        ref: { kind: e.ref_kind as OverdueKind, id: e.ref_id },
        snapshot: OverdueItem.parse(JSON.parse(e.snapshot)),
        linkedAt: Number(e.linked_at),
        linkedBy: e.linked_by,
      }),
    ),
    abilities: findingAbilities(actor, f),
  };
}

async function detail(db: Conn, actor: Actor, id: number): Promise<SupervisionFinding> {
  const f = (await store.findFinding(db, id))!;
  return present(actor, f, await store.evidenceOf(db, id));
}

/** The finding if the actor may see it (supervision.findings over its unit); 404 otherwise, whatever the reason. */
async function visibleFinding(db: Conn, actor: Actor, id: number): Promise<store.FindingView> {
  const f = await store.findFinding(db, id);
  if (!f || !canHandleFindings(actor, f.unit_path)) throw errors.notFound('finding');
  return f;
}

function requireOpen(f: store.FindingView): void {
  if (f.status !== 'open') throw errors.conflict('The finding is closed', { status: 'closed' });
}

/** Snapshots of the items the refs name, as shown now; 400 naming `<field>.<i>` for any that is not overdue or not visible. */
async function snapshots(deps: Deps, actor: Actor, refs: readonly OverdueRef[], field: string): Promise<OverdueItem[]> {
  const out: OverdueItem[] = [];
  const bad: Record<string, string> = {};
  for (const [i, ref] of refs.entries()) {
    const item = await resolveOverdue(deps, actor, ref);
    if (item) out.push(item);
    else bad[`${field}.${i}`] = 'no such overdue item';
  }
  if (Object.keys(bad).length > 0) throw errors.validation(bad);
  return out;
}

async function link(tx: Conn, deps: Deps, ctx: Ctx, actor: Actor, f: { id: number; unit_id: number }, items: readonly OverdueItem[]): Promise<void> {
  const now = deps.clock.now();
  await store.insertEvidence(
    tx,
    items.map((item) => ({ finding_id: f.id, ref_kind: item.ref.kind, ref_id: item.ref.id, snapshot: JSON.stringify(item), linked_by_user_id: actor.userId, linked_at: now })),
  );
  await recordAudit(tx, deps, ctx, { action: 'supervision.finding.evidence_linked', entity: ENTITY, entityId: f.id, unitId: f.unit_id, after: { evidence: items } });
}

type ListQuery = { unitId?: number | undefined; status?: SupervisionFindingStatus | undefined; subject?: FindingSubjectKind | undefined; personId?: number | undefined; page: number; pageSize: number };

export async function listFindings(deps: Deps, ctx: Ctx, q: ListQuery): Promise<SupervisionFindingPage> {
  const actor = requireActor(ctx.actor);
  const roots = await scopeRoots(deps, actor, 'supervision.findings', q.unitId);
  const { rows, total } = await store.listFindings(
    deps.db,
    { paths: roots.map((r) => r.path), status: q.status, subject: q.subject, personId: q.personId },
    (q.page - 1) * q.pageSize,
    q.pageSize,
  );
  return { items: rows.map((r) => present(actor, r)), total, page: q.page, pageSize: q.pageSize };
}

export async function getFinding(deps: Deps, ctx: Ctx, id: number): Promise<SupervisionFinding> {
  const actor = requireActor(ctx.actor);
  const f = await visibleFinding(deps.db, actor, id);
  return present(actor, f, await store.evidenceOf(deps.db, id));
}

export async function openFinding(deps: Deps, ctx: Ctx, input: FindingCreate): Promise<SupervisionFinding> {
  const actor = requireActor(ctx.actor);
  let unitId: number;
  let personId: number | null = null;
  if (input.subject.kind === 'unit') {
    const unit = await findUnit(deps.db, input.subject.unitId);
    if (!unit || !canHandleFindings(actor, unit.path)) throw errors.validation({ 'subject.unitId': 'no such unit' });
    unitId = unit.id;
  } else {
    const person = await findPerson(deps.db, input.subject.personId);
    if (!person || !canHandleFindings(actor, person.unit_path)) throw errors.validation({ 'subject.personId': 'no such person' });
    unitId = person.unit_id;
    personId = person.id;
  }
  const items = input.evidence ? await snapshots(deps, actor, input.evidence, 'evidence') : [];
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const id = await store.insertFinding(tx, {
      unit_id: unitId,
      subject_kind: input.subject.kind,
      person_id: personId,
      title: input.title,
      description: input.description,
      status: 'open',
      decision: null,
      decision_text: null,
      decided_at: null,
      decided_by_user_id: null,
      opened_by_user_id: actor.userId,
      opened_at: now,
      closed_at: null,
      closed_by_user_id: null,
      updated_at: now,
    });
    await recordAudit(tx, deps, ctx, { action: 'supervision.finding.opened', entity: ENTITY, entityId: id, unitId, after: { subject: input.subject, title: input.title, description: input.description } });
    if (items.length > 0) await link(tx, deps, ctx, actor, { id, unit_id: unitId }, items);
    return detail(tx, actor, id);
  });
}

export async function updateFinding(deps: Deps, ctx: Ctx, id: number, input: FindingUpdate): Promise<SupervisionFinding> {
  const actor = requireActor(ctx.actor);
  const f = await visibleFinding(deps.db, actor, id);
  requireOpen(f);
  return transact(deps, ctx, async (tx) => {
    const set: { title?: string; description?: string; updated_at: number } = { updated_at: deps.clock.now() };
    if (input.title !== undefined) set.title = input.title;
    if (input.description !== undefined) set.description = input.description;
    if (!(await store.updateFinding(tx, id, 'open', set))) throw errors.conflict('The finding is closed', { status: 'closed' });
    await recordAudit(tx, deps, ctx, {
      action: 'supervision.finding.updated',
      entity: ENTITY,
      entityId: id,
      unitId: f.unit_id,
      before: { title: f.title, description: f.description },
      after: { title: set.title ?? f.title, description: set.description ?? f.description },
    });
    return detail(tx, actor, id);
  });
}

export async function linkEvidence(deps: Deps, ctx: Ctx, id: number, refs: readonly OverdueRef[]): Promise<SupervisionFinding> {
  const actor = requireActor(ctx.actor);
  const f = await visibleFinding(deps.db, actor, id);
  requireOpen(f);
  const linked = new Set((await store.evidenceOf(deps.db, id)).map((e) => `${e.ref_kind}|${e.ref_id}`));
  const again: Record<string, string> = {};
  for (const [i, r] of refs.entries()) if (linked.has(`${r.kind}|${r.id}`)) again[`refs.${i}`] = 'already linked (evidence cannot be changed)';
  if (Object.keys(again).length > 0) throw errors.conflict('Already linked: evidence is kept as it was linked', again);
  if (linked.size + refs.length > MAX_EVIDENCE) throw errors.conflict(`A finding keeps at most ${MAX_EVIDENCE} items of evidence`, { refs: 'too many' });
  const items = await snapshots(deps, actor, refs, 'refs');
  return transact(deps, ctx, async (tx) => {
    if (!(await store.updateFinding(tx, id, 'open', { updated_at: deps.clock.now() }))) throw errors.conflict('The finding is closed', { status: 'closed' });
    try {
      await link(tx, deps, ctx, actor, f, items);
    } catch (err) {
      // A concurrent link of the same item hit the unique index.
      if (/unique|duplicate/i.test(String((err as Error).message))) throw errors.conflict('Already linked: evidence is kept as it was linked');
      throw err;
    }
    return detail(tx, actor, id);
  });
}

/** Evidence is never removed or edited: the route exists to say so (409) to whoever may see the finding. */
export async function removeEvidence(deps: Deps, ctx: Ctx, id: number, evidenceId: number): Promise<never> {
  const actor = requireActor(ctx.actor);
  await visibleFinding(deps.db, actor, id);
  if (!(await store.findEvidence(deps.db, id, evidenceId))) throw errors.notFound('evidence');
  throw errors.conflict('Evidence cannot be removed or changed once linked: the finding keeps it as it was');
}

export async function decideFinding(deps: Deps, ctx: Ctx, id: number, input: FindingDecisionInput): Promise<SupervisionFinding> {
  const actor = requireActor(ctx.actor);
  const f = await visibleFinding(deps.db, actor, id);
  requireOpen(f);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    if (!(await store.updateFinding(tx, id, 'open', { decision: input.decision, decision_text: input.text, decided_at: now, decided_by_user_id: actor.userId, updated_at: now })))
      throw errors.conflict('The finding is closed', { status: 'closed' });
    await recordAudit(tx, deps, ctx, {
      action: 'supervision.finding.decided',
      entity: ENTITY,
      entityId: id,
      unitId: f.unit_id,
      before: { decision: f.decision, text: f.decision_text },
      after: { decision: input.decision, text: input.text },
    });
    return detail(tx, actor, id);
  });
}

export async function closeFinding(deps: Deps, ctx: Ctx, id: number): Promise<SupervisionFinding> {
  const actor = requireActor(ctx.actor);
  const f = await visibleFinding(deps.db, actor, id);
  requireOpen(f);
  if (f.decision === null) throw errors.conflict('Record the decision before closing', { decision: 'required before closing' });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    if (!(await store.updateFinding(tx, id, 'open', { status: 'closed', closed_at: now, closed_by_user_id: actor.userId, updated_at: now }))) throw errors.conflict('The finding is closed', { status: 'closed' });
    await recordAudit(tx, deps, ctx, { action: 'supervision.finding.closed', entity: ENTITY, entityId: id, unitId: f.unit_id, before: { status: 'open' }, after: { status: 'closed', decision: f.decision } });
    return detail(tx, actor, id);
  });
}
