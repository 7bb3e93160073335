import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf, startOfDay } from '../common/day.js';
import { browserCookies, setUpDemo, signIn, type Caller, type DemoLogin } from './api.js';
import { browserAvailable, launchBrowser, signInOnPhone, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();
const TZ = 'Asia/Shanghai'; // the harness's server runs with the default zone
const H = 3_600_000;
const HANDOVER_HOUR = 8;

interface PersonRow {
  id: number;
  name: string;
  employeeNo: string;
  unitId: number;
  unitName: string;
}
interface UnitRow {
  id: number;
  parentId: number | null;
  name: string;
}
interface ShiftRow {
  id: number;
  startsAt: number;
  endsAt: number;
  leaders: { personId: number }[];
  officers: { personId: number }[];
}

/** An instant as the iCalendar feed writes it: UTC, basic format. */
const icsTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Duty rosters, end to end on the built server: a unit head generates a month of 24-hour shifts in
 * the console (a leader, and two officers in turn, one of them the demo employee), sees every hour
 * covered, takes one shift away and sees the gap (in the month and in the coming week's gaps); the
 * employee, on shift now, opens 我的值班 on the phone and writes the handover; the next shift's
 * officer reads it on their phone before starting; the employee's private calendar feed answers
 * an iCalendar with the shifts. Then that officer asks the employee on the phone to exchange a
 * shift, the employee agrees on theirs, and the unit head approves in the console: the two shifts
 * have changed hands.
 *
 * Time: the server runs on the real clock. The month starts yesterday, so a shift is running now
 * whatever the hour; the officers' order is chosen so that the employee holds the running one.
 */
describe.skipIf(!run)('a duty roster generated, a gap seen, a handover passed on, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let console_: Page;
  let admin: Caller;
  let head: Caller;
  let employeeLogin: DemoLogin;
  const nextLogin = { username: 'duty.next', password: 'next officer password long enough' };
  let unit: UnitRow;
  let leader: PersonRow;
  let employee: PersonRow;
  let next: PersonRow;
  let running: ShiftRow;
  const handoverText = '夜间巡查两次，站内一切正常。\n3号门禁故障已报修，请下一班跟进维修进度。';
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  const today = () => dayOf(Date.now(), TZ);

  async function phone(login: { username: string; password: string }) {
    return signInOnPhone(browser, server.url, login, 'duty');
  }

  /** Add a person to one of the generate form's rotation lists by searching their employee number. */
  async function addToList(list: string, p: PersonRow) {
    const pick = console_.getByTestId(`${list}-pick`);
    await pick.click();
    await pick.locator('input').fill(p.employeeNo);
    // The search answers after a beat: wait until the list holds only that person, then pick them.
    const options = console_.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(() => options.count()).toBe(1);
    await options.filter({ hasText: p.employeeNo }).click();
    await console_.getByTestId(`${list}-item`).filter({ hasText: p.name }).waitFor();
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    employeeLogin = demo.login('demo.employee');

    // The demo employee's unit (or the one above, when theirs is too small for a roster of three).
    const me = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    const personId = (await me.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    employee = (await admin.call<PersonRow>('GET', `/api/v1/people/${personId}`)).json;
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    let candidate = units.find((u) => u.id === employee.unitId)!;
    let people: PersonRow[] = [];
    for (;;) {
      people = (await admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${candidate.id}&status=active&pageSize=50`)).json.items.filter((p) => p.id !== employee.id);
      if (people.length >= 2 || candidate.parentId === null) break;
      candidate = units.find((u) => u.id === candidate.parentId)!;
    }
    unit = candidate;
    [leader, next] = people as [PersonRow, PersonRow];

    // The unit head (the leader on duty) and the next shift's officer get logins.
    const headUser = await admin.call<{ id: number }>('POST', '/api/v1/users', { username: 'duty.head', password: 'duty head password long enough', personId: leader.id, displayName: `${unit.name}负责人` });
    expect(headUser.status).toBe(201);
    expect((await admin.call('POST', '/api/v1/grants', { userId: headUser.json.id, role: 'unit_head', unitId: unit.id })).status).toBe(201);
    head = await signIn(server.url, 'duty.head', 'duty head password long enough');
    const nextUser = await admin.call<{ id: number }>('POST', '/api/v1/users', { ...nextLogin, personId: next.id });
    expect(nextUser.status).toBe(201);
    // A duty officer of the unit: may search its people and read its roster (to ask a swap on the phone).
    expect((await admin.call('POST', '/api/v1/grants', { userId: nextUser.json.id, role: 'duty_officer', unitId: unit.id })).status).toBe(201);

    desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    await desk.addCookies(browserCookies(head, server.url));
    console_ = await desk.newPage();
    console_.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the unit head generates a month from a pattern and sees every hour covered', async () => {
    await console_.goto(`${server.url}/duty/rosters?unit=${unit.id}`);
    await console_.getByTestId('duty-month-empty').waitFor();

    // Yesterday's shift (08:00 to 08:00) is the running one before 08:00, today's after: the
    // officers' order puts the employee on it and the other officer on the one after.
    const from = addDays(today(), -1);
    const runningSlot = Date.now() < startOfDay(today(), TZ) + HANDOVER_HOUR * H ? 0 : 1;
    const officers = runningSlot === 0 ? [employee, next] : [next, employee];

    await console_.getByTestId('duty-generate').click();
    const range = console_.locator('.ant-modal .ant-picker-range input');
    await range.nth(0).click();
    await range.nth(0).fill(from);
    await range.nth(0).press('Enter');
    await range.nth(1).fill(addDays(from, 30));
    await range.nth(1).press('Enter');
    await addToList('duty-generate-leaders', leader);
    for (const o of officers) await addToList('duty-generate-officers', o);
    await console_.getByTestId('duty-generate-submit').click();
    // The dry run says what will happen; the head confirms.
    await console_.locator('.ant-modal-confirm', { hasText: '将新建' }).waitFor();
    await console_.getByTestId('duty-generate-ok').click();
    await console_.getByTestId('duty-month-covered').waitFor();

    const shifts = (await head.call<{ items: ShiftRow[] }>('GET', `/api/v1/duty/shifts?unitId=${unit.id}&from=${Date.now()}&to=${Date.now() + 8 * 24 * H}`)).json.items;
    running = shifts.find((s) => s.startsAt <= Date.now() && s.endsAt > Date.now())!;
    expect(running.officers.map((o) => o.personId)).toEqual([employee.id]);
    expect(running.leaders.map((l) => l.personId)).toEqual([leader.id]);
    // Each shift on the calendar names its people.
    expect(await console_.getByTestId(`duty-shift-${running.id}`).textContent()).toContain(employee.name);

    await console_.getByTestId('duty-tab-gaps').click();
    await console_.getByTestId('duty-gaps-none').waitFor();
    await console_.getByTestId('duty-tab-now').click();
    await expect.poll(() => console_.getByTestId(`duty-now-${unit.id}`).textContent()).toContain(employee.name);
    await console_.screenshot({ path: path.join(shots, 'duty-now.png'), fullPage: true });
  });

  it('the head takes a shift of the coming week away and sees the gap', async () => {
    const shifts = (await head.call<{ items: ShiftRow[] }>('GET', `/api/v1/duty/shifts?unitId=${unit.id}&from=${Date.now()}&to=${Date.now() + 7 * 24 * H}`)).json.items;
    // Two shifts after the running one: not the next officer's, which the journey still needs.
    const victim = shifts.filter((s) => s.startsAt > Date.now())[2]!;
    await console_.getByTestId('duty-tab-month').click();
    const month = dayOf(victim.startsAt, TZ).slice(0, 7);
    if (month !== today().slice(0, 7)) {
      const picker = console_.getByTestId('duty-month-picker').locator('input');
      await picker.click();
      await picker.fill(month);
      await picker.press('Enter');
    }
    await console_.getByTestId(`duty-shift-${victim.id}`).click();
    // A shift must keep an officer: taking away its only one is refused in the form.
    const officerId = victim.officers[0]!.personId;
    await console_.getByTestId(`duty-shift-officers-remove-${officerId}`).click();
    await console_.getByTestId('duty-shift-submit').click();
    await console_.locator('.ant-modal .ant-form-item-explain-error', { hasText: '请至少添加一人' }).waitFor();
    // So the head removes the whole shift: nobody holds those 24 hours now.
    await console_.getByTestId('duty-shift-delete').click();
    await console_.getByTestId('duty-shift-delete-ok').click();
    await console_.getByTestId('duty-month-gaps').waitFor();
    const day = console_.getByTestId(`duty-day-${dayOf(victim.startsAt, TZ)}`);
    await expect.poll(() => day.getByTestId('duty-gap').count()).toBe(2);
    await console_.screenshot({ path: path.join(shots, 'duty-month-gap.png'), fullPage: true });

    await console_.getByTestId('duty-tab-gaps').click();
    const gaps = console_.getByTestId('duty-gaps');
    await expect.poll(() => gaps.locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await gaps.textContent()).toContain('带班领导');
    expect(await gaps.textContent()).toContain('值班员');
    const api = (await head.call<{ items: { role: string; startsAt: number; endsAt: number }[] }>('GET', `/api/v1/duty/gaps?unitId=${unit.id}`)).json.items;
    expect(api.map((g) => [g.role, g.startsAt, g.endsAt]).sort()).toEqual([
      ['leader', victim.startsAt, victim.endsAt],
      ['officer', victim.startsAt, victim.endsAt],
    ]);
  });

  it('the employee on shift writes the handover on the phone; the next shift reads it before starting', async () => {
    const mine = await phone(employeeLogin);
    try {
      const current = mine.page.getByTestId('duty-current');
      await expect.poll(() => current.textContent()).toContain('正在值班');
      await mine.page.getByTestId('duty-mine').waitFor();
      await mine.page.getByTestId('duty-handover-body').fill(handoverText);
      await mine.page.getByTestId('duty-handover-save').tap();
      await mine.page.getByTestId('duty-handover-saved').waitFor();
      await mine.page.screenshot({ path: path.join(shots, 'duty-phone-handover.png'), fullPage: true });
    } finally {
      await mine.ctx.close();
    }

    const theirs = await phone(nextLogin);
    try {
      await expect.poll(() => theirs.page.getByTestId('duty-current').textContent()).toContain('下一个班次');
      await expect.poll(() => theirs.page.getByTestId('duty-previous-handover').textContent()).toBe(handoverText);
      // Their shift is only to be read before it starts: no handover of their own to write yet.
      expect(await theirs.page.getByTestId('duty-handover').count()).toBe(0);
    } finally {
      await theirs.ctx.close();
    }

    // The head finds it in the day's duty log.
    await console_.getByTestId('duty-tab-log').click();
    await expect.poll(() => console_.getByTestId(`duty-log-handover-${running.id}`).textContent()).toBe(handoverText);
    await console_.screenshot({ path: path.join(shots, 'duty-log.png'), fullPage: true });
  });

  it("the employee's private calendar feed answers the shifts as iCalendar, without a session", async () => {
    const mine = await phone(employeeLogin);
    let url: string;
    try {
      await mine.page.getByTestId('duty-feed-make').tap();
      url = await mine.page.getByTestId('duty-feed-url').inputValue();
    } finally {
      await mine.ctx.close();
    }
    expect(url).toMatch(/\/api\/v1\/duty\/feed\/[A-Za-z0-9_-]+\.ics$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    // Unfold the lines (RFC 5545 §3.1) before reading them.
    const ics = (await res.text()).replace(/\r\n[ \t]/g, '');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain(`DTSTART:${icsTime(running.startsAt)}`);
    expect(ics).toContain(`DTEND:${icsTime(running.endsAt)}`);
    // Every other day of the month is the employee's: about half of its shifts, all in the feed.
    expect((ics.match(/BEGIN:VEVENT/g) ?? []).length).toBeGreaterThanOrEqual(10);

    // Stopped on the phone, the link answers nothing any more.
    const again = await phone(employeeLogin);
    try {
      again.page.on('dialog', (d) => void d.accept());
      await again.page.getByTestId('duty-feed-exists').waitFor();
      await again.page.getByTestId('duty-feed-stop').tap();
      await again.page.getByTestId('duty-feed-make').filter({ hasText: '生成订阅链接' }).waitFor();
    } finally {
      await again.ctx.close();
    }
    expect((await fetch(url)).status).toBe(404);
  });

  it('a swap asked on the phone, agreed by the other officer and approved by the unit head changes both shifts', async () => {
    const ahead = (await head.call<{ items: ShiftRow[] }>('GET', `/api/v1/duty/shifts?unitId=${unit.id}&from=${Date.now()}&to=${Date.now() + 14 * 24 * H}`)).json.items.filter((s) => s.startsAt > Date.now() + 24 * H);
    const isOn = (s: ShiftRow, p: PersonRow) => s.officers.some((o) => o.personId === p.id);
    const mine = ahead.find((s) => isOn(s, next))!;
    const theirs = ahead.find((s) => isOn(s, employee) && s.startsAt > mine.startsAt)!;

    const asker = await phone(nextLogin);
    try {
      await asker.page.getByTestId(`duty-swap-${mine.id}`).tap();
      await asker.page.getByTestId('duty-swap-search').fill(employee.employeeNo);
      await asker.page.getByTestId(`duty-swap-person-${employee.id}`).tap();
      await asker.page.getByTestId(`duty-swap-their-${theirs.id}`).tap();
      await asker.page.getByTestId('duty-swap-reason').fill('家中有事');
      await asker.page.getByTestId('duty-swap-submit').tap();
      await expect.poll(() => asker.page.getByTestId('duty-notice').textContent()).toContain('已提交');
    } finally {
      await asker.ctx.close();
    }
    const swap = (await head.call<{ items: { id: number; status: string }[] }>('GET', `/api/v1/duty/swaps?unitId=${unit.id}`)).json.items[0]!;
    expect(swap.status).toBe('asked');

    const other = await phone(employeeLogin);
    try {
      await other.page.getByTestId(`duty-swap-accept-${swap.id}`).tap();
      await expect.poll(() => other.page.getByTestId('duty-notice').textContent()).toContain('已同意');
    } finally {
      await other.ctx.close();
    }

    await console_.getByTestId('duty-tab-swaps').click();
    // Agreed by both: it waits for the head, counted on the tab.
    await expect.poll(() => console_.getByTestId('duty-swaps-pending').textContent()).toBe('1');
    await console_.getByTestId(`duty-swap-approve-${swap.id}`).click();
    await console_.screenshot({ path: path.join(shots, 'duty-swaps.png'), fullPage: true });
    await console_.getByTestId('duty-swap-approve-ok').click();
    await expect.poll(async () => (await head.call<{ status: string }>('GET', `/api/v1/duty/swaps/${swap.id}`)).json.status).toBe('approved');
    const after = (await head.call<{ items: ShiftRow[] }>('GET', `/api/v1/duty/shifts?unitId=${unit.id}&from=${mine.startsAt}&to=${theirs.endsAt}`)).json.items;
    expect(after.find((s) => s.id === mine.id)!.officers.map((o) => o.personId)).toEqual([employee.id]);
    expect(after.find((s) => s.id === theirs.id)!.officers.map((o) => o.personId)).toEqual([next.id]);
  });
});
