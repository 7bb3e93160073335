import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HealthSettings, ReminderSend, ReminderSent } from '../../../common/schemas/reminders.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { getHealthSettings, putHealthSettings } from './health-settings.service.js';
import { sendReminders } from './reminders.service.js';

export function reminderRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/checkins/reminders',
    { schema: { tags: ['health'], summary: "Remind today's non-reporters of a subtree now (once per 10 minutes per unit)", body: ReminderSend, response: { 200: ReminderSent } } },
    (req) => sendReminders(deps, ctxOf(req), req.body),
  );
  const tags = ['settings'];
  r.get('/api/v1/settings/health', { schema: { tags, summary: 'The cut-off, reminder and digest times, watch and retention days', response: { 200: HealthSettings } } }, (req) =>
    getHealthSettings(deps, ctxOf(req)),
  );
  r.put('/api/v1/settings/health', { schema: { tags, summary: 'Replace the health settings (health.settings on a root unit)', body: HealthSettings, response: { 200: HealthSettings } } }, (req) =>
    putHealthSettings(deps, ctxOf(req), req.body),
  );
}
