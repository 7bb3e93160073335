import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorFromApiToken, actorFromSession, SESSION_COOKIE } from '../modules/auth/auth.service.js';
import { flushSessionTouches } from '../modules/auth/session.touches.js';
import { errors } from './errors.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Ant Design writes its CSS-in-JS into <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // "null" (sandboxed frames, file://) or garbage: never our origin
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security headers on every answer, the actor resolved from cookie or bearer token, and a CSRF
 * guard: a cookie-authenticated write must come from our own origin (browsers send Origin on
 * cross-site POSTs) and cannot be a plain HTML form (those cannot send JSON).
 */
export function installSecurity(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('actor', null);
  // Sessions' sliding expiry is written in batches; the last batch is written before the database closes.
  app.addHook('onClose', async () => flushSessionTouches(deps));

  // Callback style, like every hook that awaits nothing: an async hook costs each request a promise.
  app.addHook('onSend', (req, reply, payload, done) => {
    const url = req.url;
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    if (!url.startsWith('/api/docs')) void reply.header('content-security-policy', CSP);
    // Personal data must not linger in shared or browser caches.
    if (url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.actor = await actorFromApiToken(deps, auth.slice(7).trim());
      if (!req.actor) throw errors.unauthenticated('Invalid or revoked API token');
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.actor = await actorFromSession(deps, token);
    // Every API route needs a signed-in actor unless it says it is public, and this is decided
    // before the body is parsed or validated: without a session the answer is 401, whatever was
    // sent. Static files, the docs page and unmatched URLs (answered 404) need none.
    const route = req.routeOptions.url;
    if (!req.actor && route?.startsWith('/api/v1/') && !req.routeOptions.config.public) throw errors.unauthenticated();
    if (req.actor && MUTATING.has(req.method)) {
      const origin = req.headers.origin;
      const host = req.headers.host;
      if (origin && host && originHost(origin) !== host) throw errors.forbidden('Cross-site request refused');
    }
  });
}
