import { z } from 'zod';
import { isValidTimeZone } from '../day.js';
import { LongText } from './directives.js';
import { Day } from './health.js';
import { Id, Page, Timestamp, pageOf } from './shared.js';

/**
 * Care cases (关爱帮扶): a person receiving support in a situation (quarantine, front-line duty, an
 * overseas post, illness in the family), the needs on the case and the care actions taken, the
 * suggestions the system makes from what it already knows, and the help people ask for from the
 * phone. Times are epoch milliseconds; days are 'YYYY-MM-DD' in the deployment's zone. The rules
 * behind these shapes are in docs/care.md.
 *
 * Routes (all under /api/v1; permission over the person's current unit in brackets). Every read of
 * a case (one case, and each list page) writes an audit row.
 *
 *   GET   /care/cases?unitId=&status=&kind=&mine=&uncontacted=&q=   cases of a subtree, least recently contacted first [care.read] → CareCasePage
 *   POST  /care/cases                          open a case by hand (source hand)                   [care.write; Idempotency-Key] CareCaseCreate → CareCaseDetail (201)
 *   GET   /care/cases/:id                      one case: needs, actions (counselling notes to their writer only) [care.read] → CareCaseDetail
 *   PATCH /care/cases/:id                      change kind, days, time zone, reassign the officer   [care.write] CareCaseUpdate → CareCaseDetail
 *   POST  /care/cases/:id/close                close with an outcome                                [care.write] CareCaseClose → CareCaseDetail
 *   GET   /care/cases/:id/officers             who may be the case's care officer (care.write over its unit) [care.write] → CareOfficerList
 *   POST  /care/cases/:id/needs                add a need (one per kind while not met/declined)     [care.write] CareNeedCreate → CareCaseDetail
 *   PATCH /care/cases/:id/needs/:needId        move a need's state, change its note                 [care.write] CareNeedUpdate → CareCaseDetail
 *   POST  /care/cases/:id/actions              record a care action (counselling note encrypted)    [care.write; Idempotency-Key] CareActionCreate → CareCaseDetail (201)
 *   GET   /care/suggestions?unitId=            suggested cases, computed live                       [care.write] → CareSuggestionList
 *   POST  /care/suggestions/open               open the suggested case (source suggestion)          [care.write; Idempotency-Key] CareSuggestionOpen → CareCaseDetail (201)
 *   POST  /care/suggestions/dismiss            stop suggesting this one                             [care.write] CareSuggestionDismiss → Ok
 *   GET   /care/requests?unitId=&status=&q=    help asked for from the phone                        [care.read] → CareRequestPage
 *   POST  /care/requests/:id/open-case         turn a request into a case (source request) with its need [care.write] CareRequestOpenCase → CareCaseDetail (201)
 *   POST  /care/requests/:id/add-to-case       turn a request into a need on the person's open case [care.write] CareRequestAddToCase → CareCaseDetail
 *   POST  /care/requests/:id/decline           answer a request without a case                      [care.write] CareRequestDecline → CareRequest
 *   GET   /care/board?unitId=                  the board: per unit below, open cases by kind, needs not met, last contact, uncontacted [care.read] → CareBoard
 *   GET   /care/figures?unitId=                counts only, for the command office and supervisors  [care.figures] → CareFigures
 *   GET   /me/care                             the signed-in person's own cases and requests        [a user linked to a person] → MyCare
 *   POST  /me/care-requests                    ask for help                                         [a user linked to a person; Idempotency-Key] MyCareRequestCreate → CareRequest (201)
 */

// ── enums ────────────────────────────────────────────────────────────────────────────────────────

export const CARE_KINDS = ['centralised_quarantine', 'home_quarantine', 'front_line', 'overseas_post', 'family_illness', 'other'] as const;
export const CareKind = z.enum(CARE_KINDS);
export type CareKind = z.infer<typeof CareKind>;
export const CARE_KIND_LABELS: Record<CareKind, { zh: string; en: string }> = {
  centralised_quarantine: { zh: '集中隔离', en: 'Centralised quarantine' },
  home_quarantine: { zh: '居家隔离', en: 'Home quarantine' },
  front_line: { zh: '一线值守', en: 'Front-line duty' },
  overseas_post: { zh: '海外派驻', en: 'Overseas post' },
  family_illness: { zh: '家属患病', en: 'Illness in the family' },
  other: { zh: '其他', en: 'Other' },
};

export const CARE_STATUSES = ['open', 'closed'] as const;
export const CareStatus = z.enum(CARE_STATUSES);
export type CareStatus = z.infer<typeof CareStatus>;

/** How the case came to be: by hand, from a suggestion, from a person's request, from an emergency plan. */
export const CARE_SOURCES = ['hand', 'suggestion', 'request', 'plan'] as const;
export const CareSource = z.enum(CARE_SOURCES);
export type CareSource = z.infer<typeof CareSource>;

export const CARE_OUTCOMES = ['resolved', 'returned_to_work', 'recovered', 'transferred', 'other'] as const;
export const CareOutcome = z.enum(CARE_OUTCOMES);
export type CareOutcome = z.infer<typeof CareOutcome>;
export const CARE_OUTCOME_LABELS: Record<CareOutcome, { zh: string; en: string }> = {
  resolved: { zh: '困难已解决', en: 'Resolved' },
  returned_to_work: { zh: '已返岗', en: 'Returned to work' },
  recovered: { zh: '已康复', en: 'Recovered' },
  transferred: { zh: '已转交', en: 'Transferred' },
  other: { zh: '其他', en: 'Other' },
};

export const CARE_NEED_KINDS = ['supplies', 'financial', 'psychological', 'medical', 'family'] as const;
export const CareNeedKind = z.enum(CARE_NEED_KINDS);
export type CareNeedKind = z.infer<typeof CareNeedKind>;
export const CARE_NEED_LABELS: Record<CareNeedKind, { zh: string; en: string }> = {
  supplies: { zh: '生活物资', en: 'Supplies' },
  financial: { zh: '经济帮扶', en: 'Financial support' },
  psychological: { zh: '心理疏导', en: 'Psychological support' },
  medical: { zh: '就医协助', en: 'Medical' },
  family: { zh: '家庭照顾', en: 'Family' },
};

/** A need is "not met" while open or in progress. */
export const CARE_NEED_STATES = ['open', 'in_progress', 'met', 'declined'] as const;
export const CareNeedState = z.enum(CARE_NEED_STATES);
export type CareNeedState = z.infer<typeof CareNeedState>;

export const CARE_ACTION_KINDS = ['call', 'visit', 'delivery', 'allowance', 'counselling'] as const;
export const CareActionKind = z.enum(CARE_ACTION_KINDS);
export type CareActionKind = z.infer<typeof CareActionKind>;
export const CARE_ACTION_LABELS: Record<CareActionKind, { zh: string; en: string }> = {
  call: { zh: '电话慰问', en: 'Call' },
  visit: { zh: '上门走访', en: 'Visit' },
  delivery: { zh: '物资配送', en: 'Delivery' },
  allowance: { zh: '发放补助', en: 'Allowance paid' },
  counselling: { zh: '心理疏导', en: 'Counselling session' },
};

/** What a suggestion comes from. */
export const CARE_SIGNALS = ['health_watch', 'quarantine_checkin', 'trip', 'overseas_tag', 'front_line_tag'] as const;
export const CareSignal = z.enum(CARE_SIGNALS);
export type CareSignal = z.infer<typeof CareSignal>;

export const CARE_REQUEST_STATUSES = ['open', 'case_opened', 'added_to_case', 'declined'] as const;
export const CareRequestStatus = z.enum(CARE_REQUEST_STATUSES);
export type CareRequestStatus = z.infer<typeof CareRequestStatus>;

/** An IANA time zone (the overseas person's local time), e.g. 'Europe/Berlin'. */
export const TimeZone = z.string().trim().min(1).max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin');

const Note = LongText(2000);

// ── cases ────────────────────────────────────────────────────────────────────────────────────────

export const CareAbilities = z.object({
  /** Add needs and actions, change the case. */
  write: z.boolean(),
  close: z.boolean(),
  reassign: z.boolean(),
});
export type CareAbilities = z.infer<typeof CareAbilities>;

export const CareCase = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  employeeNo: z.string(),
  /** The person's current unit (scope follows it). */
  unitId: z.number().int(),
  unitName: z.string(),
  kind: CareKind,
  status: CareStatus,
  source: CareSource,
  startsOn: Day,
  expectedEnd: Day.nullable(),
  careOfficerUserId: z.number().int().nullable(),
  careOfficerName: z.string().nullable(),
  /** The person's local zone (overseas posts); null: the deployment's zone. */
  timeZone: z.string().nullable(),
  /** What the opener wrote about the situation. */
  note: z.string().nullable(),
  outcome: CareOutcome.nullable(),
  outcomeNote: z.string().nullable(),
  openedAt: Timestamp,
  closedAt: Timestamp.nullable(),
  /** The latest care action's time; null: never contacted. */
  lastContactAt: Timestamp.nullable(),
  /** When the next contact falls due (care.contact_days after the last contact, else the opening); null once closed. */
  contactDueAt: Timestamp.nullable(),
  /** Open and past its contact due time. */
  uncontacted: z.boolean(),
  /** Needs open or in progress. */
  needsOpen: z.number().int(),
  abilities: CareAbilities,
});
export type CareCase = z.infer<typeof CareCase>;

export const CareNeed = z.object({
  id: z.number().int(),
  kind: CareNeedKind,
  state: CareNeedState,
  note: z.string().nullable(),
  /** The request it came from, if any. */
  requestId: z.number().int().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  updatedByName: z.string().nullable(),
});
export type CareNeed = z.infer<typeof CareNeed>;

export const CareAction = z.object({
  id: z.number().int(),
  kind: CareActionKind,
  /** When it took place. */
  at: Timestamp,
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  /** The note; for a counselling session only to its writer and the person, else null with noteHidden. */
  note: z.string().nullable(),
  noteHidden: z.boolean(),
  createdAt: Timestamp,
});
export type CareAction = z.infer<typeof CareAction>;

export const CareCaseDetail = CareCase.extend({
  needs: z.array(CareNeed),
  /** Newest first. */
  actions: z.array(CareAction),
  /** The care.contact_days measure in force at the person's unit. */
  contactDays: z.number().int(),
});
export type CareCaseDetail = z.infer<typeof CareCaseDetail>;

export const CareCasePage = pageOf(CareCase);
export type CareCasePage = z.infer<typeof CareCasePage>;

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const CareCaseListQuery = z.strictObject({
  unitId: Id.optional(),
  /** Default open. */
  status: CareStatus.default('open'),
  kind: CareKind.optional(),
  /** Only the actor's own cases (as care officer). */
  mine: boolQuery.optional(),
  /** Only open cases past their contact due time. */
  uncontacted: boolQuery.optional(),
  /** Name or employee number. */
  q: z.string().trim().min(1).max(50).optional(),
  ...Page,
});

export const CareCaseCreate = z.strictObject({
  personId: Id,
  kind: CareKind,
  /** Default today. */
  startsOn: Day.optional(),
  expectedEnd: Day.nullable().optional(),
  /** Default the opener; must hold care.write over the person's unit. */
  careOfficerUserId: Id.optional(),
  timeZone: TimeZone.nullable().optional(),
  /** Needs to open with the case. */
  needs: z.array(CareNeedKind).max(5).optional(),
  note: Note.optional(),
});
export type CareCaseCreate = z.infer<typeof CareCaseCreate>;

export const CareCaseUpdate = z
  .strictObject({
    kind: CareKind.optional(),
    startsOn: Day.optional(),
    expectedEnd: Day.nullable().optional(),
    careOfficerUserId: Id.optional(),
    timeZone: TimeZone.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type CareCaseUpdate = z.infer<typeof CareCaseUpdate>;

export const CareCaseClose = z.strictObject({ outcome: CareOutcome, note: Note.optional() });
export type CareCaseClose = z.infer<typeof CareCaseClose>;

export const CareNeedCreate = z.strictObject({ kind: CareNeedKind, state: CareNeedState.default('open'), note: Note.optional() });
export type CareNeedCreate = z.infer<typeof CareNeedCreate>;

export const CareNeedUpdate = z
  .strictObject({ state: CareNeedState.optional(), note: Note.nullable().optional() })
  .refine((v) => v.state !== undefined || v.note !== undefined, 'nothing to change');
export type CareNeedUpdate = z.infer<typeof CareNeedUpdate>;

export const CareNeedParams = z.strictObject({ id: Id, needId: Id });

export const CareActionCreate = z.strictObject({
  kind: CareActionKind,
  /** When it took place; default now; never in the future. */
  at: Timestamp.optional(),
  note: Note.optional(),
});
export type CareActionCreate = z.infer<typeof CareActionCreate>;

export const CareOfficerList = z.object({ items: z.array(z.object({ userId: z.number().int(), name: z.string() })) });
export type CareOfficerList = z.infer<typeof CareOfficerList>;

// ── suggestions ──────────────────────────────────────────────────────────────────────────────────

export const CareSuggestion = z.object({
  /** Stable for the same signal: what open and dismiss take. */
  key: z.string(),
  signal: CareSignal,
  personId: z.number().int(),
  personName: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  /** The kind of case it proposes. */
  kind: CareKind,
  /** Since when the signal holds (watch start, check-in day, trip start), as a day; null for a tag. */
  since: Day.nullable(),
});
export type CareSuggestion = z.infer<typeof CareSuggestion>;

export const CareSuggestionList = z.object({ items: z.array(CareSuggestion), total: z.number().int() });
export type CareSuggestionList = z.infer<typeof CareSuggestionList>;

export const CareSuggestionQuery = z.strictObject({ unitId: Id.optional() });

export const SuggestionKey = z.string().trim().min(3).max(80).regex(/^[a-z_]+:\d+(:[\w-]+)?$/, 'not a suggestion key');

export const CareSuggestionOpen = z.strictObject({
  key: SuggestionKey,
  /** Default the proposed kind. */
  kind: CareKind.optional(),
  careOfficerUserId: Id.optional(),
  timeZone: TimeZone.nullable().optional(),
});
export type CareSuggestionOpen = z.infer<typeof CareSuggestionOpen>;

export const CareSuggestionDismiss = z.strictObject({ key: SuggestionKey });

// ── requests (求助) ──────────────────────────────────────────────────────────────────────────────

export const CareRequest = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  needKind: CareNeedKind,
  note: z.string().nullable(),
  status: CareRequestStatus,
  caseId: z.number().int().nullable(),
  createdAt: Timestamp,
  handledAt: Timestamp.nullable(),
  handledByName: z.string().nullable(),
  /** The answer when declined. */
  answer: z.string().nullable(),
});
export type CareRequest = z.infer<typeof CareRequest>;

export const CareRequestPage = pageOf(CareRequest);
export type CareRequestPage = z.infer<typeof CareRequestPage>;

export const CareRequestListQuery = z.strictObject({
  unitId: Id.optional(),
  status: CareRequestStatus.default('open'),
  /** Name or employee number. */
  q: z.string().trim().min(1).max(50).optional(),
  ...Page,
});

export const MyCareRequestCreate = z.strictObject({ needKind: CareNeedKind, note: Note.optional() });
export type MyCareRequestCreate = z.infer<typeof MyCareRequestCreate>;

export const CareRequestOpenCase = z.strictObject({
  kind: CareKind,
  startsOn: Day.optional(),
  expectedEnd: Day.nullable().optional(),
  careOfficerUserId: Id.optional(),
  timeZone: TimeZone.nullable().optional(),
});
export type CareRequestOpenCase = z.infer<typeof CareRequestOpenCase>;

/** The person's open case to add the need to; may be left out when they have exactly one. */
export const CareRequestAddToCase = z.strictObject({ caseId: Id.optional() });
export const CareRequestDecline = z.strictObject({ answer: Note });

// ── board and figures ────────────────────────────────────────────────────────────────────────────

export const CareCounts = z.object({
  openCases: z.number().int(),
  byKind: z.object(Object.fromEntries(CARE_KINDS.map((k) => [k, z.number().int()])) as Record<CareKind, z.ZodNumber>),
  needsOpen: z.number().int(),
  uncontacted: z.number().int(),
  requestsOpen: z.number().int(),
});
export type CareCounts = z.infer<typeof CareCounts>;

export const CareUnitCounts = z.object({ unitId: z.number().int(), unitName: z.string(), counts: CareCounts });

/** Counts for the unit's subtree and for each child unit's subtree (the unit's own people are in `total` only when they sit on it directly: see `own`). */
export const CareFigures = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  total: CareCounts,
  /** People sitting on the unit itself, not below it. */
  own: CareCounts,
  children: z.array(CareUnitCounts),
});
export type CareFigures = z.infer<typeof CareFigures>;

export const CareFiguresQuery = z.strictObject({ unitId: Id.optional() });

export const CareBoardRow = CareUnitCounts.extend({ lastContactAt: Timestamp.nullable() });
export const CareBoard = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  total: CareBoardRow,
  own: CareBoardRow,
  children: z.array(CareBoardRow),
});
export type CareBoard = z.infer<typeof CareBoard>;

// ── the person's own (mobile 求助) ───────────────────────────────────────────────────────────────

export const MyCareCase = CareCase.omit({ abilities: true, employeeNo: true }).extend({
  needs: z.array(CareNeed),
  actions: z.array(CareAction),
});
export type MyCareCase = z.infer<typeof MyCareCase>;

export const MyCare = z.object({
  /** Open cases first, then the closed ones of the last 90 days. */
  cases: z.array(MyCareCase),
  /** Newest first, the last 50. */
  requests: z.array(CareRequest),
});
export type MyCare = z.infer<typeof MyCare>;
