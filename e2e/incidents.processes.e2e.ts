import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const PG_URL = process.env.BULWARK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgReachable(): Promise<boolean> {
  if (process.env.BULWARK_TEST_PG === 'off') return false;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    if (process.env.BULWARK_REQUIRE_PG === '1') throw new Error(`PostgreSQL is required (BULWARK_REQUIRE_PG=1) but ${PG_URL} is not reachable`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const run = browserAvailable() && (await pgReachable());

/**
 * Two server processes on one PostgreSQL database (its own schema), as behind a load balancer: a
 * browser on each process watches the command office's incident board; an incident filed through
 * one process and acknowledged through the other shows on both boards as it happens, carried
 * between the processes by the database (LISTEN/NOTIFY), without a reload.
 */
describe.skipIf(!run)('the incident board live on two server processes sharing PostgreSQL', () => {
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  let pgAdmin: pg.Client;
  let a: RunningServer;
  let b: RunningServer;
  let browser: Browser;
  let commandOnA: Caller;
  let commandOnB: Caller;
  let rootId = 0;
  const boards: Page[] = [];

  beforeAll(async () => {
    pgAdmin = new pg.Client({ connectionString: PG_URL });
    await pgAdmin.connect();
    await pgAdmin.query(`create schema ${schema}`);
    const env = { DATABASE_URL: PG_URL, BULWARK_PG_SCHEMA: schema };
    a = await startServer(env);
    const demo = await setUpDemo(a);
    // The second process starts on the set-up database: nothing to set up, no token printed.
    b = await startServer(env, { setUp: false });
    const login = demo.login('demo.command');
    commandOnA = await signIn(a.url, login.username, login.password);
    commandOnB = await signIn(b.url, login.username, login.password);
    rootId = (await commandOnA.call<{ grants: { unitId: number }[] }>('GET', '/api/v1/me')).json.grants[0]!.unitId;

    browser = await launchBrowser();
    for (const [server, caller] of [
      [a, commandOnA],
      [b, commandOnB],
    ] as const) {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
      await context.addCookies(browserCookies(caller, server.url));
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${server.url}/duty/incidents?unit=${rootId}`);
      boards.push(page);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await b?.stop();
    await a?.stop();
    await pgAdmin?.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await pgAdmin?.end();
  });

  it('a filing through one process and an acknowledgement through the other show on both boards', async () => {
    // Both boards have their stream open before anything happens: what follows can only come by it.
    for (const page of boards) await page.locator('[data-testid="incidents-live"][data-state="live"]').waitFor();

    const filed = await commandOnA.call<{ id: number }>('POST', '/api/v1/incidents', {
      unitId: rootId,
      kind: 'supply_shortage',
      severity: 'general',
      title: '口罩库存不足三日用量',
      description: '集团本部应急物资库 N95 口罩库存仅余 600 只。',
    });
    expect(filed.status, JSON.stringify(filed.json)).toBe(201);
    const id = filed.json.id;
    for (const page of boards) await page.locator(`[data-testid="incident-level-${id}"][data-state="waiting"]`).waitFor();

    const ack = await commandOnB.call('POST', `/api/v1/incidents/${id}/acknowledge`, { note: '已安排调拨' });
    expect(ack.status, JSON.stringify(ack.json)).toBe(200);
    for (const page of boards) await page.locator(`[data-testid="incident-level-${id}"][data-state="acknowledged"]`).waitFor();
  });
});
