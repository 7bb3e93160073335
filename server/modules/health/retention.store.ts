import type { Conn } from '../../db/database.js';

/** The retention purge's statements. Only check-in details go; checkin_counts is never touched here. */

/**
 * Delete up to `limit` check-ins of days before `beforeDay` and say how many went. The inner select
 * walks the (day, unit_id) index from its start, so each batch costs its own rows, not a scan.
 */
export async function deleteCheckinsBefore(tx: Conn, beforeDay: string, limit: number): Promise<number> {
  const r = await tx
    .deleteFrom('checkins')
    .where('id', 'in', (eb) => eb.selectFrom('checkins').select('id').where('day', '<', beforeDay).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
