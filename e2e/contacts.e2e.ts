import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

interface PersonRow {
  id: number;
  name: string;
  unitId: number;
}
interface UnitRow {
  id: number;
  parentId: number | null;
}

/**
 * Contact candidates (密接候选), end to end on the built server: a person of a small unit is put
 * under health watch; from the watch's drawer the command office opens the contact candidates, sees
 * a colleague of the same unit among them, selects them and starts their health watch.
 */
describe.skipIf(!run)('contact candidates opened from a health watch, one of them put under watch, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Caller;
  let page: Page;
  let unit: UnitRow;
  let people: PersonRow[] = [];
  let watchId: number;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    admin = (await setUpDemo(server)).admin;
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    for (const u of units.filter((x) => x.parentId !== null).reverse()) {
      people = (await admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${u.id}&status=active&pageSize=50`)).json.items.filter((p) => p.unitId === u.id);
      if (people.length >= 2) {
        unit = u;
        break;
      }
    }
    expect(unit).toBeDefined();
    const watch = await admin.call<{ id: number }>('POST', '/api/v1/health-watches', { personId: people[0]!.id, note: '核酸检测阳性' });
    expect(watch.status).toBe(201);
    watchId = watch.json.id;
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    await ctx.addCookies(browserCookies(admin, server.url));
    page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the colleague is a candidate for sharing the unit, and is put under watch from the list', async () => {
    const colleague = people[1]!;
    await page.goto(`${server.url}/health/watches?watch=${watchId}`);
    await page.getByTestId('watch-contacts').click();
    const drawer = page.getByTestId('contacts-drawer');
    const row = drawer.getByTestId(`contact-${colleague.id}`);
    await row.waitFor();
    const tr = drawer.locator('tr', { has: page.getByTestId(`contact-${colleague.id}`) });
    expect(await tr.textContent()).toContain('同单位');
    await tr.locator('input[type=checkbox]').check();
    await page.getByTestId('contacts-watch').click();
    await page.locator('.ant-message', { hasText: '新开启' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'contacts-drawer.png'), fullPage: true });

    const open = (await admin.call<{ items: { personId: number }[] }>('GET', `/api/v1/health-watches?unitId=${unit.id}&status=open&pageSize=200`)).json.items;
    expect(open.map((w) => w.personId)).toContain(colleague.id);
    // The list says so once it is read again.
    await expect.poll(() => tr.textContent()).toContain('监测中');
  });
});
