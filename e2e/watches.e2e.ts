import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

interface WatchItem {
  id: number;
  personId: number;
  reason: string;
}

/**
 * The health watch, end to end on the built server: an employee checks in with a fever; the running
 * server's job scheduler opens a watch and tells the unit's liaison; the liaison finds it in the
 * console, adds the day's note and closes it with an outcome.
 */
describe.skipIf(!run)('a health watch from an abnormal check-in, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let liaison: Caller;
  let personId: number;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const { login } = await setUpDemo(server);
    const employee = await signIn(server.url, login('demo.employee').username, login('demo.employee').password);
    personId = (await employee.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    liaison = await signIn(server.url, login('demo.liaison').username, login('demo.liaison').password);

    const checkin = await employee.call('POST', '/api/v1/checkins', { temperature: 38.2, symptoms: ['咳嗽'], location: 'at_work', city: '青岛' });
    expect(checkin.status).toBe(201);

    const desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    await desk.addCookies(browserCookies(liaison, server.url));
    page = await desk.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the scheduler opens the watch and tells the liaison; the liaison notes and closes it in the console', async () => {
    // The job runs on the server's own scheduler (it polls every second): wait for its watch.
    let watch: WatchItem | undefined;
    await expect
      .poll(
        async () => {
          const r = await liaison.call<{ items: WatchItem[] }>('GET', '/api/v1/health-watches?status=open');
          watch = r.json.items.find((w) => w.personId === personId);
          return watch?.reason;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe('checkin_abnormal');
    const inbox = await liaison.call<{ items: { kind: string; entityId: string; link: string | null }[] }>('GET', '/api/v1/notifications');
    expect(inbox.json.items.filter((n) => n.kind === 'health.watch_opened' && n.entityId === String(watch!.id))).toEqual([
      expect.objectContaining({ link: `/health/watches/${watch!.id}` }),
    ]);

    // The notification's link opens the watch in the console.
    await page.goto(`${server.url}/health/watches/${watch!.id}`);
    const drawer = page.getByTestId('watch-drawer');
    await drawer.getByText('38.2 °C').waitFor();
    await page.getByTestId('watch-note-text').fill('电话随访，体温回落');
    await page.getByTestId('watch-note-temperature').fill('37.0');
    await page.getByTestId('watch-note-submit').click();
    await drawer.getByText('电话随访，体温回落').waitFor();
    await page.screenshot({ path: path.join(shots, 'watch-drawer.png') });

    await page.getByTestId('watch-close').click();
    await page.getByTestId('watch-close-outcome').click();
    await page.locator('.ant-select-item-option', { hasText: '已康复' }).click();
    await page.getByTestId('watch-close-submit').click();
    await page.getByTestId('watch-status').getByText('已结束', { exact: false }).waitFor();

    const after = await liaison.call<{ status: string; outcome: string; notes: { note: string | null; temperature: number | null }[] }>('GET', `/api/v1/health-watches/${watch!.id}`);
    expect(after.json).toMatchObject({ status: 'closed', outcome: 'recovered' });
    expect(after.json.notes.map((n) => [n.note, n.temperature])).toEqual([
      ['咳嗽', 38.2],
      ['电话随访，体温回落', 37],
    ]);
    // Closed, it leaves the list of open watches.
    await page.keyboard.press('Escape');
    const open = await liaison.call<{ items: WatchItem[] }>('GET', '/api/v1/health-watches?status=open');
    expect(open.json.items.map((w) => w.id)).not.toContain(watch!.id);
  });
});
