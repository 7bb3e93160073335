import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../common/day.js';
import { COUNT_COLUMNS, contributionOf } from '../server/modules/health/health.policy.js';
import { ADD_COUNTS_SQL } from '../server/modules/health/health.store.js';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();
const TZ = 'Asia/Shanghai'; // the harness's server runs with the default zone

interface MyCheckin {
  day: string;
  temperature: number;
  location: string;
  city: string;
  symptoms: string[];
}

/**
 * The morning on a phone: the employee opens /m from a link, signs in, and checks in with one tap
 * (they checked in yesterday) while their unit's liaison watches the dashboard in another browser,
 * where the count goes up without a reload; the employee corrects the check-in while the phone is
 * offline, and the correction is sent once when the network returns; the liaison reminds everyone
 * who has not checked in yet; past the day's cut-off a correction is refused and the phone says so.
 */
describe.skipIf(!run)('daily check-in on a phone, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  let desk: BrowserContext;
  let dashboard: Page;
  let employee: Caller;
  let liaison: Caller;
  let admin: Caller;
  let employeeLogin: { username: string; password: string };
  let personId: number;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();

    // An organisation, built through the API: first-run setup, then the demo's small tree with its logins.
    const demo = await setUpDemo(server);
    admin = demo.admin;
    employeeLogin = demo.login('demo.employee');
    const liaisonLogin = demo.login('demo.liaison');
    employee = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    personId = (await employee.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;

    // Yesterday's check-in. The server's clock cannot be moved from outside and a past day is
    // locked to the API, so it goes straight into the database, as the server itself writes it.
    const db = new Database(path.join(server.dir, 'bulwark.db'));
    try {
      db.pragma('busy_timeout = 5000');
      const yesterday = addDays(dayOf(Date.now(), TZ), -1);
      const unit = db.prepare<[number], { unit_id: number }>('select unit_id from people where id = ?').get(personId)!;
      const at = Date.now() - 24 * 3600_000;
      db.prepare(
        `insert into checkins (person_id, unit_id, day, temperature, symptoms, location, city, note, abnormal, on_time, on_behalf_of_user_id, created_at, updated_at)
         values (?, ?, ?, 365, '[]', 'at_work', '青岛', null, 0, 1, null, ?, ?)`,
      ).run(personId, unit.unit_id, yesterday, at, at);
      // and its unit's counts for the day, as the server keeps them with every check-in.
      const row = { unit_id: unit.unit_id, abnormal: 0, location: 'at_work', on_time: 1 };
      db.prepare(ADD_COUNTS_SQL).run(yesterday, unit.unit_id, ...COUNT_COLUMNS.map((c) => contributionOf(row)[c]));
    } finally {
      db.close();
    }

    phone = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40 wxwork/4.1.20',
    });
    page = await phone.newPage();
    page.setDefaultTimeout(20_000);

    // The liaison of the employee's subsidiary, at a desk, already signed in to the console.
    liaison = await signIn(server.url, liaisonLogin.username, liaisonLogin.password);
    desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    await desk.addCookies(browserCookies(liaison, server.url));
    dashboard = await desk.newPage();
    dashboard.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const today = () => dayOf(Date.now(), TZ);
  const mine = async () => (await employee.call<{ items: MyCheckin[] }>('GET', '/api/v1/checkins/mine')).json.items;

  const checkedIn = async () => Number(await dashboard.getByTestId('rollup-checked-in').textContent());

  it("opens /m from a link, signs in on the phone, and checks in with one tap; the liaison's dashboard counts it without a reload", async () => {
    // The dashboard is open, its live stream connected, before the tap. The stream's headers
    // come with its first bytes, which the server writes once it has subscribed.
    const stream = dashboard.waitForResponse((r) => r.url().includes('/api/v1/live/checkins') && r.status() === 200);
    await dashboard.goto(`${server.url}/health/dashboard`);
    await dashboard.getByTestId('health-dashboard').waitFor();
    await dashboard.getByTestId('rollup-checked-in').waitFor();
    await stream;
    const before = await checkedIn();
    // A reload would wipe this mark.
    await dashboard.evaluate('window.__sameDocument = true');

    await page.goto(`${server.url}/m`);
    await page.getByTestId('m-login-username').fill(employeeLogin.username);
    await page.getByTestId('m-login-password').fill(employeeLogin.password);
    await page.getByTestId('m-login-submit').tap();
    // /m lands on the check-in page.
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toBe('/m/checkin');
    const same = page.getByTestId('checkin-same');
    await same.waitFor();
    await page.screenshot({ path: path.join(shots, 'health-1-phone-one-tap.png') });

    await same.tap();
    await page.getByTestId('checkin-sent').waitFor();
    expect(await page.getByTestId('checkin-today').textContent()).toContain('36.5');
    await page.getByTestId(`checkin-history-${today()}`).waitFor();
    await page.screenshot({ path: path.join(shots, 'health-2-phone-checked-in.png') });

    await expect.poll(checkedIn, { timeout: 20_000 }).toBe(before + 1);
    expect(await dashboard.evaluate('window.__sameDocument === true')).toBe(true);
    await dashboard.screenshot({ path: path.join(shots, 'health-3-dashboard-live.png') });

    const items = await mine();
    expect(items.map((c) => c.day)).toEqual([today(), addDays(today(), -1)]);
    expect(items[0]).toMatchObject({ temperature: 36.5, location: 'at_work', city: '青岛', symptoms: [] });
  });

  it('corrects the check-in while offline: kept on the phone, sent once when the network returns', async () => {
    await page.getByTestId('checkin-correct').tap();
    await page.getByTestId('checkin-form').waitFor();
    // Out of range first: a clear message, nothing sent.
    await page.getByTestId('checkin-temperature').fill('45');
    await page.getByTestId('checkin-submit').tap();
    expect(await page.getByTestId('checkin-error-temperature').textContent()).toContain('34.0');

    await phone.setOffline(true);
    await page.getByTestId('checkin-temperature').fill('36.9');
    await page.getByTestId('checkin-error-temperature').waitFor({ state: 'detached' });
    await page.getByTestId('checkin-symptom-cough').tap();
    await page.getByTestId('checkin-location-remote').tap();
    await page.screenshot({ path: path.join(shots, 'health-4-phone-form.png'), fullPage: true });
    await page.getByTestId('checkin-submit').tap();
    await page.getByTestId('checkin-queued').waitFor();
    await page.getByTestId('checkin-pending').waitFor();
    await page.screenshot({ path: path.join(shots, 'health-5-phone-offline.png') });
    // Nothing reached the server yet.
    expect((await mine())[0]).toMatchObject({ temperature: 36.5 });

    await phone.setOffline(false);
    await page.getByTestId('checkin-queued').waitFor({ state: 'detached' });
    await page.getByTestId('checkin-sent').waitFor();
    expect(await page.getByTestId('checkin-today').textContent()).toContain('36.9');

    const items = await mine();
    expect(items.filter((c) => c.day === today())).toEqual([expect.objectContaining({ temperature: 36.9, location: 'remote', symptoms: ['cough'] })]);
    // The phone's outbox is empty again (the root tsconfig has no DOM types: the page's code as a string).
    const left = await page.evaluate<number[]>(
      "Object.keys(localStorage).filter((k) => k.startsWith('bulwark.m.outbox.')).map((k) => JSON.parse(localStorage.getItem(k)).queue.length)",
    );
    expect(left).toEqual([0]);
  });

  it('the liaison sends a reminder to everyone who has not checked in', async () => {
    await dashboard.goto(`${server.url}/health/non-reporters`);
    // Enabled once the list has loaded with someone on it.
    const send = dashboard.locator('[data-testid="reminders-send"]:not([disabled])');
    await send.waitFor();
    const answer = dashboard.waitForResponse((r) => r.url().includes('/api/v1/checkins/reminders') && r.request().method() === 'POST');
    await send.click();
    const res = await answer;
    expect(res.status()).toBeLessThan(300);
    await dashboard.locator('.ant-message-success').waitFor();
    // Everyone of the subtree who has not checked in was reminded; the employee, who has, was not counted.
    const { unitId } = res.request().postDataJSON() as { unitId: number };
    const missing = await liaison.call<{ total: number; items: { personId: number }[] }>('GET', `/api/v1/checkins/non-reporters?unitId=${unitId}&pageSize=200`);
    expect(missing.json.total).toBeGreaterThan(0);
    expect(missing.json.items.map((p) => p.personId)).not.toContain(personId);
    expect(((await res.json()) as { sent: number }).sent).toBe(missing.json.total);
    await dashboard.screenshot({ path: path.join(shots, 'health-6-reminders-sent.png') });
  });

  it("after the day's cut-off a correction is refused, and the phone says the day is closed", async () => {
    const settings = (await admin.call<Record<string, unknown>>('GET', '/api/v1/settings/health')).json;
    // A cut-off at 00:00 closes today at once: the clock of the server cannot be moved from here.
    expect((await admin.call('PUT', '/api/v1/settings/health', { ...settings, cutoff: '00:00' })).status).toBe(200);
    try {
      await page.getByTestId('checkin-correct').tap();
      await page.getByTestId('checkin-temperature').fill('37.0');
      await page.getByTestId('checkin-submit').tap();
      await page.getByTestId('checkin-undelivered').waitFor();
      await page.getByTestId('checkin-locked').waitFor();
      expect(await page.getByTestId('checkin-correct').count()).toBe(0);
      expect(await page.getByTestId('checkin-queued').count()).toBe(0);
      await page.screenshot({ path: path.join(shots, 'health-7-phone-locked.png') });
      // Dismissed, the message goes; the day stays closed.
      await page.getByTestId('checkin-undelivered').getByRole('button').tap();
      await page.getByTestId('checkin-undelivered').waitFor({ state: 'detached' });
      expect(await page.getByTestId('checkin-locked').isVisible()).toBe(true);
      expect((await mine()).find((c) => c.day === today())).toMatchObject({ temperature: 36.9 });
    } finally {
      await admin.call('PUT', '/api/v1/settings/health', settings);
    }
  });
});
