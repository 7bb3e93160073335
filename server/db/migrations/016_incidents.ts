import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { migrationColumns } from './columns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */

/**
 * Incidents (紧急事项) and their escalation level by level (逐级上报).
 *
 * - `incidents`: one urgent matter filed at a unit, its kind and severity, and where it stands.
 * - `incident_levels`: one row per level the incident must pass, written when it is filed: position
 *   0 is the incident's own unit, then each ancestor up to the top its severity requires. A level is
 *   pending (not reached), waiting (its clock runs), acknowledged or skipped.
 * - `incident_escalations`: the alert and skip moments of a waiting level (and the re-alert of the
 *   top), written in the transaction that starts the level's clock. Unique per (incident, level,
 *   kind): whatever races, each fires once.
 * - `incident_events`: the timeline, append-only; nothing is ever updated or deleted there.
 * - `incident_instructions` and their acknowledgements by the levels below the sender.
 * - `incident_people`: the people involved (within the filer's scope).
 */
export function incidents(dialect: Dialect) {
  const { id, ms } = migrationColumns(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('incidents'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // suspected_case | positive_test | close_contact | supply_shortage | unsafe_gathering | other
        .addColumn('severity', 'text', (c) => c.notNull()) // critical | major | serious | general
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('occurred_at', ms, (c) => c.notNull())
        .addColumn('place', 'text')
        .addColumn('status', 'text', (c) => c.notNull()) // open | resolved | closed
        // Positions in incident_levels: the top its severity requires, and the highest level reached so far.
        .addColumn('top_position', 'integer', (c) => c.notNull())
        .addColumn('current_position', 'integer', (c) => c.notNull())
        .addColumn('filed_by_user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('filed_at', ms, (c) => c.notNull())
        .addColumn('resolution', 'text')
        .addColumn('resolved_at', ms)
        .addColumn('resolved_by_user_id', 'integer')
        // The short review of a critical or major incident by the level that handled it.
        .addColumn('review', 'text')
        .addColumn('closed_at', ms)
        .addColumn('closed_by_user_id', 'integer')
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incidents_unit').on('incidents').columns(['unit_id', 'filed_at']).execute();
      await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'filed_at']).execute();

      await id(db.schema.createTable('incident_levels'))
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('position', 'integer', (c) => c.notNull()) // 0 = the incident's unit
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
        .addColumn('state', 'text', (c) => c.notNull()) // pending | waiting | acknowledged | skipped
        // The measure incident.ack_minutes.<severity> in force at this unit when the level was reached.
        .addColumn('limit_minutes', 'integer')
        .addColumn('arrived_at', ms)
        .addColumn('deadline', ms)
        .addColumn('acknowledged_at', ms)
        .addColumn('acknowledged_by_user_id', 'integer')
        .addColumn('ack_note', 'text')
        .addColumn('alerted_at', ms)
        .addColumn('skipped_at', ms)
        // The top level only: when it was alerted again for not acknowledging (it stays there, flagged).
        .addColumn('realerted_at', ms)
        .addUniqueConstraint('incident_levels_position', ['incident_id', 'position'])
        .execute();
      await db.schema.createIndex('incident_levels_unit').on('incident_levels').columns(['unit_id', 'state']).execute();

      await id(db.schema.createTable('incident_escalations'))
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('level_id', 'integer', (c) => c.notNull().references('incident_levels.id'))
        .addColumn('kind', 'text', (c) => c.notNull()) // alert | skip | realert
        .addColumn('due_at', ms, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // due | fired | cancelled
        .addColumn('fired_at', ms)
        // Set when the watchdog found it overdue and not fired, so a finding is reported once.
        .addColumn('watchdog_reported_at', ms)
        .addUniqueConstraint('incident_escalations_once', ['incident_id', 'level_id', 'kind'])
        .execute();
      await db.schema.createIndex('incident_escalations_due').on('incident_escalations').columns(['status', 'due_at']).execute();

      await id(db.schema.createTable('incident_events'))
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('level_id', 'integer', (c) => c.references('incident_levels.id'))
        // filed | delivered | acknowledged | escalated | alerted | skipped | realerted | instructed |
        // instruction_acknowledged | action | resolved | closed
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_user_id', 'integer') // null: the system (an escalation job)
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('detail', 'text', (c) => c.notNull()) // JSON: recipients, fallback, instruction id, ...
        .execute();
      await db.schema.createIndex('incident_events_incident').on('incident_events').columns(['incident_id', 'id']).execute();
      // A second guard beside incident_escalations: the timeline cannot hold two of these for one level.
      await db.schema
        .createIndex('incident_events_once')
        .on('incident_events')
        .columns(['incident_id', 'level_id', 'kind'])
        .unique()
        .where(sql.ref('kind'), 'in', sql`('alerted', 'skipped', 'realerted', 'acknowledged')`)
        .execute();

      await id(db.schema.createTable('incident_instructions'))
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('level_id', 'integer', (c) => c.notNull().references('incident_levels.id')) // sent from
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'integer')
        .addColumn('at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_instructions_incident').on('incident_instructions').columns(['incident_id', 'id']).execute();

      await id(db.schema.createTable('incident_instruction_acks'))
        .addColumn('instruction_id', 'integer', (c) => c.notNull().references('incident_instructions.id'))
        .addColumn('level_id', 'integer', (c) => c.notNull().references('incident_levels.id')) // a level below the sender
        .addColumn('by_user_id', 'integer')
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('note', 'text')
        .addUniqueConstraint('incident_instruction_acks_once', ['instruction_id', 'level_id'])
        .execute();

      await id(db.schema.createTable('incident_people'))
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
        .addColumn('involvement', 'text', (c) => c.notNull()) // case | contact | reporter | other
        .addColumn('note', 'text')
        .addUniqueConstraint('incident_people_once', ['incident_id', 'person_id'])
        .execute();
      await db.schema.createIndex('incident_people_person').on('incident_people').columns(['person_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('incident_people').execute();
      await db.schema.dropTable('incident_instruction_acks').execute();
      await db.schema.dropTable('incident_instructions').execute();
      await db.schema.dropTable('incident_events').execute();
      await db.schema.dropTable('incident_escalations').execute();
      await db.schema.dropTable('incident_levels').execute();
      await db.schema.dropTable('incidents').execute();
    },
  };
}
