import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IncidentAcknowledge,
  IncidentAction,
  IncidentClose,
  IncidentDetail,
  IncidentFile,
  IncidentInstruct,
  IncidentListQuery,
  IncidentPage,
  IncidentResolve,
  IncidentSettings,
  IncidentStreamQuery,
  IncidentTimeline,
  InstructionAcknowledge,
  InstructionParams,
} from '../../../common/schemas/incidents.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { liveBusFor } from '../../live/bus.js';
import { eventStreams } from '../../live/sse.js';
import { actorFromApiToken, actorFromSession, SESSION_COOKIE } from '../auth/auth.service.js';
import * as incidents from './incidents.service.js';
import { getIncidentSettings, putIncidentSettings } from './incidents.settings.js';
import { INCIDENTS_TOPIC, parseBusEvent } from './incidents.live.js';
import { streamAudience } from './incidents.stream.js';
import { incidentDutyLogEntries } from './incidents.dutylog.js';
import { registerDutyLogSource } from '../duty/duty.log.js';

/** The request's actor as of now (the security hook resolved it once, when the stream opened). */
async function currentActor(deps: Deps, req: FastifyRequest) {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return actorFromApiToken(deps, auth.slice(7).trim());
  const token = req.cookies[SESSION_COOKIE];
  return token ? actorFromSession(deps, token) : null;
}

/** Incidents (紧急事项): the board, filing, one incident and its timeline, the steps of its life, its live stream, its settings. */
export function incidentRoutes(app: FastifyInstance, deps: Deps): void {
  registerDutyLogSource('incidents', incidentDutyLogEntries);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['incidents'];
  r.get(
    '/api/v1/incidents',
    { schema: { tags, summary: 'The board: incidents in scope (default: not closed), open and most severe first, each with its current level and time left', querystring: IncidentListQuery, response: { 200: IncidentPage } } },
    (req) => incidents.listIncidents(deps, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/incidents',
    { schema: { tags, summary: 'File an incident at a unit (any grant covering it); its first level is told at once (Idempotency-Key)', body: IncidentFile, response: { 201: IncidentDetail } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => incidents.fileIncident(deps, ctx, req.body)),
  );

  const stream = eventStreams(app);
  r.get(
    '/api/v1/incidents/stream',
    {
      schema: {
        tags,
        summary: 'Server-sent events: `incident` {incidentId, event, status, at} after every change the user may see, `ready` once subscribed, heartbeat comments every 25 s',
        querystring: IncidentStreamQuery,
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      let audience = await streamAudience(deps, ctx, req.query.unitId);
      let inOrder: Promise<unknown> = Promise.resolve();
      // Asked again at each heartbeat: a signed-out user, a revoked grant, a shift that ended changes or ends the stream.
      const stillAllowed = async () => {
        const actor = await currentActor(deps, req);
        if (!actor) return false;
        try {
          audience = await streamAudience(deps, { actor, ip: req.ip }, req.query.unitId);
          return true;
        } catch {
          return false;
        }
      };
      await stream(
        req,
        reply,
        (send) =>
          liveBusFor(deps).subscribe(INCIDENTS_TOPIC, (payload) => {
            const e = parseBusEvent(payload);
            if (!e) return;
            // One after the other: an event that needs a look at the roster does not let a later one overtake it.
            inOrder = inOrder
              .then(() => audience.admits(e))
              .then(
                (ok) => ok && send('incident', { incidentId: e.incidentId, event: e.event, status: e.status, at: e.at }),
                () => undefined,
              );
          }),
        stillAllowed,
      );
    },
  );

  r.get('/api/v1/incidents/:id', { schema: { tags, summary: 'One incident: levels, people, instructions, timeline, abilities', params: IdParams, response: { 200: IncidentDetail } } }, (req) =>
    incidents.getIncident(deps, ctxOf(req), req.params.id),
  );
  r.get('/api/v1/incidents/:id/timeline', { schema: { tags, summary: 'The timeline of an incident, oldest first', params: IdParams, response: { 200: IncidentTimeline } } }, (req) =>
    incidents.incidentTimeline(deps, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/incidents/:id/acknowledge',
    { schema: { tags, summary: 'Acknowledge at the waiting level you act for (on shift there, or incidents.handle on its unit); below the top it goes up at once', params: IdParams, body: IncidentAcknowledge, response: { 200: IncidentDetail } } },
    (req) => incidents.acknowledgeIncident(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/incidents/:id/instructions',
    { schema: { tags, summary: 'Send an instruction down from a level the incident reached', params: IdParams, body: IncidentInstruct, response: { 200: IncidentDetail } } },
    (req) => incidents.instructIncident(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/incidents/:id/instructions/:instructionId/acknowledge',
    { schema: { tags, summary: 'A level below the sender acknowledges an instruction', params: InstructionParams, body: InstructionAcknowledge, response: { 200: IncidentDetail } } },
    (req) => incidents.acknowledgeInstruction(deps, ctxOf(req), req.params.id, req.params.instructionId, req.body),
  );
  r.post(
    '/api/v1/incidents/:id/actions',
    { schema: { tags, summary: 'Record an action taken (a level the incident reached)', params: IdParams, body: IncidentAction, response: { 200: IncidentDetail } } },
    (req) => incidents.recordIncidentAction(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/incidents/:id/resolve',
    { schema: { tags, summary: 'Record the resolution (the level that handles it: the top, once acknowledged)', params: IdParams, body: IncidentResolve, response: { 200: IncidentDetail } } },
    (req) => incidents.resolveIncident(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/incidents/:id/close',
    { schema: { tags, summary: 'Close a resolved incident (critical and major: with a review by the handling level)', params: IdParams, body: IncidentClose, response: { 200: IncidentDetail } } },
    (req) => incidents.closeIncident(deps, ctxOf(req), req.params.id, req.body),
  );
  r.get('/api/v1/settings/incidents', { schema: { tags, summary: 'How high each severity must go (incidents.handle on a root unit)', response: { 200: IncidentSettings } } }, (req) =>
    getIncidentSettings(deps, ctxOf(req)),
  );
  r.put('/api/v1/settings/incidents', { schema: { tags, summary: 'Replace the incident settings (incidents.handle on a root unit); incidents filed from then on follow them', body: IncidentSettings, response: { 200: IncidentSettings } } }, (req) =>
    putIncidentSettings(deps, ctxOf(req), req.body),
  );
}
