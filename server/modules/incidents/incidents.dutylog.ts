import type { DutyLogEntry } from '../../../common/schemas/duty.js';
import type { IncidentEventKind } from '../../../common/schemas/incidents.js';
import type { Conn } from '../../db/database.js';
import type { DutyLogQuery } from '../duty/duty.log.js';

/** What the duty log says of each step at a level, in the deployment's language (the console localises by `kind`). */
const SAID: Partial<Record<IncidentEventKind, string>> = {
  filed: '上报',
  delivered: '送达本级',
  acknowledged: '本级签收',
  escalated: '报送上一级',
  alerted: '超时未签收，已提醒带班领导',
  skipped: '再次超时，越级上报',
  realerted: '超时未签收，再次提醒',
  instructed: '本级下达指示',
  instruction_acknowledged: '本级签收指示',
};

/**
 * The incidents' lines in a unit's duty log (值班日志) of a day: every step that happened at the unit
 * as a level — filed there, delivered to it, acknowledged, passed up, alerted, skipped, instructions
 * sent and acknowledged. Only which incident and the step: the log is read with
 * duty.read (supervisors too), so nothing of what happened or to whom, which needs incidents.read
 * on the incident's own page.
 */
export async function incidentDutyLogEntries(db: Conn, q: DutyLogQuery): Promise<DutyLogEntry[]> {
  // From the unit's levels (indexed by unit) to their events, and from the incidents filed at the
  // unit that day (indexed by unit and time): never a scan of every incident's timeline.
  const [atLevels, filed] = await Promise.all([
    db
      .selectFrom('incident_levels as l')
      .innerJoin('incident_events as e', (j) => j.onRef('e.incident_id', '=', 'l.incident_id').onRef('e.level_id', '=', 'l.id'))
      .select(['e.id', 'e.incident_id', 'e.kind', 'e.at'])
      .where('l.unit_id', '=', q.unitId)
      .where('e.at', '>=', q.from)
      .where('e.at', '<', q.to)
      .where('e.kind', 'in', Object.keys(SAID))
      .execute(),
    db
      .selectFrom('incidents as i')
      .innerJoin('incident_events as e', 'e.incident_id', 'i.id')
      .select(['e.id', 'e.incident_id', 'e.kind', 'e.at'])
      .where('i.unit_id', '=', q.unitId)
      .where('i.filed_at', '>=', q.from)
      .where('i.filed_at', '<', q.to)
      .where('e.kind', '=', 'filed')
      .execute(),
  ]);
  const rows = [...atLevels, ...filed].sort((a, b) => Number(a.at) - Number(b.at) || a.id - b.id);
  return rows.map((r) => ({
    at: Number(r.at),
    source: 'incidents',
    kind: r.kind,
    title: `紧急事项 #${r.incident_id}：${SAID[r.kind as IncidentEventKind] ?? r.kind}`,
    detail: null,
    ref: { entity: 'incident', id: r.incident_id },
  }));
}
