import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Notifications end to end on the built server: the admin sets the reminder times and adds a signed
 * webhook robot in the console and sends it a test; a liaison's "remind now" reaches the robot
 * (signed, through the server's own job runner) and the employee's bell, where they read it. Then
 * new notifications appear live (server-sent events, no reload) at the open bell and on the mobile
 * 消息 page, and the admin reads the robot's delivery log.
 */
describe.skipIf(!run)('health settings, a robot and the notification bell, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let receiver: http.Server;
  let hookUrl = '';
  const got: Received[] = [];
  let admin: Caller;
  let liaison: Caller;
  let employee: Caller;
  let rootId = 0;
  let liaisonUnit = 0;
  let desk: Page;
  let phone: Page;
  const shots = path.resolve(import.meta.dirname, 'artifacts');
  const contextFor = async (caller: Caller): Promise<BrowserContext> => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    await ctx.addCookies(browserCookies(caller, server.url));
    return ctx;
  };

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bulwark`;
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    const login = demo.login;
    rootId = (await admin.call<{ grants: { unitId: number }[] }>('GET', '/api/v1/me')).json.grants[0]!.unitId;
    liaison = await signIn(server.url, login('demo.liaison').username, login('demo.liaison').password);
    employee = await signIn(server.url, login('demo.employee').username, login('demo.employee').password);
    liaisonUnit = (await liaison.call<{ grants: { unitId: number }[] }>('GET', '/api/v1/me')).json.grants[0]!.unitId;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((ok) => receiver?.close(ok));
  });

  const signed = (r: Received) =>
    r.headers['x-bulwark-signature'] === `sha256=${createHmac('sha256', 'e2e-secret').update(`${String(r.headers['x-bulwark-timestamp'])}.${r.body}`).digest('hex')}`;

  it('the admin sets reminder times and adds a robot; a reminder reaches the robot and the employee reads it at the bell', async () => {
    desk = await (await contextFor(admin)).newPage();
    desk.setDefaultTimeout(20_000);
    await desk.goto(`${server.url}/health/settings?unit=${rootId}`);
    await desk.getByTestId('health-settings-form').waitFor();
    // The end of the day: the server runs on the real clock, and a reminder after the cut-off is refused (409).
    await desk.getByTestId('settings-cutoff').fill('24:00');
    const times = desk.getByTestId('settings-reminders').locator('input');
    await times.fill('09:00');
    await times.press('Enter');
    await times.fill('10:30');
    await times.press('Enter');
    await desk.getByTestId('settings-save').click();
    await expect.poll(async () => (await admin.call<{ reminderTimes: string[] }>('GET', '/api/v1/settings/health')).json.reminderTimes).toEqual(['09:00', '10:30']);

    await desk.getByTestId('channel-create').click();
    // On a loaded machine the option's click can land while the list is still opening and not take
    // (left on DingTalk, the server then refuses a secret not starting with SEC and no row appears):
    // pick again until the select shows it.
    const kind = desk.getByTestId('channel-kind');
    for (let attempt = 0; attempt < 3 && !(await kind.innerText()).includes('通用 Webhook'); attempt++) {
      await kind.click();
      await desk.locator('.ant-select-item-option', { hasText: '通用 Webhook' }).click();
      await desk.waitForTimeout(300);
    }
    expect(await kind.innerText()).toContain('通用 Webhook');
    await desk.getByTestId('channel-name').fill('防控办接收端');
    await desk.getByTestId('channel-url').fill(hookUrl);
    await desk.getByTestId('channel-secret').fill('e2e-secret');
    await desk.getByTestId('channel-submit').click();
    // The new channel's row (the list reloads after the modal closes), then its test send, answered
    // once the receiver has it: on a loaded machine both can take more than the default 5 s.
    const test = desk.locator('[data-testid^=channel-test-]');
    await test.waitFor({ state: 'visible' });
    await test.click();
    await expect.poll(() => got.length, { timeout: 20_000 }).toBe(1);
    expect(signed(got[0]!)).toBe(true);
    expect(JSON.parse(got[0]!.body)).toMatchObject({ kind: 'channel.test', title: '测试消息' });
    await desk.screenshot({ path: path.join(shots, 'health-settings.png'), fullPage: true });

    // The liaison's "remind now": the root's robot names the people, the employee gets it in-app.
    const sent = await liaison.call<{ sent: number }>('POST', '/api/v1/checkins/reminders', { unitId: liaisonUnit });
    expect(sent.status).toBe(200);
    expect(sent.json.sent).toBeGreaterThan(0);
    await expect.poll(() => got.length, { timeout: 20_000 }).toBe(2);
    expect(signed(got[1]!)).toBe(true);
    expect(JSON.parse(got[1]!.body)).toMatchObject({ kind: 'checkin.reminder', title: '健康打卡提醒', unitId: rootId });
    expect((await liaison.call('POST', '/api/v1/checkins/reminders', { unitId: liaisonUnit })).status).toBe(409);

    phone = await (await contextFor(employee)).newPage();
    phone.setDefaultTimeout(20_000);
    await phone.goto(server.url);
    const badge = phone.getByTestId('notify-badge');
    await badge.getByText('1').waitFor();
    await phone.getByTestId('notify-bell').click();
    const drawer = phone.getByTestId('notify-drawer');
    await drawer.getByText('健康打卡提醒').waitFor();
    await phone.screenshot({ path: path.join(shots, 'notify-drawer.png') });
    await drawer.locator('[data-testid^=notify-mark-]').click();
    await expect.poll(async () => (await employee.call<{ unread: number }>('GET', '/api/v1/notifications')).json.unread).toBe(0);
    await expect.poll(async () => phone.getByTestId('notify-read-all').isDisabled()).toBe(true);
  });

  it('shows a new notification at once at the open bell and on the mobile inbox, and the delivery log of the robot', async () => {
    const publish = (title: string) => admin.call<{ id: number }>('POST', '/api/v1/notices', { title, kind: 'news', body: '请各单位知悉。', unitIds: [rootId] });
    // The bell's page stays open: with its stream connected it does not poll, so only the push can bring this.
    const badge = phone.getByTestId('notify-badge');
    expect((await publish('通知一：实时到达')).status).toBe(201);
    await badge.getByText('1').waitFor();
    // The drawer is still open from the reading above: the new one is on top of it.
    await phone.getByTestId('notify-drawer').getByText('通知一：实时到达', { exact: false }).first().waitFor();

    const mobile = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } })).newPage();
    mobile.setDefaultTimeout(20_000);
    await mobile.context().addCookies(browserCookies(employee, server.url));
    await mobile.goto(`${server.url}/m/inbox`);
    await mobile.getByTestId('inbox').getByText('通知一：实时到达', { exact: false }).first().waitFor();
    expect((await publish('通知二：手机上实时到达')).status).toBe(201);
    await mobile.getByTestId('inbox').getByText('通知二：手机上实时到达', { exact: false }).first().waitFor();
    await mobile.screenshot({ path: path.join(shots, 'mobile-inbox.png') });

    // The admin's delivery log: the root's robot got the test, the reminder and the notices' messages.
    await desk.getByTestId('channel-log').click();
    const log = desk.getByTestId('delivery-log');
    await log.getByTestId('delivery-table').locator('[data-testid=delivery-state-sent]').first().waitFor();
    await log.locator('[data-testid^=delivery-message-]', { hasText: '健康打卡提醒' }).first().click();
    const detail = desk.getByTestId('delivery-detail');
    await detail.getByText('第 1 次', { exact: false }).first().waitFor();
    await desk.screenshot({ path: path.join(shots, 'delivery-log.png') });
  });
});
