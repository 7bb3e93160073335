import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, signInOnPhone, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();
const TZ = 'Asia/Shanghai'; // the harness's server runs with the default zone

interface UnitRow {
  id: number;
  parentId: number | null;
  name: string;
  kind: string;
}
interface PersonRow {
  id: number;
  name: string;
}

/** A 1×1 PNG: the server sniffs the type from the bytes, so the photo must be a real image. */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** An instant as the console's date-time picker takes it: the wall-clock time in the deployment's zone. */
function wallClock(ms: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * Directives and tasks, end to end: the command office records a directive in the console and sends a
 * task to three subsidiaries; one subsidiary's head splits it to two of its units; one unit's head
 * completes on the phone with a photo from the camera; the other misses its deadline and shows as
 * overdue on the command office's progress tree, and as where the cascade is stuck; an employee
 * reads a notice on the phone and the read count on the command office's notice page moves.
 *
 * Time: the server runs on the real clock and cannot be moved from outside, so the split is given a
 * deadline a minute or so ahead (the picker takes minutes) and the journey waits for it to pass.
 */
describe.skipIf(!run)('directives cascading down the tree, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let console_: Page;
  let admin: Caller;
  let command: Caller;
  let employeeLogin: { username: string; password: string };
  let subsidiaries: UnitRow[];
  let below: UnitRow[];
  let directiveId: number;
  let splitDeadline: number;
  const heads = new Map<number, { username: string; password: string; person: PersonRow }>();
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  /** A unit head over the unit, signed in as a person of it: the default responsible person of its tasks. */
  async function appointHead(unit: UnitRow, n: number): Promise<boolean> {
    // Someone not yet heading another unit: each head's "my tasks" then holds only their unit's.
    const people = await admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${unit.id}&status=active&pageSize=50`);
    const taken = new Set([...heads.values()].map((h) => h.person.id));
    const person = people.json.items.find((p) => !taken.has(p.id));
    if (!person) return false; // a small demo leaves some units empty
    const username = `head.${n}`;
    const password = `head ${n} password long enough`;
    const user = await admin.call<{ id: number }>('POST', '/api/v1/users', { username, password, personId: person.id, displayName: `${unit.name}负责人` });
    expect(user.status).toBe(201);
    const grant = await admin.call('POST', '/api/v1/grants', { userId: user.json.id, role: 'unit_head', unitId: unit.id });
    expect(grant.status).toBe(201);
    heads.set(unit.id, { username, password, person });
    return true;
  }

  /** Pick a unit in the assignment's unit tree by searching its name (the tree is too big to browse). */
  async function pickUnit(name: string) {
    const field = console_.getByTestId('assign-units');
    const search = field.locator('input');
    const tag = field.locator('.ant-select-selection-item', { hasText: name });
    // The exact title: a name is often the start of its children's names ("交发集团" / "交发集团物流公司").
    const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    // Under load the filtered tree may re-render between finding a node and clicking it: look for the
    // tag after each try, and click again only while it is not there (a second click would unpick it).
    for (let attempt = 1; ; attempt++) {
      await search.click();
      await search.fill(name);
      await console_.locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: exact }).first().click();
      await search.fill('');
      // The picked unit shows as a tag in the field.
      const shown = await tag
        .waitFor({ timeout: attempt < 3 ? 8_000 : 20_000 })
        .then(() => true)
        .catch((err: unknown) => {
          if (attempt >= 3) throw err;
          return false;
        });
      if (shown) break;
    }
    // Close the tree's dropdown (Escape on the open select closes only it), which would cover the fields below.
    await search.press('Escape');
    await console_.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper').first().waitFor({ state: 'hidden' });
  }

  async function asDesk(caller: Caller) {
    await desk.clearCookies();
    await desk.addCookies(browserCookies(caller, server.url));
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    const commandLogin = demo.login('demo.command');
    command = await signIn(server.url, commandLogin.username, commandLogin.password);
    employeeLogin = demo.login('demo.employee');

    // Three subsidiaries of the group, and two units under the first, each with its unit head.
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    const root = units.find((u) => u.parentId === null)!;
    let n = 0;
    const pick = async (candidates: UnitRow[], count: number) => {
      const out: UnitRow[] = [];
      for (const u of candidates) if (out.length < count && (await appointHead(u, ++n))) out.push(u);
      expect(out).toHaveLength(count);
      return out;
    };
    subsidiaries = await pick(units.filter((u) => u.parentId === root.id && u.kind === 'subsidiary'), 3);
    below = await pick(units.filter((u) => u.parentId === subsidiaries[0]!.id), 2);

    desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    console_ = await desk.newPage();
    console_.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the command office records a directive and sends a task to three subsidiaries, due by the end of today', async () => {
    await asDesk(command);
    await console_.goto(`${server.url}/directives`);
    await console_.getByTestId('directive-new').click();
    await console_.getByTestId('directive-document-no').fill('青防指〔2022〕12号');
    await console_.getByTestId('directive-title').fill('关于进一步加强重点场所疫情防控的通知');
    await console_.getByTestId('directive-body').fill('一、各单位立即对所属重点场所开展一次全面排查。\n二、排查情况当日报送。');
    // Three subsidiaries from the unit tree; no responsible person named: each unit head answers.
    for (const s of subsidiaries) await pickUnit(s.name);
    await console_.getByTestId('directive-create-submit').click();
    await console_.waitForURL(/\/directives\/\d+/);
    directiveId = Number(/\/directives\/(\d+)/.exec(console_.url())![1]);

    // The progress tree: one task at each subsidiary, all in time.
    for (const s of subsidiaries) await expect.poll(() => console_.getByTestId(`board-row-${s.id}`).textContent()).toContain('进行中 1');
    const detail = await command.call<{ tasks: { unitId: number; deadline: number; responsibleName: string }[] }>('GET', `/api/v1/directives/${directiveId}`);
    expect(detail.json.tasks.map((t) => t.unitId).sort()).toEqual(subsidiaries.map((s) => s.id).sort());
    for (const t of detail.json.tasks) {
      expect(t.responsibleName).toBe(heads.get(t.unitId)!.person.name);
      // 落实不过夜: by the end of today in Asia/Shanghai.
      expect(wallClock(t.deadline)).toBe(`${wallClock(Date.now()).slice(0, 10)} 23:59`);
    }
  });

  it("one subsidiary's head acknowledges the task and splits it to two of its units", async () => {
    const a = subsidiaries[0]!;
    const head = heads.get(a.id)!;
    await asDesk(await signIn(server.url, head.username, head.password));
    await console_.goto(`${server.url}/directives/tasks?unit=${a.id}`);
    const task = (await command.call<{ items: { id: number }[] }>('GET', `/api/v1/tasks?directiveId=${directiveId}&unitId=${a.id}&ownUnitOnly=true`)).json.items[0]!;
    await console_.getByTestId(`task-link-${task.id}`).click();
    await console_.getByTestId('task-acknowledge').click();
    await console_.getByTestId('task-event-acknowledged').waitFor();

    await console_.getByTestId('task-split').click();
    for (const u of below) await pickUnit(u.name);
    // A deadline a minute or so ahead, on the minute: the unit that does nothing will miss it.
    splitDeadline = Math.ceil((Date.now() + 50_000) / 60_000) * 60_000;
    const picker = console_.getByTestId('assign-deadline');
    await picker.click();
    await picker.press('Control+a');
    await picker.pressSequentially(wallClock(splitDeadline));
    // The picker's OK, not Enter: Enter in the form would submit it.
    await console_.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await console_.getByTestId('assign-submit').click();
    await console_.getByTestId('task-event-split').waitFor();
    const parts = (await command.call<{ parts: { unitId: number; deadline: number }[] }>('GET', `/api/v1/tasks/${task.id}`)).json.parts;
    expect(parts.map((p) => p.unitId).sort()).toEqual(below.map((u) => u.id).sort());
    for (const p of parts) expect(p.deadline).toBe(splitDeadline);
  });

  it("one unit's head opens 我的任务 on the phone, acknowledges, and completes with a photo from the camera", async () => {
    const unit = below[0]!;
    const head = heads.get(unit.id)!;
    const { ctx: phone, page } = await signInOnPhone(browser, server.url, head, 'tasks');
    try {
      const mine = page.getByTestId('mytasks-list').locator('[data-testid^="mytask-"]');
      await mine.first().waitFor();
      expect(await mine.count()).toBe(1);
      await mine.first().tap();
      await page.getByTestId('mytask-acknowledge').tap();
      await page.getByTestId('mytask-notice').waitFor();
      await page.getByTestId('mytask-report').fill('已对所属场所全面排查，未发现问题。');
      // The input asks the phone for its camera; here the "photo" is set as the camera would.
      expect(await page.getByTestId('mytask-photo').getAttribute('capture')).toBe('environment');
      await page.getByTestId('mytask-photo').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PHOTO });
      await page.getByTestId('mytask-photo-uploaded').waitFor();
      await page.getByTestId('mytask-submit').tap();
      await expect.poll(() => page.getByTestId('mytask-notice').textContent()).toContain('已报告完成');
      await page.screenshot({ path: path.join(shots, 'directives-phone-done.png') });
    } finally {
      await phone.close();
    }
    const done = (await command.call<{ items: { status: string; unitId: number }[] }>('GET', `/api/v1/tasks?directiveId=${directiveId}&unitId=${unit.id}&ownUnitOnly=true&state=all`)).json.items;
    expect(done.map((t) => t.status)).toEqual(['done']);
  });

  it('the other unit misses the deadline and shows as overdue on the command office\'s board, and as where it is stuck', async () => {
    // Wait out the deadline on the real clock (a few seconds past it).
    const wait = splitDeadline + 2_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const a = subsidiaries[0]!;
    const [done, missed] = below as [UnitRow, UnitRow];
    await asDesk(command);
    await console_.goto(`${server.url}/directives/${directiveId}`);
    await expect.poll(() => console_.getByTestId(`board-row-${a.id}-overdue`).textContent()).toContain('逾期 1');
    await console_.getByTestId(`board-drill-${a.id}`).click();
    await expect.poll(() => console_.getByTestId(`board-row-${missed.id}-overdue`).textContent()).toContain('逾期 1');
    expect(await console_.getByTestId(`board-row-${done.id}`).textContent()).toContain('待核验 1');
    expect(await console_.getByTestId(`board-row-${done.id}-overdue`).textContent()).toContain('逾期 0');
    const stuck = await command.call<{ stuck: { unitId: number; overdue: boolean }[] }>('GET', `/api/v1/boards/directives/${directiveId}/progress`);
    expect(stuck.json.stuck.filter((s) => s.overdue).map((s) => s.unitId)).toEqual([missed.id]);
    await console_.screenshot({ path: path.join(shots, 'directives-board-overdue.png'), fullPage: true });
  });

  it('an employee reads a notice on the phone and the receipt count on the command office\'s page moves', async () => {
    // The notice itself is published through the API (its composing is the notices journey's part).
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    const root = units.find((u) => u.parentId === null)!;
    const published = await command.call<{ id: number; read: number; audience: number }>('POST', '/api/v1/notices', {
      title: '关于做好个人防护的提示',
      kind: 'guidance',
      body: '请坚持佩戴口罩、勤洗手、常通风。',
      unitIds: [root.id],
    });
    expect(published.status).toBe(201);
    const noticeId = published.json.id;
    await asDesk(command);
    await console_.goto(`${server.url}/directives/notices/${noticeId}`);
    const readCount = async () => Number(/(\d+)\s*\//.exec((await console_.getByTestId('notice-read-count').textContent()) ?? '')?.[1]);
    await expect.poll(readCount).toBe(0);

    const { ctx: phone, page } = await signInOnPhone(browser, server.url, employeeLogin, 'notices');
    try {
      await page.getByTestId(`notice-item-${noticeId}`).tap();
      await page.getByTestId('notice-body').waitFor();
    } finally {
      await phone.close();
    }
    await console_.reload();
    await expect.poll(readCount).toBe(1);
  });
});
