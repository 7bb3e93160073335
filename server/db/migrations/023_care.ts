import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Care cases (关爱帮扶, issue 7).
 *
 * - `care_cases`: a person in a situation (kind), at most one open case per (person, kind);
 *   `last_contact_at` is kept with every care action so that "uncontacted" is one indexed pass.
 * - `care_needs`: what the case needs (supplies, money, …) and where that stands.
 * - `care_actions`: calls, visits, deliveries, allowances, counselling sessions; a counselling
 *   session's note is stored only encrypted (`note_cipher`, AES-256-GCM), never in `note`.
 * - `care_requests`: help a person asked for from the phone, until a care officer answers it.
 * - `care_dismissals`: suggestions a care officer dismissed, by the suggestion's key.
 * - `care_contact_alerts`: one row per lapse (case, the contact due time) whose officer was told.
 */
export function care(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('care_cases'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id')) // the person's unit when opened; scope follows their unit of today
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // open | closed
        .addColumn('source', 'text', (c) => c.notNull()) // hand | suggestion | request | plan
        .addColumn('source_key', 'text') // the suggestion's key, the request's id
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('expected_end', 'text')
        .addColumn('care_officer_user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('time_zone', 'text')
        .addColumn('note', 'text') // what the opener wrote about the situation
        .addColumn('outcome', 'text')
        .addColumn('outcome_note', 'text')
        .addColumn('opened_by_user_id', 'integer')
        .addColumn('opened_at', ms, (c) => c.notNull())
        .addColumn('closed_by_user_id', 'integer')
        .addColumn('closed_at', ms)
        .addColumn('last_contact_at', ms)
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('care_cases_person').on('care_cases').columns(['person_id', 'status']).execute();
      await db.schema.createIndex('care_cases_status').on('care_cases').columns(['status', 'last_contact_at']).execute();
      await db.schema.createIndex('care_cases_officer').on('care_cases').columns(['care_officer_user_id', 'status']).execute();
      // One open case per (person, kind), whatever races.
      await db.schema
        .createIndex('care_cases_one_open')
        .on('care_cases')
        .columns(['person_id', 'kind'])
        .unique()
        .where(sql.ref('status'), '=', sql`'open'`)
        .execute();

      await id(db.schema.createTable('care_needs'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('care_cases.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull()) // open | in_progress | met | declined
        .addColumn('note', 'text')
        .addColumn('request_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .addColumn('updated_by_user_id', 'integer')
        .execute();
      await db.schema.createIndex('care_needs_case').on('care_needs').columns(['case_id', 'state']).execute();

      await id(db.schema.createTable('care_actions'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('care_cases.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // call | visit | delivery | allowance | counselling
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('note', 'text') // never set for counselling
        .addColumn('note_cipher', 'text') // counselling: base64(iv 12 | tag 16 | ciphertext)
        .addColumn('created_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('care_actions_case').on('care_actions').columns(['case_id', 'at']).execute();

      await id(db.schema.createTable('care_requests'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('need_kind', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull()) // open | case_opened | added_to_case | declined
        .addColumn('case_id', 'integer')
        .addColumn('answer', 'text')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('handled_at', ms)
        .addColumn('handled_by_user_id', 'integer')
        .execute();
      await db.schema.createIndex('care_requests_status').on('care_requests').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('care_requests_person').on('care_requests').columns(['person_id', 'created_at']).execute();

      await db.schema
        .createTable('care_dismissals')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('at', ms, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('care_contact_alerts')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('care_cases.id'))
        .addColumn('due_at', ms, (c) => c.notNull())
        .addColumn('alerted_at', ms, (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addPrimaryKeyConstraint('care_contact_alerts_pk', ['case_id', 'due_at'])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('care_contact_alerts').execute();
      await db.schema.dropTable('care_dismissals').execute();
      await db.schema.dropTable('care_requests').execute();
      await db.schema.dropTable('care_actions').execute();
      await db.schema.dropTable('care_needs').execute();
      await db.schema.dropTable('care_cases').execute();
    },
  };
}
