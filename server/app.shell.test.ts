import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../test/env.js';
import { buildApp, type App } from './app.js';

/** Which page a browser gets for a path: the console's shell, the mobile pages' shell, a file, or a 404. */
describe('web shells', () => {
  let t: TestEnv;
  let app: App;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-web-'));
  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'index.html'), '<html>console</html>');
    fs.writeFileSync(path.join(dir, 'm.html'), '<html>mobile</html>');
    t = await testEnv('sqlite');
    app = await buildApp(t.deps, { webRoot: dir });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.body };
  };

  it('serves the mobile pages at /m and below, and the console everywhere else', async () => {
    for (const url of ['/m', '/m/', '/m/checkin', '/m/trips/12', '/m?from=wecom']) expect(await get(url), url).toEqual({ status: 200, body: '<html>mobile</html>' });
    for (const url of ['/', '/org', '/measures', '/mobile', '/health/dashboard']) expect(await get(url), url).toEqual({ status: 200, body: '<html>console</html>' });
    expect((await get('/m.html')).body).toBe('<html>mobile</html>');
    expect((await get('/api/v1/nothing')).status).toBe(404);
  });
});
