import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

interface UnitItem {
  id: number;
  parentId: number | null;
  name: string;
  depth: number;
}

/**
 * The 层层加码 guard end to end on the built server: the administrator asks, in the console, for a
 * subsidiary's meeting limit stricter than the group's; the form says it needs approval; the
 * command office approves it in the exceptions list; the register then shows it in force, approved.
 */
describe.skipIf(!run)('a stricter measure asked for and approved, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Caller;
  let command: Caller;
  let subsidiary: UnitItem;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  const open = async (caller: Caller, url: string): Promise<{ page: Page; context: BrowserContext }> => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    await context.addCookies(browserCookies(caller, server.url));
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(server.url + url);
    return { page, context };
  };

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    command = await signIn(server.url, demo.login('demo.command').username, demo.login('demo.command').password);
    const units = (await admin.call<{ items: UnitItem[] }>('GET', '/api/v1/units')).json.items;
    subsidiary = units.find((u) => u.depth === 1)!;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the form warns that the value needs approval; the level above approves it; the register shows it in force', async () => {
    const asker = await open(admin, `/measures?unit=${subsidiary.id}`);
    let page = asker.page;
    await page.getByTestId('measure-value-meeting.max_size').getByText('50').waitFor();
    await page.getByTestId('measure-set-meeting.max_size').click();
    await page.getByTestId('measure-set-value').fill('20');
    await page.getByTestId('measure-set-preview').getByText('严于上级').waitFor();
    await page.getByTestId('measure-set-reason').fill('辖区出现聚集性疫情，会议规模从严');
    await page.screenshot({ path: path.join(shots, 'measure-set.png') });
    await page.getByTestId('measure-set-submit').click();
    await page.getByTestId('measure-own-meeting.max_size').getByText('待审批').waitFor();
    // Until approved, the group's value applies.
    await page.getByTestId('measure-value-meeting.max_size').getByText('50').waitFor();
    await asker.context.close();

    const pending = await command.call<{ items: { id: number; unitId: number; status: string }[] }>('GET', '/api/v1/measure-exceptions?status=pending');
    const x = pending.json.items.find((i) => i.unitId === subsidiary.id)!;
    expect(x.status).toBe('pending');

    const approver = await open(command, '/measures?tab=exceptions');
    page = approver.page;
    await page.getByTestId(`exception-status-${x.id}`).getByText('待审批').waitFor();
    await page.getByTestId(`exception-approve-${x.id}`).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.waitFor();
    await confirm.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByTestId(`exception-status-${x.id}`).getByText('已批准').waitFor();
    await page.screenshot({ path: path.join(shots, 'measure-exceptions.png') });
    await approver.context.close();

    const viewer = await open(admin, `/measures?unit=${subsidiary.id}`);
    page = viewer.page;
    await page.getByTestId('measure-value-meeting.max_size').getByText('20').waitFor();
    await page.getByTestId('measure-source-meeting.max_size').getByText('本级加严（已批准）').waitFor();
    await page.getByTestId('measure-history-meeting.max_size').click();
    await page.getByTestId('measure-history-spans').getByText('20').first().waitFor();
    await page.screenshot({ path: path.join(shots, 'measure-register.png') });
    await viewer.context.close();
  });
});
