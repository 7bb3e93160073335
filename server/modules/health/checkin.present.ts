import type { Checkin } from '../../../common/schemas/health.js';
import type { CheckinRow } from '../../db/schema.js';
import { fromTenths, type Location } from './health.policy.js';

/** A check-in row as the API shows it. */
export function presentCheckin(row: CheckinRow): Checkin {
  return {
    id: row.id,
    personId: row.person_id,
    unitId: row.unit_id,
    day: row.day,
    temperature: fromTenths(row.temperature),
    symptoms: JSON.parse(row.symptoms) as string[],
    location: row.location as Location,
    city: row.city,
    note: row.note,
    abnormal: Boolean(row.abnormal),
    onTime: Boolean(row.on_time),
    onBehalfOfUserId: row.on_behalf_of_user_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * The answer to POST /api/v1/checkins: 201 with the check-in when the day's first, 200 when it
 * replaced one. The writers store it with the check-in under the request's Idempotency-Key.
 */
export function checkinAnswer(written: { row: CheckinRow; created: boolean }): { statusCode: number; body: Checkin } {
  return { statusCode: written.created ? 201 : 200, body: presentCheckin(written.row) };
}
