import { sql, type SqlBool } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { RiskAreaRow, RiskAreasTable } from '../../db/schema.js';

/** The queries of the risk-area list. Cities and districts arrive normalised (common/city.ts). */

export type NewRiskArea = Omit<RiskAreasTable, 'id'>;

export async function insertRiskArea(tx: Conn, row: NewRiskArea): Promise<RiskAreaRow> {
  return tx.insertInto('risk_areas').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRiskArea(tx: Conn, id: number, set: Partial<NewRiskArea>): Promise<RiskAreaRow> {
  return tx.updateTable('risk_areas').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function findRiskArea(db: Conn, id: number): Promise<RiskAreaRow | undefined> {
  return db.selectFrom('risk_areas').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Areas on the list on `day` (or every area ever, when `day` is null), optionally of one city; newest first. */
export async function listRiskAreas(db: Conn, f: { day: string | null; city?: string }): Promise<RiskAreaRow[]> {
  let q = db.selectFrom('risk_areas').selectAll();
  if (f.day !== null) q = q.where('valid_from', '<=', f.day).where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', f.day!)]));
  if (f.city !== undefined) q = q.where('city', '=', f.city);
  return q.orderBy('valid_from', 'desc').orderBy('id', 'desc').limit(2000).execute();
}

/**
 * Areas holding the place (city; a district area also holds a trip that named no district) that
 * were on the list on some day of [from, until]. The most severe first, then the earliest.
 */
export async function areasMeeting(db: Conn, place: { city: string; district: string | null }, from: string, until: string): Promise<RiskAreaRow[]> {
  return db
    .selectFrom('risk_areas')
    .selectAll()
    .where('city', '=', place.city)
    .where((eb) => (place.district === null ? sql<SqlBool>`1 = 1` : eb.or([eb('district', 'is', null), eb('district', '=', place.district)])))
    .where('valid_from', '<=', until)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', from)]))
    .orderBy(sql`case level when 'high' then 0 else 1 end`)
    .orderBy('valid_from')
    .orderBy('id')
    .execute();
}

/** Every area on the list on `day` in any of these cities: what "risk now" is read from. */
export async function activeAreasIn(db: Conn, cities: readonly string[], day: string): Promise<RiskAreaRow[]> {
  if (cities.length === 0) return [];
  return db
    .selectFrom('risk_areas')
    .selectAll()
    .where('city', 'in', [...new Set(cities)])
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', day)]))
    .execute();
}
