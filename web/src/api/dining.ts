import type { z } from 'zod';
import { ContactActionResult, ContactCandidates, type ContactAction } from '../../../common/schemas/contacts.js';
import { Canteen, CanteenList, Plan, PlanList, type CanteenCreate, type CanteenPatch, type PlanMove, type PlanPublish, type PlanRun } from '../../../common/schemas/dining.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export type { Canteen, CanteenListItem, Diner, DinerInput, Meal, MealWindows, Plan, PlanMeal, PlanSlot, PlanStatus, PlanSummary, Unplaced, UnplacedReason, Window } from '../../../common/schemas/dining.js';
export type { ContactCandidate, ContactCandidates } from '../../../common/schemas/contacts.js';

const V1 = '/api/v1';

// ── canteens ──
export const listCanteens = (unitId?: number) => request('GET', `${V1}/canteens`, { schema: CanteenList, query: { unitId } });
export const getCanteen = (id: number) => request('GET', `${V1}/canteens/${id}`, { schema: Canteen });
export const createCanteen = (body: z.input<typeof CanteenCreate>) => request('POST', `${V1}/canteens`, { schema: Canteen, body });
export const updateCanteen = (id: number, body: z.input<typeof CanteenPatch>) => request('PATCH', `${V1}/canteens/${id}`, { schema: Canteen, body });
/** Archive: its plans stay as history. */
export const archiveCanteen = (id: number) => request('DELETE', `${V1}/canteens/${id}`, { schema: Ok });

// ── plans ──
export const listPlans = (canteenId: number) => request('GET', `${V1}/canteens/${canteenId}/plans`, { schema: PlanList });
export const getPlan = (canteenId: number, planId: number) => request('GET', `${V1}/canteens/${canteenId}/plans/${planId}`, { schema: Plan });
/** Run the planner for a day: a new draft. */
export const runPlanner = (canteenId: number, body: z.input<typeof PlanRun>) => request('POST', `${V1}/canteens/${canteenId}/plans`, { schema: Plan, body });
export const moveUnit = (canteenId: number, planId: number, body: z.input<typeof PlanMove>) => request('POST', `${V1}/canteens/${canteenId}/plans/${planId}/moves`, { schema: Plan, body });
export const publishPlan = (canteenId: number, planId: number, body: z.input<typeof PlanPublish>) => request('POST', `${V1}/canteens/${canteenId}/plans/${planId}/publish`, { schema: Plan, body });
export const discardPlan = (canteenId: number, planId: number) => request('DELETE', `${V1}/canteens/${canteenId}/plans/${planId}`, { schema: Ok });

// ── contact candidates ──
export const contactCandidates = (personId: number, days?: number) => request('GET', `${V1}/people/${personId}/contact-candidates`, { schema: ContactCandidates, query: { days } });
export const actOnContacts = (personId: number, body: z.input<typeof ContactAction>) => request('POST', `${V1}/people/${personId}/contact-candidates/actions`, { schema: ContactActionResult, body });
