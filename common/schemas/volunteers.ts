import { z } from 'zod';
import { LongText } from './directives.js';
import { Day } from './health.js';
import { Id, Name, Page, Timestamp, pageOf } from './shared.js';

/**
 * Front-line volunteers (党员先锋队 / 青年突击队, issue 8): the pool of people who signed up with
 * their tags, the posts that need people (a checkpoint at a key place, a testing site, delivery to
 * quarantined colleagues), the posts' shifts and the volunteers assigned to them, a unit's request
 * to the pool for people, who is on shift now and the hours each volunteer has served. Times are
 * epoch milliseconds; days are counted in the deployment's time zone. Rules: docs/volunteers.md.
 *
 * A volunteer's unit is their person's unit (moving the person moves them); a post's unit is the
 * post's own. Out of the actor's scope reads as 404 (or a 400 naming the field in a body).
 *
 * Routes (all under /api/v1; permission over the volunteer's / post's unit in brackets):
 *
 *   GET    /volunteers?unitId=&tag=&skill=&q=&left=        the pool of a subtree            [volunteers.read]  → VolunteerPage
 *   POST   /volunteers                                     add a person to the pool (consent noted) [volunteers.write] VolunteerCreate → Volunteer (201; Idempotency-Key)
 *   GET    /volunteers/now?unitId=                         volunteers on shift now, per post [volunteers.read]  → OnShiftNow
 *   GET    /volunteers/hours?unitId=&from=&to=             hours served (finished shifts) per volunteer over days [volunteers.read] → HoursReport
 *   GET    /volunteers/:id                                 one volunteer                     [volunteers.read]  → Volunteer
 *   PATCH  /volunteers/:id                                 change tags, skills, availability [volunteers.write] VolunteerUpdate → Volunteer
 *   POST   /volunteers/:id/leave                           take out of the pool (future assignments dropped) [volunteers.write] → Volunteer
 *   GET    /me/volunteer                                   my volunteer profile (or null) and my shifts (the phone) [signed in, with a person] → MyVolunteer
 *   PUT    /me/volunteer                                   sign up / update my profile (rejoins after leaving) [signed in, with a person] MySignUp → MyVolunteer
 *   POST   /me/volunteer/leave                             leave the pool                    [signed in]        → MyVolunteer
 *   GET    /volunteer-posts?unitId=&kind=&active=          posts of a subtree                [volunteers.read]  → PostPage
 *   POST   /volunteer-posts                                create a post at a unit (optionally at a key place) [volunteers.write] PostCreate → Post (201; Idempotency-Key)
 *   GET    /volunteer-posts/:id                            one post                          [volunteers.read]  → Post
 *   PATCH  /volunteer-posts/:id                            change a post                     [volunteers.write] PostUpdate → Post
 *   GET    /volunteer-posts/:id/shifts?from=&to=           the post's shift grid with assignments, short shifts and gaps [volunteers.read] → ShiftGrid
 *   POST   /volunteer-posts/:id/shifts                     add one shift                     [volunteers.write] ShiftCreate → Shift (201)
 *   POST   /volunteer-posts/:id/shifts/generate            lay shifts over days by pattern (duty.pattern's slots) [volunteers.write] ShiftPattern → ShiftList (201)
 *   DELETE /volunteer-shifts/:id                           remove a shift with nobody assigned (409 otherwise) [volunteers.write] → Ok
 *   POST   /volunteer-shifts/:id/assignments               assign a volunteer (409 naming an overlapping shift); with requestId answers a request [volunteers.write; for a request: volunteers.write at an ancestor] AssignmentCreate → Shift (201)
 *   DELETE /volunteer-shifts/:id/assignments/:volunteerId  unassign                          [volunteers.write] → Shift
 *   GET    /volunteer-requests?unitId=&status=             requests of a subtree, open first [volunteers.read]  → RequestPage
 *   POST   /volunteer-requests                             a unit asks the pool for people for a post [volunteers.write] RequestCreate → VolunteerRequest (201; Idempotency-Key)
 *   GET    /volunteer-requests/:id                         one request with the people assigned under it [volunteers.read] → VolunteerRequest
 *   POST   /volunteer-requests/:id/cancel                  cancel an open / partly filled request [volunteers.write] → VolunteerRequest
 */

// ── enums ────────────────────────────────────────────────────────────────────────────────────────

/** The tags the pool is filtered by besides skills. */
export const VOLUNTEER_TAGS = ['party_member', 'youth_league'] as const;
export const VolunteerTag = z.enum(VOLUNTEER_TAGS);
export type VolunteerTag = z.infer<typeof VolunteerTag>;

/** Skills the forms offer; any other short text is a skill too. */
export const SUGGESTED_SKILLS = ['驾驶', '医护', '心理', '物资搬运', '信息录入', '外语'] as const;

export const POST_KINDS = ['checkpoint', 'testing_site', 'delivery', 'other'] as const;
export const PostKind = z.enum(POST_KINDS);
export type PostKind = z.infer<typeof PostKind>;
export const POST_KIND_LABELS: Record<PostKind, { zh: string; en: string }> = {
  checkpoint: { zh: '卡口值守', en: 'Checkpoint' },
  testing_site: { zh: '核酸检测点', en: 'Testing site' },
  delivery: { zh: '物资配送', en: 'Delivery' },
  other: { zh: '其他', en: 'Other' },
};

/** A request's life: open → partly_filled → filled, or cancelled while not filled. */
export const REQUEST_STATUSES = ['open', 'partly_filled', 'filled', 'cancelled'] as const;
export const RequestStatus = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** Limits. */
export const MAX_SKILLS = 20;
export const MAX_NEEDED = 50;
export const MAX_SHIFT_HOURS = 24;
export const MAX_PATTERN_DAYS = 62;
export const MAX_HOURS_DAYS = 366;
/** Shift lengths a pattern may lay (they tile a day). */
export const PATTERN_SHIFT_HOURS = [2, 3, 4, 6, 8, 12, 24] as const;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Skill = Name(20);
const Skills = z
  .array(Skill)
  .max(MAX_SKILLS)
  .refine((a) => new Set(a).size === a.length, 'must not repeat a skill');

// ── the pool ─────────────────────────────────────────────────────────────────────────────────────

const Profile = {
  partyMember: z.boolean().default(false),
  youthLeague: z.boolean().default(false),
  skills: Skills.default([]),
  /** When they can serve, in their words (e.g. 工作日晚上、周末全天). */
  availability: Name(200).optional(),
};

/** PUT /me/volunteer: sign up (or rejoin, or update) for oneself. */
export const MySignUp = z.strictObject(Profile);
export type MySignUp = z.infer<typeof MySignUp>;

/** POST /volunteers: a unit adds one of its people, who agreed; `consentNote` says how (e.g. 本人口头同意 2026-11-24). */
export const VolunteerCreate = z.strictObject({ personId: Id, ...Profile, consentNote: Name(200) });
export type VolunteerCreate = z.infer<typeof VolunteerCreate>;

export const VolunteerUpdate = z
  .strictObject({
    partyMember: z.boolean().optional(),
    youthLeague: z.boolean().optional(),
    skills: Skills.optional(),
    availability: Name(200).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type VolunteerUpdate = z.infer<typeof VolunteerUpdate>;

export const VolunteerListQuery = z.strictObject({
  /** That unit's subtree; default the actor's whole volunteers.read scope. */
  unitId: Id.optional(),
  tag: VolunteerTag.optional(),
  /** Has this skill (exact). */
  skill: Skill.optional(),
  /** In the person's name. */
  q: z.string().trim().max(100).optional(),
  /** true: those who left; default: those in the pool. */
  left: bool.optional(),
  ...Page,
});
export type VolunteerListQuery = z.input<typeof VolunteerListQuery>;

export const VolunteerAbilities = z.object({ edit: z.boolean(), assign: z.boolean(), leave: z.boolean() });
export type VolunteerAbilities = z.infer<typeof VolunteerAbilities>;

export const Volunteer = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  partyMember: z.boolean(),
  youthLeague: z.boolean(),
  skills: z.array(z.string()),
  availability: z.string().nullable(),
  /** 'self' when they signed up on the phone; else how the unit noted their consent. */
  consentNote: z.string().nullable(),
  selfSignedUp: z.boolean(),
  joinedAt: Timestamp,
  leftAt: Timestamp.nullable(),
  abilities: VolunteerAbilities,
});
export type Volunteer = z.infer<typeof Volunteer>;
export const VolunteerPage = pageOf(Volunteer);
export type VolunteerPage = z.infer<typeof VolunteerPage>;

// ── posts ────────────────────────────────────────────────────────────────────────────────────────

/** POST /volunteer-posts. `placeId`: a key place the actor sees (places.read). Active days inclusive; `activeTo` ≥ `activeFrom`. */
export const PostCreate = z
  .strictObject({
    unitId: Id,
    placeId: Id.optional(),
    kind: PostKind,
    title: Name(200),
    /** People needed on each shift (a shift's own `needed` may differ). */
    needed: z.number().int().min(1).max(MAX_NEEDED),
    activeFrom: Day,
    activeTo: Day,
    note: LongText(1000).optional(),
  })
  .refine((v) => v.activeTo >= v.activeFrom, { path: ['activeTo'], message: 'must not be before activeFrom' });
export type PostCreate = z.infer<typeof PostCreate>;

export const PostUpdate = z
  .strictObject({
    placeId: Id.nullable().optional(),
    kind: PostKind.optional(),
    title: Name(200).optional(),
    needed: z.number().int().min(1).max(MAX_NEEDED).optional(),
    activeFrom: Day.optional(),
    activeTo: Day.optional(),
    note: LongText(1000).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type PostUpdate = z.infer<typeof PostUpdate>;

export const PostListQuery = z.strictObject({
  unitId: Id.optional(),
  kind: PostKind.optional(),
  /** true: posts whose active days include today; false: the others. */
  active: bool.optional(),
  ...Page,
});
export type PostListQuery = z.input<typeof PostListQuery>;

export const PostAbilities = z.object({ edit: z.boolean(), ask: z.boolean() });
export const Post = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  placeId: z.number().int().nullable(),
  placeName: z.string().nullable(),
  kind: PostKind,
  title: z.string(),
  needed: z.number().int(),
  activeFrom: z.string(),
  activeTo: z.string(),
  note: z.string().nullable(),
  /** Shifts from now on (started or not yet ended) with fewer people than needed. */
  shortShifts: z.number().int(),
  /** Open or partly filled requests. */
  openRequests: z.number().int(),
  createdAt: Timestamp,
  abilities: PostAbilities,
});
export type Post = z.infer<typeof Post>;
export const PostPage = pageOf(Post);
export type PostPage = z.infer<typeof PostPage>;

// ── shifts and assignments ───────────────────────────────────────────────────────────────────────

/** POST /volunteer-posts/:id/shifts. At most MAX_SHIFT_HOURS long; `needed` default the post's. */
export const ShiftCreate = z
  .strictObject({ startsAt: Timestamp, endsAt: Timestamp, needed: z.number().int().min(1).max(MAX_NEEDED).optional() })
  .refine((v) => v.endsAt > v.startsAt, { path: ['endsAt'], message: 'must be after startsAt' })
  .refine((v) => v.endsAt - v.startsAt <= MAX_SHIFT_HOURS * 3_600_000, { path: ['endsAt'], message: `a shift may last at most ${MAX_SHIFT_HOURS} hours` });
export type ShiftCreate = z.infer<typeof ShiftCreate>;

/**
 * POST /volunteer-posts/:id/shifts/generate: shifts of `shiftHours` over the local days [from, to],
 * the first of a day at `startHour`, tiling the day (the duty roster's slots, duty.pattern.ts).
 * `dayOnly`: only the slots starting between startHour and startHour + `hoursPerDay`. A slot that
 * exists already (same start and end) is kept, not repeated.
 */
export const ShiftPattern = z
  .strictObject({
    from: Day,
    to: Day,
    startHour: z.number().int().min(0).max(23).default(8),
    shiftHours: z
      .number()
      .int()
      .refine((h) => (PATTERN_SHIFT_HOURS as readonly number[]).includes(h), `must be one of ${PATTERN_SHIFT_HOURS.join(', ')}`)
      .default(4),
    /** How many hours of each day to cover from startHour (default all 24). */
    hoursPerDay: z.number().int().min(1).max(24).default(24),
    needed: z.number().int().min(1).max(MAX_NEEDED).optional(),
  })
  .refine((v) => v.to >= v.from, { path: ['to'], message: 'must not be before from' });
export type ShiftPattern = z.infer<typeof ShiftPattern>;

export const ShiftQuery = z.strictObject({
  /** Default: the post's first active day; the grid covers [from, to] local days (at most MAX_PATTERN_DAYS). */
  from: Day.optional(),
  to: Day.optional(),
});
export type ShiftQuery = z.input<typeof ShiftQuery>;

export const Assignee = z.object({
  volunteerId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  unitName: z.string(),
  partyMember: z.boolean(),
  youthLeague: z.boolean(),
  skills: z.array(z.string()),
  requestId: z.number().int().nullable(),
  assignedAt: Timestamp,
});
export type Assignee = z.infer<typeof Assignee>;

export const Shift = z.object({
  id: z.number().int(),
  postId: z.number().int(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  needed: z.number().int(),
  assignees: z.array(Assignee),
  /** Fewer assignees than needed: a gap (red in the grid). */
  short: z.boolean(),
});
export type Shift = z.infer<typeof Shift>;
export const ShiftList = z.object({ items: z.array(Shift) });
export type ShiftList = z.infer<typeof ShiftList>;

/** A stretch of [from, to) of the grid without a fully staffed shift (duty.gaps' `uncovered`). */
export const PostGap = z.object({ startsAt: Timestamp, endsAt: Timestamp });
export type PostGap = z.infer<typeof PostGap>;

export const ShiftGrid = z.object({
  post: Post,
  from: Timestamp,
  to: Timestamp,
  shifts: z.array(Shift),
  /** Stretches inside the post's active days without a fully staffed shift. */
  gaps: z.array(PostGap),
});
export type ShiftGrid = z.infer<typeof ShiftGrid>;

/** POST /volunteer-shifts/:id/assignments. With `requestId`, the assignment answers that request (a request of this shift's post). */
export const AssignmentCreate = z.strictObject({ volunteerId: Id, requestId: Id.optional() });
export type AssignmentCreate = z.infer<typeof AssignmentCreate>;
export const AssignmentParams = z.strictObject({ id: Id, volunteerId: Id });

// ── requests ─────────────────────────────────────────────────────────────────────────────────────

/** POST /volunteer-requests: ask the pool for `count` people for a post over [from, to). */
export const RequestCreate = z
  .strictObject({ postId: Id, count: z.number().int().min(1).max(200), from: Timestamp, to: Timestamp, note: LongText(1000).optional() })
  .refine((v) => v.to > v.from, { path: ['to'], message: 'must be after from' });
export type RequestCreate = z.infer<typeof RequestCreate>;

export const RequestListQuery = z.strictObject({ unitId: Id.optional(), status: RequestStatus.optional(), ...Page });
export type RequestListQuery = z.input<typeof RequestListQuery>;

export const RequestAbilities = z.object({ answer: z.boolean(), cancel: z.boolean() });
export const VolunteerRequest = z.object({
  id: z.number().int(),
  postId: z.number().int(),
  postTitle: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  count: z.number().int(),
  from: Timestamp,
  to: Timestamp,
  note: z.string().nullable(),
  status: RequestStatus,
  /** Distinct volunteers assigned under this request. */
  filled: z.number().int(),
  askedByName: z.string().nullable(),
  askedAt: Timestamp,
  closedAt: Timestamp.nullable(),
  assignees: z.array(Assignee.extend({ shiftId: z.number().int(), startsAt: Timestamp, endsAt: Timestamp })),
  abilities: RequestAbilities,
});
export type VolunteerRequest = z.infer<typeof VolunteerRequest>;
export const RequestPage = pageOf(VolunteerRequest);
export type RequestPage = z.infer<typeof RequestPage>;

// ── now, hours, me ───────────────────────────────────────────────────────────────────────────────

export const NowQuery = z.strictObject({ unitId: Id.optional() });
export const OnShiftNow = z.object({
  at: Timestamp,
  posts: z.array(
    z.object({
      postId: z.number().int(),
      title: z.string(),
      kind: PostKind,
      unitId: z.number().int(),
      unitName: z.string(),
      placeName: z.string().nullable(),
      shiftId: z.number().int(),
      startsAt: Timestamp,
      endsAt: Timestamp,
      needed: z.number().int(),
      people: z.array(z.object({ volunteerId: z.number().int(), name: z.string(), unitName: z.string() })),
    }),
  ),
  total: z.number().int(),
});
export type OnShiftNow = z.infer<typeof OnShiftNow>;

/** Days [from, to] (local, inclusive); default the last 30 days up to today. */
export const HoursQuery = z
  .strictObject({ unitId: Id.optional(), from: Day.optional(), to: Day.optional() })
  .refine((v) => !v.from || !v.to || v.to >= v.from, { path: ['to'], message: 'must not be before from' });
export type HoursQuery = z.input<typeof HoursQuery>;
export const HoursReport = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      volunteerId: z.number().int(),
      name: z.string(),
      unitName: z.string(),
      partyMember: z.boolean(),
      youthLeague: z.boolean(),
      shifts: z.number().int(),
      /** Hours of finished shifts starting in the period, to one decimal. */
      hours: z.number(),
    }),
  ),
  totalHours: z.number(),
});
export type HoursReport = z.infer<typeof HoursReport>;

export const MyShift = z.object({
  shiftId: z.number().int(),
  postId: z.number().int(),
  title: z.string(),
  kind: PostKind,
  unitName: z.string(),
  placeName: z.string().nullable(),
  startsAt: Timestamp,
  endsAt: Timestamp,
});
export type MyShift = z.infer<typeof MyShift>;
export const MyVolunteer = z.object({
  profile: Volunteer.nullable(),
  /** Shifts not yet ended, soonest first. */
  upcoming: z.array(MyShift),
  /** Hours of my finished shifts, all time. */
  hoursServed: z.number(),
});
export type MyVolunteer = z.infer<typeof MyVolunteer>;
