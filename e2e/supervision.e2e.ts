import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller } from './api.js';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();

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
interface OverdueRow {
  kind: string;
  ref: { kind: string; id: string };
  unitId: number;
  responsible: { personId: number | null; name: string }[];
}

/** Today in the deployment's zone (the demo keeps the default, Asia/Shanghai). */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/**
 * Issue 7's journey on the built server: a person of a unit tests positive in a campaign (the lab's
 * file imported through the API) → the care officer finds the suggested care case, opens it with
 * one click and records a delivery; a task of the same unit, the person answerable for it, goes past
 * its deadline → the supervisor sees the unit's tasks-on-time rate below 100 % on 考核排名 with the
 * miss naming the person, finds the task on 逾期事项, opens a finding with it as evidence, records a
 * decision and closes it; the command office sees 监督考核 but no 问题线索 at all.
 */
describe.skipIf(!run)('a positive test to a care case, an overdue task to a closed finding, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let page: Page;
  let admin: Caller;
  let command: Caller;
  let care: Caller;
  let supervisor: Caller;
  let unit: UnitRow;
  let person: PersonRow;
  let taskId: number;
  let secondTaskId: number;
  let findingId: number;
  const careLogin = { username: 'sup.care', password: 'care officer password long enough' };
  const supervisorLogin = { username: 'sup.jiwei', password: 'supervisor password long enough' };
  const taskTitle = '核查本单位返岗人员健康码';
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  async function asDesk(caller: Caller) {
    await desk.clearCookies();
    await desk.addCookies(browserCookies(caller, server.url));
  }

  /** A login with one grant, for a person of the demo (not the one the journey follows). */
  async function userWith(login: { username: string; password: string }, role: string, unitId: number, personId: number, displayName: string): Promise<Caller> {
    const user = await admin.call<{ id: number }>('POST', '/api/v1/users', { ...login, personId, displayName });
    expect(user.status).toBe(201);
    expect((await admin.call('POST', '/api/v1/grants', { userId: user.json.id, role, unitId })).status).toBe(201);
    return signIn(server.url, login.username, login.password);
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    const commandLogin = demo.login('demo.command');
    command = await signIn(server.url, commandLogin.username, commandLogin.password);

    // The demo employee and their unit: the person the journey follows.
    const employeeLogin = demo.login('demo.employee');
    const me = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    const personId = (await me.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    person = (await admin.call<PersonRow>('GET', `/api/v1/people/${personId}`)).json;
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    unit = units.find((u) => u.id === person.unitId)!;
    const root = units.find((u) => u.parentId === null)!;
    const others = (await admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${root.id}&status=active&pageSize=50`)).json.items.filter((p) => p.id !== person.id);
    care = await userWith(careLogin, 'care_officer', root.id, others[0]!.id, '工会关爱专员');
    supervisor = await userWith(supervisorLogin, 'supervisor', root.id, others[1]!.id, '纪委监督员');

    desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    page = await desk.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a positive result in a campaign becomes a suggested care case; the care officer opens it with one click and records a delivery', async () => {
    const day = today();
    const campaign = await command.call<{ id: number }>('POST', '/api/v1/campaigns', { name: '全员核酸第一轮', startDay: day, endDay: day, unitIds: [unit.id] });
    expect(campaign.status).toBe(201);
    // The lab's file, as the command office would import it.
    const form = new FormData();
    form.append('file', new Blob([`工号,检测结果,采样日期\n${person.employeeNo},阳性,${day}\n`], { type: 'text/csv' }), 'lab.csv');
    const imported = await fetch(`${server.url}/api/v1/campaigns/${campaign.json.id}/results?dryRun=false`, { method: 'POST', headers: { cookie: command.cookie }, body: form });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { summary: { positive: number } }).summary.positive).toBe(1);

    // 建议关爱 (the care screens' own test ids): the person is suggested from the open health watch.
    await asDesk(care);
    await expect
      .poll(async () => (await care.call<{ items: { personId: number }[] }>('GET', `/api/v1/care/suggestions?unitId=${unit.id}`)).json.items.some((s) => s.personId === person.id))
      .toBe(true);
    await page.goto(`${server.url}/care/suggestions?unit=${unit.id}`);
    await page.getByTestId(`care-suggestion-row-${person.id}-health_watch`).waitFor();
    // One click opens the case.
    await page.getByTestId(`care-suggestion-open-${person.id}-health_watch`).click();
    await page.getByTestId('care-case-page').waitFor();
    const caseId = Number(/\/care\/cases\/(\d+)/.exec(page.url())?.[1]);
    const caseOf = async () => (await care.call<{ personId: number; source: string; actions: { kind: string }[] }>('GET', `/api/v1/care/cases/${caseId}`)).json;
    expect(await caseOf()).toMatchObject({ personId: person.id, source: 'suggestion' });
    // A delivery.
    await page.getByTestId('care-action-kind').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '物资配送' }).click();
    await page.getByTestId('care-action-note').fill('送去一周生活物资');
    await page.getByTestId('care-action-submit').click();
    await expect.poll(async () => (await caseOf()).actions.map((a) => a.kind)).toEqual(['delivery']);
  });

  it('a task of the same unit, the person answerable for it, goes past its deadline', async () => {
    const deadline = Date.now() + 4_000;
    const directive = await command.call<{ id: number; tasks: { id: number; unitId: number }[] }>('POST', '/api/v1/directives', {
      source: 'group',
      title: taskTitle,
      body: '各单位当日核查返岗人员健康码并报告。',
      tasks: [
        { title: taskTitle, target: { mode: 'units', unitIds: [unit.id] }, responsible: [{ unitId: unit.id, personId: person.id }], deadline },
        // A second one, linked to the finding later from the finding's own page.
        { title: `${taskTitle}（复核）`, target: { mode: 'units', unitIds: [unit.id] }, responsible: [{ unitId: unit.id, personId: person.id }], deadline },
      ],
    });
    expect(directive.status, JSON.stringify(directive.json)).toBe(201);
    [taskId, secondTaskId] = directive.json.tasks.filter((t) => t.unitId === unit.id).map((t) => t.id) as [number, number];
    // Overdue once the deadline has passed: the supervisor's overdue view names the person.
    const overdue = async () => (await supervisor.call<{ items: OverdueRow[] }>('GET', `/api/v1/supervision/overdue?unitId=${unit.id}&kind=task`)).json.items;
    await expect.poll(async () => (await overdue()).find((i) => i.ref.id === String(taskId))?.responsible.map((r) => r.personId), { timeout: 30_000, interval: 1_000 }).toEqual([person.id]);
  });

  it('the supervisor sees the unit below 100 % on 考核排名 and the miss naming the person', async () => {
    await asDesk(supervisor);
    await page.goto(`${server.url}/supervision/scorecard?unit=${unit.id}`);
    const cell = page.getByTestId(`scorecard-cell-${unit.id}-tasks_on_time`);
    await cell.waitFor();
    const rate = Number(await cell.getAttribute('data-rate'));
    expect(rate).toBeLessThan(1);
    await page.getByTestId(`scorecard-misses-${unit.id}-tasks_on_time`).click();
    const drawer = page.getByTestId('misses-drawer');
    const miss = drawer.getByTestId(`miss-row-task-${taskId}`);
    await miss.waitFor();
    expect(await miss.textContent()).toContain(person.name);
    expect(await miss.textContent()).toContain(taskTitle);
    await page.screenshot({ path: path.join(shots, 'supervision-scorecard-misses.png') });
    await drawer.locator('.ant-drawer-close').click();
  });

  it('on 逾期事项 the supervisor picks the task and opens a finding with it as evidence, links a second from the finding\'s page, records a decision and closes it', async () => {
    await page.goto(`${server.url}/supervision/overdue?unit=${unit.id}`);
    const row = page.getByTestId(`overdue-row-task-${taskId}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(person.name);
    await row.locator('input[type=checkbox]').check();
    await page.getByTestId('overdue-open-finding').click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByTestId('finding-open-evidence').waitFor();
    await modal.getByTestId('finding-subject-person').click();
    // The one person the item names is offered and picked already.
    await expect.poll(() => modal.getByTestId('finding-person').textContent()).toContain(person.name);
    await modal.getByTestId('finding-title').fill(`${person.name}未按期完成${taskTitle}`);
    await modal.getByTestId('finding-description').fill('任务逾期未办结，未说明原因。');
    await modal.getByTestId('finding-open-submit').click();
    await page.waitForURL(/\/supervision\/findings\/\d+/);
    findingId = Number(/\/supervision\/findings\/(\d+)/.exec(page.url())![1]);
    const evidence = page.getByTestId(`evidence-row-task-${taskId}`);
    await evidence.waitFor();
    expect(await evidence.textContent()).toContain(person.name);

    // More evidence from the finding's page: the item already linked cannot be picked again.
    await page.getByTestId('sfinding-link-more').click();
    const link = page.getByTestId('link-evidence');
    const pick = (id: number) => link.getByTestId(`link-row-task-${id}`).locator('input[type=checkbox]');
    await pick(secondTaskId).waitFor();
    expect(await pick(taskId).isDisabled()).toBe(true);
    await pick(secondTaskId).check();
    await page.getByTestId('link-evidence-submit').click();
    await page.getByTestId(`evidence-row-task-${secondTaskId}`).waitFor();
    expect(await page.getByTestId('link-evidence').count()).toBe(0);

    // The decision, then close.
    await page.getByTestId('sfinding-decision-kind').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '约谈' }).click();
    await page.getByTestId('sfinding-decision-text').fill('由纪委约谈本人，限期完成。');
    await page.getByTestId('sfinding-decide').click();
    await expect.poll(async () => page.getByTestId('sfinding-decision').first().getAttribute('data-decision')).toBe('talk');
    await page.getByTestId('sfinding-close').click();
    await page.locator('.ant-modal-confirm').getByTestId('sfinding-close-ok').click();
    await expect.poll(async () => page.getByTestId('sfinding-status').first().getAttribute('data-status')).toBe('closed');
    await page.screenshot({ path: path.join(shots, 'supervision-finding-closed.png') });

    // The snapshot stands whatever the task does now: the responsible person completes it late.
    const f = (await supervisor.call<{ status: string; decision: string; evidence: { ref: { id: string }; snapshot: { responsible: { personId: number }[] } }[] }>('GET', `/api/v1/supervision/findings/${findingId}`)).json;
    expect(f).toMatchObject({ status: 'closed', decision: 'talk' });
    expect(f.evidence.map((e) => [e.ref.id, e.snapshot.responsible.map((r) => r.personId)])).toEqual([
      [String(taskId), [person.id]],
      [String(secondTaskId), [person.id]],
    ]);
  });

  it('the command office sees 监督考核 but not 问题线索, nor any finding', async () => {
    await asDesk(command);
    await page.goto(`${server.url}/supervision/scorecard?unit=${unit.id}`);
    await page.getByTestId('scorecard-page').waitFor();
    await page.getByTestId('menu-supervision.scorecard').waitFor();
    expect(await page.getByTestId('menu-supervision.findings').count()).toBe(0);
    expect(await page.getByTestId('overdue-open-finding').count()).toBe(0);
    await page.goto(`${server.url}/supervision/findings/${findingId}`);
    await page.locator('.ant-result-404').waitFor();
    expect(await page.getByTestId('sfinding-page').count()).toBe(0);
    expect((await command.call('GET', `/api/v1/supervision/findings/${findingId}`)).status).toBe(404);
    expect((await command.call('GET', '/api/v1/supervision/findings')).status).toBe(404);
  });
});
