import { z } from 'zod';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/** Where a person is today: at work, working from home, on leave, on a trip, in quarantine. */
export const LOCATIONS = ['at_work', 'remote', 'leave', 'trip', 'quarantine'] as const;
export const Location = z.enum(LOCATIONS);

/** The accepted range of a body temperature, and the threshold from which it is abnormal. */
export const TEMPERATURE_MIN = 34.0;
export const TEMPERATURE_MAX = 43.0;
export const FEVER_FROM = 37.3;

export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'must be a real day');

const temperatureRange = `must be between ${TEMPERATURE_MIN.toFixed(1)} and ${TEMPERATURE_MAX.toFixed(1)} °C`;
const Temperature = z.number().min(TEMPERATURE_MIN, temperatureRange).max(TEMPERATURE_MAX, temperatureRange);
const Symptom = Name(40);
/** The symptoms the phone offers, sent as these codes; anything else a person types ("other") is sent as their own words. */
export const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_taste_smell', 'shortness_of_breath', 'diarrhoea'] as const;

/**
 * A check-in for today (or `day`, while that day is not locked): either the full answers, or
 * `sameAsYesterday: true` (copy the previous day's answers). `personId` names someone else (a
 * liaison checking in on their behalf).
 */
export const CheckinSubmit = z
  .strictObject({
    personId: Id.optional(),
    /** The day the check-in is for (default today): a phone sends the day it was filled in, so a check-in queued offline lands on its own day or is refused once that day is locked. */
    day: Day.optional(),
    sameAsYesterday: z.literal(true).optional(),
    temperature: Temperature.optional(),
    symptoms: z.array(Symptom).max(20).optional(),
    location: Location.optional(),
    city: Name(50).optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .superRefine((v, ctx) => {
    const answers = (['temperature', 'symptoms', 'location', 'city', 'note'] as const).filter((k) => v[k] !== undefined);
    if (v.sameAsYesterday) {
      for (const k of answers) ctx.addIssue({ code: 'custom', path: [k], message: 'not allowed with sameAsYesterday' });
      return;
    }
    for (const k of ['temperature', 'symptoms', 'location', 'city'] as const) if (v[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'required' });
  });
export type CheckinSubmit = z.infer<typeof CheckinSubmit>;

export const Checkin = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  unitId: z.number().int(),
  day: z.string(),
  temperature: z.number(),
  symptoms: z.array(z.string()),
  location: Location,
  city: z.string(),
  note: z.string().nullable(),
  abnormal: z.boolean(),
  onTime: z.boolean(),
  /** The user who checked in for the person, or null when the person did it. */
  onBehalfOfUserId: z.number().int().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Checkin = z.infer<typeof Checkin>;

/** A check-in in a unit's list: with whose it is. */
export const CheckinListItem = Checkin.extend({ personName: z.string(), employeeNo: z.string(), unitName: z.string() });
export const CheckinPage = pageOf(CheckinListItem);

export const CheckinListQuery = z.strictObject({ unitId: Id.optional(), day: Day.optional(), ...Page });
export const MyCheckins = z.object({ items: z.array(Checkin) });

export const RollupQuery = z.strictObject({ unitId: Id, day: Day.optional() });
export const RollupFigures = z.object({
  headcount: z.number().int(),
  checkedIn: z.number().int(),
  notYet: z.number().int(),
  normal: z.number().int(),
  abnormal: z.number().int(),
  quarantine: z.number().int(),
  trip: z.number().int(),
  onTime: z.number().int(),
});
export type RollupFigures = z.infer<typeof RollupFigures>;
export const RollupUnit = RollupFigures.extend({ id: z.number().int(), name: z.string(), hasChildren: z.boolean() });
/** The unit's own people (`unit`), each child's whole subtree (`children`), and the unit's whole subtree (`total`). */
export const CheckinRollup = z.object({ day: z.string(), unit: RollupUnit, children: z.array(RollupUnit), total: RollupFigures });
export type CheckinRollup = z.infer<typeof CheckinRollup>;

export const NonReporterQuery = z.strictObject({ unitId: Id, day: Day.optional(), ...Page });
export const NonReporter = z.object({
  personId: z.number().int(),
  name: z.string(),
  employeeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  phone: z.string().nullable(), // masked for roles without people.phone
});
export const NonReporterPage = pageOf(NonReporter);
