import type { z } from 'zod';
import {
  CoverageList,
  DrillPage,
  DrillStarted,
  PlanDetail,
  PlanPage,
  PlanReview,
  PlanReviewList,
  PlanRunList,
  PlanSelection,
  PlanVersion,
  type DrillStart as DrillStartSchema,
  type PlanCreate as PlanCreateSchema,
  type PlanEdit as PlanEditSchema,
  type PlanReviewCreate as PlanReviewCreateSchema,
} from '../../../common/schemas/plans.js';
import type { IncidentKind, IncidentSeverity } from '../../../common/schemas/incidents.js';
import { request } from './client';

export { MAX_DEADLINE_MINUTES, MAX_STEPS, PLAN_CARE_KINDS, STEP_ACTIONS, STEP_ROLES } from '../../../common/schemas/plans.js';
export type {
  Drill,
  Plan,
  PlanAbilities,
  PlanRun,
  PlanRunStep,
  PlanStep,
  PlanStepInput,
  PlanVersionState,
  RunStepState,
  StepActionKind,
  StepRole,
} from '../../../common/schemas/plans.js';
export type { CoverageList, DrillPage, PlanDetail, PlanReview, PlanRunList, PlanVersion };

const V1 = '/api/v1';

export interface PlanQuery {
  unitId?: number;
  kind?: IncidentKind;
  archived?: 'true' | 'false';
  page?: number;
  pageSize?: number;
}

// ── plans and versions ──
export const listPlans = (q: PlanQuery) => request('GET', `${V1}/plans`, { schema: PlanPage, query: { ...q } });
export const getPlan = (id: number) => request('GET', `${V1}/plans/${id}`, { schema: PlanDetail });
export const createPlan = (body: z.input<typeof PlanCreateSchema>) => request('POST', `${V1}/plans`, { schema: PlanDetail, body });
export const editPlan = (id: number, body: z.input<typeof PlanEditSchema>) => request('PUT', `${V1}/plans/${id}`, { schema: PlanDetail, body });
export const getPlanVersion = (id: number, version: number) => request('GET', `${V1}/plans/${id}/versions/${version}`, { schema: PlanVersion });
export const archivePlan = (id: number) => request('POST', `${V1}/plans/${id}/archive`, { schema: PlanDetail, body: {} });
export const selectPlan = (unitId: number, kind: IncidentKind, severity: IncidentSeverity) =>
  request('GET', `${V1}/plans/select`, { schema: PlanSelection, query: { unitId, kind, severity } });
export const planCoverage = (unitId?: number) => request('GET', `${V1}/plans/coverage`, { schema: CoverageList, query: { unitId } });

// ── drills, runs, reviews ──
export const startDrill = (id: number, body: z.input<typeof DrillStartSchema>) => request('POST', `${V1}/plans/${id}/drill`, { schema: DrillStarted, body });
export const listDrills = (q: { unitId?: number; planId?: number; page?: number; pageSize?: number }) => request('GET', `${V1}/plans/drills`, { schema: DrillPage, query: { ...q } });
export const incidentPlanRuns = (incidentId: number) => request('GET', `${V1}/incidents/${incidentId}/plan-runs`, { schema: PlanRunList });
export const incidentReviews = (incidentId: number) => request('GET', `${V1}/incidents/${incidentId}/reviews`, { schema: PlanReviewList });
export const writeReview = (incidentId: number, body: z.input<typeof PlanReviewCreateSchema>) =>
  request('POST', `${V1}/incidents/${incidentId}/reviews`, { schema: PlanReview, body });
export const openReviewChanges = (reviewId: number) => request('POST', `${V1}/plan-reviews/${reviewId}/open-changes`, { schema: PlanDetail, body: {} });

