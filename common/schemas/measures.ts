import { z } from 'zod';
import { MEASURE_KEYS } from '../measures.catalogue.js';
import { Day } from './health.js';
import { Id, Page, Timestamp, pageOf } from './shared.js';

/** Measures (防控措施): the catalogue, a unit's register, changes, exceptions and history. */

const Localized = z.object({ 'zh-CN': z.string(), en: z.string() });
/** A value in the API's form: a number, or 'HH:MM' for a time of day. Checked against its measure by the service. */
export const MeasureValue = z.union([z.number(), z.string().max(5)]);
export type MeasureValue = z.infer<typeof MeasureValue>;

export const MeasureKeyParams = z.strictObject({
  id: Id,
  key: z.string().refine((k) => MEASURE_KEYS.includes(k), 'no such measure'),
});

export const MeasureType = z.object({
  key: z.string(),
  name: Localized,
  unit: Localized.nullable(),
  valueType: z.enum(['integer', 'decimal', 'time']),
  stricter: z.enum(['lower', 'higher']),
  min: MeasureValue,
  max: MeasureValue,
  default: MeasureValue,
  usedBy: z.string(),
});
export const MeasureTypeList = z.object({ items: z.array(MeasureType) });

const Reason = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

/** Set a unit's own value from a day (default today); a stricter-than-parent value needs `reason`. */
export const MeasureSet = z.strictObject({
  value: MeasureValue,
  effectiveFrom: Day.optional(),
  reason: Reason.optional(),
});
export type MeasureSet = z.infer<typeof MeasureSet>;

/** Remove a unit's own value from a day (default today): from then on it inherits again. */
export const MeasureRemove = z.strictObject({ effectiveFrom: Day.optional(), reason: Reason.optional() });
export type MeasureRemove = z.infer<typeof MeasureRemove>;

export const RegisterQuery = z.strictObject({ day: Day.optional() });

export const EXCEPTION_STATUSES = ['pending', 'approved', 'refused', 'withdrawn'] as const;
export const ExceptionStatus = z.enum(EXCEPTION_STATUSES);
export const CHANGE_STATUSES = ['set', ...EXCEPTION_STATUSES] as const;
export const ChangeStatus = z.enum(CHANGE_STATUSES);

export const Person = z.object({ userId: z.number().int(), name: z.string() });

/** One change a unit made to a measure (a value or a removal from a day), with its decision if it was an exception. */
export const MeasureChange = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  key: z.string(),
  /** null: a removal (the unit inherits again from effectiveFrom). */
  value: MeasureValue.nullable(),
  effectiveFrom: z.string(),
  status: ChangeStatus,
  reason: z.string().nullable(),
  /** The parent's effective value it was compared with when made; null at a root. */
  parentValue: MeasureValue.nullable(),
  requestedBy: Person.nullable(),
  requestedAt: Timestamp,
  decidedBy: Person.nullable(),
  decidedAt: Timestamp.nullable(),
  /** The day an approval counts from (or a refusal / withdrawal took effect). */
  decidedDay: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type MeasureChange = z.infer<typeof MeasureChange>;

/** The outcome of a set or remove: the change, and what now applies on its effective day. */
export const MeasureChangeResult = z.object({
  change: MeasureChange,
  /** true when the value is stricter than the parent's and waits for the parent level's approval. */
  needsApproval: z.boolean(),
});

/** Where the value in force comes from. */
export const MeasureSource = z.object({
  kind: z.enum(['default', 'own', 'inherited', 'exception']),
  /** The unit whose value applies (null: the built-in default). */
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  /** For an approved exception (here or inherited): who approved it, when. */
  approvedBy: Person.nullable(),
  approvedAt: Timestamp.nullable(),
  changeId: z.number().int().nullable(),
});

/** One line of a unit's register: a measure, what applies, where from, and the unit's own pending or unapproved value. */
export const RegisterEntry = z.object({
  key: z.string(),
  value: MeasureValue,
  source: MeasureSource,
  /** What the parent level requires (its effective value); at a root, the built-in default. */
  parentValue: MeasureValue,
  /** The unit's own value that day, when it has one, and how it stands. */
  own: z
    .object({
      changeId: z.number().int(),
      value: MeasureValue,
      effectiveFrom: z.string(),
      state: z.enum(['applies', 'pending', 'not_approved']),
      vsParent: z.enum(['stricter', 'equal', 'looser']),
    })
    .nullable(),
  /** The unit's request awaiting approval (when it is not already its own value that day), if any. */
  pending: MeasureChange.nullable(),
  /** The next change already made at this unit for a later day (a value or a removal), if any. */
  scheduled: MeasureChange.nullable(),
  abilities: z.object({ set: z.boolean(), remove: z.boolean() }),
});
export type RegisterEntry = z.infer<typeof RegisterEntry>;

export const Register = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  isRoot: z.boolean(),
  day: z.string(),
  items: z.array(RegisterEntry),
});
export type Register = z.infer<typeof Register>;

/** A period over which one value applied at the unit. */
export const HistorySpan = z.object({
  from: z.string(),
  /** The last day of the span; null: still applies. */
  to: z.string().nullable(),
  value: MeasureValue,
  source: MeasureSource,
});

export const MeasureHistory = z.object({
  unitId: z.number().int(),
  key: z.string(),
  /** What applied, span by span, from the first change along the chain (or `from`) on. */
  spans: z.array(HistorySpan),
  /** Every change made at this unit and its ancestors to this measure, newest first. */
  changes: z.array(MeasureChange),
});
export type MeasureHistory = z.infer<typeof MeasureHistory>;

export const HistoryQuery = z.strictObject({ from: Day.optional() });

export const ExceptionListQuery = z.strictObject({
  unitId: Id.optional(),
  status: ExceptionStatus.optional(),
  key: z.string().refine((k) => MEASURE_KEYS.includes(k), 'no such measure').optional(),
  ...Page,
});

export const ExceptionItem = MeasureChange.extend({
  parentUnitId: z.number().int().nullable(),
  parentUnitName: z.string().nullable(),
  abilities: z.object({ approve: z.boolean(), refuse: z.boolean() }),
});
export type ExceptionItem = z.infer<typeof ExceptionItem>;
export const ExceptionPage = pageOf(ExceptionItem);

export const ExceptionApprove = z.strictObject({ note: Reason.optional() });
/** A refusal says why: the requester and the supervision view read it. */
export const ExceptionRefuse = z.strictObject({ note: Reason });

