import { z } from 'zod';
import { Id, Page, pageOf } from './shared.js';
import { Checkin, Day } from './health.js';

/** Data-quality flags: who in a subtree has check-ins that look unreal over the last days. */
export const QualityQuery = z.strictObject({ unitId: Id, day: Day.optional(), ...Page });

export const QualityReason = z.discriminatedUnion('code', [
  /** Same answers at the same minute of the day for `days` days running. */
  z.object({ code: z.literal('identical_streak'), days: z.number().int(), minute: z.string() }),
  /** A temperature below 35.0 °C sent as "all normal" (no symptom). */
  z.object({ code: z.literal('low_temperature_normal'), day: z.string(), temperature: z.number() }),
  /** The city changed from day to day `changes` times without a trip. */
  z.object({ code: z.literal('city_hopping'), changes: z.number().int(), cities: z.array(z.string()) }),
]);
export type QualityReason = z.infer<typeof QualityReason>;
export const QUALITY_CODES = ['identical_streak', 'low_temperature_normal', 'city_hopping'] as const;

export const QualityFlag = z.object({
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  reasons: z.array(QualityReason),
});
export const QualityPage = pageOf(QualityFlag).extend({ day: z.string(), fromDay: z.string() });
export type QualityPage = z.infer<typeof QualityPage>;

/** The day's report as .xlsx: the roll-up down to `depth` levels below the unit, and the non-reporters. */
export const CheckinReportQuery = z.strictObject({ unitId: Id, day: Day.optional(), depth: z.coerce.number().int().min(0).max(10).default(2) });

/** A person's own data, as the organisation holds it. */
export const DataReportQuery = z.strictObject({ format: z.enum(['json', 'xlsx']).default('json') });

export const DataReport = z.object({
  generatedAt: z.number().int(),
  profile: z.object({
    personId: z.number().int(),
    name: z.string(),
    employeeNo: z.string(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    unitId: z.number().int(),
    unitName: z.string(),
    /** The unit's place in the tree, from the top: 集团 / 交发集团 / 运营部. */
    unitPath: z.string(),
    tags: z.array(z.string()),
    status: z.string(),
    leftOn: z.string().nullable(),
    accounts: z.array(z.object({ username: z.string(), createdAt: z.number().int(), disabled: z.boolean() })),
  }),
  /** The retention period: check-ins older than this many days have been purged. */
  retentionDays: z.number().int(),
  checkins: z.array(Checkin),
  healthWatches: z.array(
    z.object({
      id: z.number().int(),
      reason: z.string(),
      startDay: z.string(),
      endDay: z.string(),
      status: z.string(),
      outcome: z.string().nullable(),
      notes: z.array(z.object({ day: z.string(), note: z.string().nullable(), temperature: z.number().nullable() })),
    }),
  ),
  trips: z.array(
    z.object({
      id: z.number().int(),
      destinationCity: z.string(),
      destinationDistrict: z.string().nullable(),
      startOn: z.string(),
      endOn: z.string(),
      purpose: z.string(),
      status: z.string(),
      returnedOn: z.string().nullable(),
    }),
  ),
  /** Samples taken and results received in testing campaigns. */
  tests: z.array(z.object({ campaign: z.string(), day: z.string(), kind: z.enum(['sample', 'result']), result: z.string().nullable(), lab: z.string().nullable() })),
});
export type DataReport = z.infer<typeof DataReport>;
