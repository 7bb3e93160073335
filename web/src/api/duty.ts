import type { z } from 'zod';
import {
  DutyLog,
  GapList,
  GenerateResult,
  HandoverAnswer,
  Handover,
  NowAnswer,
  Roster,
  RosterList,
  Shift,
  ShiftList,
  Swap,
  SwapList,
  type GenerateRequest,
  type ShiftCreate,
  type ShiftPatch,
  type SwapCreate,
  type SwapStatus,
} from '../../../common/schemas/duty.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export type { DutyLog, DutyLogEntry, DutyRole, Gap, GapList, Handover, MyShift, NowAnswer, NowLevel, Pattern, Roster, Shift, ShiftPerson, Swap, SwapStatus } from '../../../common/schemas/duty.js';

const V1 = '/api/v1';

// ── rosters ──
export const listRosters = (unitId: number) => request('GET', `${V1}/duty/rosters`, { schema: RosterList, query: { unitId } });
/** Make a unit keep duty (a roster row); the note is optional. */
export const putRoster = (unitId: number, note: string | null = null) => request('PUT', `${V1}/duty/rosters/${unitId}`, { schema: Roster, body: { note } });
export const generateShifts = (unitId: number, body: z.input<typeof GenerateRequest>) => request('POST', `${V1}/duty/rosters/${unitId}/generate`, { schema: GenerateResult, body });

// ── shifts ──
export const listShifts = (unitId: number, from: number, to: number) => request('GET', `${V1}/duty/shifts`, { schema: ShiftList, query: { unitId, from, to } });
export const createShift = (body: z.input<typeof ShiftCreate>) => request('POST', `${V1}/duty/shifts`, { schema: Shift, body });
export const updateShift = (id: number, body: z.input<typeof ShiftPatch>) => request('PATCH', `${V1}/duty/shifts/${id}`, { schema: Shift, body });
export const deleteShift = (id: number) => request('DELETE', `${V1}/duty/shifts/${id}`, { schema: Ok });
export const getHandover = (shiftId: number) => request('GET', `${V1}/duty/shifts/${shiftId}/handover`, { schema: HandoverAnswer });
export const putHandover = (shiftId: number, body: string) => request('PUT', `${V1}/duty/shifts/${shiftId}/handover`, { schema: Handover, body: { body } });

// ── swaps ──
export const listSwaps = (unitId: number, status?: SwapStatus) => request('GET', `${V1}/duty/swaps`, { schema: SwapList, query: { unitId, status } });
export const askSwap = (body: z.input<typeof SwapCreate>) => request('POST', `${V1}/duty/swaps`, { schema: Swap, body });
export const approveSwap = (id: number, note?: string) => request('POST', `${V1}/duty/swaps/${id}/approve`, { schema: Swap, body: note ? { note } : {} });
export const refuseSwap = (id: number, note?: string) => request('POST', `${V1}/duty/swaps/${id}/refuse`, { schema: Swap, body: note ? { note } : {} });

// ── coverage, now, log ──
export const listGaps = (unitId: number) => request('GET', `${V1}/duty/gaps`, { schema: GapList, query: { unitId } });
export const dutyNow = (unitId: number) => request('GET', `${V1}/duty/now`, { schema: NowAnswer, query: { unitId } });
export const dutyLog = (unitId: number, day?: string) => request('GET', `${V1}/duty/log`, { schema: DutyLog, query: { unitId, day } });

