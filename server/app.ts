import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Deps } from './deps.js';
import { installErrorHandler, installNulGuard } from './http/plumbing.js';
import { AppError, errors } from './http/errors.js';
import { installSecurity } from './http/security.js';
import { installMetrics } from './http/metrics.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { setupRoutes } from './modules/setup/setup.routes.js';
import { unitRoutes } from './modules/org/units.routes.js';
import { peopleRoutes } from './modules/org/people.routes.js';
import { userRoutes } from './modules/org/users.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { importRoutes } from './modules/org/import.routes.js';
import { exportRoutes } from './modules/org/export.routes.js';
import { demoRoutes } from './modules/org/demo.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { notifyRoutes } from './modules/notify/notify.routes.js';
import { campaignRoutes } from './modules/health/campaigns.routes.js';
import { tripRoutes } from './modules/health/trips.routes.js';
import { riskAreaRoutes } from './modules/health/risk-areas.routes.js';
import { healthReportRoutes } from './modules/health/reports.routes.js';
import { fileRoutes } from './modules/files/files.routes.js';
import { reportRoutes } from './modules/directives/reports.routes.js';
import { measureRoutes } from './modules/measures/measures.routes.js';
import { directiveRoutes } from './modules/directives/directives.routes.js';
import { taskRoutes } from './modules/directives/tasks.routes.js';
import { boardRoutes } from './modules/directives/boards.routes.js';
import { meetingRoutes } from './modules/directives/meetings.routes.js';
import { noticeRoutes } from './modules/directives/notices.routes.js';
import { incidentRoutes } from './modules/incidents/incidents.routes.js';
import { dutyRoutes } from './modules/duty/duty.routes.js';
import { meetingRegistrationRoutes } from './modules/places/meetings.routes.js';
import { groupRoutes } from './modules/org/groups.routes.js';
import { diningRoutes } from './modules/places/dining.routes.js';
import { placeRoutes } from './modules/places/places.routes.js';
import { scorecardRoutes } from './modules/supervision/scorecard.routes.js';
import { overviewRoutes } from './modules/supervision/overview.routes.js';
import { volunteerRoutes } from './modules/volunteers/volunteers.routes.js';
import { supervisionRoutes } from './modules/supervision/supervision.routes.js';
import { careRoutes } from './modules/care/care.routes.js';
import { planRoutes } from './modules/plans/plans.routes.js';

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  /** A server-sent event stream: open until the client goes away. */
  stream: boolean;
}

export interface BuildOptions {
  logger?: boolean | object;
  /** Folder of the built console; the server serves it with an SPA fallback when present. */
  webRoot?: string | null;
}

function defaultWebRoot(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../web'), path.resolve(here, '../dist/web')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/** Build the HTTP application. Every route is recorded in `routes` for the authorization matrix. */
export type App = FastifyInstance & { routeTable: RouteInfo[] };

export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    trustProxy: process.env.BULWARK_TRUST_PROXY === 'true',
    bodyLimit: 1024 * 1024,
    requestTimeout: 120_000,
    ajv: { customOptions: { removeAdditional: false } },
    // Ids are short; a long one is refused by the id schema rather than by the router.
    routerOptions: { maxParamLength: 500 },
    // The router's own refusals (malformed URL, overlong parameter) answer in our one error shape.
    frameworkErrors: (_err, _req, reply) => {
      void (reply as unknown as FastifyReply).status(400).send(new AppError('bad_request', 'Malformed request URL').toBody());
    },
  });
  const routeTable: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const stream = Boolean((r.schema as { produces?: readonly string[] } | undefined)?.produces?.includes('text/event-stream'));
    for (const m of methods) if (m !== 'HEAD') routeTable.push({ method: m, url: r.url, public: Boolean(r.config?.public), stream });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installNulGuard(app);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Bulwark API', version: '1', description: 'Epidemic prevention and control along the organisation’s reporting lines.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'bulwark_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  installSecurity(app, deps);
  installMetrics(app, deps);

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => {
    await deps.db.selectFrom('settings').select('key').limit(1).execute();
    return { ok: true };
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  setupRoutes(app, deps);
  authRoutes(app, deps);
  unitRoutes(app, deps);
  peopleRoutes(app, deps);
  userRoutes(app, deps);
  auditRoutes(app, deps);
  importRoutes(app, deps);
  exportRoutes(app, deps);
  demoRoutes(app, deps);
  healthRoutes(app, deps);
  notifyRoutes(app, deps);
  campaignRoutes(app, deps);
  tripRoutes(app, deps);
  riskAreaRoutes(app, deps);
  healthReportRoutes(app, deps);
  fileRoutes(app, deps);
  reportRoutes(app, deps);
  measureRoutes(app, deps);
  directiveRoutes(app, deps);
  taskRoutes(app, deps);
  boardRoutes(app, deps);
  meetingRoutes(app, deps);
  noticeRoutes(app, deps);
  incidentRoutes(app, deps);
  dutyRoutes(app, deps);
  meetingRegistrationRoutes(app, deps); // rooms and meeting registrations
  groupRoutes(app, deps);
  diningRoutes(app, deps);
  placeRoutes(app, deps);
  scorecardRoutes(app, deps);
  overviewRoutes(app, deps);
  volunteerRoutes(app, deps);
  supervisionRoutes(app, deps); // issue 7: matrix, overdue view, findings
  careRoutes(app, deps);
  planRoutes(app, deps);

  const webRoot = opts.webRoot === undefined ? (deps.config.webRoot ?? defaultWebRoot()) : opts.webRoot;
  let indexHtml: Buffer | null = null;
  let mobileHtml: Buffer | null = null;
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'], maxAge: '1h' });
    indexHtml = fs.readFileSync(path.join(webRoot, 'index.html'));
    // The light mobile pages (web/m.html) are their own app under /m.
    if (fs.existsSync(path.join(webRoot, 'm.html'))) mobileHtml = fs.readFileSync(path.join(webRoot, 'm.html'));
  }
  app.setNotFoundHandler((req, reply) => {
    // Console routes are client-side: any non-API GET that is not a file gets the app shell.
    if (indexHtml && (req.method === 'GET' || req.method === 'HEAD') && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0] ?? '')) {
      const mobile = mobileHtml && /^\/m(\/|\?|$)/.test(req.url);
      void reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(mobile ? mobileHtml : indexHtml);
      return;
    }
    void reply.status(404).send(errors.notFound('route').toBody());
  });
  await app.ready();
  return Object.assign(app as FastifyInstance, { routeTable });
}
