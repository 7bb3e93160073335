import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CareActionCreate,
  CareBoard,
  CareCaseClose,
  CareCaseCreate,
  CareCaseDetail,
  CareCaseListQuery,
  CareCasePage,
  CareCaseUpdate,
  CareFigures,
  CareFiguresQuery,
  CareNeedCreate,
  CareNeedParams,
  CareNeedUpdate,
  CareOfficerList,
  CareRequest,
  CareRequestAddToCase,
  CareRequestDecline,
  CareRequestListQuery,
  CareRequestOpenCase,
  CareRequestPage,
  CareSuggestionDismiss,
  CareSuggestionList,
  CareSuggestionOpen,
  CareSuggestionQuery,
  MyCare,
  MyCareRequestCreate,
} from '../../../common/schemas/care.js';
import { IdParams, Ok } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { careBoard, careFigures, myCare } from './care.board.js';
import { careKeyFor } from './care.crypto.js';
import { addRequestToCase, createMyRequest, declineRequest, listRequests, openCaseFromRequest } from './care.requests.js';
import * as care from './care.service.js';
import { dismissSuggestion, listSuggestions, openSuggestion } from './care.suggest.js';

/**
 * Care cases (关爱帮扶): cases, needs, actions, suggestions, requests, the board, the figures, and
 * the person's own view. The route list with permissions is at the top of common/schemas/care.ts.
 */
export function careRoutes(app: FastifyInstance, deps: Deps): void {
  // Read or make the counselling notes' key now, at start: a bad key file stops the server at once.
  careKeyFor(deps.config);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['care'];

  r.get('/api/v1/care/cases', { schema: { tags, summary: 'Care cases of a subtree, least recently contacted first; an audited read (care.read)', querystring: CareCaseListQuery, response: { 200: CareCasePage } } }, (req) =>
    care.listCases(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/care/cases', { schema: { tags, summary: 'Open a care case by hand (care.write; Idempotency-Key)', body: CareCaseCreate, response: { 201: CareCaseDetail } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => care.createCase(deps, ctx, req.body)),
  );
  r.get('/api/v1/care/cases/:id', { schema: { tags, summary: 'One care case with needs and actions (counselling notes to their writer only); an audited read (care.read)', params: IdParams, response: { 200: CareCaseDetail } } }, (req) =>
    care.getCase(deps, ctxOf(req), req.params.id),
  );
  r.patch('/api/v1/care/cases/:id', { schema: { tags, summary: 'Change a care case or reassign its care officer (care.write)', params: IdParams, body: CareCaseUpdate, response: { 200: CareCaseDetail } } }, (req) =>
    care.updateCase(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/care/cases/:id/close', { schema: { tags, summary: 'Close a care case with its outcome (care.write)', params: IdParams, body: CareCaseClose, response: { 200: CareCaseDetail } } }, (req) =>
    care.closeCase(deps, ctxOf(req), req.params.id, req.body),
  );
  r.get('/api/v1/care/cases/:id/officers', { schema: { tags, summary: 'Who may be the case’s care officer (care.write)', params: IdParams, response: { 200: CareOfficerList } } }, (req) =>
    care.officersFor(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/care/cases/:id/needs', { schema: { tags, summary: 'Add a need to a care case (care.write)', params: IdParams, body: CareNeedCreate, response: { 200: CareCaseDetail } } }, (req) =>
    care.addNeed(deps, ctxOf(req), req.params.id, req.body),
  );
  r.patch('/api/v1/care/cases/:id/needs/:needId', { schema: { tags, summary: 'Move a need’s state or change its note (care.write)', params: CareNeedParams, body: CareNeedUpdate, response: { 200: CareCaseDetail } } }, (req) =>
    care.updateNeed(deps, ctxOf(req), req.params.id, req.params.needId, req.body),
  );
  r.post(
    '/api/v1/care/cases/:id/actions',
    { schema: { tags, summary: 'Record a care action; a counselling note is stored encrypted; the answer hides counselling notes (care.write; Idempotency-Key)', params: IdParams, body: CareActionCreate, response: { 201: CareCaseDetail } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => care.addAction(deps, ctx, req.params.id, req.body)),
  );
  r.get('/api/v1/care/suggestions', { schema: { tags, summary: 'Suggested care cases, computed live (care.write)', querystring: CareSuggestionQuery, response: { 200: CareSuggestionList } } }, (req) =>
    listSuggestions(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/care/suggestions/open', { schema: { tags, summary: 'Open the suggested care case (care.write; Idempotency-Key)', body: CareSuggestionOpen, response: { 201: CareCaseDetail } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => openSuggestion(deps, ctx, req.body)),
  );
  r.post('/api/v1/care/suggestions/dismiss', { schema: { tags, summary: 'Stop suggesting this one (care.write)', body: CareSuggestionDismiss, response: { 200: Ok } } }, (req) =>
    dismissSuggestion(deps, ctxOf(req), req.body),
  );
  r.get('/api/v1/care/requests', { schema: { tags, summary: 'Requests for help of a subtree, oldest first; an audited read (care.read)', querystring: CareRequestListQuery, response: { 200: CareRequestPage } } }, (req) =>
    listRequests(deps, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/care/requests/:id/open-case',
    { schema: { tags, summary: 'Turn a request into a new care case with its need (care.write; Idempotency-Key)', params: IdParams, body: CareRequestOpenCase, response: { 201: CareCaseDetail } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => openCaseFromRequest(deps, ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/care/requests/:id/add-to-case',
    { schema: { tags, summary: 'Turn a request into a need on the person’s open case (care.write)', params: IdParams, body: CareRequestAddToCase, response: { 200: CareCaseDetail } } },
    (req) => addRequestToCase(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post('/api/v1/care/requests/:id/decline', { schema: { tags, summary: 'Answer a request without a case (care.write)', params: IdParams, body: CareRequestDecline, response: { 200: CareRequest } } }, (req) =>
    declineRequest(deps, ctxOf(req), req.params.id, req.body),
  );
  r.get('/api/v1/care/board', { schema: { tags, summary: 'The care board of a subtree: per unit below, open cases by kind, needs not met, last contact, uncontacted (care.read)', querystring: CareFiguresQuery, response: { 200: CareBoard } } }, (req) =>
    careBoard(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/care/figures', { schema: { tags, summary: 'Care counts of a subtree and of each child unit, no contents (care.figures)', querystring: CareFiguresQuery, response: { 200: CareFigures } } }, (req) =>
    careFigures(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/me/care', { schema: { tags, summary: 'The signed-in person’s own care cases (their counselling notes included) and requests', response: { 200: MyCare } } }, (req) => myCare(deps, ctxOf(req)));
  r.post('/api/v1/me/care-requests', { schema: { tags, summary: 'Ask for help (a user linked to a person; Idempotency-Key)', body: MyCareRequestCreate, response: { 201: CareRequest } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => createMyRequest(deps, ctx, req.body)),
  );
}
