import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table shapes. Times are epoch milliseconds; days are 'YYYY-MM-DD'; JSON is stored as text. */
export interface UnitsTable {
  id: Generated<number>;
  parent_id: number | null;
  name: string;
  kind: string;
  code: string | null;
  sort_order: number;
  /** Materialised path of ids, '/1/5/23/': a subtree is one indexed range (see db/tree.ts). */
  path: string;
  depth: number;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PeopleTable {
  id: Generated<number>;
  unit_id: number;
  name: string;
  employee_no: string;
  phone: string | null;
  title: string | null;
  status: string;
  left_on: string | null;
  created_at: number;
  updated_at: number;
}

export interface PersonTagsTable {
  person_id: number;
  tag: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  person_id: number | null;
  unit_id: number | null;
  display_name: string | null;
  disabled_at: number | null;
  password_changed_at: number;
  created_at: number;
}

export interface GrantsTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  unit_id: number;
  created_at: number;
  created_by: number | null;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie's token; the token itself is never stored
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  created_by: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: number;
  blocked_until: number;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: number;
  expires_at: number;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string;
  payload: string;
  run_at: number;
  status: string; // pending | running | done | failed
  attempts: number;
  max_attempts: number;
  interval_ms: number | null; // recurring jobs come back after this long
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_user_id: number | null;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  unit_id: number | null;
  detail: string;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface CheckinsTable {
  id: Generated<number>;
  person_id: number;
  /** The person's unit when they checked in; the day's counts are kept per this unit. */
  unit_id: number;
  day: string;
  temperature: number; // tenths of a degree Celsius
  symptoms: string; // JSON array of strings
  location: string; // at_work | remote | leave | trip | quarantine
  city: string;
  note: string | null;
  abnormal: number; // 0 | 1
  on_time: number; // 0 | 1: first sent before the day's cut-off
  /** The user who checked in for the person (a liaison), or null when they did it themselves. */
  on_behalf_of_user_id: number | null;
  created_at: number;
  updated_at: number;
}

/** Per (day, unit) counts of check-ins, kept current in the transaction of each check-in. */
export interface CheckinCountsTable {
  day: string;
  unit_id: number;
  checked_in: number;
  normal: number;
  abnormal: number;
  at_work: number;
  remote: number;
  leave: number;
  trip: number;
  quarantine: number;
  on_time: number;
}

/** Active people per (day, unit), snapshotted once per day: the headcount a past day is measured against. */
export interface HeadcountsTable {
  day: string;
  unit_id: number;
  headcount: number;
}

/** The days whose headcount snapshot was taken, and when. */
export interface HeadcountDaysTable {
  day: string;
  taken_at: number;
}

/** A period of closer follow-up for one person (健康监测); at most one open per person. */
export interface HealthWatchesTable {
  id: Generated<number>;
  person_id: number;
  /** The person's unit when the watch opened (whose liaison was told); scope follows their unit of today. */
  unit_id: number;
  reason: string; // checkin_abnormal | test_positive | trip_return | manual
  source_entity: string; // what opened it: 'checkin', 'test_result', 'trip', 'user'
  source_id: string;
  start_day: string;
  days: number;
  end_day: string; // the last day, inclusive
  status: string; // open | closed
  outcome: string | null; // recovered | cleared | hospitalised | other
  outcome_note: string | null;
  opened_by_user_id: number | null; // null: the system
  closed_by_user_id: number | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

/** A watch's daily notes, and one note per cause that opened or joined it. */
export interface HealthWatchNotesTable {
  id: Generated<number>;
  watch_id: number;
  day: string;
  note: string | null;
  temperature: number | null; // tenths of a degree Celsius
  reason: string | null; // set on a note that records a cause
  source_entity: string | null;
  source_id: string | null;
  author_user_id: number | null; // null: the system
  created_at: number;
}

/** One account's in-app notification; `kind` and `params` render through notify/messages.ts. */
export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  params: string; // JSON object
  unit_id: number | null;
  entity: string;
  entity_id: string;
  link: string | null;
  created_at: number;
  read_at: number | null;
  /** The outbox message it belongs to (null for rows written before the outbox). */
  message_id: number | null;
}

/** One thing said, in the outbox (notify/outbox.ts): written in the transaction of its cause. */
export interface NotifyMessagesTable {
  id: Generated<number>;
  event_id: string;
  kind: string;
  params: string; // JSON object
  unit_id: number | null;
  entity: string;
  entity_id: string;
  link: string | null;
  title: string; // zh-CN, as robots and e-mails get it
  text: string;
  mentions: string; // JSON array of phones
  recipients: number; // in-app rows written
  created_at: number;
}

/** One way a message goes out: the live push, or one channel of its unit. */
export interface NotifyDeliveriesTable {
  id: Generated<number>;
  message_id: number;
  route: string; // live | channel
  unit_id: number | null;
  channel_id: number | null;
  channel_kind: string | null;
  channel_name: string | null;
  state: string; // pending | sent | failed | given_up | cancelled
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One attempt of a delivery, as it went. */
export interface NotifyAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  at: number;
  ok: number; // 0 | 1
  error: string | null;
}

/** A unit's chat robot or signed webhook (notify/channels.ts builds the payloads). */
export interface UnitChannelsTable {
  id: Generated<number>;
  unit_id: number;
  kind: string; // dingtalk | wecom | feishu | generic
  name: string;
  url: string;
  secret: string | null;
  enabled: number; // 0 | 1
  window_started_at: Generated<number>;
  window_count: Generated<number>;
  last_sent_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** A scheduled run that happened (written in its own transaction, so a re-run does nothing). */
export interface ScheduledRunsTable {
  key: string;
  at: number;
}

/** The last manual check-in reminder sent for a unit: the guard against resending within minutes. */
export interface CheckinReminderSendsTable {
  unit_id: number;
  sent_at: number;
  sent_by_user_id: number | null;
}

/** A person's report of leaving the city and coming back (出行报备). Days are 'YYYY-MM-DD'. */
export interface TripsTable {
  id: Generated<number>;
  person_id: number;
  /** The person's unit when the trip was reported. */
  unit_id: number;
  destination_city: string; // normalised (common/city.ts)
  destination_district: string | null;
  start_on: string;
  end_on: string; // the planned last day away
  purpose: string;
  status: string; // planned | away | returned | cancelled
  returned_on: string | null;
  /** The risk area whose overlap opened a health watch on return; set once. */
  watch_area_id: number | null;
  /** The user who reported for the person (a liaison), or null when they did it themselves. */
  reported_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}

/** The command office's list of medium and high risk areas (中高风险地区). */
export interface RiskAreasTable {
  id: Generated<number>;
  city: string; // normalised (common/city.ts)
  district: string | null; // null: the whole city
  level: string; // medium | high
  valid_from: string;
  valid_until: string | null; // null: still on the list
  note: string | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}

/** A testing campaign (核酸检测); its target units are in campaign_units, its people due in campaign_people. */
export interface CampaignsTable {
  id: Generated<number>;
  name: string;
  start_day: string;
  end_day: string;
  tags: string; // JSON array: when not empty, only people with one of these tags are due
  status: string; // open | closed
  created_by_user_id: number | null;
  created_at: number;
  closed_by_user_id: number | null;
  closed_at: number | null;
  group_id: Generated<number | null>; // 020_meetings: the key group the target came from
}

export interface CampaignUnitsTable {
  campaign_id: number;
  unit_id: number;
}

/** A person due in a campaign, with their progress kept current by samples and result imports. */
export interface CampaignPeopleTable {
  campaign_id: number;
  person_id: number;
  late: number; // 0 | 1: joined the target after the campaign was created
  sampled_at: number | null;
  result: string | null; // negative | positive | invalid (the latest)
  result_day: string | null;
}

export interface CampaignSamplesTable {
  id: Generated<number>;
  campaign_id: number;
  person_id: number;
  day: string;
  taken_at: number;
  recorded_by_user_id: number | null;
  via: string; // self | liaison | scan
}

export interface CampaignResultBatchesTable {
  id: Generated<number>;
  campaign_id: number;
  file_name: string;
  sha256: string;
  rows: number;
  created_by_user_id: number | null;
  created_at: number;
}

export interface CampaignResultsTable {
  id: Generated<number>;
  campaign_id: number;
  person_id: number;
  sample_day: string;
  result: string; // negative | positive | invalid
  lab: string | null;
  batch_id: number;
  created_at: number;
  updated_at: number;
}

/** A request for a situation report (汇报 / 报送): the form and the schedule (migration 011_reports). */
export interface ReportRequestsTable {
  id: Generated<number>;
  title: string;
  instructions: string | null;
  fields: string; // JSON array of ReportField (common/schemas/reports.ts)
  schedule: string; // once | daily
  deadline_at: number | null; // once
  due_minutes: number | null; // daily: minutes after midnight, deployment time
  last_day: string | null; // daily: the day of the last round, or null: until closed
  remind_before_minutes: number;
  status: string; // open | closed
  unit_id: number;
  created_by_user_id: number | null;
  created_at: number;
  closed_by_user_id: number | null;
  closed_at: number | null;
}

export interface ReportRequestUnitsTable {
  request_id: number;
  unit_id: number;
}

/** One occurrence of a request: one per request and day. */
export interface ReportRoundsTable {
  id: Generated<number>;
  request_id: number;
  day: string;
  opened_at: number;
  deadline_at: number;
  reminded_at: number | null;
}

export interface ReportSubmissionsTable {
  id: Generated<number>;
  round_id: number;
  unit_id: number;
  answers: string; // JSON object keyed by field key
  late: number; // 0 | 1
  submitted_by_user_id: number | null;
  submitted_at: number;
  updated_by_user_id: number | null;
  updated_at: number;
}

/** Active people per unit, now: kept by triggers on people (migration 007_rollup). */
export interface UnitHeadcountsTable {
  unit_id: number;
  active: number;
}

/** A meeting of the command (e.g. a leading group's meeting) recorded with its decisions. */
export interface MeetingsTable {
  id: Generated<number>;
  unit_id: number;
  title: string;
  held_at: number;
  place: string | null;
  chair: string | null;
  attendees: string | null;
  minutes: string | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface MeetingDecisionsTable {
  id: Generated<number>;
  meeting_id: number;
  position: number;
  text: string;
  /** The directive the decision became, once it was turned into tasks. */
  directive_id: number | null;
  created_at: number;
}

/** An instruction from above (部署), recorded at a unit and broken into tasks. */
export interface DirectivesTable {
  id: Generated<number>;
  unit_id: number;
  source: string; // city | district | group | meeting
  document_no: string | null;
  title: string;
  body: string;
  received_at: number;
  attachment_ids: string; // JSON array of file ids
  meeting_id: number | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
  /** 1: the tasks of a plan run as a drill (issue 8, migration 022); left out of every real statistic. */
  drill: Generated<number>;
}

/** A piece of a directive for one unit and one responsible person; parts of a split point at their parent. */
export interface TasksTable {
  id: Generated<number>;
  directive_id: number;
  parent_id: number | null;
  unit_id: number;
  title: string;
  instructions: string | null;
  responsible_person_id: number;
  deadline: number;
  evidence: string; // comma-separated: report,photo,file
  status: string; // assigned | acknowledged | done | verified
  assigned_by_user_id: number | null;
  assigned_at: number;
  acknowledged_at: number | null;
  completed_at: number | null;
  report: string | null;
  photo_ids: string; // JSON array of file ids
  file_ids: string;
  verified_at: number | null;
  return_reason: string | null;
  overdue_at: number | null;
  reminded_at: number | null;
  updated_at: number;
}

/** Who did what to a task, and when: the task's own log (the audit log holds the same with before/after). */
export interface TaskEventsTable {
  id: Generated<number>;
  task_id: number;
  action: string;
  actor_user_id: number | null;
  at: number;
  note: string | null;
}

/** An uploaded file; its bytes live here (a Buffer on both databases). */
export interface AttachmentsTable {
  id: Generated<number>;
  uploader_user_id: number;
  file_name: string;
  type: string;
  size: number;
  sha256: string;
  data: Buffer;
  owner_kind: string | null;
  owner_id: number | null;
  created_at: number;
  linked_at: number | null;
}

/** One change a unit made to one measure: a value (or a removal) from a day; exceptions carry their decision. */
export interface MeasureValuesTable {
  id: Generated<number>;
  unit_id: number;
  measure_key: string;
  value: number | null; // stored form (common/measures.catalogue.ts); null: a removal
  effective_from: string;
  status: string; // set | pending | approved | refused | withdrawn
  reason: string | null;
  parent_value: number | null;
  requested_by_user_id: number | null;
  requested_at: number;
  decided_by_user_id: number | null;
  decided_at: number | null;
  decided_day: string | null;
  decision_note: string | null;
}

/** A notice published down the tree (通知公告). */
export interface NoticesTable {
  id: Generated<number>;
  title: string;
  kind: string;
  body: string;
  tags: string; // JSON array
  status: string;
  audience: number;
  read_count: Generated<number>;
  published_by_user_id: number;
  published_at: number;
  withdrawn_by_user_id: number | null;
  withdrawn_at: number | null;
  withdraw_reason: string | null;
  group_id: Generated<number | null>; // 020_meetings: the key group the audience came from
}

export interface NoticeUnitsTable {
  notice_id: number;
  unit_id: number;
}

/** One person of a notice's audience, fixed when published; read_at is their receipt. */
export interface NoticeRecipientsTable {
  notice_id: number;
  person_id: number;
  unit_id: number;
  read_at: number | null;
  reminded_at: number | null;
}

// ── incidents (migration 016) ───────────────────────────────────────────────────────────────────

/** An urgent matter (紧急事项) filed at a unit; its levels say how far up it has gone. */
export interface IncidentsTable {
  id: Generated<number>;
  unit_id: number;
  kind: string;
  severity: string;
  title: string;
  description: string;
  occurred_at: number;
  place: string | null;
  status: string; // open | resolved | closed
  top_position: number;
  current_position: number;
  filed_by_user_id: number | null;
  filed_at: number;
  resolution: string | null;
  resolved_at: number | null;
  resolved_by_user_id: number | null;
  review: string | null;
  closed_at: number | null;
  closed_by_user_id: number | null;
  updated_at: number;
  /** 1: a drill (演练, issue 8, migration 022): escalates like a real one, left out of every real statistic. */
  drill: Generated<number>;
}

/** One level an incident must pass (position 0 = its unit): pending, waiting, acknowledged or skipped. */
export interface IncidentLevelsTable {
  id: Generated<number>;
  incident_id: number;
  position: number;
  unit_id: number;
  state: string;
  limit_minutes: number | null;
  arrived_at: number | null;
  deadline: number | null;
  acknowledged_at: number | null;
  acknowledged_by_user_id: number | null;
  ack_note: string | null;
  alerted_at: number | null;
  skipped_at: number | null;
  realerted_at: number | null;
}

/** A moment a waiting level is alerted, skipped or (the top) alerted again; unique per (incident, level, kind). */
export interface IncidentEscalationsTable {
  id: Generated<number>;
  incident_id: number;
  level_id: number;
  kind: string; // alert | skip | realert
  due_at: number;
  status: string; // due | fired | cancelled
  fired_at: number | null;
  watchdog_reported_at: number | null;
}

/** The timeline of an incident, append-only. */
export interface IncidentEventsTable {
  id: Generated<number>;
  incident_id: number;
  level_id: number | null;
  kind: string;
  actor_user_id: number | null;
  at: number;
  note: string | null;
  detail: string; // JSON
}

export interface IncidentInstructionsTable {
  id: Generated<number>;
  incident_id: number;
  level_id: number;
  text: string;
  by_user_id: number | null;
  at: number;
}

export interface IncidentInstructionAcksTable {
  id: Generated<number>;
  instruction_id: number;
  level_id: number;
  by_user_id: number | null;
  at: number;
  note: string | null;
}

export interface IncidentPeopleTable {
  id: Generated<number>;
  incident_id: number;
  person_id: number;
  involvement: string;
  note: string | null;
}

/** A unit keeps duty when it has a roster (值班表). */
export interface DutyRostersTable {
  id: Generated<number>;
  unit_id: number;
  note: string | null;
  pattern: string | null; // JSON: the last pattern a range was generated from
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}

/** One shift [starts_at, ends_at) of a unit; the shifts of a unit never overlap. */
export interface DutyShiftsTable {
  id: Generated<number>;
  unit_id: number;
  starts_at: number;
  ends_at: number;
  note: string | null;
  source: string; // generated | manual
  swapped_at: number | null;
  reminded_at: number | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface DutyShiftMembersTable {
  shift_id: number;
  person_id: number;
  role: string; // leader | officer
  position: number;
}

/** A swap asked by one person, answered by the other, decided by the unit head. */
export interface DutySwapsTable {
  id: Generated<number>;
  unit_id: number;
  shift_id: number;
  requester_person_id: number;
  counterpart_person_id: number;
  counterpart_shift_id: number | null;
  status: string; // asked | accepted | approved | refused | declined | cancelled
  reason: string | null;
  requested_by_user_id: number | null;
  requested_at: number;
  answered_by_user_id: number | null;
  answered_at: number | null;
  decided_by_user_id: number | null;
  decided_at: number | null;
  decision_note: string | null;
  updated_at: number;
}

/** The handover note (交接班) of one shift, shown to the next. */
export interface DutyHandoversTable {
  id: Generated<number>;
  shift_id: number;
  unit_id: number;
  body: string;
  author_person_id: number | null;
  author_user_id: number;
  written_at: number;
  updated_at: number;
}

/** A coverage gap already told to the unit head. */
export interface DutyGapAlertsTable {
  unit_id: number;
  role: string; // leader | officer
  starts_at: number;
  ends_at: number;
  alerted_at: number;
}

/** A user's private calendar feed token (its sha256). */
export interface DutyFeedTokensTable {
  user_id: number;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
}

// ── places (issue 6): key places, checklists, inspections, findings ─────────────────────────────

/** A key place (重点场所) of a unit; last_inspected_at is kept with every inspection. */
export interface PlacesTable {
  id: Generated<number>;
  unit_id: number;
  name: string;
  kind: string; // terminal | depot | station | canteen | office_building | dormitory | construction_site | other
  address: string | null;
  risk: string; // high | medium | low
  responsible_person_id: number | null;
  frequency_days: number;
  last_inspected_at: number | null;
  due_at: number; // start of the due day in the deployment's zone
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

/** One item of a place's checklist; retired, never deleted. */
export interface PlaceChecklistItemsTable {
  id: Generated<number>;
  place_id: number;
  position: number;
  text: string;
  retired_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One inspection (督导检查) of a place. */
export interface PlaceInspectionsTable {
  id: Generated<number>;
  place_id: number;
  unit_id: number;
  inspector_user_id: number | null;
  inspected_at: number;
  note: string | null;
  passed: number;
  failed: number;
  not_applicable: number;
  photo_ids: string; // JSON array of attachment ids
  directive_id: number | null;
}

/** One item's answer in an inspection, with the item's text as it then was. */
export interface PlaceInspectionItemsTable {
  id: Generated<number>;
  inspection_id: number;
  item_id: number;
  position: number;
  text: string;
  result: string; // passed | failed | not_applicable
  note: string | null;
  photo_ids: string; // JSON array of attachment ids
  finding_id: number | null;
}

/** A failed item and its rectification task (整改); one unverified finding per (place, item). */
export interface PlaceFindingsTable {
  id: Generated<number>;
  place_id: number;
  item_id: number;
  item_text: string;
  status: string; // open | fixed | verified
  note: string | null;
  opened_at: number;
  opened_inspection_id: number;
  failure_count: number;
  last_failed_at: number;
  task_id: number;
  fixed_at: number | null;
  verified_at: number | null;
  verified_inspection_id: number | null;
  updated_at: number;
}

/** Every failure recorded on a finding (the first opened it). */
export interface PlaceFindingFailuresTable {
  id: Generated<number>;
  finding_id: number;
  inspection_id: number;
  at: number;
  note: string | null;
}
// ── issue 6: rooms, meeting registrations, key groups (020_meetings) ──
export interface RoomsTable {
  id: Generated<number>;
  unit_id: number;
  name: string;
  building: string;
  capacity: number;
  ventilated: number; // 0 | 1
  archived_at: number | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}
export interface MeetingRegistrationsTable {
  id: Generated<number>;
  unit_id: number;
  title: string;
  room_id: number | null;
  place: string | null;
  start_at: number;
  end_at: number;
  minutes: number;
  day: string;
  attendees: number;
  ventilated: number; // 0 | 1
  note: string | null;
  reason: string | null;
  breaches: string; // JSON array of MeetingBreach
  over_limit: number; // 0 | 1
  status: string; // registered | pending | approved | refused | cancelled
  registered_by_user_id: number | null;
  registered_at: number;
  decided_by_user_id: number | null;
  decided_at: number | null;
  decision_note: string | null;
  cancelled_by_user_id: number | null;
  cancelled_at: number | null;
  cancel_note: string | null;
  updated_at: number;
}
export interface MeetingAttendeesTable {
  meeting_id: number;
  person_id: number;
}
export interface KeyGroupsTable {
  id: Generated<number>;
  owner_unit_id: number;
  name: string;
  description: string | null;
  tags: string; // JSON array
  archived_at: number | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}
export interface KeyGroupUnitsTable {
  group_id: number;
  unit_id: number;
}
// ── end issue 6 meetings ──

// ── dining (issue 6, migration 021): canteens, their diner units, plans and their units ──────────
export interface CanteensTable {
  id: Generated<number>;
  unit_id: number;
  name: string;
  capacity: number;
  slot_minutes: number;
  windows: string; // JSON {meal: {from, to}}
  note: string | null;
  archived_at: number | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}
export interface CanteenDinersTable {
  unit_id: number;
  meal: string; // breakfast | lunch | dinner
  canteen_id: number;
  window_from: number | null; // minutes after midnight
  window_to: number | null;
}
export interface DiningPlansTable {
  id: Generated<number>;
  canteen_id: number;
  day: string;
  status: string; // draft | published | superseded
  from_day: string | null;
  until_day: string | null;
  density: number; // hundredths
  capacity: number;
  seats_per_slot: number;
  slot_minutes: number;
  windows: string; // JSON, as the canteen's when the planner ran
  note: string | null;
  created_by_user_id: number | null;
  created_at: number;
  published_by_user_id: number | null;
  published_at: number | null;
  updated_at: number;
}
export interface DiningPlanUnitsTable {
  plan_id: number;
  meal: string;
  unit_id: number;
  headcount: number;
  window_from: number;
  window_to: number;
  slot_start: number | null; // null: unplaced (reason set)
  slot_end: number | null;
  reason: string | null;
  forced_reason: string | null;
}
export type CanteenRow = Selectable<CanteensTable>;
export type DiningPlanRow = Selectable<DiningPlansTable>;
export type DiningPlanUnitRow = Selectable<DiningPlanUnitsTable>;
// ── end issue 6 dining ──

// ── supervision (issue 7, migration 024) ──
/** A finding (问题线索 / 问责) about a unit or a person; visible with supervision.findings only. */
export interface SupervisionFindingsTable {
  id: Generated<number>;
  unit_id: number;
  subject_kind: string; // unit | person
  person_id: number | null;
  title: string;
  description: string;
  status: string; // open | closed
  decision: string | null; // talk | notice | accountability | no_action
  decision_text: string | null;
  decided_at: number | null;
  decided_by_user_id: number | null;
  opened_by_user_id: number | null;
  opened_at: number;
  closed_at: number | null;
  closed_by_user_id: number | null;
  updated_at: number;
}

/** An overdue item linked as evidence: the snapshot (JSON) as shown at link time; never changed. */
export interface SupervisionFindingEvidenceTable {
  id: Generated<number>;
  finding_id: number;
  ref_kind: string;
  ref_id: string;
  snapshot: string;
  linked_by_user_id: number | null;
  linked_at: number;
}
export type SupervisionFindingRow = Selectable<SupervisionFindingsTable>;
export type SupervisionEvidenceRow = Selectable<SupervisionFindingEvidenceTable>;
// ── end supervision ──
// ── plans (issue 8, migration 025) ──
/** An emergency plan (应急预案) of a unit for one incident kind. */
export interface PlansTable {
  id: Generated<number>;
  unit_id: number;
  kind: string;
  current_version_id: number | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}
/** One version of a plan; superseded ones are kept read-only. */
export interface PlanVersionsTable {
  id: Generated<number>;
  plan_id: number;
  version: number;
  state: string; // draft | current | superseded
  title: string;
  description: string | null;
  severities: string; // JSON
  steps: string; // JSON PlanStep[]
  required_unit_kinds: string; // JSON
  review_id: number | null;
  created_by_user_id: number | null;
  created_at: number;
  published_at: number | null;
}
/** A plan started on an incident, with the version it started with. */
export interface PlanRunsTable {
  id: Generated<number>;
  plan_id: number;
  version_id: number;
  incident_id: number;
  trigger: string; // filed | level
  drill: Generated<number>;
  occurred_at: number;
  started_at: number;
  completed_at: number | null;
}
/** One step of a run and its task. */
export interface PlanRunStepsTable {
  id: Generated<number>;
  run_id: number;
  step_key: string;
  position: number;
  title: string;
  depends_on: string; // JSON
  deadline: number;
  state: string; // waiting | task | done | unassigned
  task_id: number | null;
  created_at: number | null;
  done_at: number | null;
  action: string | null;
  action_result: string | null;
}
/** A review after an incident or a drill. */
export interface PlanReviewsTable {
  id: Generated<number>;
  incident_id: number;
  plan_id: number;
  version_id: number;
  went_well: string;
  late: string;
  changes: string; // JSON
  written_by_user_id: number | null;
  written_at: number;
  draft_version_id: number | null;
}
// ── end plans ──
// ── volunteers (issue 8, migration 026) ──
/** A person in the volunteer pool (left_at set when they leave). */
export interface VolunteersTable {
  id: Generated<number>;
  person_id: number;
  party_member: number;
  youth_league: number;
  skills: string; // JSON array of strings
  availability: string | null;
  consent_note: string | null; // null: signed up themselves
  added_by_user_id: number | null;
  joined_at: number;
  left_at: number | null;
  updated_at: number;
}

/** A post that needs volunteers at a unit, optionally at a key place. */
export interface VolunteerPostsTable {
  id: Generated<number>;
  unit_id: number;
  place_id: number | null;
  kind: string; // checkpoint | testing_site | delivery | other
  title: string;
  needed: number;
  active_from: string;
  active_to: string;
  note: string | null;
  created_by_user_id: number | null;
  created_at: number;
  updated_at: number;
}

/** One shift of a post. */
export interface VolunteerShiftsTable {
  id: Generated<number>;
  post_id: number;
  starts_at: number;
  ends_at: number;
  needed: number;
  created_at: number;
}

/** A unit's request to the pool for people for a post. */
export interface VolunteerRequestsTable {
  id: Generated<number>;
  post_id: number;
  count: number;
  from_at: number;
  to_at: number;
  note: string | null;
  status: string; // open | partly_filled | filled | cancelled
  asked_by_user_id: number | null;
  asked_at: number;
  closed_at: number | null;
}

/** A volunteer on a shift, optionally answering a request. */
export interface VolunteerAssignmentsTable {
  id: Generated<number>;
  shift_id: number;
  volunteer_id: number;
  request_id: number | null;
  assigned_by_user_id: number | null;
  assigned_at: number;
}
// ── end volunteers ──
// ── care (issue 7, migration 023) ──
/** A care case (关爱帮扶): a person in a situation; at most one open per (person, kind). */
export interface CareCasesTable {
  id: Generated<number>;
  person_id: number;
  unit_id: number; // the person's unit when opened
  kind: string; // centralised_quarantine | home_quarantine | front_line | overseas_post | family_illness | other
  status: string; // open | closed
  source: string; // hand | suggestion | request | plan
  source_key: string | null;
  starts_on: string;
  expected_end: string | null;
  care_officer_user_id: number | null;
  time_zone: string | null;
  note: string | null;
  outcome: string | null;
  outcome_note: string | null;
  opened_by_user_id: number | null;
  opened_at: number;
  closed_by_user_id: number | null;
  closed_at: number | null;
  last_contact_at: number | null;
  updated_at: number;
}

export interface CareNeedsTable {
  id: Generated<number>;
  case_id: number;
  kind: string; // supplies | financial | psychological | medical | family
  state: string; // open | in_progress | met | declined
  note: string | null;
  request_id: number | null;
  created_at: number;
  updated_at: number;
  updated_by_user_id: number | null;
}

/** A care action; a counselling session's note only in note_cipher (AES-256-GCM). */
export interface CareActionsTable {
  id: Generated<number>;
  case_id: number;
  kind: string; // call | visit | delivery | allowance | counselling
  at: number;
  user_id: number | null;
  note: string | null;
  note_cipher: string | null;
  created_at: number;
}

export interface CareRequestsTable {
  id: Generated<number>;
  person_id: number;
  unit_id: number;
  need_kind: string;
  note: string | null;
  status: string; // open | case_opened | added_to_case | declined
  case_id: number | null;
  answer: string | null;
  created_at: number;
  handled_at: number | null;
  handled_by_user_id: number | null;
}

export interface CareDismissalsTable {
  key: string;
  person_id: number;
  user_id: number | null;
  at: number;
}

export interface CareContactAlertsTable {
  case_id: number;
  due_at: number;
  alerted_at: number;
  user_id: number | null;
}
// ── end care ──

export interface Database {
  units: UnitsTable;
  people: PeopleTable;
  person_tags: PersonTagsTable;
  users: UsersTable;
  grants: GrantsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  notifications: NotificationsTable;
  unit_channels: UnitChannelsTable;
  notify_messages: NotifyMessagesTable;
  notify_deliveries: NotifyDeliveriesTable;
  notify_attempts: NotifyAttemptsTable;
  scheduled_runs: ScheduledRunsTable;
  checkin_reminder_sends: CheckinReminderSendsTable;
  checkins: CheckinsTable;
  checkin_counts: CheckinCountsTable;
  unit_headcounts: UnitHeadcountsTable;
  campaigns: CampaignsTable;
  campaign_units: CampaignUnitsTable;
  campaign_people: CampaignPeopleTable;
  campaign_samples: CampaignSamplesTable;
  campaign_result_batches: CampaignResultBatchesTable;
  campaign_results: CampaignResultsTable;
  trips: TripsTable;
  risk_areas: RiskAreasTable;
  health_watches: HealthWatchesTable;
  health_watch_notes: HealthWatchNotesTable;
  headcounts: HeadcountsTable;
  headcount_days: HeadcountDaysTable;
  meetings: MeetingsTable;
  meeting_decisions: MeetingDecisionsTable;
  directives: DirectivesTable;
  tasks: TasksTable;
  task_events: TaskEventsTable;
  attachments: AttachmentsTable;
  report_requests: ReportRequestsTable;
  report_request_units: ReportRequestUnitsTable;
  report_rounds: ReportRoundsTable;
  report_submissions: ReportSubmissionsTable;
  measure_values: MeasureValuesTable;
  notices: NoticesTable;
  notice_units: NoticeUnitsTable;
  notice_recipients: NoticeRecipientsTable;
  incidents: IncidentsTable;
  incident_levels: IncidentLevelsTable;
  incident_escalations: IncidentEscalationsTable;
  incident_events: IncidentEventsTable;
  incident_instructions: IncidentInstructionsTable;
  incident_instruction_acks: IncidentInstructionAcksTable;
  incident_people: IncidentPeopleTable;
  duty_rosters: DutyRostersTable;
  duty_shifts: DutyShiftsTable;
  duty_shift_members: DutyShiftMembersTable;
  duty_swaps: DutySwapsTable;
  duty_handovers: DutyHandoversTable;
  duty_gap_alerts: DutyGapAlertsTable;
  duty_feed_tokens: DutyFeedTokensTable;
  places: PlacesTable;
  place_checklist_items: PlaceChecklistItemsTable;
  place_inspections: PlaceInspectionsTable;
  place_inspection_items: PlaceInspectionItemsTable;
  place_findings: PlaceFindingsTable;
  place_finding_failures: PlaceFindingFailuresTable;
  rooms: RoomsTable;
  meeting_registrations: MeetingRegistrationsTable;
  meeting_attendees: MeetingAttendeesTable;
  key_groups: KeyGroupsTable;
  key_group_units: KeyGroupUnitsTable;
  canteens: CanteensTable;
  canteen_diners: CanteenDinersTable;
  dining_plans: DiningPlansTable;
  dining_plan_units: DiningPlanUnitsTable;
  supervision_findings: SupervisionFindingsTable; // supervision (issue 7)
  supervision_finding_evidence: SupervisionFindingEvidenceTable; // supervision (issue 7)
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  plan_runs: PlanRunsTable;
  plan_run_steps: PlanRunStepsTable;
  plan_reviews: PlanReviewsTable;
  volunteers: VolunteersTable;
  volunteer_posts: VolunteerPostsTable;
  volunteer_shifts: VolunteerShiftsTable;
  volunteer_requests: VolunteerRequestsTable;
  volunteer_assignments: VolunteerAssignmentsTable;
  care_cases: CareCasesTable;
  care_needs: CareNeedsTable;
  care_actions: CareActionsTable;
  care_requests: CareRequestsTable;
  care_dismissals: CareDismissalsTable;
  care_contact_alerts: CareContactAlertsTable;
}

export type UnitRow = Selectable<UnitsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type UserRow = Selectable<UsersTable>;
export type GrantRow = Selectable<GrantsTable>;
export type JobRow = Selectable<JobsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewUnit = Insertable<UnitsTable>;
export type UnitUpdate = Updateable<UnitsTable>;
export type CheckinRow = Selectable<CheckinsTable>;
export type TripRow = Selectable<TripsTable>;
export type RiskAreaRow = Selectable<RiskAreasTable>;
export type HealthWatchRow = Selectable<HealthWatchesTable>;
export type HealthWatchNoteRow = Selectable<HealthWatchNotesTable>;
export type CampaignRow = Selectable<CampaignsTable>;
export type DirectiveRow = Selectable<DirectivesTable>;
export type TaskRow = Selectable<TasksTable>;
export type TaskEventRow = Selectable<TaskEventsTable>;
export type MeetingRow = Selectable<MeetingsTable>;
export type MeetingDecisionRow = Selectable<MeetingDecisionsTable>;
export type ReportRequestRow = Selectable<ReportRequestsTable>;
export type ReportRoundRow = Selectable<ReportRoundsTable>;
export type ReportSubmissionRow = Selectable<ReportSubmissionsTable>;
export type MeasureValueRow = Selectable<MeasureValuesTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentLevelRow = Selectable<IncidentLevelsTable>;
export type IncidentEscalationRow = Selectable<IncidentEscalationsTable>;
export type IncidentEventRow = Selectable<IncidentEventsTable>;
export type DutyShiftRow = Selectable<DutyShiftsTable>;
export type DutySwapRow = Selectable<DutySwapsTable>;
export type DutyHandoverRow = Selectable<DutyHandoversTable>;
