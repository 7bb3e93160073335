import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Me, SetupBody, SetupStatus } from '../../../common/schemas/auth.js';
import type { Deps } from '../../deps.js';
import { errors } from '../../http/errors.js';
import * as auth from '../auth/auth.service.js';
import * as setup from './setup.service.js';

export function setupRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/setup', { config: { public: true }, schema: { tags: ['setup'], summary: 'Whether first-run setup is still needed', response: { 200: SetupStatus } } }, () =>
    setup.setupStatus(deps),
  );
  r.post('/api/v1/setup', { config: { public: true }, schema: { tags: ['setup'], summary: 'First-run setup with the printed token', body: SetupBody, response: { 201: Me } } }, async (req, reply) => {
    await setup.completeSetup(deps, req.ip, req.body);
    const { token } = await auth.login(deps, { username: req.body.username, password: req.body.password, ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
    void reply.setCookie(auth.SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies, path: '/', maxAge: Math.floor(deps.config.sessionAbsoluteMs / 1000) });
    const actor = await auth.actorFromSession(deps, token);
    if (!actor) throw errors.unauthenticated();
    void reply.status(201);
    return auth.describeMe(deps, actor);
  });
}
