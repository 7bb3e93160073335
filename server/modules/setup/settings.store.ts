import type { Conn, DbHandle } from '../../db/database.js';
import { hotQuery } from '../../db/hot.js';

/** Deployment-wide settings as JSON values under string keys. */
export async function getSetting(db: Conn, key: string): Promise<unknown> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return r ? (JSON.parse(r.value) as unknown) : undefined;
}

/** getSetting as a cached prepared statement on SQLite (db/hot.ts), for settings read on every check-in. */
const settingHot = hotQuery((db: Conn, key: string) => db.selectFrom('settings').select('value').where('key', '=', key));
export async function getSettingHot(handle: DbHandle, key: string): Promise<unknown> {
  const r = (await settingHot(handle, key))[0];
  return r ? (JSON.parse(r.value) as unknown) : undefined;
}

export async function putSetting(db: Conn, key: string, value: unknown, now: number): Promise<void> {
  const v = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: v, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: now }))
    .execute();
}

export async function deleteSetting(db: Conn, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}
