import { z } from 'zod';
import { EvidenceKind, TaskStatus } from './directives.js';
import { IncidentKind, IncidentSeverity, Involvement } from './incidents.js';
import { UnitKind } from './org.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Emergency plans (应急预案) and drills (演练), issue 8. A plan belongs to a unit and, for one
 * incident kind and the severities it lists, says which steps to take: each step becomes a task
 * (the directives module's tasks, directive source 'plan') with a deadline relative to the
 * incident's time, for a role at the incident's unit (or N levels above) or a named person. Plans
 * are versioned; a run keeps the version it started with. A drill is an incident with drill = 1
 * that runs the same plan. Times are epoch milliseconds. The rules are in docs/plans.md.
 *
 * Routes (all under /api/v1; permission over the plan's unit — or the incident's — in brackets):
 *
 *   GET   /plans?unitId=&kind=&archived=             plans of a subtree                   [plans.read]                          → PlanPage
 *   POST  /plans                                     create a plan at a unit (version 1)  [plans.write; Idempotency-Key]    PlanCreate → PlanDetail (201)
 *   GET   /plans/select?unitId=&kind=&severity=      which plan an incident there would start (nearest up)  [plans.read]   → PlanSelection
 *   GET   /plans/coverage?unitId=                    units that a plan's coverage rule names and that have no own plan [plans.read] → CoverageList
 *   GET   /plans/drills?unitId=                      the drill record: when, plan, version, steps on time / late [plans.read] → DrillPage
 *   GET   /plans/:id                                 one plan: its current version, draft (if any), version list, abilities [plans.read] → PlanDetail
 *   PUT   /plans/:id                                 edit: a new current version (or, asDraft, save the draft) [plans.write] PlanEdit → PlanDetail
 *   GET   /plans/:id/versions/:version               one version as it was (read-only)     [plans.read]          → PlanVersion
 *   POST  /plans/:id/archive                         archive: no longer selected; runs keep going [plans.write]  → PlanDetail
 *   POST  /plans/:id/drill                           run it as a drill: files a drill incident at unitId [plans.write at unitId; Idempotency-Key] DrillStart → DrillStarted (201)
 *   GET   /incidents/:id/plan-runs                   the plan runs of an incident, each step with its task's state [seeing the incident] → PlanRunList
 *   GET   /incidents/:id/reviews                     the reviews written on an incident     [seeing the incident]  → PlanReviewList
 *   POST  /incidents/:id/reviews                     write a review (resolved/closed incident or drill) [plans.write at the incident's unit or above; Idempotency-Key] PlanReviewCreate → PlanReview (201)
 *   POST  /plan-reviews/:id/open-changes             a new draft version of the reviewed plan, linked to the review [plans.write over the plan's unit] → PlanDetail
 *
 * The steps' tasks are read, acknowledged and completed through the tasks routes (/tasks/:id,
 * /me/tasks); their ordinary verify answers 409 (a plan step is done when its task is done).
 */

// ── enums ────────────────────────────────────────────────────────────────────────────────────────

/**
 * Who does a step:
 * - unit_head / liaison: the holder of that role at the incident's unit (or `levelsUp` above), the
 *   nearest unit up that has one when that unit has none;
 * - duty_officer: the duty officer on shift at that unit when the step's task is made (nobody on
 *   shift: its unit head);
 * - command: the nearest unit at or above that holds a command grant (the command office);
 * - person: a named person (`personId`).
 */
export const STEP_ROLES = ['unit_head', 'liaison', 'duty_officer', 'command', 'person'] as const;
export const StepRole = z.enum(STEP_ROLES);
export type StepRole = z.infer<typeof StepRole>;

/** What a step does besides its task (run when its task is made; simulated in a drill). */
export const STEP_ACTIONS = ['open_health_watches', 'open_care_cases', 'publish_notice'] as const;
export const StepActionKind = z.enum(STEP_ACTIONS);
export type StepActionKind = z.infer<typeof StepActionKind>;

/** The care case kinds a step may open (the care module's kinds). */
export const PLAN_CARE_KINDS = ['centralised_quarantine', 'home_quarantine', 'front_line', 'overseas_post', 'family_illness', 'other'] as const;
export const PlanCareKind = z.enum(PLAN_CARE_KINDS);
export type PlanCareKind = z.infer<typeof PlanCareKind>;
/** A unit kind (common/schemas/org.ts UNIT_KINDS). */
export type PlanUnitKind = z.infer<typeof UnitKind>;

/** A version's state: draft (being edited, not selected), current (the one new runs take), superseded (kept read-only). */
export const PLAN_VERSION_STATES = ['draft', 'current', 'superseded'] as const;
export const PlanVersionState = z.enum(PLAN_VERSION_STATES);
export type PlanVersionState = z.infer<typeof PlanVersionState>;

/**
 * A run step's state: waiting (on the steps it depends on), task (its task exists), done (its task
 * is done or verified), unassigned (nobody could be found for it: recorded on the timeline).
 */
export const RUN_STEP_STATES = ['waiting', 'task', 'done', 'unassigned'] as const;
export const RunStepState = z.enum(RUN_STEP_STATES);
export type RunStepState = z.infer<typeof RunStepState>;

/** Why a run started: the incident was filed (the nearest plan up), or it reached a level whose unit has its own plan. */
export const RUN_TRIGGERS = ['filed', 'level'] as const;
export const RunTrigger = z.enum(RUN_TRIGGERS);
export type RunTrigger = z.infer<typeof RunTrigger>;

export const MAX_STEPS = 50;
/** A step's deadline: up to 30 days after the incident's time. */
export const MAX_DEADLINE_MINUTES = 30 * 24 * 60;

// ── requests ─────────────────────────────────────────────────────────────────────────────────────

export const StepKey = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

export const StepAction = z.strictObject({
  kind: StepActionKind,
  /** open_care_cases: the kind of case. */
  careKind: PlanCareKind.optional(),
  /** publish_notice: the notice's text (its title is the step's title). */
  text: z.string().trim().min(1).max(5000).optional(),
  /** open_health_watches / open_care_cases: which of the incident's people (default: all). */
  involvements: z.array(Involvement).max(4).optional(),
});
export type StepAction = z.infer<typeof StepAction>;

export const PlanStep = z.strictObject({
  /** Unique within the version; dependsOn and review changes name steps by it. */
  key: StepKey,
  title: Name(200),
  /** What to do, in detail. */
  instructions: z.string().trim().max(2000).optional(),
  role: StepRole,
  /** unit_head, liaison, duty_officer, command: counted up from the incident's unit (0: the unit itself). */
  levelsUp: z.number().int().min(0).max(10).default(0),
  /** role person: who. */
  personId: Id.optional(),
  /** Minutes after the incident's occurredAt. */
  deadlineMinutes: z.number().int().min(1).max(MAX_DEADLINE_MINUTES),
  /** What must be shown when done (a task always asks for at least one: default a report). */
  evidence: z
    .array(EvidenceKind)
    .min(1)
    .max(3)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a kind')
    .default(['report']),
  /** Keys of other steps of this version that must be done first (no cycles). */
  dependsOn: z.array(StepKey).max(MAX_STEPS).default([]),
  action: StepAction.optional(),
});
export type PlanStep = z.infer<typeof PlanStep>;
export type PlanStepInput = z.input<typeof PlanStep>;

/** The editable content of a version. */
export const PlanContent = z.strictObject({
  title: Name(200),
  description: z.string().trim().max(5000).optional(),
  severities: z
    .array(IncidentSeverity)
    .min(1)
    .max(4)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a severity'),
  steps: z.array(PlanStep).min(1).max(MAX_STEPS),
  /** Coverage rule: units of these kinds below the plan's unit must have their own plan for its kind. */
  requiredUnitKinds: z.array(UnitKind).max(6).default([]),
});
export type PlanContent = z.infer<typeof PlanContent>;

/** POST /plans. */
export const PlanCreate = PlanContent.extend({ unitId: Id, kind: IncidentKind });
export type PlanCreate = z.infer<typeof PlanCreate>;

/** PUT /plans/:id: the whole content; asDraft keeps it as the draft (not selected) instead of making it current. */
export const PlanEdit = PlanContent.extend({ asDraft: z.boolean().default(false) });
export type PlanEdit = z.infer<typeof PlanEdit>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const PlanListQuery = z.strictObject({
  /** That unit's subtree; default: the actor's plans.read scope (the plan that applies from above: GET /plans/select). */
  unitId: Id.optional(),
  kind: IncidentKind.optional(),
  archived: bool.optional(),
  ...Page,
});
export type PlanListQuery = z.infer<typeof PlanListQuery>;

export const PlanSelectQuery = z.strictObject({ unitId: Id, kind: IncidentKind, severity: IncidentSeverity });
export type PlanSelectQuery = z.infer<typeof PlanSelectQuery>;

export const CoverageQuery = z.strictObject({ unitId: Id.optional() });
export const DrillListQuery = z.strictObject({ unitId: Id.optional(), planId: Id.optional(), ...Page });
export type DrillListQuery = z.infer<typeof DrillListQuery>;

export const PlanVersionParams = z.strictObject({ id: Id, version: z.coerce.number().int().min(1).max(100_000) });

/** POST /plans/:id/drill: a drill incident at unitId (the plan's unit or below), running this plan. */
export const DrillStart = z.strictObject({
  unitId: Id,
  severity: IncidentSeverity,
  /** Default now; not in the future. */
  occurredAt: Timestamp.optional(),
  /** Default the plan's title; shown with 【演练】 in front. */
  title: Name(180).optional(),
});
export type DrillStart = z.infer<typeof DrillStart>;

export const ReviewChange = z.strictObject({ stepKey: StepKey.optional(), text: Name(1000) });

/** POST /incidents/:id/reviews. planId: which of its runs' plans (default: the first run's). */
export const PlanReviewCreate = z.strictObject({
  planId: Id.optional(),
  wentWell: z.string().trim().max(5000).default(''),
  late: z.string().trim().max(5000).default(''),
  changes: z.array(ReviewChange).max(50).default([]),
});
export type PlanReviewCreate = z.infer<typeof PlanReviewCreate>;

// ── answers ──────────────────────────────────────────────────────────────────────────────────────

export const PlanAbilities = z.object({ edit: z.boolean(), archive: z.boolean(), drill: z.boolean() });
export type PlanAbilities = z.infer<typeof PlanAbilities>;

export const PlanStepView = PlanStep.extend({ personName: z.string().nullable() });

export const PlanVersion = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  version: z.number().int(),
  state: PlanVersionState,
  title: z.string(),
  description: z.string().nullable(),
  severities: z.array(IncidentSeverity),
  steps: z.array(PlanStepView),
  requiredUnitKinds: z.array(UnitKind),
  /** The review it was opened from ("open changes"), if any. */
  reviewId: z.number().int().nullable(),
  createdAt: Timestamp,
  createdByName: z.string().nullable(),
  publishedAt: Timestamp.nullable(),
});
export type PlanVersion = z.infer<typeof PlanVersion>;

/** A plan as lists show it (its current version's title and severities). */
export const Plan = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  kind: IncidentKind,
  title: z.string(),
  severities: z.array(IncidentSeverity),
  version: z.number().int(),
  stepCount: z.number().int(),
  hasDraft: z.boolean(),
  archivedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
  abilities: PlanAbilities,
});
export type Plan = z.infer<typeof Plan>;
export const PlanPage = pageOf(Plan);
export type PlanPage = z.infer<typeof PlanPage>;

export const PlanDetail = Plan.extend({
  current: PlanVersion,
  draft: PlanVersion.nullable(),
  versions: z.array(z.object({ version: z.number().int(), state: PlanVersionState, createdAt: Timestamp, publishedAt: Timestamp.nullable(), reviewId: z.number().int().nullable() })),
});
export type PlanDetail = z.infer<typeof PlanDetail>;

export const PlanSelection = z.object({
  /** Null: no plan up the tree covers it. */
  plan: Plan.nullable(),
});
export type PlanSelection = z.infer<typeof PlanSelection>;

export const CoverageGap = z.object({
  /** The plan whose rule names the unit. */
  planId: z.number().int(),
  planTitle: z.string(),
  planUnitName: z.string(),
  kind: IncidentKind,
  unitId: z.number().int(),
  unitName: z.string(),
  unitKind: UnitKind,
});
export const CoverageList = z.object({ items: z.array(CoverageGap), total: z.number().int() });
export type CoverageList = z.infer<typeof CoverageList>;

export const PlanRunStep = z.object({
  id: z.number().int(),
  key: z.string(),
  title: z.string(),
  state: RunStepState,
  dependsOn: z.array(z.string()),
  /** occurredAt + deadlineMinutes. */
  deadline: Timestamp,
  taskId: z.number().int().nullable(),
  /** The task's state (linkedTaskStates), null while waiting. */
  task: z
    .object({
      status: TaskStatus,
      overdue: z.boolean(),
      responsiblePersonId: z.number().int(),
      responsibleName: z.string(),
      completedAt: Timestamp.nullable(),
      verifiedAt: Timestamp.nullable(),
    })
    .nullable(),
  createdAt: Timestamp.nullable(),
  doneAt: Timestamp.nullable(),
  /** Done after its deadline (or open and past it). */
  late: z.boolean(),
  action: StepActionKind.nullable(),
  /** What the action did: e.g. "opened 2 health watches", "simulated (drill)". */
  actionResult: z.string().nullable(),
});
export type PlanRunStep = z.infer<typeof PlanRunStep>;

export const PlanRun = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  planId: z.number().int(),
  planTitle: z.string(),
  planUnitName: z.string(),
  version: z.number().int(),
  trigger: RunTrigger,
  drill: z.boolean(),
  startedAt: Timestamp,
  /** Every step done. */
  completedAt: Timestamp.nullable(),
  steps: z.array(PlanRunStep),
});
export type PlanRun = z.infer<typeof PlanRun>;
export const PlanRunList = z.object({ incidentId: z.number().int(), drill: z.boolean(), runs: z.array(PlanRun) });
export type PlanRunList = z.infer<typeof PlanRunList>;

export const DrillStarted = z.object({ incidentId: z.number().int(), planId: z.number().int(), version: z.number().int(), runId: z.number().int().nullable() });
export type DrillStarted = z.infer<typeof DrillStarted>;

/** One drill in the record. */
export const Drill = z.object({
  incidentId: z.number().int(),
  title: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  severity: IncidentSeverity,
  occurredAt: Timestamp,
  planId: z.number().int(),
  planTitle: z.string(),
  version: z.number().int(),
  steps: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  /** Not done yet and not yet past the deadline. */
  open: z.number().int(),
  reviewed: z.boolean(),
});
export type Drill = z.infer<typeof Drill>;
export const DrillPage = pageOf(Drill);
export type DrillPage = z.infer<typeof DrillPage>;

export const PlanReview = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  drill: z.boolean(),
  planId: z.number().int(),
  version: z.number().int(),
  wentWell: z.string(),
  late: z.string(),
  changes: z.array(z.object({ stepKey: z.string().optional(), text: z.string() })),
  writtenByName: z.string().nullable(),
  writtenAt: Timestamp,
  /** The draft version "open changes" made from it. */
  draftVersion: z.number().int().nullable(),
  abilities: z.object({ openChanges: z.boolean() }),
});
export type PlanReview = z.infer<typeof PlanReview>;
export const PlanReviewList = z.object({ items: z.array(PlanReview) });
export type PlanReviewList = z.infer<typeof PlanReviewList>;
