import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, setUpDemo, signIn, type Caller, type DemoLogin } from './api.js';
import { browserAvailable, launchBrowser, signInOnPhone, startServer, type RunningServer } from './harness.js';

const run = browserAvailable();
const TZ = 'Asia/Shanghai';

interface UnitRow {
  id: number;
  parentId: number | null;
  name: string;
  kind: string;
}
interface PersonRow {
  id: number;
  name: string;
  employeeNo: string;
  unitId: number;
}
interface RunStep {
  key: string;
  title: string;
  state: string;
  deadline: number;
  taskId: number | null;
  task: { status: string; overdue: boolean; responsiblePersonId: number; responsibleName: string } | null;
  late: boolean;
}
interface Run {
  id: number;
  planId: number;
  version: number;
  drill: boolean;
  steps: RunStep[];
}
interface TaskRow {
  id: number;
  title: string;
  deadline: number;
  status: string;
  overdue: boolean;
  responsiblePersonId: number;
}
interface Figures {
  numerator: number;
  denominator: number;
  rate: number | null;
}
interface ScorecardRow {
  unitId: number;
  figures: Record<string, Figures>;
  score: number | null;
}

/** Today in the deployment's zone, as the scorecard takes its period. */
function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

const MIN = 60_000;

/**
 * Emergency plans end to end on the built server (issue 8's journey): a bus company (the depot
 * group) has its own plan for a positive test, seeded through the API and shown in the console's
 * editor; a positive test is filed at a depot below it and the plan starts: its tasks go to the
 * right people with deadlines counted from the incident's time (the named employee sees theirs
 * under 我的任务 on the phone; the depot's head gets the role-based ones). The employee completes
 * theirs with a report, which releases the step waiting on it; the depot head's short step goes
 * overdue and shows so, in red, on the incident's 预案执行 and in the supervision overdue view.
 * Then the same plan is run as a drill from the console: the drill is marked everywhere, shows in
 * 应急演练, and the real scorecard's figures are the same before and after it.
 *
 * Time: the server runs on the real clock. The incident is filed as having happened 40 seconds
 * ago, so the one-minute step falls due 20 seconds later and the journey waits for it to pass.
 */
describe.skipIf(!run)('an emergency plan started by an incident, a step overdue, and the plan drilled, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let console_: Page;
  let admin: Caller;
  let command: Caller;
  let head: Caller;
  let employeeLogin: DemoLogin;
  const headLogin = { username: 'depot.head', password: 'depot head password long enough' };
  let employee: PersonRow;
  let depotHead: PersonRow;
  let depot: UnitRow;
  let company: UnitRow;
  let planId: number;
  let incidentId: number;
  let occurredAt: number;
  let runs: Run[];
  const shots = path.resolve(import.meta.dirname, 'artifacts');

  /** The employee signed in on a phone-sized browser, on 我的任务. */
  async function employeeTasksOnPhone() {
    return signInOnPhone(browser, server.url, employeeLogin, 'tasks');
  }

  async function asDesk(caller: Caller) {
    await desk.clearCookies();
    await desk.addCookies(browserCookies(caller, server.url));
  }
  const planRuns = async (id: number) => (await command.call<{ runs: Run[] }>('GET', `/api/v1/incidents/${id}/plan-runs`)).json.runs;
  const step = (key: string) => runs[0]!.steps.find((s) => s.key === key)!;

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    const demo = await setUpDemo(server);
    admin = demo.admin;
    const commandLogin = demo.login('demo.command');
    command = await signIn(server.url, commandLogin.username, commandLogin.password);
    employeeLogin = demo.login('demo.employee');

    // The demo employee works at a crew of a bus depot: the depot is the crew's site, the company above it the depot group.
    const me = await signIn(server.url, employeeLogin.username, employeeLogin.password);
    const personId = (await me.call<{ user: { personId: number } }>('GET', '/api/v1/me')).json.user.personId;
    employee = (await admin.call<PersonRow>('GET', `/api/v1/people/${personId}`)).json;
    const units = (await admin.call<{ items: UnitRow[] }>('GET', '/api/v1/units')).json.items;
    const crew = units.find((u) => u.id === employee.unitId)!;
    depot = units.find((u) => u.id === crew.parentId)!;
    company = units.find((u) => u.id === depot.parentId)!;
    expect(company.kind).toBe('subsidiary');

    // The depot's head (第一责任人): a colleague with a login, who answers for the plan's role-based steps there.
    const colleague = (await admin.call<{ items: PersonRow[] }>('GET', `/api/v1/people?unitId=${depot.id}&status=active&pageSize=50`)).json.items.find((p) => p.id !== employee.id)!;
    depotHead = colleague;
    const user = await admin.call<{ id: number }>('POST', '/api/v1/users', { ...headLogin, personId: colleague.id, displayName: `${depot.name}负责人` });
    expect(user.status).toBe(201);
    expect((await admin.call('POST', '/api/v1/grants', { userId: user.json.id, role: 'unit_head', unitId: depot.id })).status).toBe(201);
    head = await signIn(server.url, headLogin.username, headLogin.password);

    desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    console_ = await desk.newPage();
    console_.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the depot group has its own plan for a positive test, and the console\'s editor shows its steps', async () => {
    const steps = [
      { key: 'seal', title: '封闭消杀作业区域', role: 'person', personId: employee.id, deadlineMinutes: 120, evidence: ['report'] },
      { key: 'contacts', title: '排查密切接触者', role: 'unit_head', levelsUp: 0, deadlineMinutes: 1, evidence: ['report'] },
      { key: 'report', title: '向公司防控办书面报告', role: 'unit_head', levelsUp: 0, deadlineMinutes: 240, evidence: ['report'], dependsOn: ['seal'] },
    ];
    const content = { title: `${company.name}核酸阳性处置预案`, severities: ['general', 'serious'], steps, requiredUnitKinds: [] };
    // The demo may already give the company a positive-test plan: then this is its new version.
    const existing = (await command.call<{ items: { id: number; unitId: number; kind: string }[] }>('GET', `/api/v1/plans?unitId=${company.id}&kind=positive_test`)).json.items.find(
      (p) => p.unitId === company.id,
    );
    const saved = existing
      ? await command.call<{ id: number; current: { version: number } }>('PUT', `/api/v1/plans/${existing.id}`, content)
      : await command.call<{ id: number; current: { version: number } }>('POST', '/api/v1/plans', { ...content, unitId: company.id, kind: 'positive_test' });
    expect([200, 201], JSON.stringify(saved.json)).toContain(saved.status);
    planId = saved.json.id;
    // Filing at the depot would start this plan: the nearest one up.
    const selected = await command.call<{ plan: { id: number } | null }>('GET', `/api/v1/plans/select?unitId=${depot.id}&kind=positive_test&severity=general`);
    expect(selected.json.plan?.id).toBe(planId);

    await asDesk(command);
    await console_.goto(`${server.url}/duty/plans?unit=${company.id}`);
    await console_.getByTestId(`plan-link-${planId}`).click();
    await console_.getByTestId('plan-page').waitFor();
    await expect.poll(() => console_.getByTestId('step-row-seal').textContent()).toContain('封闭消杀作业区域');
    expect(await console_.getByTestId('step-row-seal').textContent()).toContain(employee.name);
    expect(await console_.getByTestId('step-deadline-seal').textContent()).toBe('发生后 2 小时');
    expect(await console_.getByTestId('step-deadline-contacts').textContent()).toBe('发生后 1 分钟');
    expect(await console_.getByTestId('step-row-report').textContent()).toContain('封闭消杀作业区域');
    await console_.getByTestId('plan-tab-versions').click();
    await console_.getByTestId(`version-row-${saved.json.current.version}`).waitFor();
    await console_.screenshot({ path: path.join(shots, 'plans-editor.png'), fullPage: true });
  });

  it('a positive test filed at the depot starts the plan: its tasks go to the right people with deadlines from the incident\'s time', async () => {
    occurredAt = Date.now() - 40_000;
    const filed = await head.call<{ id: number; drill: boolean }>('POST', '/api/v1/incidents', {
      unitId: depot.id,
      kind: 'positive_test',
      severity: 'general',
      title: `${depot.name}一名驾驶员核酸检测阳性`,
      description: '今晨例行核酸检测结果为阳性，已送定点医院。',
      occurredAt,
    });
    expect(filed.status, JSON.stringify(filed.json)).toBe(201);
    expect(filed.json.drill).toBe(false);
    incidentId = filed.json.id;

    runs = await planRuns(incidentId);
    expect(runs.map((r) => ({ planId: r.planId, drill: r.drill }))).toEqual([{ planId, drill: false }]);
    expect(step('seal')).toMatchObject({ state: 'task', deadline: occurredAt + 120 * MIN, task: { responsiblePersonId: employee.id } });
    expect(step('contacts')).toMatchObject({ state: 'task', deadline: occurredAt + 1 * MIN, task: { responsiblePersonId: depotHead.id } });
    // The report waits for the sealing: no task yet.
    expect(step('report')).toMatchObject({ state: 'waiting', taskId: null });
    // The tasks themselves carry the same deadlines.
    const seal = (await command.call<TaskRow>('GET', `/api/v1/tasks/${step('seal').taskId}`)).json;
    expect(seal).toMatchObject({ deadline: occurredAt + 120 * MIN, responsiblePersonId: employee.id, status: 'assigned' });

    // The employee finds it under 我的任务 on the phone.
    const { ctx, page } = await employeeTasksOnPhone();
    try {
      const item = page.getByTestId(`mytask-${seal.id}`);
      await expect.poll(() => item.textContent()).toContain('封闭消杀作业区域');
      expect(await page.getByTestId(`mytask-drill-${seal.id}`).count()).toBe(0);
      // Done with a report: the plan's step is done, and the step waiting on it gets its task.
      await item.tap();
      await page.getByTestId('mytask').waitFor();
      if (await page.getByTestId('mytask-acknowledge').isVisible()) await page.getByTestId('mytask-acknowledge').tap();
      await page.getByTestId('mytask-report').fill('作业区域已封闭，全面消杀完毕，消杀记录已存档。');
      await page.getByTestId('mytask-submit').tap();
      await expect.poll(() => page.getByTestId('mytask-notice').textContent()).toContain('已报告完成');
      await page.screenshot({ path: path.join(shots, 'plans-phone-done.png') });
    } finally {
      await ctx.close();
    }
    runs = await planRuns(incidentId);
    expect(step('seal').state).toBe('done');
    expect(step('report')).toMatchObject({ state: 'task', deadline: occurredAt + 240 * MIN, task: { responsiblePersonId: depotHead.id } });
  });

  it('the one-minute step goes overdue: red on the incident\'s 预案执行, and in the supervision view (逾期事项)', async () => {
    const wait = occurredAt + 1 * MIN + 2_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    runs = await planRuns(incidentId);
    expect(step('contacts').task).toMatchObject({ overdue: true });

    await asDesk(command);
    await console_.goto(`${server.url}/duty/incidents/${incidentId}`);
    await console_.getByTestId('plan-runs').waitFor();
    await expect.poll(() => console_.getByTestId('run-step-state-contacts').getAttribute('data-state')).toBe('overdue');
    expect(await console_.getByTestId('run-step-state-contacts').textContent()).toContain('已逾期');
    expect(await console_.getByTestId('run-step-state-seal').getAttribute('data-state')).toBe('done');
    expect(await console_.getByTestId('run-step-state-report').getAttribute('data-state')).toBe('assigned');
    expect(await console_.getByTestId('run-step-who-contacts').textContent()).toBe(depotHead.name);
    expect(await console_.getByTestId('run-step-who-seal').textContent()).toBe(employee.name);
    await console_.screenshot({ path: path.join(shots, 'plans-incident-overdue.png'), fullPage: true });
    // The step's link opens its task page.
    await console_.getByTestId('run-step-task-contacts').click();
    await expect.poll(() => console_.url()).toContain(`/directives/tasks/${step('contacts').taskId}`);
    await console_.getByTestId('task-overdue').waitFor();

    // The supervision view lists it among the overdue tasks, with the depot head answering for it.
    const overdue = await command.call<{ items: { kind: string; ref: { id: string }; responsible: { personId: number | null }[] }[] }>(
      'GET',
      `/api/v1/supervision/overdue?unitId=${company.id}&kind=task&pageSize=200`,
    );
    expect(overdue.status).toBe(200);
    const item = overdue.json.items.find((i) => i.ref.id === String(step('contacts').taskId));
    expect(item?.responsible.map((p) => p.personId)).toContain(depotHead.id);
    // And the console's 逾期事项 shows it, naming the depot head.
    await console_.goto(`${server.url}/supervision/overdue?unit=${company.id}`);
    const row = console_.getByTestId(`overdue-row-task-${step('contacts').taskId}`);
    await expect.poll(() => row.textContent()).toContain(depotHead.name);
    await console_.screenshot({ path: path.join(shots, 'plans-supervision-overdue.png'), fullPage: true });
  });

  it('the same plan run as a drill from the console is marked as one everywhere, shows in 应急演练 and leaves the real scorecard unchanged', async () => {
    const scorecard = async () => {
      const r = await command.call<{ unit: ScorecardRow; children: ScorecardRow[] }>('GET', `/api/v1/supervision/scorecard?unitId=${company.id}&from=${today()}&to=${today()}`);
      expect(r.status).toBe(200);
      // Covered duty hours grow with the clock itself; every other figure only moves when something is done or missed.
      const strip = (row: ScorecardRow) => ({ unitId: row.unitId, figures: Object.fromEntries(Object.entries(row.figures).filter(([m]) => m !== 'duty_hours_covered')) });
      return [strip(r.json.unit), ...r.json.children.map(strip)];
    };
    const before = await scorecard();
    // The real incident counts: its tasks fall due today.
    expect(before[0]!.figures.tasks_on_time!.denominator).toBeGreaterThan(0);

    await asDesk(command);
    await console_.goto(`${server.url}/duty/plans/${planId}`);
    await console_.getByTestId('plan-page-drill').click();
    await console_.getByTestId('drill-start').click();
    // The drill's incident page: marked, with its own run of the plan.
    await console_.getByTestId('incident-drill').waitFor();
    const drillId = Number(/\/duty\/incidents\/(\d+)/.exec(console_.url())?.[1]);
    expect(drillId).toBeGreaterThan(incidentId);
    await console_.getByTestId('plan-runs').waitFor();
    const drillRuns = await planRuns(drillId);
    expect(drillRuns.map((r) => ({ planId: r.planId, drill: r.drill }))).toEqual([{ planId, drill: true }]);
    const drillSeal = drillRuns[0]!.steps.find((s) => s.key === 'seal')!;
    expect(drillSeal.task?.responsiblePersonId).toBe(employee.id);
    await console_.locator(`[data-testid^="plan-run-drill-"]`).first().waitFor();
    await console_.screenshot({ path: path.join(shots, 'plans-drill-incident.png'), fullPage: true });

    // The board marks it as a drill, and the real one not.
    await console_.goto(`${server.url}/duty/incidents?unit=${company.id}`);
    await console_.getByTestId(`incident-drill-${drillId}`).waitFor();
    expect(await console_.getByTestId(`incident-drill-${incidentId}`).count()).toBe(0);

    // 应急演练: the drill in the record, with its steps.
    await console_.goto(`${server.url}/duty/drills?unit=${company.id}`);
    await console_.getByTestId(`drill-row-${drillId}`).waitFor();
    expect(await console_.getByTestId(`drill-row-${drillId}`).textContent()).toContain(`${company.name}核酸阳性处置预案`);
    expect(await console_.getByTestId(`drill-row-${incidentId}`).count()).toBe(0);
    await console_.screenshot({ path: path.join(shots, 'plans-drills.png'), fullPage: true });

    // On the employee's phone the drill's task carries the drill's mark.
    const { ctx, page } = await employeeTasksOnPhone();
    try {
      await expect.poll(() => page.getByTestId(`mytask-drill-${drillSeal.taskId}`).textContent()).toBe('演练');
      await page.screenshot({ path: path.join(shots, 'plans-drill-phone.png') });
    } finally {
      await ctx.close();
    }

    // The real scorecard: the same figures after the drill filed its incident and sent its tasks.
    expect(await scorecard()).toEqual(before);
  });
});
