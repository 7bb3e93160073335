import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

interface RequestItem {
  id: number;
  title: string;
  units: { id: number; name: string }[];
  latestRound: { id: number } | null;
}

/**
 * Reports up, end to end on the built server: the command office builds a form in the console and
 * asks every subsidiary for it; the 交发集团 liaison finds it on their to-submit list and fills it in;
 * the command office sees the answer side by side and exports the round.
 */
describe.skipIf(!run)('a situation report asked, filled in and read, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let command: Caller;
  let liaison: Caller;
  let desk: Page;
  let unitDesk: Page;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const { login } = await setUpDemo(server);
    command = await signIn(server.url, login('demo.command').username, login('demo.command').password);
    liaison = await signIn(server.url, login('demo.liaison').username, login('demo.liaison').password);
    const open = async (who: Caller) => {
      const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
      await ctx.addCookies(browserCookies(who, server.url));
      const p = await ctx.newPage();
      p.setDefaultTimeout(20_000);
      return p;
    };
    desk = await open(command);
    unitDesk = await open(liaison);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the command office builds the form and asks every subsidiary; the liaison submits; the round shows it and exports it', async () => {
    await desk.goto(`${server.url}/directives/reports`);
    await desk.getByTestId('report-new').click();
    const modal = desk.locator('.ant-modal');
    await desk.locator('#title').fill('疫情防控情况报告');
    // Every child of the header's unit (the group, for the command office): the default target.
    await modal.getByText('单次', { exact: true }).click();
    // Antd names each control's element after its form path: #deadline, #fields_1_options, #answers_f1.
    const deadline = modal.locator('#deadline');
    await deadline.click();
    await deadline.fill('2099-12-31 18:00');
    await deadline.press('Enter');
    await desk.locator('#fields_0_label').fill('在岗人数');
    await desk.getByTestId('report-add-field').click();
    await desk.locator('#fields_1_label').fill('风险等级');
    await desk.locator('#fields_1_type').click();
    await desk.locator('.ant-select-item-option', { hasText: '单选' }).click();
    const options = desk.locator('#fields_1_options');
    for (const o of ['低', '中', '高']) {
      await options.fill(o);
      await options.press('Enter');
    }
    await desk.getByTestId('report-create-submit').click();
    await desk.locator('.ant-message-success').waitFor();

    const list = await command.call<{ items: RequestItem[] }>('GET', '/api/v1/report-requests');
    const request = list.json.items.find((r) => r.title === '疫情防控情况报告')!;
    expect(request.latestRound).not.toBeNull();
    // The picked time is the deployment's wall time (Asia/Shanghai), whatever the browser's zone.
    expect((await command.call<{ schedule: unknown }>('GET', `/api/v1/report-requests/${request.id}`)).json.schedule).toEqual({ kind: 'once', deadline: Date.parse('2099-12-31T18:00:00+08:00') });
    const jf = request.units.find((u) => u.name.includes('交发'))!;
    expect(jf).toBeDefined();

    // The liaison's list: fill in the form drawn from the fields; a wrong answer is named on its field.
    await unitDesk.goto(`${server.url}/directives/reports/to-submit`);
    await unitDesk.getByTestId(`report-fill-${request.latestRound!.id}-${jf.id}`).click();
    await unitDesk.getByTestId('report-answer-submit').click();
    await unitDesk.locator('.ant-form-item-explain-error').first().waitFor();
    await unitDesk.locator('#answers_f1').fill('42');
    await unitDesk.locator('#answers_f2').click();
    await unitDesk.locator('.ant-select-item-option', { hasText: '中' }).click();
    await unitDesk.getByTestId('report-answer-submit').click();
    await unitDesk.locator('.ant-message-success').waitFor();
    await unitDesk.screenshot({ path: path.join(shots, 'report-to-submit.png') });

    // The command office's round, side by side.
    await desk.goto(`${server.url}/directives/reports/requests/${request.id}`);
    const table = desk.getByTestId('report-round-table');
    const row = table.locator('tr', { hasText: jf.name });
    await row.getByText('按时提交').waitFor();
    expect(await row.textContent()).toContain('42');
    await desk.screenshot({ path: path.join(shots, 'report-round.png'), fullPage: true });
    const href = await desk.getByTestId('report-round-export').getAttribute('href');
    const res = await fetch(server.url + href!, { headers: { cookie: command.cookie } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]!.slice(4)).toEqual(['在岗人数', '风险等级']);
    expect(rows.find((r) => r[0] === jf.name)!.slice(1, 2).concat(rows.find((r) => r[0] === jf.name)!.slice(4))).toEqual(['按时提交', 42, '中']);
  });
});
