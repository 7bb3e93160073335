import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { issueSetupToken } from './setup.service.js';

describe.each(testDialects())('first-run setup on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('needs the printed token, creates the root and the first administrator once, and signs them in', async () => {
    const app = await t.app();
    expect(JSON.parse((await app.inject({ method: 'GET', url: '/api/v1/setup' })).body)).toMatchObject({ needsSetup: true });
    const token = await issueSetupToken(t.deps);
    expect(token).toBeTruthy();
    const body = { token: 'wrong', username: 'admin', password: 'a long enough password', organisation: '青岛城投集团' };
    const bad = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: body });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { fields: { token: expect.any(String) } } });
    const ok = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, token } });
    expect(ok.statusCode).toBe(201);
    expect(JSON.parse(ok.body)).toMatchObject({ organisation: { name: '青岛城投集团' }, permissions: expect.arrayContaining(['users.write']) });
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const units = JSON.parse((await app.inject({ method: 'GET', url: '/api/v1/units', headers: { cookie } })).body) as { items: { name: string; parentId: number | null }[] };
    expect(units.items).toEqual([expect.objectContaining({ name: '青岛城投集团', parentId: null })]);
    const again = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, token, username: 'admin2' } });
    expect(again.statusCode).toBe(400);
    expect(await issueSetupToken(t.deps)).toBeNull();
    expect(JSON.parse((await app.inject({ method: 'GET', url: '/api/v1/setup' })).body)).toMatchObject({ needsSetup: false });
  });

  it('serves health, metrics and the OpenAPI document', async () => {
    const app = await t.app();
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('bulwark_http_requests_total{method="GET",route="/healthz",status="200"}');
    expect(metrics.body).toContain('bulwark_jobs_pending');
    const doc = JSON.parse((await app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/units', '/api/v1/people/{id}', '/api/v1/grants', '/api/v1/audit', '/api/v1/auth/login']) expect(doc.paths).toHaveProperty([p]);
  });
});
