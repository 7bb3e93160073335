import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Attachments: the bytes live in the database, so a backup of the database is a backup of every
 * file and several server processes over one PostgreSQL need no shared disk. An upload belongs to
 * its uploader until a module links it to what owns it (owner_kind, owner_id); one never linked
 * is purged after a day.
 */
export function files(dialect: Dialect) {
  const { id, ms, pg } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('attachments'))
        .addColumn('uploader_user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull()) // the sniffed type: jpeg | png | gif | webp | pdf | docx | xlsx | pptx
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('data', pg ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('owner_kind', 'text') // null until linked
        .addColumn('owner_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('linked_at', ms)
        .execute();
      // An owner's files; and one uploader's files not yet linked (their pending total, the purge).
      await db.schema.createIndex('attachments_owner').on('attachments').columns(['owner_kind', 'owner_id']).execute();
      await db.schema.createIndex('attachments_uploader').on('attachments').columns(['uploader_user_id', 'owner_kind']).execute();
      await db.schema.createIndex('attachments_created').on('attachments').columns(['created_at']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('attachments').execute();
    },
  };
}
