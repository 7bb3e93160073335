import {
  MatrixPage,
  OverduePage,
  SupervisionFinding,
  SupervisionFindingPage,
  type EvidenceLink,
  type FindingCreate,
  type FindingDecisionInput,
  type FindingListQuery,
  type FindingUpdate,
  type OverdueKind,
} from '../../../common/schemas/supervision.js';
import { Scorecard, ScorecardMissPage, type ScorecardMetric } from '../../../common/schemas/scorecard.js';
import { request } from './client';

export { EMPTY_POST_KINDS, FINDING_DECISIONS, OVERDUE_KINDS, SUPERVISION_FINDING_STATUSES } from '../../../common/schemas/supervision.js';
export type {
  EmptyPost,
  EmptyPostKind,
  Evidence,
  FindingDecisionKind,
  FindingSubjectKind,
  MatrixPlace,
  MatrixShift,
  MatrixTask,
  MatrixUnit,
  OverdueItem,
  OverdueKind,
  OverdueRef,
  Responsible,
  SupervisionFindingStatus,
} from '../../../common/schemas/supervision.js';
export type { EvidenceLink, FindingCreate, FindingDecisionInput, FindingUpdate, MatrixPage, OverduePage, SupervisionFinding, SupervisionFindingPage };
export { LOWER_IS_BETTER, SCORECARD_METRICS } from '../../../common/schemas/scorecard.js';
export type { MetricFigures, MissPerson, Scorecard, ScorecardMetric, ScorecardMiss, ScorecardMissPage, ScorecardRow } from '../../../common/schemas/scorecard.js';

const V1 = '/api/v1/supervision';
type Paging = { page: number; pageSize: number };

// ── responsibility matrix (责任矩阵) ──
export const getMatrix = (q: { unitId?: number; emptyOnly?: boolean } & Paging) =>
  request('GET', `${V1}/matrix`, { schema: MatrixPage, query: { unitId: q.unitId, emptyOnly: q.emptyOnly ? 'true' : undefined, page: q.page, pageSize: q.pageSize } });

// ── the overdue view (逾期事项) ──
export const listOverdue = (q: { unitId?: number; kind?: OverdueKind } & Paging) => request('GET', `${V1}/overdue`, { schema: OverduePage, query: { ...q } });

// ── scorecard (考核排名) ──
export const getScorecard = (q: { unitId: number; from?: string; to?: string }) => request('GET', `${V1}/scorecard`, { schema: Scorecard, query: { ...q } });
export const listMisses = (q: { unitId: number; metric: ScorecardMetric; from?: string; to?: string } & Paging) =>
  request('GET', `${V1}/scorecard/misses`, { schema: ScorecardMissPage, query: { ...q } });

// ── findings (问题线索) ──
type FindingFilter = Omit<FindingListQuery, 'unitId' | 'personId' | 'page' | 'pageSize'> & { unitId?: number; personId?: number } & Paging;
export const listSupervisionFindings = (q: FindingFilter) => request('GET', `${V1}/findings`, { schema: SupervisionFindingPage, query: { ...q } });
export const getSupervisionFinding = (id: number) => request('GET', `${V1}/findings/${id}`, { schema: SupervisionFinding });
export const openSupervisionFinding = (body: FindingCreate) => request('POST', `${V1}/findings`, { schema: SupervisionFinding, body });
export const updateSupervisionFinding = (id: number, body: FindingUpdate) => request('PATCH', `${V1}/findings/${id}`, { schema: SupervisionFinding, body });
export const linkEvidence = (id: number, body: EvidenceLink) => request('POST', `${V1}/findings/${id}/evidence`, { schema: SupervisionFinding, body });
export const decideSupervisionFinding = (id: number, body: FindingDecisionInput) => request('POST', `${V1}/findings/${id}/decision`, { schema: SupervisionFinding, body });
export const closeSupervisionFinding = (id: number) => request('POST', `${V1}/findings/${id}/close`, { schema: SupervisionFinding, body: {} });
