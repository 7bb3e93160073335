import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LoginBody, Me, PasswordChange } from '../../../common/schemas/auth.js';
import { Ok } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { errors } from '../../http/errors.js';
import { ctxOf } from '../../http/plumbing.js';
import * as auth from './auth.service.js';

export function authRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: deps.config.secureCookies, path: '/' };

  r.post('/api/v1/auth/login', { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: LoginBody, response: { 200: Me } } }, async (req, reply) => {
    const previous = req.cookies[auth.SESSION_COOKIE] ?? null;
    const { token, userId } = await auth.login(deps, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null, previousToken: previous });
    void reply.setCookie(auth.SESSION_COOKIE, token, { ...cookie, maxAge: Math.floor(deps.config.sessionAbsoluteMs / 1000) });
    const actor = await auth.actorFromSession(deps, token);
    if (!actor || actor.userId !== userId) throw errors.unauthenticated();
    return auth.describeMe(deps, actor);
  });

  r.post('/api/v1/auth/logout', { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign out; ends the session', response: { 200: Ok } } }, async (req, reply) => {
    const token = req.cookies[auth.SESSION_COOKIE];
    if (token) await auth.logout(deps, token);
    void reply.clearCookie(auth.SESSION_COOKIE, cookie);
    return { ok: true as const };
  });

  r.get('/api/v1/me', { schema: { tags: ['auth'], summary: 'The signed-in user, grants and permissions', response: { 200: Me } } }, (req) =>
    auth.describeMe(deps, req.actor!),
  );

  r.post('/api/v1/me/password', { schema: { tags: ['auth'], summary: 'Change your own password; your other sessions end', body: PasswordChange, response: { 200: Ok } } }, async (req) => {
    await auth.changeOwnPassword(deps, ctxOf(req), req.body);
    return { ok: true as const };
  });
}
