import type { z } from 'zod';
import type {
  FeedCreated as FeedCreatedSchema,
  FeedStatus as FeedStatusSchema,
  HandoverAnswer as HandoverAnswerSchema,
  Handover as HandoverSchema,
  MyShift as MyShiftSchema,
  MyShifts,
  ShiftList,
  Swap as SwapSchema,
  SwapCreate,
  SwapList,
} from '../../../../common/schemas/duty.js';
import type { PersonPage } from '../../../../common/schemas/org.js';
import { call } from '../api';

/** 我的值班's calls. Types come from the shared schemas (type imports only: no zod on the phone). */
export type MyShift = z.infer<typeof MyShiftSchema>;
export type Swap = z.infer<typeof SwapSchema>;
export type Handover = z.infer<typeof HandoverSchema>;
export type FeedStatus = z.infer<typeof FeedStatusSchema>;
export type FeedCreated = z.infer<typeof FeedCreatedSchema>;
export type Shift = z.infer<typeof ShiftList>['items'][number];
export type Person = z.infer<typeof PersonPage>['items'][number];

const V1 = '/api/v1';
export const myShifts = () => call<z.infer<typeof MyShifts>>('GET', `${V1}/me/shifts`);
export const mySwaps = () => call<z.infer<typeof SwapList>>('GET', `${V1}/me/swaps`);
/** One shift (mine, or one of a roster I may read). */
export const getShift = (id: number) => call<Shift>('GET', `${V1}/duty/shifts/${id}`);
export const getHandover = (shiftId: number) => call<z.infer<typeof HandoverAnswerSchema>>('GET', `${V1}/duty/shifts/${shiftId}/handover`);
export const previousHandover = (shiftId: number) => call<z.infer<typeof HandoverAnswerSchema>>('GET', `${V1}/duty/shifts/${shiftId}/previous-handover`);
export const putHandover = (shiftId: number, body: string) => call<Handover>('PUT', `${V1}/duty/shifts/${shiftId}/handover`, { body: { body } });
export const askSwap = (body: z.input<typeof SwapCreate>) => call<Swap>('POST', `${V1}/duty/swaps`, { body });
export const answerSwap = (id: number, action: 'accept' | 'decline' | 'cancel') => call<Swap>('POST', `${V1}/duty/swaps/${id}/${action}`, { body: {} });
export const feedStatus = () => call<FeedStatus>('GET', `${V1}/me/shifts/feed`);
export const makeFeed = () => call<FeedCreated>('POST', `${V1}/me/shifts/feed`, { body: {} });
export const stopFeed = () => call<{ ok: true }>('DELETE', `${V1}/me/shifts/feed`);

/** People to ask for a swap, for a user who may search the unit's people (a duty officer may; an employee may not: then 403/404). */
export const searchPeople = (unitId: number, q: string) => call<z.infer<typeof PersonPage>>('GET', `${V1}/people?unitId=${unitId}&status=active&pageSize=10&q=${encodeURIComponent(q)}`);
/** A unit's shifts in [from, to), for a user who may read its roster: the other person's shifts to exchange with. */
export const unitShifts = (unitId: number, from: number, to: number) => call<z.infer<typeof ShiftList>>('GET', `${V1}/duty/shifts?unitId=${unitId}&from=${from}&to=${to}`);
