import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { DbHandle } from './database.js';
import { foundation } from './migrations/001_foundation.js';
import { health } from './migrations/002_health.js';
import { rollup } from './migrations/007_rollup.js';
import { campaigns } from './migrations/005_campaigns.js';
import { trips } from './migrations/006_trips.js';
import { notify } from './migrations/003_notify.js';
import { watches } from './migrations/004_watches.js';
import { headcounts } from './migrations/008_headcounts.js';
import { directives } from './migrations/010_directives.js';
import { reports } from './migrations/011_reports.js';
import { files } from './migrations/012_files.js';
import { measures } from './migrations/009_measures.js';
import { cutoffMeasure } from './migrations/014_cutoff_measure.js';
import { notices } from './migrations/013_notices.js';
import { incidents } from './migrations/016_incidents.js';
import { duty } from './migrations/015_duty.js';
import { reportUntil } from './migrations/018_report_until.js';
import { notifyOutbox } from './migrations/017_notify_outbox.js';
import { places } from './migrations/019_places.js';
import { meetings } from './migrations/020_meetings.js';
import { dining } from './migrations/021_dining.js';
import { drills } from './migrations/022_drills.js';
import { supervision } from './migrations/024_supervision.js';
import { plans } from './migrations/025_plans.js';
import { volunteers } from './migrations/026_volunteers.js';
import { care } from './migrations/023_care.js';

/** Migrations are code, listed here in order, so they ship inside the build with no file lookup. */
function migrations(handle: DbHandle): Record<string, Migration> {
  return {
    '001_foundation': foundation(handle.dialect),
    '002_health': health(handle.dialect),
    '005_campaigns': campaigns(handle.dialect),
    '006_trips': trips(handle.dialect),
    '003_notify': notify(handle.dialect),
    '004_watches': watches(handle.dialect),
    '007_rollup': rollup(handle.dialect),
    '008_headcounts': headcounts(handle.dialect),
    '010_directives': directives(handle.dialect),
    '011_reports': reports(handle.dialect),
    '012_files': files(handle.dialect),
    '009_measures': measures(handle.dialect),
    '014_cutoff_measure': cutoffMeasure(),
    '013_notices': notices(handle.dialect),
    '016_incidents': incidents(handle.dialect),
    '015_duty': duty(handle.dialect),
    '018_report_until': reportUntil(),
    '017_notify_outbox': notifyOutbox(handle.dialect),
    '019_places': places(handle.dialect),
    '020_meetings': meetings(handle.dialect),
    '021_dining': dining(handle.dialect),
    '022_drills': drills(),
    '024_supervision': supervision(handle.dialect),
    '025_plans': plans(handle.dialect),
    '026_volunteers': volunteers(handle.dialect),
    '023_care': care(handle.dialect),
  };
}

export async function migrateToLatest(handle: DbHandle): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(handle) };
  // Kysely looks for its bookkeeping tables in every schema unless told which one: with another
  // schema's copy visible it would skip creating its own.
  // Migration numbers are reserved per feature and the features merge in any order (009_measures
  // landed after 010–012): a database that already ran a later number must still take an earlier
  // one. Each migration creates only its own tables, so their order among themselves is free.
  const migrator = new Migrator({
    db: handle.db,
    provider,
    allowUnorderedMigrations: true,
    ...(handle.pgSchema ? { migrationTableSchema: handle.pgSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
