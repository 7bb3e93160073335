import { z } from 'zod';
import { Attachment as FileAttachment } from './files.js';
import { Day } from './health.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Directives (部署 / 上级要求), the tasks they are broken into (任务), and the meetings whose
 * decisions become tasks (会议决定). One schema serves the server's validation, the console's forms
 * and the typed client. Times are epoch milliseconds; a deadline is an instant, and the server
 * defaults it to the end of today in the deployment's time zone (落实不过夜).
 */

export const DIRECTIVE_SOURCES = ['city', 'district', 'group', 'meeting', 'inspection', 'plan'] as const;
export const DirectiveSource = z.enum(DIRECTIVE_SOURCES);
export type DirectiveSource = z.infer<typeof DirectiveSource>;
/**
 * The sources a person records a directive under by hand. `inspection` directives are made by the
 * places module for a finding's rectification (verified by re-inspection, not by hand), so no one
 * records, re-labels or extends one through the directives routes.
 */
export const RECORDED_SOURCES = ['city', 'district', 'group', 'meeting'] as const satisfies readonly DirectiveSource[];
export const RecordedSource = z.enum(RECORDED_SOURCES);

/** What must be shown when a task is done: a written report, a photo, a file. */
export const EVIDENCE_KINDS = ['report', 'photo', 'file'] as const;
export const EvidenceKind = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

/** assigned → acknowledged → done → verified; a return sends a done task back to acknowledged. */
export const TASK_STATUSES = ['assigned', 'acknowledged', 'done', 'verified'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** What a task list can be narrowed to: open (assigned or acknowledged), overdue (open and past its deadline), done (awaiting verification), verified. */
export const TASK_STATES = ['open', 'overdue', 'done', 'verified', 'all'] as const;
export const TaskState = z.enum(TASK_STATES);

export const TASK_EVENT_ACTIONS = ['assigned', 'acknowledged', 'completed', 'verified', 'returned', 'split', 'redated', 'reassigned', 'reminded', 'overdue', 'parts_done'] as const;
export const TaskEventAction = z.enum(TASK_EVENT_ACTIONS);
export type TaskEventAction = z.infer<typeof TaskEventAction>;

/** The most units one assignment may reach: a directive to every unit of a large group is ~5,000. */
export const MAX_TARGET_UNITS = 10_000;
/** Attachments on one directive or one completed task. */
export const MAX_ATTACHMENTS = 20;

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
/** Free text of several lines (a directive's text, a report): trimmed, bounded, no control characters but line breaks and tabs. */
export const LongText = (max: number) => z.string().trim().min(1).max(max).refine(noControl, 'must not contain control characters');

const uniqueIds = (max: number) =>
  z
    .array(Id)
    .max(max)
    .refine((a) => new Set(a).size === a.length, 'must not repeat an id');

// ── targets: one unit, or many at once ───────────────────────────────────────────────────────────

/**
 * Which units an assignment reaches:
 * - `units`: a picked list;
 * - `children`: every (not archived) child of a unit — "every subsidiary";
 * - `subtree`: every unit below a unit, or only those exactly `depth` levels below it.
 */
export const TaskTarget = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('units'), unitIds: uniqueIds(MAX_TARGET_UNITS).min(1) }),
  z.strictObject({ mode: z.literal('children'), unitId: Id }),
  z.strictObject({ mode: z.literal('subtree'), unitId: Id, depth: z.number().int().min(1).max(20).optional() }),
]);
export type TaskTarget = z.infer<typeof TaskTarget>;

/** A responsible person named for one target unit; a unit not named gets its unit head's person. */
export const ResponsibleChoice = z.strictObject({ unitId: Id, personId: Id });

const evidenceList = z
  .array(EvidenceKind)
  .min(1)
  .max(EVIDENCE_KINDS.length)
  .refine((a) => new Set(a).size === a.length, 'must not repeat a kind');

/** Send a task to one unit or many (POST /directives/:id/tasks, and each task of a new directive). */
export const TaskAssign = z.strictObject({
  /** Defaults to the directive's title. */
  title: Name(200).optional(),
  instructions: LongText(5000).optional(),
  target: TaskTarget,
  responsible: z.array(ResponsibleChoice).max(MAX_TARGET_UNITS).default([]),
  /** Defaults to the end of today in the deployment's time zone; must be in the future. */
  deadline: Timestamp.optional(),
  evidence: evidenceList.default(['report']),
});
export type TaskAssign = z.infer<typeof TaskAssign>;

/** Split a received task to units below the task's unit; `deadline` defaults to (and may not pass) the task's own. */
export const TaskSplit = z.strictObject({
  instructions: LongText(5000).optional(),
  target: TaskTarget,
  responsible: z.array(ResponsibleChoice).max(MAX_TARGET_UNITS).default([]),
  deadline: Timestamp.optional(),
  /** Defaults to what the task itself requires. */
  evidence: evidenceList.optional(),
});
export type TaskSplit = z.infer<typeof TaskSplit>;

// ── directives ───────────────────────────────────────────────────────────────────────────────────

export const DirectiveCreate = z.strictObject({
  /** The unit the directive is recorded at (directives.write over it); defaults to the actor's one such unit. */
  unitId: Id.optional(),
  source: RecordedSource,
  documentNo: Name(60).optional(),
  title: Name(200),
  body: LongText(20_000),
  /** When it came in; defaults to now. */
  receivedAt: Timestamp.optional(),
  attachmentIds: uniqueIds(MAX_ATTACHMENTS).default([]),
  /** Break it into tasks in the same step (each as POST /directives/:id/tasks). */
  tasks: z.array(TaskAssign).max(50).default([]),
});
export type DirectiveCreate = z.infer<typeof DirectiveCreate>;

export const DirectiveUpdate = z
  .strictObject({
    source: RecordedSource.optional(),
    documentNo: Name(60).nullable().optional(),
    title: Name(200).optional(),
    body: LongText(20_000).optional(),
    receivedAt: Timestamp.optional(),
    attachmentIds: uniqueIds(MAX_ATTACHMENTS).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type DirectiveUpdate = z.infer<typeof DirectiveUpdate>;

export const DirectiveListQuery = z.strictObject({
  unitId: Id.optional(),
  source: DirectiveSource.optional(),
  q: z.string().trim().max(100).optional(),
  ...Page,
});

/** Task counts, the same in every board: over a unit's subtree or a whole directive. */
export const ProgressFigures = z.object({
  total: z.number().int(),
  /** Assigned or acknowledged, deadline not passed. */
  inTime: z.number().int(),
  /** Assigned or acknowledged, deadline passed. */
  overdue: z.number().int(),
  /** Done, awaiting verification. */
  done: z.number().int(),
  verified: z.number().int(),
  /** Done or verified after the deadline. */
  late: z.number().int(),
});
export type ProgressFigures = z.infer<typeof ProgressFigures>;

export const DirectiveAbilities = z.object({ update: z.boolean(), assign: z.boolean() });

/** @deprecated an attachment's id only; the full description is `Attachment` of ./files.js. */
export const Attachment = z.object({ id: z.number().int() });

export const Directive = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  source: DirectiveSource,
  documentNo: z.string().nullable(),
  title: z.string(),
  receivedAt: Timestamp,
  meetingId: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  createdAt: Timestamp,
  /** Over the tasks the actor can see. */
  progress: ProgressFigures,
  abilities: DirectiveAbilities,
});
export type Directive = z.infer<typeof Directive>;
export const DirectivePage = pageOf(Directive);

// ── tasks ────────────────────────────────────────────────────────────────────────────────────────

export const TaskAbilities = z.object({
  acknowledge: z.boolean(),
  complete: z.boolean(),
  split: z.boolean(),
  verify: z.boolean(),
  return: z.boolean(),
  /** Change the deadline or the responsible person (the assigner). */
  update: z.boolean(),
});
export type TaskAbilities = z.infer<typeof TaskAbilities>;

export const Task = z.object({
  id: z.number().int(),
  directiveId: z.number().int(),
  directiveTitle: z.string(),
  directiveSource: DirectiveSource,
  /** A task of a plan run as a drill (演练, issue 8): shown with the drill's mark everywhere, left out of real statistics. */
  drill: z.boolean(),
  documentNo: z.string().nullable(),
  parentTaskId: z.number().int().nullable(),
  title: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  responsiblePersonId: z.number().int(),
  responsibleName: z.string(),
  deadline: Timestamp,
  evidence: z.array(EvidenceKind),
  status: TaskStatus,
  /** Open and past its deadline. */
  overdue: z.boolean(),
  /** Whether it was (or is) finished after its deadline; null while open. */
  late: z.boolean().nullable(),
  partCount: z.number().int(),
  partsVerified: z.number().int(),
  assignedAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
  verifiedAt: Timestamp.nullable(),
  abilities: TaskAbilities,
});
export type Task = z.infer<typeof Task>;
export const TaskPage = pageOf(Task);

export const TaskEvent = z.object({
  id: z.number().int(),
  action: TaskEventAction,
  /** null: the system (a deadline or reminder job). */
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  at: Timestamp,
  note: z.string().nullable(),
});
export type TaskEvent = z.infer<typeof TaskEvent>;

export const TaskDetail = Task.extend({
  instructions: z.string().nullable(),
  directiveBody: z.string(),
  directiveAttachmentIds: z.array(z.number().int()),
  assignedByName: z.string().nullable(),
  report: z.string().nullable(),
  photoIds: z.array(z.number().int()),
  fileIds: z.array(z.number().int()),
  /** The reason of the latest return, while the task is back with its unit. */
  returnReason: z.string().nullable(),
  /** The directive's attachments, and the evidence of the latest completion (photoIds, fileIds) in full. */
  directiveAttachments: z.array(FileAttachment),
  photos: z.array(FileAttachment),
  files: z.array(FileAttachment),
  parts: z.array(Task),
  events: z.array(TaskEvent),
});
export type TaskDetail = z.infer<typeof TaskDetail>;

export const DirectiveDetail = Directive.extend({
  body: z.string(),
  attachmentIds: z.array(z.number().int()),
  attachments: z.array(FileAttachment),
  /** The top-level tasks the actor can see (parts are under each task). */
  tasks: z.array(Task),
});
export type DirectiveDetail = z.infer<typeof DirectiveDetail>;

export const TaskListQuery = z.strictObject({
  /** That unit's subtree; default the actor's whole tasks.read scope. */
  unitId: Id.optional(),
  directiveId: Id.optional(),
  state: TaskState.default('all'),
  /** Only the tasks of this very unit, not of its subtree. */
  ownUnitOnly: z.enum(['true', 'false']).optional(),
  ...Page,
});

export const MyTasksQuery = z.strictObject({ state: TaskState.default('open'), ...Page });

/** The answer to an assignment or a split: how many tasks were made, and their ids. */
export const TaskAssignResult = z.object({
  directiveId: z.number().int(),
  created: z.number().int(),
  taskIds: z.array(z.number().int()),
});
export type TaskAssignResult = z.infer<typeof TaskAssignResult>;

export const TaskAcknowledge = z.strictObject({ note: LongText(500).optional() });
export const TaskComplete = z.strictObject({
  report: LongText(10_000).optional(),
  photoIds: uniqueIds(MAX_ATTACHMENTS).default([]),
  fileIds: uniqueIds(MAX_ATTACHMENTS).default([]),
});
export type TaskComplete = z.infer<typeof TaskComplete>;
export const TaskVerify = z.strictObject({ note: LongText(500).optional() });
export const TaskReturn = z.strictObject({ reason: LongText(1000) });
export const TaskUpdate = z
  .strictObject({ deadline: Timestamp.optional(), responsiblePersonId: Id.optional() })
  .refine((v) => v.deadline !== undefined || v.responsiblePersonId !== undefined, 'nothing to change');
export type TaskUpdate = z.infer<typeof TaskUpdate>;

// ── boards ───────────────────────────────────────────────────────────────────────────────────────

/** A task as a board shows it at its unit. */
export const TaskBrief = z.object({
  id: z.number().int(),
  status: TaskStatus,
  overdue: z.boolean(),
  deadline: Timestamp,
  responsibleName: z.string(),
  partCount: z.number().int(),
});

export const ProgressNode = ProgressFigures.extend({
  unitId: z.number().int(),
  name: z.string(),
  /** Whether any unit below has a task of this directive (drill down). */
  hasChildren: z.boolean(),
  /** The tasks held by this very unit. */
  tasks: z.array(TaskBrief),
});
export type ProgressNode = z.infer<typeof ProgressNode>;

/** Where a cascade is stuck: open tasks with no open part below them, oldest deadline first. */
export const StuckTask = z.object({
  taskId: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  status: TaskStatus,
  overdue: z.boolean(),
  deadline: Timestamp,
  responsibleName: z.string(),
});

export const ProgressQuery = z.strictObject({ unitId: Id.optional() });
/** A directive's progress: the unit (its own tasks and its whole subtree), each child subtree that has tasks, and where it is stuck. */
export const DirectiveProgress = z.object({
  directiveId: z.number().int(),
  unit: ProgressNode,
  children: z.array(ProgressNode),
  total: ProgressFigures,
  stuck: z.array(StuckTask),
});
export type DirectiveProgress = z.infer<typeof DirectiveProgress>;

export const DueTodayQuery = z.strictObject({ unitId: Id.optional() });
export const DueToday = z.object({ day: z.string(), figures: ProgressFigures, items: z.array(Task) });
export type DueToday = z.infer<typeof DueToday>;

export const OnTimeQuery = z
  .strictObject({ from: Day, to: Day })
  .superRefine((v, ctx) => {
    if (Day.safeParse(v.from).success && Day.safeParse(v.to).success && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });
export const OnTimeFigures = z.object({
  /** Tasks whose deadline fell in the period. */
  due: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  /** Deadline passed, still not done. */
  missed: z.number().int(),
  /** Deadline not yet passed, not done. */
  pending: z.number().int(),
  /** onTime / (onTime + late + missed); null when nothing was due yet. */
  rate: z.number().nullable(),
});
export const OnTimeRecord = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  from: z.string(),
  to: z.string(),
  /** The unit's own tasks. */
  own: OnTimeFigures,
  /** The whole subtree's. */
  subtree: OnTimeFigures,
  children: z.array(OnTimeFigures.extend({ unitId: z.number().int(), name: z.string() })),
});
export type OnTimeRecord = z.infer<typeof OnTimeRecord>;

// ── meetings ─────────────────────────────────────────────────────────────────────────────────────

export const MeetingCreate = z.strictObject({
  /** Recorded at (directives.write over it); defaults to the actor's one such unit. */
  unitId: Id.optional(),
  title: Name(200),
  heldAt: Timestamp,
  place: Name(200).optional(),
  chair: Name(100).optional(),
  attendees: LongText(2000).optional(),
  minutes: LongText(20_000).optional(),
  decisions: z.array(z.strictObject({ text: LongText(2000) })).max(100).default([]),
});
export type MeetingCreate = z.infer<typeof MeetingCreate>;

export const MeetingDecisionCreate = z.strictObject({ text: LongText(2000) });

export const MeetingListQuery = z.strictObject({ unitId: Id.optional(), ...Page });

export const MeetingDecision = z.object({
  id: z.number().int(),
  position: z.number().int(),
  text: z.string(),
  /** The directive the decision was turned into, once it was. */
  directiveId: z.number().int().nullable(),
});

export const Meeting = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  title: z.string(),
  heldAt: Timestamp,
  place: z.string().nullable(),
  chair: z.string().nullable(),
  decisionCount: z.number().int(),
  createdAt: Timestamp,
  abilities: z.object({ update: z.boolean(), assign: z.boolean() }),
});
export type Meeting = z.infer<typeof Meeting>;
export const MeetingPage = pageOf(Meeting);

export const MeetingDetail = Meeting.extend({
  attendees: z.string().nullable(),
  minutes: z.string().nullable(),
  decisions: z.array(MeetingDecision),
});
export type MeetingDetail = z.infer<typeof MeetingDetail>;

export const DecisionParams = z.strictObject({ id: Id, decisionId: Id });

/** Turn a decision into tasks in one step: a directive (source 'meeting') is made for it the first time. */
export const DecisionAssign = TaskAssign;
export type DecisionAssign = z.infer<typeof DecisionAssign>;

// ── settings ─────────────────────────────────────────────────────────────────────────────────────

/** The deployment's task settings (directives.write on a root unit): how long before a deadline the responsible person is reminded. */
export const TaskSettings = z.strictObject({ reminderLeadMinutes: z.number().int().min(0).max(7 * 24 * 60) });
export type TaskSettings = z.infer<typeof TaskSettings>;
