import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { actorFromApiToken, actorFromSession, SESSION_COOKIE } from '../modules/auth/auth.service.js';

/** The request's actor as of now (the security hook resolved it once, when a long-lived stream opened). */
export async function currentActor(deps: Deps, req: FastifyRequest) {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return actorFromApiToken(deps, auth.slice(7).trim());
  const token = req.cookies[SESSION_COOKIE];
  return token ? actorFromSession(deps, token) : null;
}
