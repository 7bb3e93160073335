import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DemoLoadBody, DemoLoaded } from '../../../common/schemas/import.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import * as demo from './demo.js';

export function demoRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The body may be left out (null): the defaults load. No Idempotency-Key replay: the answer holds the demo logins' passwords, which are never stored.
  r.post(
    '/api/v1/setup/demo',
    { schema: { tags: ['setup'], summary: 'Load the demo organisation into an empty organisation (root administrators only)', body: DemoLoadBody.nullish(), response: { 201: DemoLoaded } } },
    async (req, reply) => {
      const out = await demo.loadDemoFromConsole(deps, ctxOf(req), req.body);
      void reply.status(201);
      return out;
    },
  );
}
