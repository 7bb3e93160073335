import type { DutyLogEntry } from '../../../common/schemas/duty.js';
import type { Conn } from '../../db/database.js';

/**
 * The extension point of the duty log (值班日志): another module (incidents) registers a source
 * that gives its own entries for a unit and a day, and the log shows them among the shifts' and
 * handovers'. Duty imports none of their code: they register themselves where their routes are
 * set up, e.g. `registerDutyLogSource('incidents', (db, q) => incidentEntries(db, q))`.
 */
export interface DutyLogQuery {
  unitId: number;
  unitPath: string;
  /** The day's bounds in the deployment's time zone, [from, to). */
  from: number;
  to: number;
}
export type DutyLogSource = (db: Conn, q: DutyLogQuery) => Promise<DutyLogEntry[]>;

const sources = new Map<string, DutyLogSource>();

/** Add (or replace, by name) a source of duty-log entries. */
export function registerDutyLogSource(name: string, source: DutyLogSource): void {
  sources.set(name, source);
}

/** The entries of every registered source, each tagged with its source's name. */
export async function entriesFromSources(db: Conn, q: DutyLogQuery): Promise<DutyLogEntry[]> {
  const out: DutyLogEntry[] = [];
  for (const [name, source] of sources) for (const e of await source(db, q)) out.push({ ...e, source: e.source || name });
  return out;
}
