import { z } from 'zod';
import { INCIDENT_SEVERITIES } from '../measures.catalogue.js';
import { LongText } from './directives.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Incidents (紧急事项) and their escalation level by level (逐级上报). One schema serves the
 * server's validation, the console's and the mobile page's forms and the typed client. Times are
 * epoch milliseconds. The rules behind these shapes are in docs/incidents.md.
 *
 * Routes (all under /api/v1):
 *   GET  /incidents                                    the board: incidents in the actor's scope (default: not closed), each with its current level and time left
 *   POST /incidents                                    file an incident at a unit (any grant covering the unit)             → IncidentDetail (201)
 *   GET  /incidents/stream?unitId=                     server-sent events: `incident` (IncidentChanged) after every change, `ping` heartbeats
 *   GET  /incidents/:id                                one incident: levels, people, instructions, timeline, abilities       → IncidentDetail
 *   GET  /incidents/:id/timeline                       its timeline only, oldest first                                       → IncidentTimeline
 *   POST /incidents/:id/acknowledge                    acknowledge at the waiting level the actor acts for (below the top: passes it up at once)
 *   POST /incidents/:id/instructions                   send an instruction down from a level the incident reached
 *   POST /incidents/:id/instructions/:instructionId/acknowledge   a lower level acknowledges an instruction
 *   POST /incidents/:id/actions                        record an action taken
 *   POST /incidents/:id/resolve                        record the resolution (the handling level: the top, once acknowledged)
 *   POST /incidents/:id/close                          close a resolved incident (critical and major: with a review)
 *   GET  /settings/incidents                           how high each severity must go (incidents.handle on a root unit)     → IncidentSettings
 *   PUT  /settings/incidents                           replace it                                                           → IncidentSettings
 * Every POST on an incident answers the incident as it now is (IncidentDetail).
 */

export const INCIDENT_KINDS = ['suspected_case', 'positive_test', 'close_contact', 'supply_shortage', 'unsafe_gathering', 'other'] as const;
export const IncidentKind = z.enum(INCIDENT_KINDS);
export type IncidentKind = z.infer<typeof IncidentKind>;

/** Most severe first: critical (Ⅰ 特别重大), major (Ⅱ 重大), serious (Ⅲ 较大), general (Ⅳ 一般). */
export { INCIDENT_SEVERITIES };
export const IncidentSeverity = z.enum(INCIDENT_SEVERITIES);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;
/** Closing one of these needs a short review by the level that handled it. */
export const SEVERITIES_NEEDING_REVIEW: readonly IncidentSeverity[] = ['critical', 'major'];

/** open → resolved (a resolution recorded) → closed. */
export const INCIDENT_STATUSES = ['open', 'resolved', 'closed'] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** A level: pending (not reached yet), waiting (reached, its clock runs), acknowledged, skipped (its limit passed twice). */
export const LEVEL_STATES = ['pending', 'waiting', 'acknowledged', 'skipped'] as const;
export const LevelState = z.enum(LEVEL_STATES);
export type LevelState = z.infer<typeof LevelState>;

export const INVOLVEMENTS = ['case', 'contact', 'reporter', 'other'] as const;
export const Involvement = z.enum(INVOLVEMENTS);
export type Involvement = z.infer<typeof Involvement>;

/**
 * The timeline's steps:
 * - filed; delivered (a level was reached: who was told, `via`); acknowledged (at a level, with notes);
 * - escalated (passed up to `toPosition`, after an acknowledgement or a skip);
 * - alerted (the limit passed: the leader on duty, or the unit head, was alerted); skipped (the limit
 *   passed again: recorded against that level); realerted (the top did not acknowledge within twice
 *   its limit: alerted again, the incident stays there flagged overdue);
 * - instructed (sent down from a level), instruction_acknowledged (by a level below);
 * - action, resolved, closed;
 * - plan_started (a plan run began: `planId`, `runId`, `version`), plan_step_created (a step's task was
 *   made: `stepKey`, `taskId`), plan_step_done (its task was done), plan_step_simulated (a drill's step
 *   action that would touch real people, recorded instead of done), plan_step_unassigned (nobody found
 *   for a step), plan_completed (every step of a run done) — emergency plans, issue 8.
 */
export const INCIDENT_EVENT_KINDS = [
  'filed',
  'delivered',
  'acknowledged',
  'escalated',
  'alerted',
  'skipped',
  'realerted',
  'instructed',
  'instruction_acknowledged',
  'action',
  'resolved',
  'closed',
  'plan_started',
  'plan_step_created',
  'plan_step_done',
  'plan_step_simulated',
  'plan_step_unassigned',
  'plan_completed',
] as const;
export const IncidentEventKind = z.enum(INCIDENT_EVENT_KINDS);
export type IncidentEventKind = z.infer<typeof IncidentEventKind>;

/**
 * Who a delivery or an alert went to: on_duty (the duty officers on shift), leader_on_duty,
 * handle_holders (nobody on shift: the holders of incidents.handle on the unit), unit_head (no
 * leader on duty), admins.
 */
export const DELIVERY_ROUTES = ['on_duty', 'leader_on_duty', 'handle_holders', 'unit_head', 'admins'] as const;
export const DeliveryRoute = z.enum(DELIVERY_ROUTES);
export type DeliveryRoute = z.infer<typeof DeliveryRoute>;

// ── requests ─────────────────────────────────────────────────────────────────────────────────────

export const IncidentPersonInput = z.strictObject({
  personId: Id,
  involvement: Involvement.default('other'),
  note: Name(200).optional(),
});

/** POST /incidents. Anyone with a grant covering the unit may file there; the people must be within the filer's scope. */
export const IncidentFile = z.strictObject({
  unitId: Id,
  kind: IncidentKind,
  severity: IncidentSeverity,
  title: Name(200),
  /** What happened. */
  description: LongText(10_000),
  /** When it happened; defaults to now; not in the future. */
  occurredAt: Timestamp.optional(),
  /** Where. */
  place: Name(200).optional(),
  people: z
    .array(IncidentPersonInput)
    .max(200)
    .refine((a) => new Set(a.map((p) => p.personId)).size === a.length, 'must not repeat a person')
    .default([]),
});
export type IncidentFile = z.infer<typeof IncidentFile>;

/** What the board shows: active = open or resolved (not closed). */
export const INCIDENT_LIST_STATES = ['active', 'open', 'resolved', 'closed', 'all'] as const;
export const IncidentListQuery = z.strictObject({
  /** That unit's subtree (incidents filed there, or that reached a level there); default: the actor's whole scope. */
  unitId: Id.optional(),
  state: z.enum(INCIDENT_LIST_STATES).default('active'),
  severity: IncidentSeverity.optional(),
  kind: IncidentKind.optional(),
  ...Page,
});
export type IncidentListQuery = z.infer<typeof IncidentListQuery>;

/** Acknowledge at the waiting level the actor acts for; `note` is passed up with it. */
export const IncidentAcknowledge = z.strictObject({ note: LongText(2000).optional() });
export type IncidentAcknowledge = z.infer<typeof IncidentAcknowledge>;

export const IncidentInstruct = z.strictObject({
  text: LongText(2000),
  /** The level it is sent from; default: the highest reached level the actor acts for. */
  fromLevelId: Id.optional(),
});
export type IncidentInstruct = z.infer<typeof IncidentInstruct>;

export const InstructionParams = z.strictObject({ id: Id, instructionId: Id });
/** A lower level acknowledges an instruction; `levelId` defaults to every level below the sender the actor acts for that has not yet. */
export const InstructionAcknowledge = z.strictObject({ note: LongText(1000).optional(), levelId: Id.optional() });
export type InstructionAcknowledge = z.infer<typeof InstructionAcknowledge>;

export const IncidentAction = z.strictObject({ text: LongText(2000) });
export type IncidentAction = z.infer<typeof IncidentAction>;

export const IncidentResolve = z.strictObject({ resolution: LongText(5000) });
export type IncidentResolve = z.infer<typeof IncidentResolve>;

/** `review` is required for critical and major incidents. */
export const IncidentClose = z.strictObject({ review: LongText(2000).optional() });
export type IncidentClose = z.infer<typeof IncidentClose>;

// ── answers ──────────────────────────────────────────────────────────────────────────────────────

/** What the actor may do now (the UI shows only these). */
export const IncidentAbilities = z.object({
  acknowledge: z.boolean(),
  instruct: z.boolean(),
  /** Acknowledge at least one instruction for a lower level. */
  acknowledgeInstruction: z.boolean(),
  act: z.boolean(),
  resolve: z.boolean(),
  close: z.boolean(),
});
export type IncidentAbilities = z.infer<typeof IncidentAbilities>;

export const IncidentLevel = z.object({
  id: z.number().int(),
  position: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  state: LevelState,
  isTop: z.boolean(),
  /** Minutes to acknowledge (the measure in force at the unit when reached); null while pending. */
  limitMinutes: z.number().int().nullable(),
  arrivedAt: Timestamp.nullable(),
  /** arrivedAt + limit: the leader on duty is alerted then. */
  deadline: Timestamp.nullable(),
  /** deadline + limit: the level is skipped then (the top: alerted again). */
  skipAt: Timestamp.nullable(),
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedByName: z.string().nullable(),
  ackNote: z.string().nullable(),
  alertedAt: Timestamp.nullable(),
  skippedAt: Timestamp.nullable(),
  realertedAt: Timestamp.nullable(),
  /** Whether the actor acts for this level (on shift at its unit, or incidents.handle on it). */
  actorActs: z.boolean(),
});
export type IncidentLevel = z.infer<typeof IncidentLevel>;

/** An incident as the board lists it. */
export const Incident = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  kind: IncidentKind,
  severity: IncidentSeverity,
  title: z.string(),
  occurredAt: Timestamp,
  place: z.string().nullable(),
  status: IncidentStatus,
  /** A drill (演练, issue 8): escalates like a real one; left out of every real statistic. */
  drill: z.boolean(),
  filedAt: Timestamp,
  filedByName: z.string().nullable(),
  /** The highest level reached so far. */
  currentLevel: z.object({
    id: z.number().int(),
    position: z.number().int(),
    unitId: z.number().int(),
    unitName: z.string(),
    state: LevelState,
    deadline: Timestamp.nullable(),
  }),
  /** The level its severity requires it to reach. */
  topLevel: z.object({ position: z.number().int(), unitId: z.number().int(), unitName: z.string() }),
  /** Until the current level's deadline (negative: overdue); null when the current level is not waiting. */
  timeLeftMs: z.number().int().nullable(),
  /** The current level is waiting and its deadline has come. */
  overdue: z.boolean(),
  skippedLevels: z.number().int(),
  abilities: IncidentAbilities,
});
export type Incident = z.infer<typeof Incident>;
export const IncidentPage = pageOf(Incident);
export type IncidentPage = z.infer<typeof IncidentPage>;

export const IncidentPerson = z.object({
  personId: z.number().int(),
  name: z.string(),
  unitName: z.string(),
  involvement: Involvement,
  note: z.string().nullable(),
});

export const InstructionAck = z.object({
  levelId: z.number().int(),
  position: z.number().int(),
  unitName: z.string(),
  byName: z.string().nullable(),
  at: Timestamp,
  note: z.string().nullable(),
});

export const IncidentInstruction = z.object({
  id: z.number().int(),
  fromLevelId: z.number().int(),
  fromPosition: z.number().int(),
  fromUnitName: z.string(),
  text: z.string(),
  byName: z.string().nullable(),
  at: Timestamp,
  acks: z.array(InstructionAck),
  /** The levels below the sender that have not acknowledged it yet. */
  pendingLevelIds: z.array(z.number().int()),
  /** Whether the actor may acknowledge it for some lower level. */
  canAcknowledge: z.boolean(),
});
export type IncidentInstruction = z.infer<typeof IncidentInstruction>;

export const IncidentEventDetail = z.object({
  via: DeliveryRoute.optional(),
  /** The names of the people told (a delivery, an alert). */
  recipients: z.array(z.string()).optional(),
  /** The position an escalation passed the incident to. */
  toPosition: z.number().int().optional(),
  instructionId: z.number().int().optional(),
  /** Plan events (issue 8). */
  planId: z.number().int().optional(),
  runId: z.number().int().optional(),
  version: z.number().int().optional(),
  stepKey: z.string().optional(),
  taskId: z.number().int().optional(),
});

export const IncidentEvent = z.object({
  id: z.number().int(),
  kind: IncidentEventKind,
  levelId: z.number().int().nullable(),
  levelPosition: z.number().int().nullable(),
  unitName: z.string().nullable(),
  /** null: the system (an escalation job). */
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  at: Timestamp,
  note: z.string().nullable(),
  detail: IncidentEventDetail,
});
export type IncidentEvent = z.infer<typeof IncidentEvent>;

export const IncidentTimeline = z.object({ incidentId: z.number().int(), events: z.array(IncidentEvent) });
export type IncidentTimeline = z.infer<typeof IncidentTimeline>;

export const IncidentDetail = Incident.extend({
  description: z.string(),
  resolution: z.string().nullable(),
  resolvedAt: Timestamp.nullable(),
  resolvedByName: z.string().nullable(),
  review: z.string().nullable(),
  closedAt: Timestamp.nullable(),
  closedByName: z.string().nullable(),
  /** Whether closing needs a review (critical and major). */
  reviewRequired: z.boolean(),
  levels: z.array(IncidentLevel),
  people: z.array(IncidentPerson),
  instructions: z.array(IncidentInstruction),
  events: z.array(IncidentEvent),
});
export type IncidentDetail = z.infer<typeof IncidentDetail>;

// ── live ─────────────────────────────────────────────────────────────────────────────────────────

export const IncidentStreamQuery = z.strictObject({ unitId: Id.optional() });
/** The `incident` event of the stream: something changed on this incident; fetch it again. */
export const IncidentChanged = z.object({
  incidentId: z.number().int(),
  event: IncidentEventKind,
  status: IncidentStatus,
  at: Timestamp,
});
export type IncidentChanged = z.infer<typeof IncidentChanged>;

// ── settings ─────────────────────────────────────────────────────────────────────────────────────

/** How high a severity must go: 'root' (the organisation's root unit: the group's command office), or that many levels above the incident's unit (0: the unit itself; capped at the root). */
export const IncidentReach = z.union([z.literal('root'), z.number().int().min(0).max(20)]);
export type IncidentReach = z.infer<typeof IncidentReach>;

export const IncidentSettings = z.strictObject({
  reach: z.strictObject({ critical: IncidentReach, major: IncidentReach, serious: IncidentReach, general: IncidentReach }),
});
export type IncidentSettings = z.infer<typeof IncidentSettings>;

export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = { reach: { critical: 'root', major: 2, serious: 1, general: 0 } };
