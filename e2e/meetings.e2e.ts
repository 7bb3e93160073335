import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../common/day.js';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();
const TZ = 'Asia/Shanghai'; // the harness's server runs with the default zone

interface PersonRow {
  id: number;
  name: string;
  unitId: number;
}
interface UnitRow {
  id: number;
  parentId: number | null;
  name: string;
}
interface Registration {
  id: number;
  title: string;
  status: string;
  reason: string | null;
  breaches: { kind: string }[];
}

/**
 * Meeting registration (会议报备), end to end on the built server: the administrator keeps a room
 * for the unit on the 会议室 page; a liaison registers a meeting in
 * a 40-seat room for 30 people. The form's dry run says the room's limit (seats × the room density
 * measure, 0.5 by default: 20) is exceeded before anything is sent, and asks for a reason; the
 * meeting goes for approval. The unit head sees it under 待审批 and approves it: it is in the day's
 * list, approved, under its building.
 */
describe.skipIf(!run)('an over-limit meeting registered with a reason and approved by the unit head, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Caller;
  let head: Caller;
  let liaison: Caller;
  let unit: UnitRow;
  let roomId: number;
  const title = '季度安全生产工作会';
  const reason = '季度会议需全体班组长参加，已安排开窗通风、间隔就座';
  const building = '综合楼';
  const shots = path.resolve(import.meta.dirname, 'artifacts');
  const tomorrow = () => addDays(dayOf(Date.now(), TZ), 1);

  async function desk(caller: Caller): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    await ctx.addCookies(browserCookies(caller, server.url));
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    // A unit with two people of its own: one the liaison, one the unit head.
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    let people: PersonRow[] = [];
    for (const u of units.filter((x) => x.parentId !== null).reverse()) {
      people = (await admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${u.id}&status=active&pageSize=50`)).json.items.filter((p) => p.unitId === u.id);
      if (people.length >= 2) {
        unit = u;
        break;
      }
    }
    expect(unit).toBeDefined();
    const users: [string, string, PersonRow][] = [
      ['meetings.liaison', 'liaison', people[0]!],
      ['meetings.head', 'unit_head', people[1]!],
    ];
    for (const [username, role, person] of users) {
      const u = await admin.call<{ id: number }>('POST', '/api/v1/users', { username, password: `${username} password long enough`, personId: person.id });
      expect(u.status).toBe(201);
      expect((await admin.call('POST', '/api/v1/grants', { userId: u.json.id, role, unitId: unit.id })).status).toBe(201);
    }
    liaison = await signIn(server.url, 'meetings.liaison', 'meetings.liaison password long enough');
    head = await signIn(server.url, 'meetings.head', 'meetings.head password long enough');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the administrator keeps a 40-seat ventilated room for the unit on the 会议室 page', async () => {
    const page = await desk(admin);
    await page.goto(`${server.url}/places/rooms?unit=${unit.id}`);
    await page.getByTestId('room-new').click();
    await page.getByTestId('room-form-name').fill('三楼会议室');
    await page.getByTestId('room-form-building').fill(building);
    await page.getByTestId('room-form-capacity').fill('40');
    await page.getByTestId('room-submit').click();
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    const rooms = (await admin.call<{ items: { id: number; name: string; building: string; capacity: number; ventilated: boolean; unitId: number }[] }>('GET', `/api/v1/rooms?unitId=${unit.id}&pageSize=200`)).json.items;
    // The demo keeps rooms of its own at some units: find ours by its building.
    const room = rooms.find((r) => r.name === '三楼会议室' && r.building === building && r.unitId === unit.id);
    expect(room).toMatchObject({ capacity: 40, ventilated: true });
    roomId = room!.id;
    await page.getByTestId(`room-${roomId}`).waitFor();
    await page.context().close();
  });

  it('the liaison is told the limit is exceeded before sending, gives a reason and sends it for approval', async () => {
    const page = await desk(liaison);
    await page.goto(`${server.url}/places/meetings?unit=${unit.id}`);
    await page.getByTestId('meeting-new').click();
    await page.getByTestId('meeting-title').fill(title);
    await page.getByTestId('meeting-room').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${building} · 三楼会议室` }).click();
    const start = page.getByTestId('meeting-start');
    await start.click();
    await start.fill(`${tomorrow()} 09:30`);
    // The picker's own OK: Enter in it would also submit the whole form, half filled in.
    await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    await page.getByTestId('meeting-minutes').fill('60');
    await page.getByTestId('meeting-attendees').fill('30');

    // The dry run: 30 people in a 40-seat room at half density is over its limit of 20; the reason is asked for.
    await page.getByTestId('meeting-breach-room_density').waitFor();
    expect(await page.getByTestId('meeting-breach-room_density').textContent()).toContain('20');
    await page.getByTestId('meeting-reason').fill(reason);
    await page.screenshot({ path: path.join(shots, 'meetings-register-over.png'), fullPage: true });
    await page.getByTestId('meeting-submit').click();
    await page.locator('.ant-message', { hasText: '已提交单位负责人审批' }).waitFor();

    const list = (await liaison.call<{ items: Registration[] }>('GET', `/api/v1/meeting-registrations?unitId=${unit.id}&day=${tomorrow()}`)).json.items;
    const m = list.find((x) => x.title === title)!;
    expect(m.status).toBe('pending');
    expect(m.reason).toBe(reason);
    expect(m.breaches.map((b) => b.kind)).toEqual(['room_density']);

    // A small briefing somewhere else that afternoon is within every limit: no reason asked, registered at once; then cancelled.
    await page.getByTestId('meeting-new').click();
    await page.getByTestId('meeting-title').fill('班前安全提示');
    await page.getByTestId('meeting-where').getByText('其他地点').click();
    await page.getByTestId('meeting-place').fill('调度大厅');
    await page.getByTestId('meeting-ventilated').click();
    const start2 = page.getByTestId('meeting-start');
    await start2.click();
    await start2.fill(`${tomorrow()} 14:00`);
    // Enter confirms the typed time and closes the picker without submitting the half-filled form.
    await start2.press('Enter');
    await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    expect(await page.locator('.ant-modal .ant-form-item-explain-error').count()).toBe(0);
    expect(await start2.inputValue()).toBe(`${tomorrow()} 14:00`);
    await page.getByTestId('meeting-minutes').fill('15');
    await page.getByTestId('meeting-attendees').fill('8');
    await page.getByTestId('meeting-within').waitFor();
    expect(await page.getByTestId('meeting-reason').count()).toBe(0);
    await page.getByTestId('meeting-submit').click();
    await page.locator('.ant-message', { hasText: '会议已报备' }).waitFor();
    const small = (await liaison.call<{ items: Registration[] }>('GET', `/api/v1/meeting-registrations?unitId=${unit.id}&day=${tomorrow()}`)).json.items.find((x) => x.title === '班前安全提示')!;
    expect(small.status).toBe('registered');
    await page.getByTestId('meetings-next-day').click();
    await page.getByTestId(`meeting-cancel-${small.id}`).click();
    await page.getByTestId('meeting-decision-ok').click();
    await page.locator('.ant-message', { hasText: '会议已取消' }).waitFor();
    expect((await liaison.call<Registration>('GET', `/api/v1/meeting-registrations/${small.id}`)).json.status).toBe('cancelled');
    await page.context().close();
  });

  it('the unit head approves it from 待审批, and it is in the day’s list under its building', async () => {
    const page = await desk(head);
    await page.goto(`${server.url}/places/meetings?unit=${unit.id}&tab=pending`);
    await page.getByTestId('meetings-pending-count').waitFor();
    const m = (await head.call<{ items: Registration[] }>('GET', `/api/v1/meeting-registrations?unitId=${unit.id}&status=pending`)).json.items.find((x) => x.title === title)!;
    await page.getByTestId(`meeting-row-${m.id}`).waitFor();
    await page.getByTestId(`meeting-approve-${m.id}`).click();
    await page.getByTestId('meeting-decision-note').fill('同意，注意通风');
    await page.getByTestId('meeting-decision-ok').click();
    await page.locator('.ant-message', { hasText: '已批准' }).waitFor();
    expect((await head.call<Registration>('GET', `/api/v1/meeting-registrations/${m.id}`)).json.status).toBe('approved');

    await page.getByTestId('meetings-tab-day').click();
    await page.getByTestId('meetings-next-day').click();
    const box = page.getByTestId(`meetings-building-${building}`);
    await box.getByTestId(`meeting-row-${m.id}`).waitFor();
    expect(await box.textContent()).toContain('已批准');
    // Its page says why it went over and who approved it with what note.
    await box.getByTestId(`meeting-row-${m.id}`).click();
    const drawer = page.getByTestId('meeting-drawer');
    await expect.poll(() => drawer.textContent()).toContain(reason);
    expect(await drawer.textContent()).toContain('同意，注意通风');

    // The head brings it down to 20 people from the drawer: the dry run finds it within the limits now.
    await page.getByTestId('meeting-edit').click();
    await page.getByTestId('meeting-attendees').fill('20');
    await page.getByTestId('meeting-within').waitFor();
    await page.getByTestId('meeting-submit').click();
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await expect.poll(async () => (await head.call<Registration & { attendees: number }>('GET', `/api/v1/meeting-registrations/${m.id}`)).json.attendees).toBe(20);
    await page.screenshot({ path: path.join(shots, 'meetings-day.png'), fullPage: true });
  });
});
