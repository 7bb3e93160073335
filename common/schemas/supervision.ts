import { z } from 'zod';
import { LongText, TaskStatus } from './directives.js';
import { DutyRole } from './duty.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Supervision (监督, issue 7): the responsibility matrix (责任到人), the overdue view across the tree
 * and the findings (问题线索 / 问责记录) a supervisor opens about a unit or a person. Supervisors see
 * who failed which duty and when — never health or care details (no diagnosis, no case kind, no
 * cared person). Drills (incidents.drill = 1, directives.drill = 1) are left out everywhere.
 * The scorecard and the overview have their own schemas (scorecard.ts, overview.ts).
 * Times are epoch milliseconds; days are the deployment's. Rules: docs/supervision.md.
 *
 * Routes (all under /api/v1; permission over the unit in brackets):
 *
 *   GET    /supervision/matrix?unitId=&emptyOnly=&page=&pageSize=   the responsibility matrix of a subtree, units in tree order, paged [supervision.read] → MatrixPage
 *   GET    /supervision/overdue?unitId=&kind=&page=&pageSize=       everything overdue in a subtree, longest overdue first           [supervision.read] → OverduePage
 *   GET    /supervision/findings?unitId=&status=&subject=&personId=&page=&pageSize=  findings of a subtree, open first, newest first [supervision.findings] → SupervisionFindingPage
 *   POST   /supervision/findings                     open a finding about a unit or a person, evidence optional (Idempotency-Key) [supervision.findings] FindingCreate → SupervisionFinding (201)
 *   GET    /supervision/findings/:id                 one finding with its evidence snapshots                          [supervision.findings] → SupervisionFinding
 *   PATCH  /supervision/findings/:id                 change title / description while open (409 when closed)          [supervision.findings] FindingUpdate → SupervisionFinding
 *   POST   /supervision/findings/:id/evidence        link overdue items as evidence: a snapshot of each as shown now; 409 when already linked or closed [supervision.findings] EvidenceLink → SupervisionFinding
 *   DELETE /supervision/findings/:id/evidence/:evidenceId   always 409: evidence cannot be removed or edited once linked [supervision.findings]
 *   POST   /supervision/findings/:id/decision        record (or re-record) the decision while open                     [supervision.findings] FindingDecisionInput → SupervisionFinding
 *   POST   /supervision/findings/:id/close           close a decided finding (409 without a decision or when closed)  [supervision.findings] → SupervisionFinding
 *
 * Without supervision.findings anywhere, every findings route answers 404 (nobody else learns that
 * findings exist); a finding outside the actor's scope is 404 too.
 */

// ── shared pieces ────────────────────────────────────────────────────────────────────────────────

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * A named person answering for something: a person (people row) and, when that person has a login,
 * their user; or a user without a person (a care officer's account). `name` is the person's name,
 * else the user's display name or username.
 */
export const Responsible = z.object({
  personId: z.number().int().nullable(),
  userId: z.number().int().nullable(),
  name: z.string(),
});
export type Responsible = z.infer<typeof Responsible>;

// ── responsibility matrix (责任到人) ──────────────────────────────────────────────────────────────

/**
 * An empty post (站好位、不缺位): a unit without a head (no unit_head grant at the unit itself), without
 * a liaison (no liaison grant at the unit), an active key place without a responsible person, a
 * stretch of today (the deployment's day) without a leader or an officer on duty at a unit that
 * keeps a roster.
 */
export const EMPTY_POST_KINDS = ['no_head', 'no_liaison', 'place_without_responsible', 'duty_uncovered'] as const;
export const EmptyPostKind = z.enum(EMPTY_POST_KINDS);
export type EmptyPostKind = z.infer<typeof EmptyPostKind>;
export const EMPTY_POST_LABELS: Record<EmptyPostKind, { zh: string; en: string }> = {
  no_head: { zh: '缺第一责任人', en: 'No unit head' },
  no_liaison: { zh: '缺联络员', en: 'No liaison' },
  place_without_responsible: { zh: '重点场所无责任人', en: 'Key place without a responsible person' },
  duty_uncovered: { zh: '今日值班空档', en: 'Duty hours uncovered today' },
};

export const EmptyPost = z.object({
  kind: EmptyPostKind,
  /** place_without_responsible: the place. */
  placeId: z.number().int().nullable(),
  placeName: z.string().nullable(),
  /** duty_uncovered: the role missing and the stretch [startsAt, endsAt) of today. */
  role: DutyRole.nullable(),
  startsAt: Timestamp.nullable(),
  endsAt: Timestamp.nullable(),
});
export type EmptyPost = z.infer<typeof EmptyPost>;

/** A holder of a unit post: a user with the grant at the unit, and their person when linked. */
export const PostHolder = Responsible;
export type PostHolder = Responsible;

export const MatrixPlace = z.object({
  placeId: z.number().int(),
  placeName: z.string(),
  /** null: an empty post. */
  responsible: Responsible.nullable(),
});
export type MatrixPlace = z.infer<typeof MatrixPlace>;

/** An open task (not done or verified; not a drill's) of the unit, with its responsible person. */
export const MatrixTask = z.object({
  taskId: z.number().int(),
  title: z.string(),
  status: TaskStatus,
  deadline: Timestamp,
  overdue: z.boolean(),
  responsible: Responsible,
});
export type MatrixTask = z.infer<typeof MatrixTask>;

/** A shift of the unit overlapping today, with its people. */
export const MatrixShift = z.object({
  shiftId: z.number().int(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  leaders: z.array(Responsible),
  officers: z.array(Responsible),
});
export type MatrixShift = z.infer<typeof MatrixShift>;

/** At most this many places and open tasks are listed per unit (the totals count them all). */
export const MATRIX_LIST_LIMIT = 20;

export const MatrixUnit = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  parentId: z.number().int().nullable(),
  /** Depth below the requested unit (0 = the requested unit), for indenting. */
  depth: z.number().int(),
  heads: z.array(PostHolder),
  liaisons: z.array(PostHolder),
  places: z.array(MatrixPlace),
  placesTotal: z.number().int(),
  tasks: z.array(MatrixTask),
  tasksTotal: z.number().int(),
  /** Whether the unit keeps a duty roster; shifts overlapping today when it does. */
  keepsDuty: z.boolean(),
  shifts: z.array(MatrixShift),
  emptyPosts: z.array(EmptyPost),
});
export type MatrixUnit = z.infer<typeof MatrixUnit>;

export const MatrixQuery = z.strictObject({
  /** That unit's subtree; default the actor's (first) supervision.read scope. */
  unitId: Id.optional(),
  /** Only units with at least one empty post. */
  emptyOnly: bool.optional(),
  ...Page,
});
export type MatrixQuery = z.input<typeof MatrixQuery>;

export const MatrixPage = pageOf(MatrixUnit).extend({
  /** The day "today" means (the deployment's zone). */
  day: z.string(),
  /** Units in the subtree, and empty posts over the whole subtree by kind (not just this page). */
  unitsTotal: z.number().int(),
  emptyPosts: z.record(EmptyPostKind, z.number().int()),
});
export type MatrixPage = z.infer<typeof MatrixPage>;

// ── the overdue view ─────────────────────────────────────────────────────────────────────────────

/**
 * What can be overdue:
 * - task: deadline passed, not done or verified (drills' tasks left out); responsible: the task's person.
 * - skipped_level: an incident level that was skipped (not acknowledged within its limit) in the last
 *   SKIPPED_LEVEL_WINDOW_DAYS days (drills left out); responsible: the level unit's heads.
 * - duty_gap: a stretch of today, up to now, without a leader or an officer at a unit that keeps a
 *   roster; responsible: the unit's heads.
 * - uninspected_place: an active key place whose inspection is overdue or that was never inspected
 *   and is due; responsible: the place's responsible person (none: nobody is named).
 * - uncontacted_care: a care case without contact for longer than care.contact_days; responsible:
 *   its care officer. Nothing about the case or the person cared for is shown.
 */
export const OVERDUE_KINDS = ['task', 'skipped_level', 'duty_gap', 'uninspected_place', 'uncontacted_care'] as const;
export const OverdueKind = z.enum(OVERDUE_KINDS);
export type OverdueKind = z.infer<typeof OverdueKind>;
export const OVERDUE_KIND_LABELS: Record<OverdueKind, { zh: string; en: string }> = {
  task: { zh: '任务逾期', en: 'Overdue task' },
  skipped_level: { zh: '逐级上报超时', en: 'Escalation level skipped' },
  duty_gap: { zh: '值班空档', en: 'Duty hours uncovered' },
  uninspected_place: { zh: '场所未按期检查', en: 'Place not inspected' },
  uncontacted_care: { zh: '关爱对象未按期联系', en: 'Care contact overdue' },
};
export const SKIPPED_LEVEL_WINDOW_DAYS = 30;

/**
 * A stable reference to an overdue item. `id` is a string:
 *   task → the task id; skipped_level → the incident level's id; uninspected_place → the place id;
 *   uncontacted_care → the care case id; duty_gap → '<unitId>:<role>:<startsAt>'.
 */
export const OverdueRef = z.strictObject({
  kind: OverdueKind,
  id: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[0-9a-z:]+$/, 'must be an overdue item id'),
});
export type OverdueRef = z.infer<typeof OverdueRef>;

export const OverdueItem = z.object({
  kind: OverdueKind,
  ref: OverdueRef,
  unitId: z.number().int(),
  unitName: z.string(),
  /** Names the duty, never a health or care detail (e.g. '任务逾期：<task title>', '事项 #12 第 2 级未在时限内接报'). */
  title: z.string(),
  /** Overdue since: the task's deadline, the level's deadline, the gap's start, the place's due day, the care contact's due time. */
  since: Timestamp,
  /** Only for duty_gap: the end of the stretch (now, when it is still uncovered). */
  until: Timestamp.nullable(),
  /** Who answers for it; empty when nobody is named (itself an empty post). */
  responsible: z.array(Responsible),
});
export type OverdueItem = z.infer<typeof OverdueItem>;

export const OverdueQuery = z.strictObject({
  unitId: Id.optional(),
  kind: OverdueKind.optional(),
  ...Page,
});
export type OverdueQuery = z.input<typeof OverdueQuery>;

export const OverduePage = pageOf(OverdueItem).extend({
  /** Counts per kind over the whole subtree (whatever `kind` filters). */
  byKind: z.record(OverdueKind, z.number().int()),
  /** Kinds that could not be read (e.g. care before the care module is installed). */
  unavailable: z.array(OverdueKind),
});
export type OverduePage = z.infer<typeof OverduePage>;

// ── findings (问题线索 / 问责记录) ────────────────────────────────────────────────────────────────

export const FINDING_SUBJECTS = ['unit', 'person'] as const;
export const FindingSubjectKind = z.enum(FINDING_SUBJECTS);
export type FindingSubjectKind = z.infer<typeof FindingSubjectKind>;

export const SUPERVISION_FINDING_STATUSES = ['open', 'closed'] as const;
export const SupervisionFindingStatus = z.enum(SUPERVISION_FINDING_STATUSES);
export type SupervisionFindingStatus = z.infer<typeof SupervisionFindingStatus>;

/** The decision: 约谈 (talk), 通报 (notice), 问责 (accountability), 不予处理 (no action). */
export const FINDING_DECISIONS = ['talk', 'notice', 'accountability', 'no_action'] as const;
export const FindingDecisionKind = z.enum(FINDING_DECISIONS);
export type FindingDecisionKind = z.infer<typeof FindingDecisionKind>;
export const FINDING_DECISION_LABELS: Record<FindingDecisionKind, { zh: string; en: string }> = {
  talk: { zh: '约谈', en: 'Talk' },
  notice: { zh: '通报', en: 'Notice' },
  accountability: { zh: '问责', en: 'Accountability' },
  no_action: { zh: '不予处理', en: 'No action' },
};

export const MAX_EVIDENCE_PER_LINK = 50;
export const MAX_EVIDENCE = 200;

const refs = z
  .array(OverdueRef)
  .min(1)
  .max(MAX_EVIDENCE_PER_LINK)
  .refine((a) => new Set(a.map((r) => `${r.kind}|${r.id}`)).size === a.length, 'must not repeat an item');

/** About a unit (unitId) or a person (personId; the finding sits at the person's unit). */
export const FindingSubject = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('unit'), unitId: Id }), z.strictObject({ kind: z.literal('person'), personId: Id })]);
export type FindingSubject = z.infer<typeof FindingSubject>;

/** POST /supervision/findings. `evidence`: overdue items in scope, linked at once. */
export const FindingCreate = z.strictObject({
  subject: FindingSubject,
  title: Name(200),
  description: LongText(5000),
  evidence: refs.optional(),
});
export type FindingCreate = z.infer<typeof FindingCreate>;

export const FindingUpdate = z
  .strictObject({ title: Name(200).optional(), description: LongText(5000).optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type FindingUpdate = z.infer<typeof FindingUpdate>;

/** POST /supervision/findings/:id/evidence: each item must be overdue now and in scope (400 naming refs.N otherwise). */
export const EvidenceLink = z.strictObject({ refs });
export type EvidenceLink = z.infer<typeof EvidenceLink>;

export const FindingDecisionInput = z.strictObject({ decision: FindingDecisionKind, text: LongText(5000) });
export type FindingDecisionInput = z.infer<typeof FindingDecisionInput>;

export const EvidenceParams = z.strictObject({ id: Id, evidenceId: Id });

/** A linked overdue item: the snapshot is the OverdueItem as shown at link time, never changed. */
export const Evidence = z.object({
  id: z.number().int(),
  ref: OverdueRef,
  snapshot: OverdueItem,
  linkedAt: Timestamp,
  linkedBy: z.string().nullable(),
});
export type Evidence = z.infer<typeof Evidence>;

export const SupervisionFinding = z.object({
  id: z.number().int(),
  subjectKind: FindingSubjectKind,
  unitId: z.number().int(),
  unitName: z.string(),
  /** person subject: the person (name as now). */
  personId: z.number().int().nullable(),
  personName: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  status: SupervisionFindingStatus,
  decision: FindingDecisionKind.nullable(),
  decisionText: z.string().nullable(),
  decidedAt: Timestamp.nullable(),
  decidedBy: z.string().nullable(),
  openedAt: Timestamp,
  openedBy: z.string().nullable(),
  closedAt: Timestamp.nullable(),
  closedBy: z.string().nullable(),
  evidenceCount: z.number().int(),
  /** GET one / the answer of a change: the evidence, oldest first. Lists: empty. */
  evidence: z.array(Evidence),
  abilities: z.object({ edit: z.boolean(), link: z.boolean(), decide: z.boolean(), close: z.boolean() }),
});
export type SupervisionFinding = z.infer<typeof SupervisionFinding>;

export const FindingListQuery = z.strictObject({
  unitId: Id.optional(),
  status: SupervisionFindingStatus.optional(),
  subject: FindingSubjectKind.optional(),
  personId: Id.optional(),
  ...Page,
});
export type FindingListQuery = z.input<typeof FindingListQuery>;

export const SupervisionFindingPage = pageOf(SupervisionFinding);
export type SupervisionFindingPage = z.infer<typeof SupervisionFindingPage>;
