import { z } from 'zod';
import { daysFrom } from '../day.js';
import { GroupRef } from './groups.js';
import { Day } from './health.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/** Testing campaigns (核酸检测): who is due, samples, results and progress by unit. */

export const CAMPAIGN_STATUSES = ['open', 'closed'] as const;
export const TEST_RESULTS = ['negative', 'positive', 'invalid'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];
export const SAMPLE_VIA = ['self', 'liaison', 'scan'] as const;

/** The longest campaign: mass testing is a round of days, not a standing programme. */
export const MAX_CAMPAIGN_DAYS = 31;


/**
 * Start a campaign. Target: `unitIds` (each one's whole subtree) and/or `tags` (only people with
 * one of them), or instead `groupId`, a key group (its units within the actor's campaigns.write
 * scope, and its tags). No unit means the whole of the actor's campaigns.write scope.
 */
export const CampaignCreate = z
  .strictObject({
    name: Name(100),
    startDay: Day,
    endDay: Day,
    unitIds: z.array(Id).max(200).default([]),
    tags: z.array(Name(40)).max(20).default([]),
    /** A key group (重点人群) instead of unitIds/tags. */
    groupId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.groupId !== undefined && (v.unitIds.length > 0 || v.tags.length > 0)) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'give groupId or unitIds/tags, not both' });
    // Only two real days can be compared; a bad one has its own issue already.
    if (!Day.safeParse(v.startDay).success || !Day.safeParse(v.endDay).success) return;
    if (v.endDay < v.startDay) ctx.addIssue({ code: 'custom', path: ['endDay'], message: 'must not be before startDay' });
    else if (daysFrom(v.startDay, v.endDay) + 1 > MAX_CAMPAIGN_DAYS) ctx.addIssue({ code: 'custom', path: ['endDay'], message: `a campaign lasts at most ${MAX_CAMPAIGN_DAYS} days` });
  });
export type CampaignCreate = z.infer<typeof CampaignCreate>;

export const CampaignAbilities = z.object({
  /** Close the campaign and import the lab's results (campaigns.write over every target unit). */
  close: z.boolean(),
  importResults: z.boolean(),
  /** Tick or scan people of the campaign (health.write somewhere in it). */
  recordSamples: z.boolean(),
});

export const Campaign = z.object({
  id: z.number().int(),
  name: z.string(),
  startDay: z.string(),
  endDay: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  tags: z.array(z.string()),
  /** The target units the actor can see (a campaign may reach beyond the actor's scope). */
  units: z.array(z.object({ id: z.number().int(), name: z.string() })),
  /** The key group the target was chosen by, if any. */
  group: GroupRef.nullable(),
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
  abilities: CampaignAbilities,
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignListQuery = z.strictObject({ status: z.enum(CAMPAIGN_STATUSES).optional(), ...Page });
export const CampaignPage = pageOf(Campaign);

export const CampaignUnitQuery = z.strictObject({ unitId: Id });
export const ProgressFigures = z.object({
  due: z.number().int(),
  sampled: z.number().int(),
  resulted: z.number().int(),
  positive: z.number().int(),
  /** Due and not yet sampled. */
  pending: z.number().int(),
});
export type ProgressFigures = z.infer<typeof ProgressFigures>;
export const ProgressUnit = ProgressFigures.extend({ id: z.number().int(), name: z.string(), hasChildren: z.boolean() });
/** The unit's own people (`unit`), each child's whole subtree that has anyone due (`children`), and the whole subtree (`total`). */
export const CampaignProgress = z.object({ campaignId: z.number().int(), unit: ProgressUnit, children: z.array(ProgressUnit), total: ProgressFigures });
export type CampaignProgress = z.infer<typeof CampaignProgress>;

export const PendingQuery = z.strictObject({ unitId: Id, ...Page });
export const PendingPerson = z.object({
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  phone: z.string().nullable(), // masked for roles without people.phone
});
export const PendingPage = pageOf(PendingPerson);

/** The person's testing code as printed or scanned: letters and digits, any grouping. */
export const TestingCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z\s-]+$/, 'must be a testing code (letters and digits)');

/**
 * Record a sample: nothing (one's own), `personId` (a liaison's tick) or `code` (a scan of the
 * person's testing code). At most one of the two.
 */
export const SampleRecord = z
  .strictObject({ personId: Id.optional(), code: TestingCode.optional() })
  .superRefine((v, ctx) => {
    if (v.personId !== undefined && v.code !== undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'give personId or code, not both' });
  });
export type SampleRecord = z.infer<typeof SampleRecord>;

export const Sample = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  employeeNo: z.string(),
  day: z.string(),
  takenAt: Timestamp,
  via: z.enum(SAMPLE_VIA),
});

/** A campaign the signed-in person is due in, with their code. */
export const MyCampaign = z.object({
  id: z.number().int(),
  name: z.string(),
  startDay: z.string(),
  endDay: z.string(),
  /** The person's testing code for this campaign: shown as a QR code and as text. */
  code: z.string(),
  sampledToday: z.boolean(),
  sampledAt: Timestamp.nullable(),
  result: z.enum(TEST_RESULTS).nullable(),
});
export const MyCampaigns = z.object({ items: z.array(MyCampaign) });

// ── results import ──────────────────────────────────────────────────────────────────────────────

/** Columns of the lab's results sheet (docs/health.md): headers in Chinese or English. */
export const RESULT_COLUMNS = [
  { key: 'employeeNo', zh: '工号', aliases: ['employeeno', 'employee_no', '员工编号', '员工号', '编号'] },
  { key: 'result', zh: '检测结果', aliases: ['result', '结果', '核酸结果'] },
  { key: 'sampleDay', zh: '采样日期', aliases: ['sampleday', 'sample_day', 'sampledate', '采样时间', '日期'] },
  { key: 'lab', zh: '检测机构', aliases: ['lab', '机构', '检测单位', '实验室'] },
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number]['key'];

/** How a lab writes each result. */
export const RESULT_WORDS: Record<string, TestResult> = {
  阴性: 'negative',
  阳性: 'positive',
  无效: 'invalid',
  negative: 'negative',
  positive: 'positive',
  invalid: 'invalid',
};

export const ResultImportQuery = z.strictObject({
  // A dry run is the default: writing must be asked for explicitly.
  dryRun: z.enum(['true', 'false']).default('true'),
});

export const ResultRowReason = z.object({
  /** The column to blame, as headed in the file; null when the row as a whole is at fault. */
  column: z.string().nullable(),
  /** Stable code for translation: required, invalid, unknown_person, not_due, duplicate_in_file, outside_campaign. */
  code: z.string(),
  message: z.string(),
});

export const ResultRow = z.object({
  row: z.number().int(),
  employeeNo: z.string(),
  action: z.enum(['create', 'update', 'unchanged', 'reject']),
  result: z.enum(TEST_RESULTS).nullable(),
  reasons: z.array(ResultRowReason),
});
export type ResultRow = z.infer<typeof ResultRow>;

export const ResultImportPlan = z.object({
  dryRun: z.boolean(),
  fileName: z.string(),
  sha256: z.string(),
  summary: z.object({
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    /** Positive results this import adds or changes to positive: each opens a health watch. */
    positive: z.number().int(),
  }),
  /** Rejected rows first; a big file's answer leaves unchanged rows out (see rowsOmitted). */
  rows: z.array(ResultRow),
  rowsOmitted: z.number().int(),
});
export type ResultImportPlan = z.infer<typeof ResultImportPlan>;
