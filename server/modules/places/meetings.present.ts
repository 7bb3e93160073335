import type { MeetingBreach, MeetingRegistration, MeetingStatus } from '../../../common/schemas/meetings.js';
import type { Actor } from '../../http/actor.js';
import { meetingAbilities } from './meetings.policy.js';
import type { MeetingRow } from './meetings.store.js';

/** A registration as the API answers it. `attendeeList`: the listed people the reader may see (the detail only). */
export function presentMeeting(actor: Actor, m: MeetingRow, attendeeList: MeetingRegistration['attendeeList']): MeetingRegistration {
  return {
    id: m.id,
    title: m.title,
    unitId: m.unit_id,
    unitName: m.unit_name,
    room:
      m.room_id === null
        ? null
        : { id: m.room_id, name: m.room_name ?? '', building: m.room_building ?? '', capacity: m.room_capacity ?? 0, ventilated: m.room_ventilated === 1 },
    place: m.place,
    building: m.room_building ?? '',
    startAt: Number(m.start_at),
    endAt: Number(m.end_at),
    minutes: m.minutes,
    day: m.day,
    attendees: m.attendees,
    ventilated: m.ventilated === 1,
    note: m.note,
    reason: m.reason,
    breaches: JSON.parse(m.breaches) as MeetingBreach[],
    overLimit: m.over_limit === 1,
    status: m.status as MeetingStatus,
    registeredBy: m.registered_by,
    registeredByUserId: m.registered_by_user_id,
    registeredAt: Number(m.registered_at),
    decidedBy: m.decided_by,
    decidedAt: m.decided_at === null ? null : Number(m.decided_at),
    decisionNote: m.decision_note,
    cancelledAt: m.cancelled_at === null ? null : Number(m.cancelled_at),
    cancelNote: m.cancel_note,
    attendeeListSize: Number(m.list_size),
    attendeeList,
    abilities: meetingAbilities(actor, m.unit_path, m.registered_by_user_id, m.status),
  };
}
