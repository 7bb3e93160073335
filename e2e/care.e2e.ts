import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller, type DemoLogin } from './api.js';
import { browserAvailable, launchBrowser, signInOnPhone, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

interface PersonRow {
  id: number;
  name: string;
  employeeNo: string;
  unitId: number;
}
interface CaseRow {
  id: number;
  personId: number;
  kind: string;
  source: string;
  status: string;
  needs: { id: number; kind: string; state: string; requestId: number | null }[];
  actions: { id: number; kind: string; note: string | null; noteHidden: boolean }[];
}

/**
 * Care cases (关爱帮扶) on the built server, in the screens: the demo employee is put under a health
 * watch; a care officer of their unit sees the suggestion on 建议关爱 and opens the case with one
 * click, adds a need, records a delivery and a counselling note; the employee opens 求助 on the
 * phone, sees the case (their counselling note readable, the delivery listed) and asks for money;
 * the officer sees the request on 求助 and adds it to the open case; the command office sees the
 * care board as counts and cannot open the case.
 */
describe.skipIf(!run)('a care case from a health watch to a request for help, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let console_: Page;
  let command: Caller;
  let officer: Caller;
  let employeeLogin: DemoLogin;
  let employee: PersonRow;
  let colleague: PersonRow;
  let caseId: number;
  const officerLogin = { username: 'care.officer', password: 'care officer password long enough' };
  const counselling = '谈心约 30 分钟，情绪平稳，担心家中老人无人照顾，已约定每两天联系一次。';
  const askNote = '隔离期间没有收入，房贷本月到期。';
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  async function asDesk(caller: Caller) {
    await desk.clearCookies();
    await desk.addCookies(browserCookies(caller, server.url));
  }
  const caseOf = async (who: Caller) => (await who.call<CaseRow>('GET', `/api/v1/care/cases/${caseId}`)).json;

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    const commandLogin = demo.login('demo.command');
    command = await signIn(server.url, commandLogin.username, commandLogin.password);
    employeeLogin = demo.login('demo.employee');

    const me = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    const personId = (await me.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    employee = (await demo.admin.call<PersonRow>('GET', `/api/v1/people/${personId}`)).json;
    // A care officer (工会) over the employee's unit, a colleague of theirs.
    colleague = (await demo.admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${employee.unitId}&status=active&pageSize=50`)).json.items.find((p) => p.id !== employee.id)!;
    const user = await demo.admin.call<{ id: number }>('POST', '/api/v1/users', { ...officerLogin, personId: colleague.id, displayName: '工会关爱专员' });
    expect(user.status).toBe(201);
    expect((await demo.admin.call('POST', '/api/v1/grants', { userId: user.json.id, role: 'care_officer', unitId: employee.unitId })).status).toBe(201);
    officer = await signIn(server.url, officerLogin.username, officerLogin.password);

    // The employee is put under health watch (as a positive result would): that is what care suggests from.
    const watch = await demo.admin.call('POST', '/api/v1/health-watches', { personId: employee.id, note: '核酸阳性，转入健康观察' });
    expect(watch.status).toBe(201);

    desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    console_ = await desk.newPage();
    console_.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the care officer sees the suggestion from the health watch and opens the case with one click', async () => {
    await asDesk(officer);
    await console_.goto(`${server.url}/care/suggestions?unit=${employee.unitId}`);
    const row = console_.getByTestId(`care-suggestion-row-${employee.id}-health_watch`);
    await row.waitFor();
    expect(await row.textContent()).toContain(employee.name);
    expect(await row.textContent()).toContain('健康观察中');
    await console_.screenshot({ path: path.join(shots, 'care-suggestions.png'), fullPage: true });
    await console_.getByTestId(`care-suggestion-open-${employee.id}-health_watch`).click();

    await console_.getByTestId('care-case-page').waitFor();
    caseId = Number(/\/care\/cases\/(\d+)/.exec(console_.url())?.[1]);
    expect(caseId).toBeGreaterThan(0);
    // The opener is the case's care officer (named by the user's display name, or their person's name).
    expect(['工会关爱专员', colleague.name]).toContain(await console_.getByTestId('care-case-officer').textContent());
    expect(await caseOf(officer)).toMatchObject({ personId: employee.id, source: 'suggestion', status: 'open' });
    // Opened, the suggestion is gone.
    await console_.goto(`${server.url}/care/suggestions?unit=${employee.unitId}`);
    await console_.locator('.ant-table').waitFor();
    await expect.poll(() => console_.getByTestId(`care-suggestion-row-${employee.id}-health_watch`).count()).toBe(0);
  });

  it('adds a need, records a delivery and a counselling note', async () => {
    await console_.goto(`${server.url}/care/cases/${caseId}`);
    await console_.getByTestId('care-case-page').waitFor();

    // A need: supplies.
    await console_.getByTestId('care-need-kind').click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '生活物资' }).click();
    await console_.getByTestId('care-need-note').fill('米面油、消毒用品');
    await console_.getByTestId('care-need-add').click();
    await expect.poll(async () => (await caseOf(officer)).needs.map((n) => [n.kind, n.state])).toEqual([['supplies', 'open']]);

    // A delivery, recorded with the form's own time (now).
    await console_.getByTestId('care-action-kind').click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '物资配送' }).click();
    await console_.getByTestId('care-action-note').fill('送去米面油一份');
    await console_.getByTestId('care-action-submit').click();
    await expect.poll(async () => (await caseOf(officer)).actions.map((a) => a.kind)).toEqual(['delivery']);

    // The need met, changed in place.
    const need = (await caseOf(officer)).needs[0]!;
    await console_.getByTestId(`care-need-state-${need.id}`).click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '已满足' }).click();
    await expect.poll(async () => (await caseOf(officer)).needs[0]!.state).toBe('met');

    // A counselling note: the form says it is encrypted and needs the note.
    await console_.getByTestId('care-action-kind').click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '心理疏导' }).click();
    await console_.getByTestId('care-action-encrypted-hint').waitFor();
    await console_.getByTestId('care-action-submit').click();
    await expect.poll(() => console_.locator('.ant-form-item-explain-error', { hasText: '请填写心理疏导记录' }).count()).toBe(1);
    await console_.getByTestId('care-action-note').fill(counselling);
    await console_.getByTestId('care-action-submit').click();
    await expect.poll(async () => (await caseOf(officer)).actions.length).toBe(2);
    const note = (await caseOf(officer)).actions.find((a) => a.kind === 'counselling')!;
    // Its writer reads it back.
    expect(note).toMatchObject({ note: counselling, noteHidden: false });
    await expect.poll(() => console_.getByTestId(`care-action-note-${note.id}`).textContent()).toBe(counselling);
    await expect.poll(() => console_.getByTestId('care-case-last-contact').textContent()).not.toContain('尚未联系');
    await console_.screenshot({ path: path.join(shots, 'care-case.png'), fullPage: true });
  });

  it('the employee opens 求助 on the phone, sees the case, and asks for help', async () => {
    const { ctx, page } = await signInOnPhone(browser, server.url, employeeLogin, 'checkin');
    try {
      // 求助 is in the bottom bar for everyone.
      await page.getByTestId('m-tab-care').tap();
      const mine = page.getByTestId(`m-care-case-${caseId}`);
      await mine.waitFor();
      // The person reads their own counselling note; the delivery is listed.
      await expect.poll(() => mine.textContent()).toContain(counselling);
      expect(await mine.textContent()).toContain('物资配送');

      // Sending with no need picked names what is missing.
      await page.getByTestId('m-care-submit').tap();
      await expect.poll(() => page.getByTestId('m-care-error').textContent()).toContain('请选择');
      await page.getByTestId('m-care-need-financial').tap();
      await page.getByTestId('m-care-note').fill(askNote);
      await page.getByTestId('m-care-submit').tap();
      await page.getByTestId('m-care-sent').waitFor();
      await expect.poll(() => page.getByTestId('m-care-requests').textContent()).toContain(askNote);
      await page.screenshot({ path: path.join(shots, 'care-phone.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });

  it('the officer sees the request and adds it to the open case', async () => {
    await asDesk(officer);
    await console_.goto(`${server.url}/care/requests?unit=${employee.unitId}`);
    const row = console_.locator('[data-testid^="care-request-row-"]', { hasText: askNote });
    await row.waitFor();
    expect(await row.textContent()).toContain(employee.name);
    expect(await row.textContent()).toContain('经济帮扶');
    const requestId = Number((await row.getAttribute('data-testid'))!.replace('care-request-row-', ''));
    await console_.getByTestId(`care-request-add-${requestId}`).click();
    await console_.getByTestId('care-case-page').waitFor();
    expect(console_.url()).toContain(`/care/cases/${caseId}`);
    await expect.poll(async () => (await caseOf(officer)).needs.find((n) => n.kind === 'financial')).toMatchObject({ state: 'open', requestId });
    await console_.locator(`[data-testid^="care-need-"][data-kind="financial"]`).waitFor();
  });

  it('the command office sees the figures but no case', async () => {
    await asDesk(command);
    await console_.goto(`${server.url}/care/board?unit=${employee.unitId}`);
    await console_.getByTestId('care-figures').waitFor();
    await expect.poll(async () => Number(await console_.getByTestId('care-total-open').textContent())).toBeGreaterThanOrEqual(1);
    // The menu offers the board only.
    await console_.getByTestId('menu-care.board').waitFor();
    for (const page of ['cases', 'suggestions', 'requests']) expect(await console_.getByTestId(`menu-care.${page}`).count()).toBe(0);
    // No person's name on the page, and the case itself does not exist for them.
    expect(await console_.getByTestId('care-figures').textContent()).not.toContain(employee.name);
    await console_.screenshot({ path: path.join(shots, 'care-figures.png'), fullPage: true });
    await console_.goto(`${server.url}/care/cases/${caseId}`);
    await console_.locator('.ant-result-404').waitFor();
    expect(await console_.getByTestId('care-case-page').count()).toBe(0);
    expect([403, 404]).toContain((await command.call('GET', `/api/v1/care/cases/${caseId}`)).status);
  });
});
