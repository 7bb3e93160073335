import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller, type DemoLogin } from './api.js';
import { browserAvailable, launchBrowser, signInOnPhone, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

/** A 1×1 PNG: the server sniffs the type from the bytes, so the photo must be a real image. */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface PersonRow {
  id: number;
  name: string;
  employeeNo: string;
  unitId: number;
}
interface UnitRow {
  id: number;
  parentId: number | null;
  name: string;
}
interface ChecklistRow {
  id: number;
  text: string;
  retiredAt: number | null;
}
interface FindingRow {
  id: number;
  itemId: number;
  status: string;
  task: { id: number; status: string; responsiblePersonId: number };
}

/**
 * Key places, the loop closed end to end on the built server: the command office registers a depot
 * in the console (the usual four checklist items, the demo employee answerable for it); an
 * inspector of the unit fails 通风 on the phone's 场所检查 page with a note and a photo from the
 * camera; the rectification task appears under the employee's 我的任务, naming the place and the
 * item, and the employee completes it with a photo; the inspector re-inspects at a desk in the
 * console and passes every item: the finding is verified with its task, and the place's page shows
 * both inspections and the closed finding.
 */
describe.skipIf(!run)('a key place inspected, its finding rectified and verified by a re-inspection, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let console_: Page;
  let command: Caller;
  let inspector: Caller;
  let employeeLogin: DemoLogin;
  const inspectorLogin = { username: 'places.inspector', password: 'inspector password long enough' };
  let unit: UnitRow;
  let employee: PersonRow;
  let placeId: number;
  let checklist: ChecklistRow[];
  let finding: FindingRow;
  const placeName = '第三公交车场';
  const failNote = '调度室窗户关闭，无新风，已当场要求开窗。';
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  async function phone(login: { username: string; password: string }, page_: string) {
    return signInOnPhone(browser, server.url, login, page_);
  }

  async function asDesk(caller: Caller) {
    await desk.clearCookies();
    await desk.addCookies(browserCookies(caller, server.url));
  }

  const findings = async () => (await command.call<{ items: FindingRow[] }>('GET', `/api/v1/findings?placeId=${placeId}`)).json.items;

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    const commandLogin = demo.login('demo.command');
    command = await signIn(server.url, commandLogin.username, commandLogin.password);
    employeeLogin = demo.login('demo.employee');

    // The demo employee's unit: the depot is theirs, and an inspector of that unit gets a login.
    const me = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    const personId = (await me.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    employee = (await demo.admin.call<PersonRow>('GET', `/api/v1/people/${personId}`)).json;
    unit = (await demo.admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items.find((u) => u.id === employee.unitId)!;
    const colleague = (await demo.admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${unit.id}&status=active&pageSize=50`)).json.items.find((p) => p.id !== employee.id)!;
    const user = await demo.admin.call<{ id: number }>('POST', '/api/v1/users', { ...inspectorLogin, personId: colleague.id, displayName: `${unit.name}联络员` });
    expect(user.status).toBe(201);
    expect((await demo.admin.call('POST', '/api/v1/grants', { userId: user.json.id, role: 'liaison', unitId: unit.id })).status).toBe(201);
    inspector = await signIn(server.url, inspectorLogin.username, inspectorLogin.password);

    desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    console_ = await desk.newPage();
    console_.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the command office registers a depot with the usual checklist and a responsible person', async () => {
    await asDesk(command);
    await console_.goto(`${server.url}/places/register?unit=${unit.id}`);
    await console_.getByTestId('place-new').click();
    const modal = console_.locator('.ant-modal');
    // The four usual items come prefilled.
    await modal.getByTestId('place-item-3').waitFor();
    expect(await modal.getByTestId('place-item-0').inputValue()).toBe('通风');
    await modal.getByTestId('place-name').fill(placeName);
    await modal.getByTestId('place-kind').click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '车场' }).click();
    await modal.getByTestId('place-address').fill('青岛市市北区重庆南路 88 号');
    const pick = modal.getByTestId('place-responsible');
    await pick.click();
    await pick.locator('input').fill(employee.employeeNo);
    const options = console_.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(() => options.count()).toBe(1);
    await options.filter({ hasText: employee.employeeNo }).click();
    await console_.getByTestId('place-submit').click();

    // The new place's page: its checklist and who answers for it.
    await console_.getByTestId('place-page').waitFor();
    placeId = Number(/\/places\/register\/(\d+)/.exec(console_.url())?.[1]);
    expect(placeId).toBeGreaterThan(0);
    await expect.poll(() => console_.getByTestId('place-responsible-name').textContent()).toBe(employee.name);
    const place = (await command.call<{ checklist: ChecklistRow[]; responsiblePersonId: number; kind: string }>('GET', `/api/v1/places/${placeId}`)).json;
    expect(place).toMatchObject({ responsiblePersonId: employee.id, kind: 'depot' });
    checklist = place.checklist.filter((i) => i.retiredAt === null);
    expect(checklist.map((i) => i.text)).toEqual(['通风', '消毒记录', '测温点', '人员密集处佩戴口罩']);
  });

  it('the inspector fails 通风 on the phone with a note and a photo; the others pass', async () => {
    const { ctx, page } = await phone(inspectorLogin, 'inspect');
    try {
      // Only people who may inspect see the page in the bottom bar.
      await page.getByTestId('m-tab-inspect').waitFor();
      await page.getByTestId(`m-inspect-place-${placeId}`).tap();
      const [ventilation, ...rest] = checklist as [ChecklistRow, ...ChecklistRow[]];
      // Submitting with nothing answered names what is missing.
      await page.getByTestId('m-inspect-submit').tap();
      await expect.poll(() => page.getByTestId('m-inspect-error').textContent()).toContain('通风');

      await page.getByTestId(`m-inspect-item-${ventilation.id}-failed`).tap();
      await page.getByTestId(`m-inspect-item-${ventilation.id}-note`).fill(failNote);
      const camera = page.getByTestId(`m-inspect-item-${ventilation.id}-photo`);
      expect(await camera.getAttribute('capture')).toBe('environment');
      await camera.setInputFiles({ name: 'window.png', mimeType: 'image/png', buffer: PHOTO });
      await page.getByTestId(`m-inspect-item-${ventilation.id}-photo-uploaded`).waitFor();
      for (const i of rest) await page.getByTestId(`m-inspect-item-${i.id}-passed`).tap();
      await page.screenshot({ path: path.join(shots, 'places-phone-form.png'), fullPage: true });
      await page.getByTestId('m-inspect-submit').tap();
      await expect.poll(() => page.getByTestId('m-inspect-done').textContent()).toContain('不合格 1 项');
      await page.screenshot({ path: path.join(shots, 'places-phone-inspected.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
    const open = await findings();
    expect(open).toHaveLength(1);
    finding = open[0]!;
    expect(finding).toMatchObject({ itemId: checklist[0]!.id, status: 'open', task: { responsiblePersonId: employee.id } });
  });

  it('the rectification task appears under the responsible person\'s 我的任务, who completes it with a photo', async () => {
    const { ctx, page } = await phone(employeeLogin, 'tasks');
    try {
      await page.getByTestId(`mytask-${finding.task.id}`).tap();
      const task = page.getByTestId('mytask');
      // It reads as a rectification: the place, the failed item and what the inspector saw.
      await expect.poll(() => task.textContent()).toContain(placeName);
      expect(await task.textContent()).toContain('通风');
      await page.getByTestId('mytask-acknowledge').tap();
      await page.getByTestId('mytask-notice').waitFor();
      await page.getByTestId('mytask-report').fill('已打开调度室窗户并加装排风扇，每日通风三次。');
      await page.getByTestId('mytask-photo').setInputFiles({ name: 'fixed.png', mimeType: 'image/png', buffer: PHOTO });
      await page.getByTestId('mytask-photo-uploaded').waitFor();
      await page.getByTestId('mytask-submit').tap();
      await expect.poll(() => page.getByTestId('mytask-notice').textContent()).toContain('已报告完成');
      await page.screenshot({ path: path.join(shots, 'places-phone-rectified.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
    await expect.poll(async () => (await findings())[0]?.status).toBe('fixed');
  });

  it('the re-inspection in the console passes the item and closes the finding; the place\'s page shows the whole loop', async () => {
    await asDesk(inspector);
    // The unit's findings list it among those fixed and awaiting the re-inspection.
    await console_.goto(`${server.url}/places/findings?unit=${unit.id}`);
    await console_.getByTestId('findings-status-fixed').click();
    await console_.getByTestId(`finding-row-${finding.id}`).waitFor();
    await console_.goto(`${server.url}/places/register/${placeId}`);
    // Fixed, awaiting the re-inspection.
    await expect.poll(() => console_.getByTestId(`finding-status-${finding.id}`).getAttribute('data-status')).toBe('fixed');
    await console_.getByTestId('place-page-inspect').click();
    await console_.getByTestId('inspect-page').waitFor();
    for (const i of checklist) await console_.getByTestId(`inspect-item-${i.id}-passed`).click();
    await console_.getByTestId('inspect-submit').click();

    await console_.getByTestId('place-page').waitFor();
    await expect.poll(() => console_.getByTestId(`finding-status-${finding.id}`).getAttribute('data-status')).toBe('verified');
    expect(await console_.getByTestId(`finding-row-${finding.id}`).textContent()).toContain('已核验');
    // Both inspections, the first with the failed item, its note and its photo.
    const history = console_.locator('[data-testid^="inspection-"]:not([data-testid*="-item-"])');
    await expect.poll(() => history.count()).toBe(2);
    const failed = console_.locator(`[data-testid$="-item-${checklist[0]!.id}"]`, { hasText: failNote });
    await failed.waitFor();
    expect(await failed.locator('img').count()).toBe(1);
    await console_.screenshot({ path: path.join(shots, 'places-history.png'), fullPage: true });

    const closed = await findings();
    expect(closed.map((f) => [f.status, f.task.status])).toEqual([['verified', 'verified']]);
  });
});
