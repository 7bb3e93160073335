import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { systemCtx } from '../../http/actor.js';
import { addMetricsCollector } from '../../http/metrics.js';
import { recordAudit } from '../audit/audit.service.js';
import { localDateTime } from '../../../common/day.js';
import { notifyUsers } from '../notify/notify.service.js';
import * as store from './incidents.store.js';

/**
 * The escalation watchdog: a timer inside every server process, apart from the job runner (it
 * shares nothing with it but the database), that looks for escalation moments which passed more
 * than `graceMs` ago and have not fired — a bug, a lost or failed job, a runner that stopped. Each
 * finding is reported loudly, once: an error log line, the metrics below, and a notification to the
 * admins of the root, marked on the escalation row in the same transaction so that a second pass or
 * another process does not report it again. It reports; it does not fire the escalation itself (a
 * second path that acts would hide the fault it exists to show).
 */

export interface WatchdogOptions {
  /** How often it looks (ms of real time). */
  everyMs: number;
  /** How long past its moment an escalation may still be unfired: the job poll interval plus a margin (ms of the deployment's clock). */
  graceMs: number;
}

export const DEFAULT_WATCHDOG: WatchdogOptions = { everyMs: 30_000, graceMs: 2 * 60_000 };

export interface WatchdogLog {
  error(obj: object, msg: string): void;
}

/** Findings this process reported since it started (a counter for /metrics). */
let findingsReported = 0;
let lastGraceMs = DEFAULT_WATCHDOG.graceMs;

addMetricsCollector(async (deps) => {
  const overdue = await store.countOverdueEscalations(deps.db, deps.clock.now() - lastGraceMs);
  return [
    '# HELP bulwark_incident_escalations_overdue Incident escalations past their moment plus the grace and not fired.',
    '# TYPE bulwark_incident_escalations_overdue gauge',
    `bulwark_incident_escalations_overdue ${overdue}`,
    '# HELP bulwark_incident_watchdog_findings_total Overdue escalations this process reported.',
    '# TYPE bulwark_incident_watchdog_findings_total counter',
    `bulwark_incident_watchdog_findings_total ${findingsReported}`,
  ];
});

/** One look: report what is overdue and not yet reported. Returns how many findings this pass reported. */
export async function watchdogPass(deps: Deps, log: WatchdogLog, graceMs = DEFAULT_WATCHDOG.graceMs): Promise<number> {
  lastGraceMs = graceMs;
  const now = deps.clock.now();
  const found = await store.overdueEscalations(deps.db, now - graceMs);
  if (found.length === 0) return 0;
  const reported = await transact(deps, systemCtx, async (tx) => {
    const ids = await store.markReported(
      tx,
      found.map((f) => f.id),
      now,
    );
    if (ids.length === 0) return [];
    const mine = found.filter((f) => ids.includes(f.id));
    const first = mine[0]!;
    const admins = await store.admins(tx);
    await notifyUsers(tx, deps, [...new Set(admins.map((a) => a.user_id))], {
      kind: 'incident.watchdog',
      params: { count: mine.length, dueAt: localDateTime(Number(first.due_at), deps.config.timeZone), level: first.unit_name, title: first.title },
      unitId: null,
      entity: 'incident',
      entityId: String(first.incident_id),
      link: `/incidents/${first.incident_id}`,
    });
    await recordAudit(tx, deps, systemCtx, {
      action: 'incident.watchdog_found',
      entity: 'incident',
      entityId: first.incident_id,
      unitId: null,
      after: { escalations: mine.map((f) => ({ id: f.id, incidentId: f.incident_id, level: f.position, kind: f.kind, dueAt: Number(f.due_at) })) },
    });
    return mine;
  });
  for (const f of reported) {
    log.error(
      { incidentId: f.incident_id, level: f.position, unitId: f.unit_id, kind: f.kind, dueAt: Number(f.due_at), lateMs: now - Number(f.due_at) },
      'INCIDENT ESCALATION OVERDUE AND NOT FIRED: the watchdog found an escalation past its moment (check the job runner)',
    );
  }
  findingsReported += reported.length;
  return reported.length;
}

/** Start the timer; the answer stops it. A failing pass is logged and the next one tries again. */
export function startIncidentWatchdog(deps: Deps, log: WatchdogLog, opts: WatchdogOptions = DEFAULT_WATCHDOG): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    watchdogPass(deps, log, opts.graceMs)
      .catch((err: unknown) => log.error({ err: String(err) }, 'incident watchdog pass failed'))
      .finally(() => {
        running = false;
      });
  }, opts.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
