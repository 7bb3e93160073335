import { z } from 'zod';
import { Day } from './health.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/** planned: reported, not started; away: started, no return yet; returned; cancelled before it started. */
export const TRIP_STATUSES = ['planned', 'away', 'returned', 'cancelled'] as const;
export const TripStatus = z.enum(TRIP_STATUSES);
export const RISK_LEVELS = ['medium', 'high'] as const;
export const RiskLevel = z.enum(RISK_LEVELS);

const City = Name(50);
const District = Name(50);
const Purpose = Name(200);

/** end ≥ start, reported on the later field (the one to correct). */
function endNotBeforeStart<T extends Record<string, unknown>>(startKey: keyof T & string, endKey: keyof T & string) {
  return (v: T, ctx: z.RefinementCtx) => {
    const a = v[startKey];
    const b = v[endKey];
    if (typeof a === 'string' && typeof b === 'string' && b < a) ctx.addIssue({ code: 'custom', path: [endKey], message: `must not be before ${startKey}` });
  };
}

/** A trip report: one's own, or `personId` for a liaison reporting on someone's behalf. */
export const TripCreate = z
  .strictObject({
    personId: Id.optional(),
    city: City,
    district: District.nullable().optional(),
    startOn: Day,
    endOn: Day,
    purpose: Purpose,
  })
  .superRefine(endNotBeforeStart('startOn', 'endOn'));
export type TripCreate = z.infer<typeof TripCreate>;

/** Changes to a trip that has not started; days are checked against the stored ones too. */
export const TripPatch = z
  .strictObject({
    city: City.optional(),
    district: District.nullable().optional(),
    startOn: Day.optional(),
    endOn: Day.optional(),
    purpose: Purpose.optional(),
  })
  .superRefine(endNotBeforeStart('startOn', 'endOn'));
export type TripPatch = z.infer<typeof TripPatch>;

export const TripReturn = z.strictObject({ day: Day });

export const RiskAreaBrief = z.object({ id: z.number().int(), city: z.string(), district: z.string().nullable(), level: RiskLevel });

export const Trip = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  unitId: z.number().int(),
  city: z.string(),
  district: z.string().nullable(),
  startOn: z.string(),
  endOn: z.string(),
  purpose: z.string(),
  /** As of today: a planned trip whose start day has come is away. */
  status: TripStatus,
  returnedOn: z.string().nullable(),
  /** Away past the planned last day with no return reported. */
  overdue: z.boolean(),
  /** The risk area that opened a health watch for this trip, if any. */
  watchAreaId: z.number().int().nullable(),
  /** The user who reported for the person, or null when the person did it. */
  reportedByUserId: z.number().int().nullable(),
  /** The destination's most severe area on the list today, or null. */
  riskNow: RiskAreaBrief.nullable(),
  /** What the caller may do with it today. */
  abilities: z.object({ edit: z.boolean(), cancel: z.boolean(), reportReturn: z.boolean() }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Trip = z.infer<typeof Trip>;

export const MyTrips = z.object({ items: z.array(Trip) });

export const TripListItem = Trip.extend({ personName: z.string(), employeeNo: z.string(), unitName: z.string() });
export const TripPage = pageOf(TripListItem);
export const TripListQuery = z.strictObject({ unitId: Id.optional(), status: TripStatus.optional(), destination: City.optional(), ...Page });

export const AwayQuery = z.strictObject({ unitId: Id, day: Day.optional(), ...Page });
export const AwayPerson = z.object({
  tripId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  phone: z.string().nullable(), // masked for roles without people.phone
  city: z.string(),
  district: z.string().nullable(),
  startOn: z.string(),
  endOn: z.string(),
  overdue: z.boolean(),
});
export const AwayPage = pageOf(AwayPerson).extend({ day: z.string() });

export const ByDestinationQuery = z
  .strictObject({ unitId: Id, from: Day.optional(), to: Day.optional() })
  .superRefine(endNotBeforeStart('from', 'to'));
export const DestinationCount = z.object({
  city: z.string(),
  trips: z.number().int(),
  people: z.number().int(),
  /** Of those trips, how many are away today. */
  awayNow: z.number().int(),
  riskNow: RiskLevel.nullable(),
});
export const ByDestination = z.object({ from: z.string(), to: z.string(), items: z.array(DestinationCount) });

// ── risk areas ───────────────────────────────────────────────────────────────────────────────────

export const RiskAreaCreate = z
  .strictObject({
    city: City,
    district: District.nullable().optional(),
    level: RiskLevel,
    validFrom: Day,
    validUntil: Day.nullable().optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .superRefine(endNotBeforeStart('validFrom', 'validUntil'));
export type RiskAreaCreate = z.infer<typeof RiskAreaCreate>;

export const RiskAreaPatch = z
  .strictObject({
    city: City.optional(),
    district: District.nullable().optional(),
    level: RiskLevel.optional(),
    validFrom: Day.optional(),
    validUntil: Day.nullable().optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .superRefine(endNotBeforeStart('validFrom', 'validUntil'));
export type RiskAreaPatch = z.infer<typeof RiskAreaPatch>;

/** Take an area off the list: `lastDay` is its last day on it (default today, so today's travellers still count). */
export const RiskAreaEnd = z.strictObject({ lastDay: Day.optional() });

export const RiskArea = z.object({
  id: z.number().int(),
  city: z.string(),
  district: z.string().nullable(),
  level: RiskLevel,
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  note: z.string().nullable(),
  /** On the list today. */
  active: z.boolean(),
  createdByUserId: z.number().int().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type RiskArea = z.infer<typeof RiskArea>;
/**
 * A created or corrected area, with how many returns within the watch period it reaches (not yet
 * watched): a job opens their watches within moments.
 */
export const RiskAreaWritten = RiskArea.extend({ returnsToWatch: z.number().int() });
export type RiskAreaWritten = z.infer<typeof RiskAreaWritten>;

export const RiskAreaListQuery = z.strictObject({ on: Day.optional(), all: z.enum(['true', 'false']).optional(), city: City.optional() });
export const RiskAreaList = z.object({ items: z.array(RiskArea), abilities: z.object({ write: z.boolean() }) });
