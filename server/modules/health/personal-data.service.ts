import ExcelJS from 'exceljs';
import { dayOf } from '../../../common/day.js';
import type { DataReport } from '../../../common/schemas/health-reports.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { contentDisposition, escapeCell } from '../org/export.service.js';
import { assertAllowed, requireActor } from '../org/org.policy.js';
import { maskPhone, visiblePerson } from '../org/people.service.js';
import { findPerson, tagsOf, type PersonWithUnit } from '../org/people.store.js';
import { presentCheckin } from './checkin.present.js';
import { checkinsOfPerson } from './health.store.js';
import * as store from './personal-data.store.js';
import { retentionDays } from './retention.service.js';

/**
 * The personal data report: everything the organisation holds about one person, for that person
 * (their right to see it) or for an administrator answering their request. It lives in the health
 * module because almost all of it is health data (check-ins, watches, trips, tests); the profile
 * is read through the org module's people store. Every report is an audited read of health data.
 */

export interface DataReportFile {
  fileName: string;
  contentDisposition: string;
  data: Buffer;
}

async function gather(deps: Deps, person: PersonWithUnit, seesPhone: boolean): Promise<DataReport> {
  const ids = person.unit_path.split('/').filter(Boolean).map(Number);
  const [names, tags, accounts, checkins, { watches, notes }, trips, tests, days] = await Promise.all([
    store.unitNames(deps.db, ids),
    tagsOf(deps.db, [person.id]),
    store.accountsOf(deps.db, person.id),
    checkinsOfPerson(deps.db, person.id, '0000-01-01'),
    store.watchesOf(deps.db, person.id),
    store.tripsOf(deps.db, person.id),
    store.testsOf(deps.db, person.id),
    retentionDays(deps),
  ]);
  return {
    generatedAt: deps.clock.now(),
    profile: {
      personId: person.id,
      name: person.name,
      employeeNo: person.employee_no,
      phone: seesPhone ? person.phone : maskPhone(person.phone),
      title: person.title,
      unitId: person.unit_id,
      unitName: person.unit_name,
      unitPath: ids.map((id) => names.get(id) ?? String(id)).join(' / '),
      tags: tags.get(person.id) ?? [],
      status: person.status,
      leftOn: person.left_on,
      accounts: accounts.map((a) => ({ username: a.username, createdAt: Number(a.created_at), disabled: a.disabled_at !== null })),
    },
    retentionDays: days,
    checkins: checkins.map(presentCheckin),
    healthWatches: watches.map((w) => ({
      id: w.id,
      reason: w.reason,
      startDay: w.start_day,
      endDay: w.end_day,
      status: w.status,
      outcome: w.outcome,
      notes: notes.filter((n) => n.watch_id === w.id).map((n) => ({ day: n.day, note: n.note, temperature: n.temperature === null ? null : n.temperature / 10 })),
    })),
    trips: trips.map((t) => ({
      id: t.id,
      destinationCity: t.destination_city,
      destinationDistrict: t.destination_district,
      startOn: t.start_on,
      endOn: t.end_on,
      purpose: t.purpose,
      status: t.status,
      returnedOn: t.returned_on,
    })),
    tests,
  };
}

async function audited(deps: Deps, ctx: Ctx, report: DataReport, format: 'json' | 'xlsx', self: boolean): Promise<void> {
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, {
      action: 'personal_data.exported',
      entity: 'person',
      entityId: report.profile.personId,
      unitId: report.profile.unitId,
      note: { format, self, checkins: report.checkins.length, healthWatches: report.healthWatches.length, trips: report.trips.length, tests: report.tests.length },
    }),
  );
}

/** The signed-in person's own data report (their phone unmasked: it is theirs). */
export async function myDataReport(deps: Deps, ctx: Ctx, format: 'json' | 'xlsx'): Promise<DataReport | DataReportFile> {
  const actor = requireActor(ctx.actor);
  const person = actor.personId === null ? undefined : await findPerson(deps.db, actor.personId);
  if (!person) throw errors.notFound('person');
  const report = await gather(deps, person, true);
  await audited(deps, ctx, report, format, true);
  return format === 'xlsx' ? toFile(report, dayOf(report.generatedAt, deps.config.timeZone)) : report;
}

/** A person's data report for an administrator answering their request (people.write over the person). */
export async function personDataReport(deps: Deps, ctx: Ctx, personId: number, format: 'json' | 'xlsx'): Promise<DataReport | DataReportFile> {
  const actor: Actor = requireActor(ctx.actor);
  const person = await visiblePerson(deps, actor, personId);
  assertAllowed(actor, 'people.write', person.unit_path);
  const report = await gather(deps, person, can(actor, 'people.phone', person.unit_path));
  await audited(deps, ctx, report, format, false);
  return format === 'xlsx' ? toFile(report, dayOf(report.generatedAt, deps.config.timeZone)) : report;
}

const yesNo = (b: boolean) => (b ? '是' : '否');

/** The report as a workbook: one sheet per kind of record, every text cell guarded against formulas. */
export async function toFile(r: DataReport, day: string): Promise<DataReportFile> {
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, headers: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = headers.map((h) => ({ header: h, width: 16 }));
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row.map((v) => (typeof v === 'string' ? escapeCell(v) : v)));
  };
  const p = r.profile;
  sheet('个人信息', ['项目', '内容'], [
    ['姓名', p.name],
    ['工号', p.employeeNo],
    ['手机', p.phone],
    ['职务', p.title],
    ['单位', p.unitPath],
    ['标签', p.tags.join('、')],
    ['状态', p.status === 'left' ? '离职' : '在职'],
    ['离职日期', p.leftOn],
    ['账号', p.accounts.map((a) => a.username + (a.disabled ? '（已停用）' : '')).join('、')],
    ['打卡明细保留天数', r.retentionDays],
  ]);
  sheet(
    '健康打卡',
    ['日期', '体温', '症状', '所在', '城市', '备注', '异常', '代为打卡'],
    r.checkins.map((c) => [c.day, c.temperature, c.symptoms.join('、'), c.location, c.city, c.note, yesNo(c.abnormal), yesNo(c.onBehalfOfUserId !== null)]),
  );
  sheet(
    '健康监测',
    ['开始', '结束', '原因', '状态', '结果', '记录日期', '记录', '体温'],
    r.healthWatches.flatMap((w) => (w.notes.length === 0 ? [{ day: null, note: null, temperature: null }] : w.notes).map((n) => [w.startDay, w.endDay, w.reason, w.status, w.outcome, n.day, n.note, n.temperature])),
  );
  sheet('出行', ['目的地', '区', '出发', '计划返回', '事由', '状态', '返回日期'], r.trips.map((t) => [t.destinationCity, t.destinationDistrict, t.startOn, t.endOn, t.purpose, t.status, t.returnedOn]));
  sheet('核酸检测', ['检测', '日期', '类型', '结果', '检测机构'], r.tests.map((t) => [t.campaign, t.day, t.kind === 'sample' ? '采样' : '结果', t.result, t.lab]));
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  const fileName = `${p.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')}-个人数据-${day}.xlsx`;
  return { fileName, contentDisposition: contentDisposition(fileName, `personal-data-${day}.xlsx`), data };
}
