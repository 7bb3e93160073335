import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

const SETTING = 'health.cutoff';
const MEASURE = 'checkin.cutoff';

/** 'HH:MM' (00:00–24:00) as minutes after midnight, as the setting was read; null when unreadable. */
function minutesOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m || Number(m[2]) >= 60) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : null;
}

/**
 * The check-in cut-off becomes a measure (防控措施): the deployment's setting moves to the
 * checkin.cutoff value of every root unit, in force since the beginning (the days before applied it
 * too), and the setting is deleted so that one place holds it. A deployment that never set it keeps
 * the catalogue's default (24:00) and gets no row.
 */
export function cutoffMeasure() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const setting = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
      const minutes = setting ? minutesOf(JSON.parse(setting.value as string)) : null;
      if (minutes !== null) {
        const roots = await db.selectFrom('units').select('id').where('parent_id', 'is', null).execute();
        const now = Date.now();
        for (const r of roots) {
          await db
            .insertInto('measure_values')
            .values({ unit_id: r.id, measure_key: MEASURE, value: minutes, effective_from: '1970-01-01', status: 'set', reason: 'moved from the health settings', requested_at: now })
            .execute();
        }
      }
      await db.deleteFrom('settings').where('key', '=', SETTING).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      const row = await db
        .selectFrom('measure_values as mv')
        .innerJoin('units as u', 'u.id', 'mv.unit_id')
        .select('mv.value')
        .where('mv.measure_key', '=', MEASURE)
        .where('u.parent_id', 'is', null)
        .orderBy('mv.id', 'desc')
        .executeTakeFirst();
      if (row?.value !== null && row?.value !== undefined) {
        const m = Number(row.value);
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        await db.insertInto('settings').values({ key: SETTING, value: JSON.stringify(hhmm), updated_at: Date.now() }).execute();
      }
    },
  };
}
