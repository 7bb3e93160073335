import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

/** The .xlsx a command office would upload: two subsidiaries, people in nested units. */
async function writePeopleWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员');
  ws.addRow(['姓名', '工号', '单位', '手机', '职务', '标签']);
  ws.addRow(['张伟', 'JF0001', '交发集团/运营部', '13800000001', '调度员', '一线']);
  ws.addRow(['王芳', 'JF0002', '交发集团/运营部/一车队', '13800000002', '驾驶员', '一线']);
  ws.addRow(['李强', 'JF0003', '交发集团/安全部', '13800000003', '安全员', '']);
  ws.addRow(['刘洋', 'QH0001', '青岛航空/机务部', '13800000004', '机务', '一线']);
  ws.addRow(['陈静', 'QH0002', '青岛航空/首尔办事处', '13800000005', '代表', '海外']);
  await wb.xlsx.writeFile(file);
}

/**
 * Choose a unit in a TreeSelect inside a modal: search, click the match, wait until the picker
 * shows it, and make sure its dropdown is closed before anything else is clicked (an open popup
 * lies over the modal's buttons).
 */
async function pickTreeOption(page: Page, testId: string, text: string): Promise<void> {
  const picker = page.getByTestId(testId);
  // The tree's own dropdown: a select closed just before may still be fading out, visible.
  const tree = page.locator('.ant-select-dropdown:visible').filter({ has: page.locator('.ant-select-tree') });
  // Retried as a whole: on a loaded machine the search can re-render the node under the click.
  await vi.waitFor(
    async () => {
      if ((await picker.textContent())?.includes(text)) return;
      if ((await tree.count()) === 0) {
        await picker.click();
        await tree.first().waitFor({ timeout: 5_000 });
        await page.keyboard.type(text);
      }
      await tree.locator('.ant-select-tree-node-content-wrapper', { hasText: text }).first().click({ timeout: 5_000 });
      await expect.poll(() => picker.textContent(), { timeout: 3_000 }).toContain(text);
    },
    { timeout: 45_000, interval: 250 },
  );
  const popup = page.locator('.ant-select-dropdown:visible');
  if ((await popup.count()) > 0) await page.locator('.ant-modal-title:visible').first().click();
  await expect.poll(() => popup.count()).toBe(0);
}

describe.skipIf(!run)('first run to a scoped liaison, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sets up with the printed token, imports people, grants a liaison, and the liaison sees only their subsidiary', async () => {
    // First run: the printed token, then the organisation and its first administrator.
    await page.goto(server.url);
    await page.getByTestId('setup-token').fill(server.setupToken);
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-org').fill('青岛城投集团');
    await page.getByTestId('setup-username').fill('admin');
    await page.getByTestId('setup-password').fill('first admin password');
    await page.getByTestId('setup-password2').fill('first admin password');
    await page.getByTestId('setup-submit').click();

    // Import people from an Excel file: a dry run first, then the real thing.
    await page.getByTestId('setup-import').click();
    const file = path.join(server.dir, '人员.xlsx');
    await writePeopleWorkbook(file);
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('import-commit').isVisible(), { timeout: 20_000 }).toBe(true);
    await page.screenshot({ path: path.join(shots, '1-import-dry-run.png') });
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-result').waitFor();

    // A liaison for 交发集团.
    await page.getByTestId('menu-users').click();
    await page.getByTestId('users-create').click();
    await page.getByTestId('user-form-username').fill('jf-liaison');
    await page.getByTestId('user-form-password').fill('liaison password 1');
    await page.getByTestId('user-form-submit').click();
    const row = page.locator('tr', { hasText: 'jf-liaison' });
    await row.getByTestId('grant-add').click();
    await page.getByTestId('grant-role').click();
    await page.locator('.ant-select-item-option', { hasText: '联络员' }).click();
    await pickTreeOption(page, 'grant-unit', '交发集团');
    await page.getByTestId('grant-submit').click();
    await expect.poll(() => row.textContent()).toContain('交发集团');

    // Sign out, sign in as the liaison.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').fill('jf-liaison');
    await page.getByTestId('login-password').fill('liaison password 1');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('menu-org').click();
    await page.getByTestId('people-table').waitFor();
    await expect.poll(() => page.getByTestId('people-table').textContent()).toContain('张伟');
    await page.screenshot({ path: path.join(shots, '2-liaison-people.png') });

    // Only their subsidiary, in Chinese, and no action they cannot perform.
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('组织人员');
    for (const name of ['张伟', '王芳', '李强']) expect(text).toContain(name);
    for (const hidden of ['刘洋', '陈静', '青岛航空']) expect(text).not.toContain(hidden);
    for (const absent of ['menu-users', 'menu-audit', 'people-add', 'people-import', 'users-create']) {
      expect(await page.getByTestId(absent).count(), absent).toBe(0);
    }
    await page.getByTestId('unit-picker').click();
    const options = (await page.locator('.ant-select-tree').textContent()) ?? '';
    expect(options).toContain('交发集团');
    expect(options).not.toContain('青岛航空');
    expect(options).not.toContain('青岛城投集团');
  });
});
