import type { Insertable } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { SupervisionEvidenceRow, SupervisionFindingEvidenceTable, SupervisionFindingRow, SupervisionFindingsTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of supervision findings and their evidence. Evidence rows are inserted, never updated or deleted. */

export interface FindingView extends SupervisionFindingRow {
  unit_name: string;
  unit_path: string;
  person_name: string | null;
  opened_by: string | null;
  decided_by: string | null;
  closed_by: string | null;
  evidence_count: number;
}

function findingQuery(db: Conn) {
  return db
    .selectFrom('supervision_findings as f')
    .innerJoin('units as u', 'u.id', 'f.unit_id')
    .leftJoin('people as p', 'p.id', 'f.person_id')
    .leftJoin('users as uo', 'uo.id', 'f.opened_by_user_id')
    .leftJoin('users as ud', 'ud.id', 'f.decided_by_user_id')
    .leftJoin('users as uc', 'uc.id', 'f.closed_by_user_id')
    .selectAll('f')
    .select((eb) => [
      'u.name as unit_name',
      'u.path as unit_path',
      'p.name as person_name',
      'uo.username as opened_by',
      'ud.username as decided_by',
      'uc.username as closed_by',
      eb
        .selectFrom('supervision_finding_evidence as e')
        .whereRef('e.finding_id', '=', 'f.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('evidence_count'),
    ]);
}

const normalise = (r: FindingView): FindingView => ({ ...r, evidence_count: Number(r.evidence_count) });

export async function findFinding(db: Conn, id: number): Promise<FindingView | undefined> {
  const r = (await findingQuery(db).where('f.id', '=', id).executeTakeFirst()) as FindingView | undefined;
  return r && normalise(r);
}

export interface FindingFilter {
  paths: readonly string[];
  status?: string | undefined;
  subject?: string | undefined;
  personId?: number | undefined;
}

/** One page of findings of these subtrees: open first, newest first. */
export async function listFindings(db: Conn, f: FindingFilter, offset: number, limit: number): Promise<{ rows: FindingView[]; total: number }> {
  let q = findingQuery(db).where((eb) => pathInSubtrees(eb, 'u.path', f.paths));
  if (f.status) q = q.where('f.status', '=', f.status);
  if (f.subject) q = q.where('f.subject_kind', '=', f.subject);
  if (f.personId !== undefined) q = q.where('f.person_id', '=', f.personId);
  const [rows, count] = await Promise.all([
    q.orderBy('f.status', 'desc').orderBy('f.opened_at', 'desc').orderBy('f.id', 'desc').offset(offset).limit(limit).execute() as Promise<FindingView[]>,
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalise), total: Number(count.n) };
}

export async function insertFinding(tx: Conn, row: Insertable<SupervisionFindingsTable>): Promise<number> {
  const r = await tx.insertInto('supervision_findings').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Change a finding only while it is in `fromStatus`; false when it was not (a concurrent close). */
export async function updateFinding(tx: Conn, id: number, fromStatus: string, set: Partial<Insertable<SupervisionFindingsTable>>): Promise<boolean> {
  const r = await tx.updateTable('supervision_findings').set(set).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type EvidenceView = SupervisionEvidenceRow & { linked_by: string | null };

export async function evidenceOf(db: Conn, findingId: number): Promise<EvidenceView[]> {
  return db
    .selectFrom('supervision_finding_evidence as e')
    .leftJoin('users as us', 'us.id', 'e.linked_by_user_id')
    .selectAll('e')
    .select('us.username as linked_by')
    .where('e.finding_id', '=', findingId)
    .orderBy('e.id')
    .execute();
}

export async function findEvidence(db: Conn, findingId: number, id: number): Promise<SupervisionEvidenceRow | undefined> {
  return db.selectFrom('supervision_finding_evidence').selectAll().where('finding_id', '=', findingId).where('id', '=', id).executeTakeFirst();
}

export async function insertEvidence(tx: Conn, rows: Insertable<SupervisionFindingEvidenceTable>[]): Promise<void> {
  if (rows.length > 0) await tx.insertInto('supervision_finding_evidence').values(rows).execute();
}
