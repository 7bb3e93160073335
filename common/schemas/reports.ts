import { z } from 'zod';
import { Day } from './health.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Reports up (汇报 / 报送): the command office asks units for a situation report with a small form,
 * once (with a deadline) or daily (due at a time of the deployment's day); each occurrence is a
 * round, and each target unit submits once per round. The form's rules live here, so the console
 * checks an answer exactly as the server does.
 */

export const REPORT_FIELD_TYPES = ['short_text', 'long_text', 'integer', 'decimal', 'yes_no', 'choice'] as const;
export type ReportFieldType = (typeof REPORT_FIELD_TYPES)[number];

export const MAX_REPORT_FIELDS = 30;
export const MAX_REPORT_UNITS = 5000;
export const SHORT_TEXT_MAX = 200;
export const LONG_TEXT_MAX = 5000;
/** Decimals are kept to this many places: a report's figures are counts and rates, not measurements. */
export const DECIMAL_PLACES = 4;

/** A field key: what an answer is filed under. Stable across label edits and both languages. */
export const FieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a-z, 0-9 or _, starting with a letter, at most 40');

export const ReportField = z
  .strictObject({
    key: FieldKey,
    label: Name(100),
    type: z.enum(REPORT_FIELD_TYPES),
    required: z.boolean().default(false),
    /** The list to choose one of: only for `choice`, 2 to 50 distinct entries. */
    options: z.array(Name(100)).max(50).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.type === 'choice') {
      if (!f.options || f.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a choice needs at least 2 options' });
      else if (new Set(f.options).size !== f.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must be distinct' });
    } else if (f.options !== undefined) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only a choice field has options' });
  });
export type ReportField = z.infer<typeof ReportField>;

/** Which units are asked: the listed ones, every child of a unit, or every unit `depth` levels below one. */
export const ReportTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('units'), unitIds: z.array(Id).min(1).max(500) }),
  z.strictObject({ kind: z.literal('children'), unitId: Id }),
  z.strictObject({ kind: z.literal('depth'), unitId: Id, depth: z.number().int().min(1).max(10) }),
]);
export type ReportTarget = z.infer<typeof ReportTarget>;

/** 'HH:MM', 00:00-23:59, in the deployment's time zone. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00-23:59)');
export const minutesOf = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
export const timeOfMinutes = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Once, due at an instant; or daily, each day's round due at a time of the deployment's day. */
export const ReportSchedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('once'), deadline: Timestamp }),
  /** `until`: the day of the last round (the request then closes itself); absent: until closed by hand. */
  z.strictObject({ kind: z.literal('daily'), dueAt: TimeOfDay, until: Day.optional() }),
]);
export type ReportSchedule = z.infer<typeof ReportSchedule>;

export const ReportRequestCreate = z
  .strictObject({
    title: Name(200),
    instructions: z.string().trim().max(2000).optional(),
    fields: z.array(ReportField).min(1).max(MAX_REPORT_FIELDS),
    target: ReportTarget,
    schedule: ReportSchedule,
    /** How long before a round's deadline the units that have not submitted are reminded; 0: never. */
    remindBeforeMinutes: z.number().int().min(0).max(24 * 60).default(60),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.fields.forEach((f, i) => {
      if (typeof f?.key !== 'string') return;
      if (seen.has(f.key)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: 'keys must be distinct' });
      seen.add(f.key);
    });
  });
export type ReportRequestCreate = z.infer<typeof ReportRequestCreate>;

export const REPORT_REQUEST_STATUSES = ['open', 'closed'] as const;

export const ReportRequestAbilities = z.object({
  /** Close the request (stop a schedule): directives.write over every target unit. */
  close: z.boolean(),
  /** Submit for at least one of its units (tasks.work over it). */
  submit: z.boolean(),
});

export const ReportRequest = z.object({
  id: z.number().int(),
  title: z.string(),
  instructions: z.string().nullable(),
  fields: z.array(ReportField),
  schedule: ReportSchedule,
  remindBeforeMinutes: z.number().int(),
  status: z.enum(REPORT_REQUEST_STATUSES),
  /** How many units are asked; `units` names those the actor can see, the first 50 in tree order (a round lists them all). */
  unitCount: z.number().int(),
  units: z.array(z.object({ id: z.number().int(), name: z.string() })),
  createdAt: Timestamp,
  createdBy: z.string().nullable(),
  closedAt: Timestamp.nullable(),
  /** The newest round, when there is one. */
  latestRound: z.object({ id: z.number().int(), day: z.string(), deadline: Timestamp }).nullable(),
  abilities: ReportRequestAbilities,
});
export type ReportRequest = z.infer<typeof ReportRequest>;

export const ReportRequestListQuery = z.strictObject({ status: z.enum(REPORT_REQUEST_STATUSES).optional(), ...Page });
export const ReportRequestPage = pageOf(ReportRequest);

/** Counts of a round over the target units the actor can see. */
export const RoundCounts = z.object({
  units: z.number().int(),
  /** Submitted by the deadline. */
  onTime: z.number().int(),
  /** Submitted after the deadline. */
  late: z.number().int(),
  /** Not submitted, deadline still ahead. */
  pending: z.number().int(),
  /** Not submitted, deadline passed. */
  missing: z.number().int(),
});
export type RoundCounts = z.infer<typeof RoundCounts>;

export const ReportRoundSummary = z.object({
  id: z.number().int(),
  requestId: z.number().int(),
  day: z.string(),
  openedAt: Timestamp,
  deadline: Timestamp,
  remindedAt: Timestamp.nullable(),
  counts: RoundCounts,
});
export const ReportRoundPage = pageOf(ReportRoundSummary);
export const RoundListQuery = z.strictObject({ ...Page });

export const SUBMISSION_STATES = ['on_time', 'late', 'pending', 'missing'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/** An answer as stored and shown: text, a number, yes/no, or nothing for an optional field left empty. */
export const AnswerValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type AnswerValue = z.infer<typeof AnswerValue>;

/** One target unit's row of a round: its state and, once submitted, its answers. */
export const RoundUnitRow = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  state: z.enum(SUBMISSION_STATES),
  submittedAt: Timestamp.nullable(),
  updatedAt: Timestamp.nullable(),
  submittedBy: z.string().nullable(),
  answers: z.record(z.string(), AnswerValue).nullable(),
  /** Whether the actor may submit (or correct) for this unit now. */
  canSubmit: z.boolean(),
});
export type RoundUnitRow = z.infer<typeof RoundUnitRow>;

/** A round side by side: the request's form and one row per target unit the actor can see. */
export const ReportRoundView = z.object({
  round: ReportRoundSummary,
  request: ReportRequest,
  rows: z.array(RoundUnitRow),
});
export type ReportRoundView = z.infer<typeof ReportRoundView>;

export const SubmissionCreate = z.strictObject({
  unitId: Id,
  /** Keyed by field key. Checked against the request's form (validateAnswers): errors name `answers.<key>`. */
  answers: z.record(z.string().max(40), z.unknown()),
});
export type SubmissionCreate = z.infer<typeof SubmissionCreate>;

export const Submission = z.object({
  roundId: z.number().int(),
  unitId: z.number().int(),
  answers: z.record(z.string(), AnswerValue),
  submittedAt: Timestamp,
  updatedAt: Timestamp,
  late: z.boolean(),
});
export type Submission = z.infer<typeof Submission>;

/** A round a unit is asked to fill in: not submitted yet, or submitted and still correctable. */
export const ToSubmitItem = z.object({
  roundId: z.number().int(),
  requestId: z.number().int(),
  title: z.string(),
  instructions: z.string().nullable(),
  fields: z.array(ReportField),
  day: z.string(),
  deadline: Timestamp,
  unitId: z.number().int(),
  unitName: z.string(),
  state: z.enum(SUBMISSION_STATES),
  answers: z.record(z.string(), AnswerValue).nullable(),
  submittedAt: Timestamp.nullable(),
});
export type ToSubmitItem = z.infer<typeof ToSubmitItem>;
export const ToSubmitPage = pageOf(ToSubmitItem);
export const ToSubmitQuery = z.strictObject({ ...Page });

// ── the form's rules, shared by server and console ────────────────────────────────────────────────

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** One answer against its field: the stored value, or the message naming what is wrong. */
export function checkAnswer(f: ReportField, raw: unknown): { value: AnswerValue } | { error: string } {
  if (isBlank(raw)) return f.required ? { error: 'required' } : { value: null };
  switch (f.type) {
    case 'short_text':
    case 'long_text': {
      if (typeof raw !== 'string') return { error: 'must be text' };
      const s = raw.trim();
      const max = f.type === 'short_text' ? SHORT_TEXT_MAX : LONG_TEXT_MAX;
      if (s.length > max) return { error: `at most ${max} characters` };
      if (f.type === 'short_text' ? /[\u0000-\u001f\u007f]/.test(s) : /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) return { error: 'must not contain control characters' };
      return { value: s };
    }
    case 'integer': {
      // A number typed in a box arrives as text from some clients: accept '12' as 12, not '12abc'.
      const n = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return { error: 'must be a whole number' };
      return { value: n };
    }
    case 'decimal': {
      const n = typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > 1e12) return { error: 'must be a number' };
      const scaled = n * 10 ** DECIMAL_PLACES;
      if (Math.abs(scaled - Math.round(scaled)) > 1e-6) return { error: `at most ${DECIMAL_PLACES} decimal places` };
      return { value: n };
    }
    case 'yes_no':
      if (typeof raw !== 'boolean') return { error: 'must be yes or no' };
      return { value: raw };
    case 'choice':
      if (typeof raw !== 'string' || !(f.options ?? []).includes(raw)) return { error: 'must be one of the options' };
      return { value: raw };
  }
}

/**
 * A submission's answers against the form: the values to store (every field present, empty
 * optional ones as null), or the errors keyed `answers.<key>` — a key not on the form included.
 */
export function validateAnswers(fields: readonly ReportField[], answers: Record<string, unknown>): { values: Record<string, AnswerValue> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const values: Record<string, AnswerValue> = {};
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(answers)) if (!known.has(key)) errors[`answers.${key}`] = 'not a field of this form';
  for (const f of fields) {
    const out = checkAnswer(f, answers[f.key]);
    if ('error' in out) errors[`answers.${f.key}`] = out.error;
    else values[f.key] = out.value;
  }
  return Object.keys(errors).length ? { errors } : { values };
}
