import type {
  Incident,
  IncidentAbilities,
  IncidentDetail,
  IncidentEvent,
  IncidentEventKind,
  IncidentInstruction,
  IncidentKind,
  IncidentSeverity,
  IncidentStatus,
  Involvement,
  LevelState,
} from '../../../common/schemas/incidents.js';
import { IncidentEventDetail } from '../../../common/schemas/incidents.js';
import type { IncidentRow } from '../../db/schema.js';
import { reviewRequired } from './incidents.policy.js';
import type * as store from './incidents.store.js';

/** Rows to the API's shapes; no queries and no rules beyond arithmetic on times. */

const num = (v: number | null): number | null => (v === null ? null : Number(v));

type Named = IncidentRow & { unit_name: string; filed_by_name: string | null };

export function presentIncident(i: Named, levels: readonly store.LevelRow[], abilities: IncidentAbilities, now: number): Incident {
  const current = levels.find((l) => l.position === i.current_position) ?? levels[0]!;
  const top = levels.find((l) => l.position === i.top_position) ?? levels.at(-1)!;
  const deadline = num(current.deadline);
  const waiting = current.state === 'waiting' && i.status === 'open' && deadline !== null;
  return {
    id: i.id,
    unitId: i.unit_id,
    unitName: i.unit_name,
    kind: i.kind as IncidentKind,
    severity: i.severity as IncidentSeverity,
    title: i.title,
    occurredAt: Number(i.occurred_at),
    place: i.place,
    status: i.status as IncidentStatus,
    drill: Number(i.drill) === 1,
    filedAt: Number(i.filed_at),
    filedByName: i.filed_by_name,
    currentLevel: { id: current.id, position: current.position, unitId: current.unit_id, unitName: current.unit_name, state: current.state as LevelState, deadline },
    topLevel: { position: top.position, unitId: top.unit_id, unitName: top.unit_name },
    timeLeftMs: waiting ? deadline - now : null,
    overdue: waiting && deadline <= now,
    skippedLevels: levels.filter((l) => l.state === 'skipped').length,
    abilities,
  };
}

export function presentLevels(i: IncidentRow, levels: readonly store.LevelRow[], acting: ReadonlySet<number>) {
  return levels.map((l) => {
    const deadline = num(l.deadline);
    return {
      id: l.id,
      position: l.position,
      unitId: l.unit_id,
      unitName: l.unit_name,
      state: l.state as LevelState,
      isTop: l.position === i.top_position,
      limitMinutes: l.limit_minutes,
      arrivedAt: num(l.arrived_at),
      deadline,
      skipAt: deadline !== null && l.limit_minutes !== null ? deadline + l.limit_minutes * 60_000 : null,
      acknowledgedAt: num(l.acknowledged_at),
      acknowledgedByName: l.ack_by_name,
      ackNote: l.ack_note,
      alertedAt: num(l.alerted_at),
      skippedAt: num(l.skipped_at),
      realertedAt: num(l.realerted_at),
      actorActs: acting.has(l.unit_id),
    };
  });
}

export function presentEvents(rows: Awaited<ReturnType<typeof store.eventsOf>>): IncidentEvent[] {
  return rows.map((e) => {
    const parsed = IncidentEventDetail.safeParse(JSON.parse(e.detail));
    return {
      id: e.id,
      kind: e.kind as IncidentEventKind,
      levelId: e.level_id,
      levelPosition: e.level_position ?? null,
      unitName: e.unit_name ?? null,
      actorUserId: e.actor_user_id,
      actorName: e.actor_name,
      at: Number(e.at),
      note: e.note,
      detail: parsed.success ? parsed.data : {},
    };
  });
}

export interface InstructionView {
  row: Awaited<ReturnType<typeof store.instructionsOf>>[number];
  acks: Awaited<ReturnType<typeof store.instructionAcksOf>>;
  pendingLevelIds: number[];
  canAcknowledge: boolean;
}

export function presentInstructions(views: readonly InstructionView[]): IncidentInstruction[] {
  return views.map(({ row, acks, pendingLevelIds, canAcknowledge }) => ({
    id: row.id,
    fromLevelId: row.level_id,
    fromPosition: row.from_position,
    fromUnitName: row.from_unit_name,
    text: row.text,
    byName: row.by_name,
    at: Number(row.at),
    acks: acks.map((a) => ({ levelId: a.level_id, position: a.position, unitName: a.unit_name, byName: a.by_name, at: Number(a.at), note: a.note })),
    pendingLevelIds,
    canAcknowledge,
  }));
}

export function presentDetail(
  i: Named & { resolved_by_name: string | null; closed_by_name: string | null },
  levels: readonly store.LevelRow[],
  acting: ReadonlySet<number>,
  abilities: IncidentAbilities,
  people: Awaited<ReturnType<typeof store.peopleOf>>,
  instructions: readonly InstructionView[],
  events: Awaited<ReturnType<typeof store.eventsOf>>,
  now: number,
): IncidentDetail {
  return {
    ...presentIncident(i, levels, abilities, now),
    description: i.description,
    resolution: i.resolution,
    resolvedAt: num(i.resolved_at),
    resolvedByName: i.resolved_by_name,
    review: i.review,
    closedAt: num(i.closed_at),
    closedByName: i.closed_by_name,
    reviewRequired: reviewRequired(i.severity),
    levels: presentLevels(i, levels, acting),
    people: people.map((p) => ({ personId: p.person_id, name: p.name, unitName: p.unit_name, involvement: p.involvement as Involvement, note: p.note })),
    instructions: presentInstructions(instructions),
    events: presentEvents(events),
  };
}
