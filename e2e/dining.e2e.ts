import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller, type DemoLogin } from './api.js';
import { browserAvailable, launchBrowser, signInOnPhone, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

interface UnitRow {
  id: number;
  parentId: number | null;
  name: string;
}
interface PlanSlot {
  start: string;
  end: string;
  seats: number;
  load: number;
  units: { unitId: number; headcount: number; forcedReason: string | null }[];
}
interface Plan {
  id: number;
  status: string;
  meals: { meal: string; slots: PlanSlot[] }[];
}
interface CanteenDetail {
  id: number;
  name: string;
  slotMinutes: number;
  capacity: number;
  windows: object;
  diners: { unitId: number; meals: string[] }[];
}

/**
 * Staggered dining (错峰就餐), end to end on the built server, on the demo's canteens (each with a
 * plan published from today): the command office opens the canteen serving the demo employee (its
 * form saves unchanged), runs the planner for today, moves the employee's diner unit to another
 * lunch slot on the grid and publishes the new plan from today: the employee's phone shows that lunch
 * slot. With the seats cut to the employee's unit alone, a move onto its slot is refused and then
 * forced with a reason. Then a second canteen, serving dinner to a new unit, is added through the form.
 */
describe.skipIf(!run)('a dining plan run, adjusted and published in the console, and the slot on the phone, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Caller;
  let console_: Page;
  let employeeLogin: DemoLogin;
  let canteen: CanteenDetail;
  let dinerId: number;
  let rootId: number;
  let movedTo: PlanSlot;
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  async function phone(page: string) {
    return (await signInOnPhone(browser, server.url, employeeLogin, page)).page;
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    employeeLogin = demo.login('demo.employee');
    const me = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    const personId = (await me.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    const employeeUnitId = (await admin.call<{ unitId: number }>('GET', `/api/v1/people/${personId}`)).json.unitId;
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    const byId = new Map(units.map((u) => [u.id, u]));
    rootId = units.find((u) => u.parentId === null)!.id;
    // The employee eats where their nearest diner unit (theirs or an ancestor) is listed for lunch.
    const chain: number[] = [];
    for (let u = byId.get(employeeUnitId); u; u = u.parentId === null ? undefined : byId.get(u.parentId)) chain.push(u.id);
    const list = (await admin.call<{ items: { id: number }[] }>('GET', '/api/v1/canteens')).json.items;
    let best = Infinity;
    for (const c of list) {
      const detail = (await admin.call<CanteenDetail>('GET', `/api/v1/canteens/${c.id}`)).json;
      for (const d of detail.diners) {
        const at = chain.indexOf(d.unitId);
        if (at >= 0 && at < best && d.meals.includes('lunch')) {
          best = at;
          canteen = detail;
          dinerId = d.unitId;
        }
      }
    }
    expect(canteen).toBeDefined();

    const desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    await desk.addCookies(browserCookies(admin, server.url));
    console_ = await desk.newPage();
    console_.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the command office runs the planner, moves the unit to another slot and publishes', async () => {
    await console_.goto(`${server.url}/places/dining?unit=${rootId}`);
    // The canteen's form opens with its windows and diners and saves them unchanged.
    await console_.getByTestId(`canteen-edit-${canteen.id}`).click();
    await console_.getByTestId('canteen-diner-0').waitFor();
    await console_.getByTestId('canteen-submit').click();
    await console_.locator('.ant-modal').waitFor({ state: 'hidden' });
    const after = (await admin.call<CanteenDetail>('GET', `/api/v1/canteens/${canteen.id}`)).json;
    expect({ ...after, updatedAt: 0 }).toMatchObject({ windows: canteen.windows, slotMinutes: canteen.slotMinutes, capacity: canteen.capacity, diners: canteen.diners });

    // The plan in force shows first; running the planner makes a draft beside it.
    await console_.getByTestId(`canteen-${canteen.id}`).click();
    await console_.getByTestId('plan-grid').waitFor();
    await console_.getByTestId('planner-run').click();
    await console_.getByTestId('planner-publish').waitFor();
    await console_.getByTestId(`plan-unit-lunch-${dinerId}`).waitFor();

    const plans = (await admin.call<{ items: { id: number; status: string }[] }>('GET', `/api/v1/canteens/${canteen.id}/plans`)).json.items;
    const draftId = plans.find((p) => p.status === 'draft')!.id;
    const draft = (await admin.call<Plan>('GET', `/api/v1/canteens/${canteen.id}/plans/${draftId}`)).json;
    const slots = draft.meals.find((m) => m.meal === 'lunch')!.slots;
    const from = slots.find((s) => s.units.some((u) => u.unitId === dinerId))!;
    const headcount = from.units.find((u) => u.unitId === dinerId)!.headcount;
    movedTo = slots.find((s) => s !== from && s.load + headcount <= s.seats)!;

    await console_.getByTestId(`plan-move-lunch-${dinerId}`).click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${movedTo.start}–${movedTo.end}` }).click();
    await console_.locator('.ant-message', { hasText: '已将' }).waitFor();
    const row = console_.getByTestId(`plan-load-lunch-${movedTo.start}`);
    await expect.poll(() => row.textContent()).toContain(`${movedTo.load + headcount} / ${movedTo.seats}`);

    await console_.getByTestId('planner-publish').click();
    await console_.getByTestId('planner-publish-ok').click();
    await console_.locator('.ant-message', { hasText: '已发布' }).waitFor();
    await console_.screenshot({ path: path.join(shots, 'dining-planner.png'), fullPage: true });
    expect((await admin.call<Plan>('GET', `/api/v1/canteens/${canteen.id}/plans/${draftId}`)).json.status).toBe('published');

    await console_.getByTestId('dining-tab-history').click();
    await console_.getByTestId(`plan-row-${draftId}`).waitFor();
  });

  it('the employee sees their new lunch slot on the phone', async () => {
    const p = await phone('dining');
    const slot = p.getByTestId('dining-slot-lunch');
    await slot.waitFor();
    expect(await slot.textContent()).toContain(`${movedTo.start}–${movedTo.end}`);
    expect(await slot.textContent()).toContain(canteen.name);
    await p.screenshot({ path: path.join(shots, 'dining-phone.png'), fullPage: true });
    await p.context().close();
  });

  it('a move onto a full slot is refused, then forced with a reason the plan keeps', async () => {
    // Seats for the employee's diner unit alone: its slot is full, and any other unit moved in goes over.
    const publishedId = (await admin.call<{ items: { id: number; status: string }[] }>('GET', `/api/v1/canteens/${canteen.id}/plans`)).json.items.find((p) => p.status === 'published')!.id;
    const inForce = (await admin.call<Plan & { density: number }>('GET', `/api/v1/canteens/${canteen.id}/plans/${publishedId}`)).json;
    const lunch = inForce.meals.find((m) => m.meal === 'lunch')!;
    const head = lunch.slots.flatMap((sl) => sl.units).find((u) => u.unitId === dinerId)!.headcount;
    expect(head).toBeGreaterThan(0);
    const capacity = Math.ceil(head / inForce.density);
    expect((await admin.call('PATCH', `/api/v1/canteens/${canteen.id}`, { capacity })).status).toBe(200);

    await console_.goto(`${server.url}/places/dining?unit=${rootId}&tab=planner&canteen=${canteen.id}`);
    await console_.getByTestId('planner-run').click();
    await console_.getByTestId('planner-publish').waitFor();
    const draftId = (await admin.call<{ items: { id: number; status: string }[] }>('GET', `/api/v1/canteens/${canteen.id}/plans`)).json.items.find((p) => p.status === 'draft')!.id;
    const draft = (await admin.call<Plan>('GET', `/api/v1/canteens/${canteen.id}/plans/${draftId}`)).json;
    const slots = draft.meals.find((m) => m.meal === 'lunch')!.slots;
    const full = slots.find((sl) => sl.units.some((u) => u.unitId === dinerId))!;
    const other = slots.filter((sl) => sl !== full).flatMap((sl) => sl.units).find((u) => u.headcount > 0 && full.load + u.headcount > full.seats)!;
    expect(other).toBeDefined();

    await console_.getByTestId(`plan-move-lunch-${other.unitId}`).click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${full.start}–${full.end}` }).click();
    await console_.getByTestId('plan-force-reason').fill('该单位当日提前下班，临时并入');
    await console_.getByTestId('plan-force-ok').click();
    await console_.locator('.ant-message', { hasText: '已将' }).waitFor();
    const row = console_.getByTestId(`plan-load-lunch-${full.start}`);
    await expect.poll(() => row.textContent()).toContain(`${full.load + other.headcount} / ${full.seats}`);
    const moved = (await admin.call<Plan>('GET', `/api/v1/canteens/${canteen.id}/plans/${draftId}`)).json;
    const placed = moved.meals.find((m) => m.meal === 'lunch')!.slots.find((sl) => sl.start === full.start)!.units.find((u) => u.unitId === other.unitId)!;
    expect(placed.forcedReason).toBe('该单位当日提前下班，临时并入');
    await console_.screenshot({ path: path.join(shots, 'dining-forced.png'), fullPage: true });
  });

  it('a second canteen, serving dinner to a new unit, is added through the form', async () => {
    const unitName = '夜班车队';
    const unit = await admin.call<{ id: number }>('POST', '/api/v1/units', { name: unitName, parentId: rootId, kind: 'team' });
    expect(unit.status).toBe(201);
    await console_.goto(`${server.url}/places/dining?unit=${rootId}`);
    await console_.getByTestId('canteen-new').click();
    await console_.getByTestId('canteen-form-name').fill('夜班食堂');
    await console_.getByTestId('canteen-form-capacity').fill('60');
    await console_.getByTestId('canteen-form-slot').click();
    await console_.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '30' }).click();
    // The form names the window's first input after its field (windows_dinner); the picker holds both.
    const dinner = console_.locator('.ant-modal .ant-picker-range', { has: console_.locator('#windows_dinner') }).locator('input');
    await dinner.nth(0).click();
    await dinner.nth(0).fill('17:00');
    await dinner.nth(0).press('Enter');
    await dinner.nth(1).fill('18:00');
    // Confirm with the picker's own button: Enter in the last field would also submit the whole form.
    await console_.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await console_.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    await console_.getByTestId('canteen-diner-add').click();
    const search = console_.getByTestId('canteen-diner-unit-0').locator('input');
    await search.click();
    await search.fill(unitName);
    await console_.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: unitName }).first().click();
    await console_.getByTestId('canteen-submit').click();
    await console_.locator('.ant-modal').waitFor({ state: 'hidden' });

    const list = (await admin.call<{ items: { id: number; name: string }[] }>('GET', `/api/v1/canteens?unitId=${rootId}`)).json.items;
    const made = list.find((c) => c.name === '夜班食堂')!;
    const detail = (await admin.call<CanteenDetail>('GET', `/api/v1/canteens/${made.id}`)).json;
    expect(detail).toMatchObject({ slotMinutes: 30, capacity: 60, windows: { dinner: { from: '17:00', to: '18:00' } } });
    expect(detail.diners.map((d) => d.unitId)).toEqual([unit.json.id]);
  });
});
