/**
 * The authorization matrix of the scorecard and the overview (server/modules/supervision, issue 7).
 * Spread into `matrix` by test/authz.matrix.ts; the types come from there (type-only: no cycle).
 */
import type { UnitRow } from '../server/db/schema.js';
import type { MatrixCase, MatrixEntry } from './authz.matrix.js';

const supervisedUnitCase = (name: string, url: string, query: Record<string, string> = {}): MatrixCase => ({
  name,
  gate: 'supervision.read',
  checks: [
    { at: 'target', read: 'units.read', hidden: 404 },
    { at: 'target', read: 'supervision.read', hidden: 404 },
  ],
  mutates: false,
  ok: 200,
  build: async (_w, unit) => unit,
  request: (unit: UnitRow) => ({ method: 'GET', url, query: { unitId: String(unit.id), ...query } }),
});

export const scorecardMatrix: Record<string, MatrixEntry> = {
  'GET /api/v1/supervision/scorecard': { permission: 'supervision.read', cases: [supervisedUnitCase('unitId names the placed unit', '/api/v1/supervision/scorecard')] },
  'GET /api/v1/supervision/scorecard/misses': {
    permission: 'supervision.read',
    cases: [supervisedUnitCase('unitId names the placed unit', '/api/v1/supervision/scorecard/misses', { metric: 'tasks_on_time' })],
  },
  'GET /api/v1/overview': {
    permission: 'units.read',
    cases: [
      {
        // Sections follow the actor's permissions (overview.test.ts); the route itself needs only sight of the unit.
        name: 'unitId names the placed unit',
        checks: [{ at: 'target', read: 'units.read', hidden: 404 }],
        mutates: false,
        ok: 200,
        build: async (_w, unit) => unit,
        request: (unit: UnitRow) => ({ method: 'GET', url: '/api/v1/overview', query: { unitId: String(unit.id) } }),
      },
    ],
  },
};
