import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Testing campaigns (核酸检测 / 全员检测). The people due are resolved once, when the campaign is
 * created, into campaign_people: progress is then a grouped count over one campaign's rows, exact
 * whatever happens to the target later. Each due row carries its own progress (first sample, latest
 * result), kept in the transaction of the sample or the result import, so the roll-up never reads
 * the samples or results themselves.
 */
export function campaigns(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('campaigns'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('start_day', 'text', (c) => c.notNull())
        .addColumn('end_day', 'text', (c) => c.notNull())
        // JSON array of tags: when not empty, only people with one of them are due.
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // open | closed
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('closed_by_user_id', 'integer')
        .addColumn('closed_at', ms)
        .execute();
      await db.schema.createIndex('campaigns_start').on('campaigns').columns(['start_day', 'id']).execute();

      // The target units: each one's whole subtree is targeted.
      await db.schema
        .createTable('campaign_units')
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addPrimaryKeyConstraint('campaign_units_pk', ['campaign_id', 'unit_id'])
        .execute();
      await db.schema.createIndex('campaign_units_unit').on('campaign_units').columns(['unit_id', 'campaign_id']).execute();

      await db.schema
        .createTable('campaign_people')
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        // 1: joined the target after the campaign was created (added on their first sample or result).
        .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sampled_at', ms) // the first sample, or the first result when no sample was recorded
        .addColumn('result', 'text') // the latest result: negative | positive | invalid
        .addColumn('result_day', 'text') // the sample day of that result
        .addPrimaryKeyConstraint('campaign_people_pk', ['campaign_id', 'person_id'])
        .execute();
      await db.schema.createIndex('campaign_people_person').on('campaign_people').columns(['person_id', 'campaign_id']).execute();

      await id(db.schema.createTable('campaign_samples'))
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('taken_at', ms, (c) => c.notNull())
        .addColumn('recorded_by_user_id', 'integer')
        .addColumn('via', 'text', (c) => c.notNull()) // self | liaison | scan
        // One sample per person and day: a second tick or scan the same day is the same sample.
        .addUniqueConstraint('campaign_samples_person_day', ['campaign_id', 'person_id', 'day'])
        .execute();

      await id(db.schema.createTable('campaign_result_batches'))
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('created_by_user_id', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .execute();

      await id(db.schema.createTable('campaign_results'))
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('sample_day', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull()) // negative | positive | invalid
        .addColumn('lab', 'text')
        .addColumn('batch_id', 'integer', (c) => c.notNull().references('campaign_result_batches.id'))
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        // One result per person and sample day: importing the same file again finds every row unchanged.
        .addUniqueConstraint('campaign_results_person_day', ['campaign_id', 'person_id', 'sample_day'])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const t of ['campaign_results', 'campaign_result_batches', 'campaign_samples', 'campaign_people', 'campaign_units', 'campaigns']) await db.schema.dropTable(t).execute();
    },
  };
}
