import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../common/schemas/shared.js';
import { ApiTokenCreate, ApiTokenCreated, ApiTokenList, Grant, GrantCreate, GrantList, GrantListQuery, User, UserCreate, UserListQuery, UserPage, UserPatch } from '../../../common/schemas/org.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import * as users from './users.service.js';
import * as grants from './grants.service.js';

export function userRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/users', { schema: { tags: ['users'], summary: 'Accounts in scope', querystring: UserListQuery, response: { 200: UserPage } } }, (req) =>
    users.listUsers(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/users', { schema: { tags: ['users'], summary: 'Create an account', body: UserCreate, response: { 201: User } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => users.createUser(deps, ctx, req.body)),
  );
  r.get('/api/v1/users/:id', { schema: { tags: ['users'], summary: 'One account with its grants', params: IdParams, response: { 200: User } } }, (req) =>
    users.getUser(deps, ctxOf(req), req.params.id),
  );
  r.patch('/api/v1/users/:id', { schema: { tags: ['users'], summary: 'Rename, disable or reset the password of an account', params: IdParams, body: UserPatch, response: { 200: User } } }, (req) =>
    users.updateUser(deps, ctxOf(req), req.params.id, req.body),
  );

  r.get('/api/v1/grants', { schema: { tags: ['grants'], summary: 'Grants over units in scope', querystring: GrantListQuery, response: { 200: GrantList } } }, (req) =>
    grants.listGrants(deps, ctxOf(req), req.query),
  );
  r.post('/api/v1/grants', { schema: { tags: ['grants'], summary: 'Give a user a role over a unit subtree', body: GrantCreate, response: { 201: Grant } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => grants.createGrant(deps, ctx, req.body)),
  );
  r.delete('/api/v1/grants', { schema: { tags: ['grants'], summary: 'Withdraw a grant named by {userId, role, unitId}', body: GrantCreate, response: { 200: Ok } } }, (req) =>
    grants.deleteGrantByTriple(deps, ctxOf(req), req.body),
  );
  r.delete('/api/v1/grants/:id', { schema: { tags: ['grants'], summary: 'Withdraw a grant', params: IdParams, response: { 200: Ok } } }, (req) =>
    grants.deleteGrant(deps, ctxOf(req), req.params.id),
  );

  r.get('/api/v1/tokens', { schema: { tags: ['tokens'], summary: 'API tokens (never their secrets)', response: { 200: ApiTokenList } } }, (req) =>
    users.listApiTokens(deps, ctxOf(req)),
  );
  // No Idempotency-Key replay here: replaying would mean storing the secret, which is kept only hashed.
  r.post('/api/v1/tokens', { schema: { tags: ['tokens'], summary: 'Create an API token; the secret is shown once', body: ApiTokenCreate, response: { 201: ApiTokenCreated } } }, async (req, reply) => {
    const out = await users.createApiToken(deps, ctxOf(req), req.body);
    void reply.status(201);
    return out;
  });
  r.delete('/api/v1/tokens/:id', { schema: { tags: ['tokens'], summary: 'Revoke an API token', params: IdParams, response: { 200: Ok } } }, (req) =>
    users.revokeApiToken(deps, ctxOf(req), req.params.id),
  );
}
