import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The queries of check-in reminders and the cut-off report. */

export interface MissingPerson {
  id: number;
  name: string;
  unit_id: number;
  unit_path: string;
}

/**
 * Active people with no check-in on the day, in the subtrees (null: the whole deployment), in tree
 * order. A scheduled run reads them all at once: at 100,000 people that is one indexed pass.
 */
export async function missingOn(db: Conn, day: string, paths: readonly string[] | null): Promise<MissingPerson[]> {
  let q = db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .select(['people.id as id', 'people.name as name', 'people.unit_id as unit_id', 'units.path as unit_path'])
    .where('people.status', '=', 'active')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('checkins').select('checkins.id').whereRef('checkins.person_id', '=', 'people.id').where('checkins.day', '=', day))));
  if (paths !== null) q = q.where((eb) => pathInSubtrees(eb, 'units.path', paths));
  return q.orderBy('units.path').orderBy('people.name').orderBy('people.id').execute();
}

/** Every active account holding the role by a grant, with the unit it is held on. */
export async function holdersOfRole(db: Conn, role: string): Promise<{ user_id: number; unit_id: number }[]> {
  return db
    .selectFrom('grants')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .select(['grants.user_id as user_id', 'grants.unit_id as unit_id'])
    .where('grants.role', '=', role)
    .where('users.disabled_at', 'is', null)
    .execute();
}

/**
 * The units where a measure can differ from the parent's: every live root, and every live unit
 * with a row of the measure of its own (any state: what is in force is decided by the measures).
 */
export async function cutoffOriginUnits(db: Conn, measureKey: string): Promise<number[]> {
  const rows = await db
    .selectFrom('units')
    .select('units.id')
    .where('units.archived_at', 'is', null)
    .where((eb) => eb.or([eb('units.parent_id', 'is', null), eb.exists(eb.selectFrom('measure_values').select('measure_values.id').whereRef('measure_values.unit_id', '=', 'units.id').where('measure_values.measure_key', '=', measureKey))]))
    .orderBy('units.id')
    .execute();
  return rows.map((r) => r.id);
}

export async function unitNames(db: Conn, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Take the unit's reminder slot: records this send unless another was sent after `notBefore`.
 * One statement, so two liaisons pressing the button at once cannot both get through.
 */
export async function claimReminderSlot(tx: Conn, unitId: number, userId: number, now: number, notBefore: number): Promise<boolean> {
  const r = await tx
    .insertInto('checkin_reminder_sends')
    .values({ unit_id: unitId, sent_at: now, sent_by_user_id: userId })
    .onConflict((oc) =>
      oc
        .column('unit_id')
        .doUpdateSet({ sent_at: now, sent_by_user_id: userId })
        .where(sql.ref('checkin_reminder_sends.sent_at'), '<=', notBefore),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function lastReminder(db: Conn, unitId: number): Promise<number | null> {
  const r = await db.selectFrom('checkin_reminder_sends').select('sent_at').where('unit_id', '=', unitId).executeTakeFirst();
  return r ? Number(r.sent_at) : null;
}
