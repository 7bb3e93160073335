import { z } from 'zod';
import { LongText, TaskStatus } from './directives.js';
import { Attachment } from './files.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Key places (重点场所), their checklists, inspections (督导检查) item by item, the findings a failed
 * item opens and their rectification (整改: a directives task of source `inspection`), and the
 * places nobody looks at (无死角: blind spots). Times are epoch milliseconds; "days" are counted in
 * the deployment's time zone. The rules behind these shapes are in docs/places.md.
 *
 * Routes (all under /api/v1; permission over the place's unit in brackets):
 *
 *   GET   /places?unitId=&kind=&risk=&q=&due=&archived=   places of a subtree, due first when due=true [places.read]    → PlacePage
 *   POST  /places                                 register a key place (default checklist if none)  [places.write]   PlaceCreate → PlaceDetail (201)
 *   GET   /places/blind-spots?unitId=             overdue or never inspected, or without a responsible person [places.read] → BlindSpotList
 *   GET   /places/:id                             one place: its current checklist, abilities       [places.read]    → PlaceDetail
 *   PATCH /places/:id                             change name, kind, address, risk, responsible, frequency [places.write] PlaceUpdate → PlaceDetail
 *   POST  /places/:id/archive                     archive (kept for history; no longer due)         [places.write]   → PlaceDetail
 *   POST  /places/:id/checklist                   add a checklist item (at the end, or at `position`) [places.write] ChecklistItemCreate → PlaceDetail
 *   PATCH /places/:id/checklist/:itemId           rename, move or retire an item                    [places.write]   ChecklistItemUpdate → PlaceDetail
 *   GET   /places/:id/history                     inspections (items, photos) and findings (task state, deadline), newest first [places.read] → PlaceHistory
 *   POST  /places/:id/inspections                 record an inspection; failed items open findings + rectification tasks [places.inspect] InspectionCreate → Inspection (201)
 *   GET   /inspections/:id                        one inspection with its items and photos          [places.read, or its inspector] → Inspection
 *   GET   /findings?unitId=&status=&placeId=      findings of a subtree, oldest open first          [places.read]    → FindingPage
 *   GET   /findings/:id                           one finding with its failures and its task        [places.read]    → Finding
 *   GET   /me/inspectable-places?q=               places the actor may inspect, due first (the phone) [places.inspect anywhere] → InspectablePlaceList
 *
 * The rectification task itself is read, completed (with a photo) and listed under 我的任务 through
 * the tasks routes (/api/v1/tasks/:id, /me/tasks); its ordinary verify answers 409: a re-inspection
 * of the place verifies it.
 */

// ── enums ────────────────────────────────────────────────────────────────────────────────────────

/** What kind of site it is. Labels: PLACE_KIND_LABELS. */
export const PLACE_KINDS = ['terminal', 'depot', 'station', 'canteen', 'office_building', 'dormitory', 'construction_site', 'other'] as const;
export const PlaceKind = z.enum(PLACE_KINDS);
export type PlaceKind = z.infer<typeof PlaceKind>;
export const PLACE_KIND_LABELS: Record<PlaceKind, { zh: string; en: string }> = {
  terminal: { zh: '客运站 / 航站楼', en: 'Terminal' },
  depot: { zh: '车场 / 场站', en: 'Depot' },
  station: { zh: '站点', en: 'Station' },
  canteen: { zh: '食堂', en: 'Canteen' },
  office_building: { zh: '办公楼', en: 'Office building' },
  dormitory: { zh: '宿舍', en: 'Dormitory' },
  construction_site: { zh: '建筑工地', en: 'Construction site' },
  other: { zh: '其他', en: 'Other' },
};

/** Most risky first. */
export const RISK_LEVELS = ['high', 'medium', 'low'] as const;
export const RiskLevel = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof RiskLevel>;
export const RISK_LEVEL_LABELS: Record<RiskLevel, { zh: string; en: string }> = {
  high: { zh: '高', en: 'High' },
  medium: { zh: '中', en: 'Medium' },
  low: { zh: '低', en: 'Low' },
};

/** The checklist a place gets when it is registered without one (the server stores the Chinese text). */
export const DEFAULT_CHECKLIST: readonly { zh: string; en: string }[] = [
  { zh: '通风', en: 'Ventilation' },
  { zh: '消毒记录', en: 'Disinfection log' },
  { zh: '测温点', en: 'Temperature checkpoint' },
  { zh: '人员密集处佩戴口罩', en: 'Masks in crowded areas' },
];

/** An item's result in an inspection: passed, failed (a note is required; opens or adds to a finding), not applicable. */
export const ITEM_RESULTS = ['passed', 'failed', 'not_applicable'] as const;
export const ItemResult = z.enum(ITEM_RESULTS);
export type ItemResult = z.infer<typeof ItemResult>;

/**
 * A finding's life: open (its rectification task is not done) → fixed (the task is done: awaiting
 * re-inspection) → verified (a later inspection passed the item; the task is verified with it).
 * A re-inspection that fails the item again keeps the same finding (back to open if it was fixed).
 */
export const FINDING_STATUSES = ['open', 'fixed', 'verified'] as const;
export const FindingStatus = z.enum(FINDING_STATUSES);
export type FindingStatus = z.infer<typeof FindingStatus>;

/** Why a place is a blind spot: its inspection is overdue, it was never inspected and is due, it has no responsible person. */
export const BLIND_SPOT_REASONS = ['overdue', 'never_inspected', 'no_responsible'] as const;
export const BlindSpotReason = z.enum(BLIND_SPOT_REASONS);
export type BlindSpotReason = z.infer<typeof BlindSpotReason>;

/** Limits. */
export const MAX_CHECKLIST_ITEMS = 50;
export const MIN_FREQUENCY_DAYS = 1;
export const MAX_FREQUENCY_DAYS = 90;
export const MAX_INSPECTION_PHOTOS = 20;

const uniqueIds = (max: number) =>
  z
    .array(Id)
    .max(max)
    .refine((a) => new Set(a).size === a.length, 'must not repeat an id');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

// ── requests ─────────────────────────────────────────────────────────────────────────────────────

const ChecklistText = Name(200);

/** POST /places. `checklist` omitted: DEFAULT_CHECKLIST; given: at least one item, no repeats. */
export const PlaceCreate = z.strictObject({
  unitId: Id,
  name: Name(200),
  kind: PlaceKind,
  address: Name(300).optional(),
  risk: RiskLevel,
  /** A person of the place's unit subtree; none: the place is a blind spot until one is named. */
  responsiblePersonId: Id.optional(),
  /** How often it must be inspected, in days (1–90). */
  frequencyDays: z.number().int().min(MIN_FREQUENCY_DAYS).max(MAX_FREQUENCY_DAYS),
  checklist: z
    .array(ChecklistText)
    .min(1)
    .max(MAX_CHECKLIST_ITEMS)
    .refine((a) => new Set(a).size === a.length, 'must not repeat an item')
    .optional(),
});
export type PlaceCreate = z.infer<typeof PlaceCreate>;

/** PATCH /places/:id. `responsiblePersonId: null` removes the responsible person (the place becomes a blind spot). The unit does not change. */
export const PlaceUpdate = z
  .strictObject({
    name: Name(200).optional(),
    kind: PlaceKind.optional(),
    address: Name(300).nullable().optional(),
    risk: RiskLevel.optional(),
    responsiblePersonId: Id.nullable().optional(),
    frequencyDays: z.number().int().min(MIN_FREQUENCY_DAYS).max(MAX_FREQUENCY_DAYS).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type PlaceUpdate = z.infer<typeof PlaceUpdate>;

/** POST /places/:id/checklist. `position`: 1-based among the current items; default the end. */
export const ChecklistItemCreate = z.strictObject({ text: ChecklistText, position: z.number().int().min(1).max(MAX_CHECKLIST_ITEMS).optional() });
export type ChecklistItemCreate = z.infer<typeof ChecklistItemCreate>;

/** PATCH /places/:id/checklist/:itemId. Renaming keeps the item's history (past inspections keep the text they were made against); retiring removes it from future inspections. */
export const ChecklistItemUpdate = z
  .strictObject({
    text: ChecklistText.optional(),
    position: z.number().int().min(1).max(MAX_CHECKLIST_ITEMS).optional(),
    retired: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type ChecklistItemUpdate = z.infer<typeof ChecklistItemUpdate>;
export const ChecklistItemParams = z.strictObject({ id: Id, itemId: Id });

export const PlaceListQuery = z.strictObject({
  /** That unit's subtree; default the actor's whole places.read scope. */
  unitId: Id.optional(),
  kind: PlaceKind.optional(),
  risk: RiskLevel.optional(),
  /** In the name or the address. */
  q: z.string().trim().max(100).optional(),
  /** Only places due for inspection now (nextDueAt passed), most overdue first. */
  due: bool.optional(),
  /** true: archived places only; default: active places only. */
  archived: bool.optional(),
  ...Page,
});
export type PlaceListQuery = z.input<typeof PlaceListQuery>;

/** One checklist item's answer. `note` is required when failed. `photoIds`: uploads (POST /files) of the inspector, not yet linked. */
export const InspectionItemInput = z.strictObject({
  itemId: Id,
  result: ItemResult,
  note: LongText(1000).optional(),
  photoIds: uniqueIds(MAX_INSPECTION_PHOTOS).default([]),
});
export type InspectionItemInput = z.infer<typeof InspectionItemInput>;

/**
 * POST /places/:id/inspections. Every current checklist item must be answered, once (the error
 * names the missing ones). `rectifyBy`: the deadline of the rectification tasks a failed item
 * opens; default the end of the next day in the deployment's time zone; must be in the future.
 */
export const InspectionCreate = z.strictObject({
  items: z
    .array(InspectionItemInput)
    .min(1)
    .max(MAX_CHECKLIST_ITEMS)
    .refine((a) => new Set(a.map((i) => i.itemId)).size === a.length, 'must not answer an item twice'),
  note: LongText(2000).optional(),
  photoIds: uniqueIds(MAX_INSPECTION_PHOTOS).default([]),
  rectifyBy: Timestamp.optional(),
});
export type InspectionCreate = z.infer<typeof InspectionCreate>;

export const FindingListQuery = z.strictObject({
  unitId: Id.optional(),
  placeId: Id.optional(),
  status: FindingStatus.optional(),
  ...Page,
});
export type FindingListQuery = z.input<typeof FindingListQuery>;

export const BlindSpotQuery = z.strictObject({ unitId: Id.optional() });
export const InspectableQuery = z.strictObject({ q: z.string().trim().max(100).optional() });

// ── answers ──────────────────────────────────────────────────────────────────────────────────────

/** What the actor may do to a place (the UI shows only these). */
export const PlaceAbilities = z.object({ edit: z.boolean(), inspect: z.boolean(), archive: z.boolean() });
export type PlaceAbilities = z.infer<typeof PlaceAbilities>;

/** A place as lists show it. */
export const Place = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  name: z.string(),
  kind: PlaceKind,
  address: z.string().nullable(),
  risk: RiskLevel,
  responsiblePersonId: z.number().int().nullable(),
  responsibleName: z.string().nullable(),
  frequencyDays: z.number().int(),
  lastInspectedAt: Timestamp.nullable(),
  /** The start of the day the next inspection is due (the last one's day + frequency, or the registration day when never inspected); null when archived. */
  nextDueAt: Timestamp.nullable(),
  /** nextDueAt has passed. */
  due: z.boolean(),
  /** Findings not yet verified (open or fixed). */
  openFindings: z.number().int(),
  archivedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  abilities: PlaceAbilities,
});
export type Place = z.infer<typeof Place>;
export const PlacePage = pageOf(Place);
export type PlacePage = z.infer<typeof PlacePage>;

export const ChecklistItem = z.object({
  id: z.number().int(),
  /** 1-based order among the current items; retired items keep their last position. */
  position: z.number().int(),
  text: z.string(),
  retiredAt: Timestamp.nullable(),
  /** A finding on this item is not yet verified. */
  openFinding: z.boolean(),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const PlaceDetail = Place.extend({
  /** Current items first in order, then retired ones. */
  checklist: z.array(ChecklistItem),
  updatedAt: Timestamp,
});
export type PlaceDetail = z.infer<typeof PlaceDetail>;

export const InspectionItem = z.object({
  itemId: z.number().int(),
  /** The item's text when the inspection was made. */
  text: z.string(),
  position: z.number().int(),
  result: ItemResult,
  note: z.string().nullable(),
  photos: z.array(Attachment),
  /** The finding this failure opened or was recorded on; or that this pass verified. */
  findingId: z.number().int().nullable(),
});
export type InspectionItem = z.infer<typeof InspectionItem>;

export const Inspection = z.object({
  id: z.number().int(),
  placeId: z.number().int(),
  placeName: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  inspectorUserId: z.number().int().nullable(),
  inspectorName: z.string().nullable(),
  inspectedAt: Timestamp,
  note: z.string().nullable(),
  passed: z.number().int(),
  failed: z.number().int(),
  notApplicable: z.number().int(),
  items: z.array(InspectionItem),
  photos: z.array(Attachment),
  /** Findings opened by this inspection (new ones only). */
  openedFindingIds: z.array(z.number().int()),
  /** Findings this inspection verified. */
  verifiedFindingIds: z.array(z.number().int()),
});
export type Inspection = z.infer<typeof Inspection>;

/** One failure of an item recorded on a finding (the first opened it). */
export const FindingFailure = z.object({ inspectionId: z.number().int(), at: Timestamp, note: z.string().nullable(), inspectorName: z.string().nullable() });

/** The rectification task of a finding, as the tasks module reports it. */
export const FindingTask = z.object({
  id: z.number().int(),
  status: TaskStatus,
  deadline: Timestamp,
  overdue: z.boolean(),
  responsiblePersonId: z.number().int(),
  responsibleName: z.string(),
  completedAt: Timestamp.nullable(),
  verifiedAt: Timestamp.nullable(),
});
export type FindingTask = z.infer<typeof FindingTask>;

export const Finding = z.object({
  id: z.number().int(),
  placeId: z.number().int(),
  placeName: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  itemId: z.number().int(),
  /** The item's text when the finding was opened. */
  itemText: z.string(),
  status: FindingStatus,
  /** The latest failure's note. */
  note: z.string().nullable(),
  openedAt: Timestamp,
  openedByInspectionId: z.number().int(),
  /** How many inspections failed the item while this finding was open. */
  failureCount: z.number().int(),
  lastFailedAt: Timestamp,
  fixedAt: Timestamp.nullable(),
  verifiedAt: Timestamp.nullable(),
  verifiedByInspectionId: z.number().int().nullable(),
  task: FindingTask,
  failures: z.array(FindingFailure),
});
export type Finding = z.infer<typeof Finding>;
export const FindingPage = pageOf(Finding);
export type FindingPage = z.infer<typeof FindingPage>;

/** GET /places/:id/history: all of it, newest first. */
export const PlaceHistory = z.object({
  place: PlaceDetail,
  inspections: z.array(Inspection),
  findings: z.array(Finding),
});
export type PlaceHistory = z.infer<typeof PlaceHistory>;

/** A place nobody is looking at (无死角). A place may be listed for several reasons at once. */
export const BlindSpot = z.object({
  placeId: z.number().int(),
  placeName: z.string(),
  kind: PlaceKind,
  risk: RiskLevel,
  unitId: z.number().int(),
  unitName: z.string(),
  reasons: z.array(BlindSpotReason),
  responsiblePersonId: z.number().int().nullable(),
  responsibleName: z.string().nullable(),
  frequencyDays: z.number().int(),
  lastInspectedAt: Timestamp.nullable(),
  nextDueAt: Timestamp,
  /** Whole days in the deployment's zone past the due day (≥ 1 when overdue or never inspected: the due day ended without an inspection); 0 when only the responsible person is missing. */
  daysOverdue: z.number().int(),
});
export type BlindSpot = z.infer<typeof BlindSpot>;
/** Most overdue first; `total` counts every blind spot, `items` is capped at 500. */
export const BlindSpotList = z.object({ items: z.array(BlindSpot), total: z.number().int() });
export type BlindSpotList = z.infer<typeof BlindSpotList>;

/** A place on the phone's inspection list. */
export const InspectablePlace = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: PlaceKind,
  risk: RiskLevel,
  unitId: z.number().int(),
  unitName: z.string(),
  address: z.string().nullable(),
  lastInspectedAt: Timestamp.nullable(),
  nextDueAt: Timestamp,
  due: z.boolean(),
  openFindings: z.number().int(),
  /** Current checklist items. */
  itemCount: z.number().int(),
});
export type InspectablePlace = z.infer<typeof InspectablePlace>;
/** Due first (most overdue first), then by next due; capped at 200. */
export const InspectablePlaceList = z.object({ items: z.array(InspectablePlace) });
export type InspectablePlaceList = z.infer<typeof InspectablePlaceList>;
