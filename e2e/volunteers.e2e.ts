import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller, type DemoLogin } from './api.js';
import { browserAvailable, launchBrowser, signInOnPhone, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

/**
 * The server's clock runs this many times faster than the real one (BULWARK_TEST_TIME): a
 * two-hour volunteer shift ends twelve real seconds after it starts. Sessions are made to last
 * (BULWARK_SESSION_*_MINUTES) so that the accelerated clock does not sign anyone out.
 */
const SPEED = 600;
const H = 3_600_000;

interface PersonRow {
  id: number;
  name: string;
  employeeNo: string;
  unitId: number;
}

/** Wall-clock text for an <input type="datetime-local"> in Asia/Shanghai (the browser's zone here). */
function shanghaiLocal(ms: number): string {
  return new Date(ms + 8 * H).toISOString().slice(0, 16);
}

/**
 * Front-line volunteers end to end on the built server: the demo employee signs up on the phone
 * (党员, 驾驶); the unit head of their unit creates a post in the console and lays a shift short of
 * people: the grid shows the gap in red; the unit asks the pool for a person; the command office
 * answers from 用人申请, picking the volunteer from the pool; the gap is gone; the volunteer sees the
 * shift on the phone; and after the shift ends (the server's fast clock) the hours appear.
 */
describe.skipIf(!run)('a volunteer signs up, is asked for, assigned, serves and has hours, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let console_: Page;
  let command: Caller;
  let head: Caller;
  let employeeLogin: DemoLogin;
  const headLogin = { username: 'volunteers.head', password: 'unit head password long enough' };
  let employee: PersonRow;
  let volunteerId: number;
  let postId: number;
  let shiftId: number;
  let shiftStart: number;
  let shiftEnd: number;
  const anchor = Date.now();
  const serverNow = () => anchor + (Date.now() - anchor) * SPEED;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  async function phone(login: { username: string; password: string }, page_: string) {
    return signInOnPhone(browser, server.url, login, page_, { timezoneId: 'Asia/Shanghai' });
  }

  async function asDesk(caller: Caller) {
    await desk.clearCookies();
    await desk.addCookies(browserCookies(caller, server.url));
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer({ NODE_ENV: 'test', BULWARK_TEST_TIME: `${anchor},${SPEED}`, BULWARK_SESSION_IDLE_MINUTES: '1000000', BULWARK_SESSION_MAX_MINUTES: '1000000' });
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    const c = demo.login('demo.command');
    command = await signIn(server.url, c.username, c.password);
    employeeLogin = demo.login('demo.employee');
    const me = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    const personId = (await me.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    employee = (await demo.admin.call<PersonRow>('GET', `/api/v1/people/${personId}`)).json;
    // A unit head of the employee's unit, who keeps its posts and asks the pool for people.
    const colleague = (await demo.admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${employee.unitId}&status=active&pageSize=50`)).json.items.find((p) => p.id !== employee.id)!;
    const user = await demo.admin.call<{ id: number }>('POST', '/api/v1/users', { ...headLogin, personId: colleague.id, displayName: '场站负责人' });
    expect(user.status).toBe(201);
    expect((await demo.admin.call('POST', '/api/v1/grants', { userId: user.json.id, role: 'unit_head', unitId: employee.unitId })).status).toBe(201);
    head = await signIn(server.url, headLogin.username, headLogin.password);
    desk = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 1000 } });
    console_ = await desk.newPage();
    console_.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the employee signs up on the phone as a party member who drives', async () => {
    const { ctx, page } = await phone(employeeLogin, 'volunteer');
    try {
      await page.getByTestId('volunteer-start').tap();
      await page.getByTestId('volunteer-party').check({ force: true });
      await page.getByTestId('volunteer-skill-驾驶').check({ force: true });
      await page.getByTestId('volunteer-availability').fill('周末全天');
      await page.getByTestId('volunteer-save').tap();
      await page.getByTestId('volunteer-status').waitFor();
      await page.screenshot({ path: path.join(shots, 'volunteers-1-signed-up.png') });
    } finally {
      await ctx.close();
    }
    const pool = await head.call<{ items: { id: number; personId: number; partyMember: boolean; skills: string[] }[] }>('GET', `/api/v1/volunteers?unitId=${employee.unitId}&tag=party_member&skill=驾驶`);
    const mine = pool.json.items.find((v) => v.personId === employee.id)!;
    expect(mine).toMatchObject({ partyMember: true, skills: ['驾驶'] });
    volunteerId = mine.id;
  });

  it('the unit head creates a post in the console; a shift short of people shows as a gap in red', async () => {
    await asDesk(head);
    const now = serverNow();
    const today = new Date(now + 8 * H).toISOString().slice(0, 10);
    const later = new Date(now + 8 * H + 3 * 24 * H).toISOString().slice(0, 10);
    await console_.goto(`${server.url}/duty/volunteers?tab=posts&unit=${employee.unitId}`);
    await console_.getByTestId('post-new').click();
    const modal = console_.locator('.ant-modal');
    await modal.getByTestId('post-title').fill('场站大门卡口');
    await modal.getByTestId('post-needed').fill('1');
    await modal.getByTestId('post-from').fill(today);
    await modal.getByTestId('post-to').fill(later);
    await console_.getByTestId('post-submit').click();
    await console_.locator('[data-testid^="post-grid-"]').waitFor();
    postId = Number((await console_.locator('[data-testid^="post-grid-"]').getAttribute('data-testid'))!.replace('post-grid-', ''));
    // One two-hour shift, far enough ahead that the journey's clicks finish before it starts.
    shiftStart = Math.ceil((serverNow() + 8 * H) / 60_000) * 60_000;
    shiftEnd = shiftStart + 2 * H;
    const shift = await head.call<{ id: number; short: boolean }>('POST', `/api/v1/volunteer-posts/${postId}/shifts`, { startsAt: shiftStart, endsAt: shiftEnd });
    expect(shift.status, JSON.stringify(shift.json)).toBe(201);
    shiftId = shift.json.id;
    await console_.reload();
    await console_.getByTestId(`post-open-${postId}`).click();
    await console_.getByTestId('grid-gaps').waitFor();
    await console_.getByTestId(`shift-short-${shiftId}`).waitFor();
    await console_.screenshot({ path: path.join(shots, 'volunteers-2-gap.png') });
  });

  it('the unit asks the pool; the command office assigns the volunteer from 用人申请; the gap disappears', async () => {
    await console_.getByTestId(`post-ask-${postId}`).click();
    const modal = console_.locator('.ant-modal');
    await modal.getByTestId('ask-count').fill('1');
    await modal.getByTestId('ask-from').fill(shanghaiLocal(shiftStart));
    await modal.getByTestId('ask-to').fill(shanghaiLocal(shiftEnd));
    await modal.getByTestId('ask-note').fill('大门卡口缺一名驾驶员');
    await console_.getByTestId('ask-submit').click();
    await expect.poll(async () => (await head.call<{ items: { id: number; status: string }[] }>('GET', `/api/v1/volunteer-requests?unitId=${employee.unitId}`)).json.items.length).toBe(1);
    const requestId = (await head.call<{ items: { id: number }[] }>('GET', `/api/v1/volunteer-requests?unitId=${employee.unitId}`)).json.items[0]!.id;

    await asDesk(command);
    await console_.goto(`${server.url}/duty/volunteers?tab=requests`);
    await console_.getByTestId(`request-answer-${requestId}`).click();
    await console_.getByTestId(`answer-shift-${shiftId}`).click();
    await console_.getByTestId(`assign-pick-${volunteerId}`).click();
    await console_.getByTestId('assign-submit').click();
    // The picker closes on success and the request list behind the answer refreshes. The answer is
    // closed by its button: Escape reaches a modal only while focus is inside it, and the shift's
    // 安排 button, where focus would return, is gone once the shift is full.
    await expect.poll(() => console_.getByTestId('assign-submit').count()).toBe(0);
    await console_.locator('.ant-modal-close').click();
    await expect.poll(() => console_.getByTestId(`request-status-${requestId}`).textContent()).toBe('已到位');

    // The asker was told.
    const inbox = await head.call<{ items: { kind: string }[] }>('GET', '/api/v1/notifications');
    expect(inbox.json.items.some((n) => n.kind === 'volunteers.request_answered')).toBe(true);

    await asDesk(head);
    await console_.goto(`${server.url}/duty/volunteers?tab=posts&unit=${employee.unitId}`);
    await console_.getByTestId(`post-open-${postId}`).click();
    await console_.getByTestId('grid-covered').waitFor();
    expect(await console_.getByTestId('grid-gaps').count()).toBe(0);
    await console_.getByTestId(`shift-full-${shiftId}`).waitFor();
    await console_.screenshot({ path: path.join(shots, 'volunteers-3-covered.png') });
  });

  it('the volunteer sees the shift on the phone; once it has ended the hours appear', async () => {
    const { ctx, page } = await phone(employeeLogin, 'volunteer');
    try {
      await page.getByTestId(`volunteer-shift-${shiftId}`).waitFor();
      expect(await page.getByTestId(`volunteer-shift-${shiftId}`).textContent()).toContain('场站大门卡口');
    } finally {
      await ctx.close();
    }
    // Wait (in real time: the server's clock runs fast) until the shift has ended.
    while (serverNow() < shiftEnd + 5 * 60_000) await new Promise((r) => setTimeout(r, 1000));
    await asDesk(command);
    const from = new Date(shiftStart + 8 * H).toISOString().slice(0, 10);
    await console_.goto(`${server.url}/duty/volunteers?tab=hours`);
    await console_.locator('[data-testid="volunteers-hours"] input[type="date"]').first().fill(from);
    await expect.poll(() => console_.getByTestId(`hours-value-${volunteerId}`).textContent(), { timeout: 20_000 }).toBe('2');
    await console_.screenshot({ path: path.join(shots, 'volunteers-4-hours.png') });
    const mine = await (await signIn(server.url, employeeLogin.username, employeeLogin.password)).call<{ hoursServed: number }>('GET', '/api/v1/me/volunteer');
    expect(mine.json.hoursServed).toBe(2);
  });
});
