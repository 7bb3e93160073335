import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

/**
 * Notices down, end to end on the built server: the command office writes a notice in the console
 * (the preview renders it, the script typed into it does not run), publishes it to the whole
 * organisation; the demo employee finds it unread on the phone and opens it; the command office's
 * read count moves, and the reminder reaches those who have not read it.
 */
describe.skipIf(!run)('a notice published, read on the phone and counted, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let command: Caller;
  let employee: Caller;
  let desk: Page;
  let phone: Page;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const { login } = await setUpDemo(server);
    command = await signIn(server.url, login('demo.command').username, login('demo.command').password);
    employee = await signIn(server.url, login('demo.employee').username, login('demo.employee').password);
    const deskCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    await deskCtx.addCookies(browserCookies(command, server.url));
    desk = await deskCtx.newPage();
    desk.setDefaultTimeout(20_000);
    const phoneCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phoneCtx.addCookies(browserCookies(employee, server.url));
    phone = await phoneCtx.newPage();
    phone.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the command office publishes; the employee reads it on the phone; the receipt count moves; the rest are reminded', async () => {
    const dialogs: string[] = [];
    desk.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await desk.goto(`${server.url}/directives/notices/new`);
    await desk.locator('#title').fill('关于做好冬季疫情防护的通知');
    await desk.getByTestId('notice-body').fill('各单位：\n请**立即**落实以下要求：\n\n- 规范佩戴口罩\n- 每日健康打卡\n\n<script>alert(1)</script>');
    await desk.getByTestId('notice-preview-tab').click();
    const preview = desk.getByTestId('notice-preview');
    await preview.locator('strong', { hasText: '立即' }).waitFor();
    expect(await preview.locator('li').count()).toBe(2);
    expect(await preview.locator('script').count()).toBe(0);
    expect(await preview.textContent()).toContain('<script>alert(1)</script>');
    await desk.screenshot({ path: path.join(shots, 'notice-compose.png') });
    await desk.getByTestId('notice-publish').click();
    await expect.poll(() => new URL(desk.url()).pathname).toMatch(/^\/directives\/notices\/\d+$/);
    const id = Number(new URL(desk.url()).pathname.split('/').pop());
    const before = (await command.call<{ audience: number; read: number }>('GET', `/api/v1/notices/${id}`)).json;
    expect(before.read).toBe(0);
    expect(before.audience).toBeGreaterThan(100);
    await desk.getByTestId('notice-read-count').getByText(`0 / ${before.audience}`).waitFor();

    // The phone: the notice is first in the list, unread; opening it is the receipt.
    await phone.goto(`${server.url}/m/notices`);
    const item = phone.getByTestId(`notice-item-${id}`);
    await item.waitFor();
    expect(await item.textContent()).toContain('未读');
    await item.tap();
    await phone.getByTestId('notice-page').waitFor();
    await phone.getByTestId('notice-body').locator('strong', { hasText: '立即' }).waitFor();
    await phone.screenshot({ path: path.join(shots, 'notice-phone.png') });
    await phone.goto(`${server.url}/m/notices`);
    await phone.getByTestId(`notice-item-${id}`).waitFor();
    expect(await phone.getByTestId(`notice-item-${id}`).textContent()).not.toContain('未读');

    // The command office's count moved by one; the reminder goes to everyone else.
    await desk.reload();
    await desk.getByTestId('notice-read-count').getByText(`1 / ${before.audience}`).waitFor();
    await desk.getByTestId('notice-receipts-tab').click();
    await desk.getByTestId('notice-receipts-total').waitFor();
    expect(await desk.getByTestId('notice-receipts-total').textContent()).toContain(`已读 1 人`);
    await desk.getByTestId('notice-remind').click();
    await desk.locator('.ant-message-success', { hasText: `已提醒 ${before.audience - 1} 人` }).waitFor();
    await desk.screenshot({ path: path.join(shots, 'notice-receipts.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });
});
