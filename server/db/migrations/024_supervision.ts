import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Supervision findings (问题线索 / 问责记录, issue 7). The matrix and the overdue view read other
 * modules' tables through their functions and keep nothing of their own.
 *
 * - `supervision_findings`: a finding about a unit or a person (it sits at the person's unit as it
 *   was when opened), its decision and its closing.
 * - `supervision_finding_evidence`: an overdue item linked as evidence, with the snapshot (JSON of
 *   the item as shown at link time); never updated or deleted. Unique per (finding, kind, ref id).
 */
export function supervision(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('supervision_findings'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('subject_kind', 'text', (c) => c.notNull()) // unit | person
        .addColumn('person_id', 'integer', (c) => c.references('people.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // open | closed
        .addColumn('decision', 'text') // talk | notice | accountability | no_action
        .addColumn('decision_text', 'text')
        .addColumn('decided_at', ms)
        .addColumn('decided_by_user_id', 'integer')
        .addColumn('opened_by_user_id', 'integer')
        .addColumn('opened_at', ms, (c) => c.notNull())
        .addColumn('closed_at', ms)
        .addColumn('closed_by_user_id', 'integer')
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('supervision_findings_unit').on('supervision_findings').columns(['unit_id', 'status']).execute();
      await db.schema.createIndex('supervision_findings_person').on('supervision_findings').columns(['person_id']).execute();

      await id(db.schema.createTable('supervision_finding_evidence'))
        .addColumn('finding_id', 'integer', (c) => c.notNull().references('supervision_findings.id'))
        .addColumn('ref_kind', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull()) // JSON: the OverdueItem as shown at link time
        .addColumn('linked_by_user_id', 'integer')
        .addColumn('linked_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('supervision_finding_evidence_once').on('supervision_finding_evidence').columns(['finding_id', 'ref_kind', 'ref_id']).unique().execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('supervision_finding_evidence').execute();
      await db.schema.dropTable('supervision_findings').execute();
    },
  };
}
