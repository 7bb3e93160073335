import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  DutyLog,
  DutyLogQuery,
  FeedCreated,
  FeedParams,
  FeedStatus,
  GapList,
  GapQuery,
  GenerateRequest,
  GenerateResult,
  HandoverAnswer,
  HandoverPut,
  Handover,
  MyShifts,
  NowAnswer,
  NowQuery,
  Roster,
  RosterList,
  RosterListQuery,
  RosterParams,
  RosterPut,
  Shift,
  ShiftCreate,
  ShiftList,
  ShiftListQuery,
  ShiftParams,
  ShiftPatch,
  Swap,
  SwapAnswer,
  SwapCreate,
  SwapDecision,
  SwapList,
  SwapListQuery,
  SwapParams,
} from '../../../common/schemas/duty.js';
import { Ok } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as handovers from './duty.handovers.js';
import { ICAL_CONTENT_TYPE } from './duty.ical.js';
import * as me from './duty.me.js';
import * as now from './duty.now.js';
import * as duty from './duty.service.js';
import * as swaps from './duty.swaps.js';

const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/** Duty rosters (值班表): rosters, shifts, swaps, gaps, who is on duty now, handovers, the log, my shifts and the feed. */
export function dutyRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['duty'];

  r.get('/api/v1/duty/rosters', { schema: { tags, summary: 'The units that keep duty in a subtree (duty.read)', querystring: RosterListQuery, response: { 200: RosterList } } }, (req) =>
    duty.listRosters(deps, ctxOf(req), req.query),
  );
  r.put('/api/v1/duty/rosters/:unitId', { schema: { tags, summary: 'Make a unit keep duty, or change its roster note (duty.write)', params: RosterParams, body: RosterPut, response: { 200: Roster } } }, (req) =>
    duty.putRoster(deps, ctxOf(req), req.params.unitId, req.body),
  );
  r.delete('/api/v1/duty/rosters/:unitId', { schema: { tags, summary: 'Stop keeping duty at a unit with no shift ahead (duty.write)', params: RosterParams, response: { 200: Ok } } }, (req) =>
    duty.deleteRoster(deps, ctxOf(req), req.params.unitId),
  );
  r.post(
    '/api/v1/duty/rosters/:unitId/generate',
    { schema: { tags, summary: 'Fill a range of days from a rotation pattern, replacing future un-swapped shifts (duty.write)', params: RosterParams, body: GenerateRequest, response: { 200: GenerateResult } } },
    (req) => duty.generateRange(deps, ctxOf(req), req.params.unitId, req.body),
  );

  r.get('/api/v1/duty/shifts', { schema: { tags, summary: 'One unit’s shifts overlapping [from, to) (duty.read)', querystring: ShiftListQuery, response: { 200: ShiftList } } }, (req) =>
    duty.listShifts(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/duty/shifts', { schema: { tags, summary: 'Add one shift (duty.write; Idempotency-Key)', body: ShiftCreate, response: { 201: Shift } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => duty.createShift(deps, ctx, req.body)),
  );
  r.get('/api/v1/duty/shifts/:id', { schema: { tags, summary: 'One shift (duty.read, or on it)', params: ShiftParams, response: { 200: Shift } } }, (req) => duty.getShift(deps, ctxOf(req), req.params.id));
  r.patch('/api/v1/duty/shifts/:id', { schema: { tags, summary: 'Change a shift’s times, people or note (duty.write)', params: ShiftParams, body: ShiftPatch, response: { 200: Shift } } }, (req) =>
    duty.updateShift(deps, ctxOf(req), req.params.id, req.body),
  );
  r.delete('/api/v1/duty/shifts/:id', { schema: { tags, summary: 'Remove a shift that has not started (duty.write)', params: ShiftParams, response: { 200: Ok } } }, (req) =>
    duty.deleteShift(deps, ctxOf(req), req.params.id),
  );
  r.get('/api/v1/duty/shifts/:id/handover', { schema: { tags, summary: 'The shift’s own handover note (duty.read, or on it)', params: ShiftParams, response: { 200: HandoverAnswer } } }, (req) =>
    handovers.getHandover(deps, ctxOf(req), req.params.id),
  );
  r.put(
    '/api/v1/duty/shifts/:id/handover',
    { schema: { tags, summary: 'Write the shift’s handover note (the people on it, or duty.write; from its start to 12 h after its end)', params: ShiftParams, body: HandoverPut, response: { 200: Handover } } },
    (req) => handovers.putHandover(deps, ctxOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/v1/duty/shifts/:id/previous-handover',
    { schema: { tags, summary: 'The handover the previous shift left for this one (duty.read, or on it)', params: ShiftParams, response: { 200: HandoverAnswer } } },
    (req) => handovers.previousHandover(deps, ctxOf(req), req.params.id),
  );

  r.get('/api/v1/duty/swaps', { schema: { tags, summary: 'Swaps of a subtree, newest first (duty.read)', querystring: SwapListQuery, response: { 200: SwapList } } }, (req) =>
    swaps.listSwaps(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/duty/swaps', { schema: { tags, summary: 'Ask a swap for one of my shifts (Idempotency-Key)', body: SwapCreate, response: { 201: Swap } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => swaps.askSwap(deps, ctx, req.body)),
  );
  r.get('/api/v1/duty/swaps/:id', { schema: { tags, summary: 'One swap (a party to it, or duty.read)', params: SwapParams, response: { 200: Swap } } }, (req) => swaps.getSwap(deps, ctxOf(req), req.params.id));
  for (const [step, summary, body] of [
    ['accept', 'The other person agrees to the swap', SwapAnswer],
    ['decline', 'The other person declines the swap', SwapAnswer],
    ['approve', 'The unit head approves the swap: applied at once (duty.write)', SwapDecision],
    ['refuse', 'The unit head refuses the swap (duty.write)', SwapDecision],
  ] as const) {
    r.post(`/api/v1/duty/swaps/:id/${step}`, { schema: { tags, summary, params: SwapParams, body, response: { 200: Swap } } }, (req) => swaps.moveSwapOn(deps, ctxOf(req), req.params.id, step, req.body.note));
  }
  r.post('/api/v1/duty/swaps/:id/cancel', { schema: { tags, summary: 'The asker withdraws a swap not yet decided', params: SwapParams, response: { 200: Swap } } }, (req) =>
    swaps.moveSwapOn(deps, ctxOf(req), req.params.id, 'cancel', undefined),
  );

  r.get('/api/v1/duty/gaps', { schema: { tags, summary: 'Hours in the coming days without a leader or an officer at units that keep duty in a subtree (duty.read)', querystring: GapQuery, response: { 200: GapList } } }, (req) =>
    now.listGaps(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/duty/now', { schema: { tags, summary: 'Who is on duty now at a unit and at each level above it that keeps duty (any grant over the unit)', querystring: NowQuery, response: { 200: NowAnswer } } }, (req) =>
    now.whoIsOnDutyNow(deps, ctxOf(req), req.query.unitId),
  );
  r.get('/api/v1/duty/log', { schema: { tags, summary: 'The duty log of a unit’s day: shifts, handovers and other modules’ entries (duty.read)', querystring: DutyLogQuery, response: { 200: DutyLog } } }, (req) =>
    handovers.dutyLog(deps, ctxOf(req), req.query.unitId, req.query.day),
  );
  r.get(
    '/api/v1/duty/feed/:token.ics',
    { config: { public: true }, schema: { tags, summary: 'A person’s private calendar feed (iCalendar); the token in the URL is the credential', params: FeedParams } },
    async (req, reply) => {
      const body = await me.feedCalendar(deps, req.params.token);
      void reply.type(ICAL_CONTENT_TYPE).header('cache-control', 'private, no-cache').header('referrer-policy', 'no-referrer');
      return reply.send(body);
    },
  );

  r.get('/api/v1/me/shifts', { schema: { tags, summary: 'My coming shifts (the phone’s 我的值班)', response: { 200: MyShifts } } }, (req) => me.myShifts(deps, ctxOf(req)));
  r.get('/api/v1/me/shifts/feed', { schema: { tags, summary: 'Whether my calendar feed exists', response: { 200: FeedStatus } } }, (req) => me.feedStatus(deps, ctxOf(req)));
  r.post('/api/v1/me/shifts/feed', { schema: { tags, summary: 'Make or rotate my calendar feed’s secret URL (shown once)', response: { 200: FeedCreated } } }, (req) =>
    me.createFeed(deps, ctxOf(req), originOf(req)),
  );
  r.delete('/api/v1/me/shifts/feed', { schema: { tags, summary: 'Stop my calendar feed', response: { 200: Ok } } }, (req) => me.deleteFeed(deps, ctxOf(req)));
  r.get('/api/v1/me/swaps', { schema: { tags, summary: 'Swaps I asked or was asked for', response: { 200: SwapList } } }, (req) => swaps.mySwaps(deps, ctxOf(req)));
}
