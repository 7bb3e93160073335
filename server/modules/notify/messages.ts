/**
 * The catalogue of notification messages: kind → title and text in zh-CN and en, with `{param}`
 * placeholders. A notification stores only its kind and params, so the inbox renders it in the
 * reader's language; robots get zh-CN. Another module adds a kind by adding a row here.
 */
import { MEASURE_TYPES } from '../../../common/measures.catalogue.js';
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';

export type Params = Record<string, string | number>;

interface Message {
  title: Record<Lang, string>;
  text: Record<Lang, string>;
}

export const MESSAGES: Record<string, Message> = {
  'checkin.reminder': {
    title: { 'zh-CN': '健康打卡提醒', en: 'Check-in reminder' },
    text: { 'zh-CN': '您今天（{day}）还没有健康打卡，请尽快完成。', en: 'You have not checked in for today ({day}) yet. Please check in now.' },
  },
  'checkin.missing_at_cutoff': {
    title: { 'zh-CN': '打卡截止仍未打卡', en: 'Not checked in at the cut-off' },
    text: {
      'zh-CN': '{unit}：{day} 打卡截止时仍有 {count} 人未打卡：{names}',
      en: '{unit}: {count} people had not checked in by the cut-off on {day}: {names}',
    },
  },
  'channel.test': {
    title: { 'zh-CN': '测试消息', en: 'Test message' },
    text: { 'zh-CN': 'Bulwark 防控平台：这是「{unit}」机器人的测试消息。', en: 'Bulwark: a test message for the robot of {unit}.' },
  },
  'health.watch_opened': {
    title: { 'zh-CN': '已开启健康监测', en: 'Health watch opened' },
    text: { 'zh-CN': '{unit} 的 {person} 已纳入健康监测（原因：{reason}），请及时跟进。', en: '{person} of {unit} is now under a health watch ({reason}). Please follow up.' },
  },
  'health.test_positive': {
    title: { 'zh-CN': '核酸检测阳性', en: 'Positive test result' },
    text: { 'zh-CN': '{unit} 的 {person} 在「{campaign}」中检测结果为阳性，请立即处置。', en: '{person} of {unit} tested positive in "{campaign}". Act at once.' },
  },
  'dining.plan_published': {
    title: { 'zh-CN': '错峰就餐时段已发布', en: 'Dining slots published' },
    text: { 'zh-CN': '{canteen} 自 {day} 起执行新的错峰就餐安排，请查看并告知 {unit} 的人员各自的就餐时段。', en: 'From {day}, {canteen} follows a new staggered dining plan. Please check the slots of {unit} and pass them on.' },
  },
  'contact.candidates': {
    title: { 'zh-CN': '密接排查提醒', en: 'Possible contacts to follow up' },
    text: { 'zh-CN': '{unit} 有 {count} 人被列为密接排查对象，请立即跟进：{names}', en: '{count} people of {unit} are listed as possible contacts of a case. Follow up now: {names}' },
  },
  'health.trip_return': {
    title: { 'zh-CN': '风险地区返回', en: 'Return from a risk area' },
    text: { 'zh-CN': '{unit} 的 {person} 从 {area} 返回，已纳入健康监测。', en: '{person} of {unit} has returned from {area} and is now under a health watch.' },
  },
  'report.requested': {
    title: { 'zh-CN': '情况报送要求', en: 'Report requested' },
    text: { 'zh-CN': '{unit}：请于 {deadline} 前报送「{title}」。', en: '{unit}: please submit "{title}" by {deadline}.' },
  },
  'report.requested_daily': {
    title: { 'zh-CN': '每日情况报送要求', en: 'Daily report requested' },
    text: { 'zh-CN': '{unit}：请每日 {time} 前报送「{title}」。', en: '{unit}: please submit "{title}" every day by {time}.' },
  },
  'report.requested_daily_until': {
    title: { 'zh-CN': '每日情况报送要求', en: 'Daily report requested' },
    text: { 'zh-CN': '{unit}：请于 {until} 前每日 {time} 前报送「{title}」。', en: '{unit}: please submit "{title}" every day by {time}, until {until}.' },
  },
  'report.reminder': {
    title: { 'zh-CN': '情况报送提醒', en: 'Report due' },
    text: { 'zh-CN': '{unit}：「{title}」须于 {deadline} 前报送，尚未提交。', en: '{unit}: "{title}" is due by {deadline} and has not been submitted yet.' },
  },
  'measures.exception_requested': {
    title: { 'zh-CN': '防控措施加严待审批', en: 'Stricter measure awaits approval' },
    text: {
      'zh-CN': '{unit} 申请将「{measure}」设为 {value}，严于上级要求的 {parentValue}，自 {day} 起执行，请审批。理由：{reason}',
      en: '{unit} asks to set "{measure}" to {value}, stricter than the {parentValue} required above, from {day}. Please approve or refuse. Reason: {reason}',
    },
  },
  'measures.exception_decided': {
    title: { 'zh-CN': '防控措施加严申请已处理', en: 'Stricter measure decided' },
    text: {
      'zh-CN': '{unit} 将「{measure}」设为 {value} 的申请已被{decision}。',
      en: 'The request of {unit} to set "{measure}" to {value} was {decision}.',
    },
  },
  'health.digest': {
    title: { 'zh-CN': '每日健康汇总', en: 'Daily health digest' },
    text: {
      'zh-CN': '{day}：应打卡 {headcount} 人，已打卡 {checkedIn} 人，未打卡 {notYet} 人，异常 {abnormal} 人。',
      en: '{day}: {checkedIn} of {headcount} checked in, {notYet} not yet, {abnormal} abnormal.',
    },
  },
  'task.assigned': {
    title: { 'zh-CN': '新任务', en: 'New task' },
    text: { 'zh-CN': '您有新任务「{title}」，请于 {deadline} 前完成。', en: 'You have a new task, "{title}", due by {deadline}.' },
  },
  'task.reminder': {
    title: { 'zh-CN': '任务即将到期', en: 'Task due soon' },
    text: { 'zh-CN': '{unit} 的任务「{title}」将于 {deadline} 到期，请尽快完成。', en: 'The task "{title}" of {unit} is due at {deadline}. Please finish it now.' },
  },
  'task.overdue': {
    title: { 'zh-CN': '任务逾期未完成', en: 'Task overdue' },
    text: { 'zh-CN': '{unit} 的任务「{title}」已于 {deadline} 到期仍未完成，责任人：{person}。', en: 'The task "{title}" of {unit} was due at {deadline} and is not done. Responsible: {person}.' },
  },
  'task.completed': {
    title: { 'zh-CN': '任务已完成，待核验', en: 'Task done, to verify' },
    text: { 'zh-CN': '{unit} 已完成任务「{title}」，请核验。', en: '{unit} has done the task "{title}". Please verify it.' },
  },
  'task.returned': {
    title: { 'zh-CN': '任务被退回', en: 'Task returned' },
    text: { 'zh-CN': '任务「{title}」被退回，原因：{why}', en: 'The task "{title}" was returned: {why}' },
  },
  'notice.published': {
    title: { 'zh-CN': '新通知公告', en: 'New notice' },
    text: { 'zh-CN': '「{title}」已发布，请及时阅读。', en: '"{title}" has been published. Please read it.' },
  },
  'notice.reminder': {
    title: { 'zh-CN': '通知未读提醒', en: 'Unread notice' },
    text: { 'zh-CN': '您还没有阅读通知「{title}」，请尽快阅读。', en: 'You have not read the notice "{title}" yet. Please read it now.' },
  },
  // Incidents (modules/incidents): {unit} is where it was filed, {level} the level told.
  'incident.delivered': {
    title: { 'zh-CN': '紧急事项待确认', en: 'Incident to acknowledge' },
    text: {
      'zh-CN': '{unit} 报告{severity}紧急事项「{title}」（{incidentKind}），已送达 {level}，请于 {deadline} 前确认。{note}',
      en: '{unit} reports a {severity} incident, "{title}" ({incidentKind}), now with {level}: acknowledge it by {deadline}. {note}',
    },
  },
  'incident.alert': {
    title: { 'zh-CN': '紧急事项超时未确认', en: 'Incident not acknowledged in time' },
    text: {
      'zh-CN': '{level} 未在 {deadline} 前确认{severity}紧急事项「{title}」（{unit} 报告），请立即督促确认处置。',
      en: '{level} did not acknowledge the {severity} incident "{title}" (reported by {unit}) by {deadline}. See to it now.',
    },
  },
  'incident.realert': {
    title: { 'zh-CN': '紧急事项仍未确认', en: 'Incident still not acknowledged' },
    text: {
      'zh-CN': '{severity}紧急事项「{title}」（{unit} 报告）已超过确认时限两倍，{level} 仍未确认，请立即处置。',
      en: 'The {severity} incident "{title}" (reported by {unit}) is still not acknowledged by {level}, twice past its time limit. Act now.',
    },
  },
  'incident.instruction': {
    title: { 'zh-CN': '紧急事项上级指示', en: 'Instruction on an incident' },
    text: { 'zh-CN': '{level} 就紧急事项「{title}」下达指示：{text}。请确认。', en: '{level} sends an instruction on the incident "{title}": {text}. Please acknowledge it.' },
  },
  'incident.closed': {
    title: { 'zh-CN': '紧急事项已办结', en: 'Incident closed' },
    text: { 'zh-CN': '{unit} 报告的紧急事项「{title}」已办结。处置结果：{resolution}', en: 'The incident "{title}" reported by {unit} is closed. Resolution: {resolution}' },
  },
  'incident.watchdog': {
    title: { 'zh-CN': '紧急事项上报未按时执行', en: 'Incident escalation overdue' },
    text: {
      'zh-CN': '监控发现 {count} 项紧急事项逐级上报应执行而未执行（最早应于 {dueAt}，{level}，「{title}」）。请检查后台任务运行情况。',
      en: 'The watchdog found {count} incident escalations overdue and not fired (the earliest due at {dueAt}, {level}, "{title}"). Check the job runner.',
    },
  },
  // Care (modules/care/*): never a person's name or situation in a message, which may reach a phone's lock screen.
  'care.request': {
    title: { 'zh-CN': '新的求助', en: 'A request for help' },
    text: { 'zh-CN': '{unit} 有员工提出求助（{need}），请及时处理。', en: 'Someone of {unit} asked for help ({need}). Please answer it.' },
  },
  'care.request_answered': {
    title: { 'zh-CN': '求助已答复', en: 'Your request was answered' },
    text: { 'zh-CN': '您的求助（{need}）已答复：{answer}', en: 'Your request ({need}) was answered: {answer}' },
  },
  'care.assigned': {
    title: { 'zh-CN': '关爱帮扶分派', en: 'A care case for you' },
    text: { 'zh-CN': '关爱帮扶对象（编号 {caseId}）已分派给您，请及时联系。', en: 'Care case {caseId} is now yours. Please get in touch.' },
  },
  'care.uncontacted': {
    title: { 'zh-CN': '关爱对象超期未联系', en: 'A care case not contacted in time' },
    text: { 'zh-CN': '{unit} 的关爱帮扶对象（编号 {caseId}）已超过联系间隔未联系，请尽快联系。', en: 'Care case {caseId} of {unit} has gone without contact for longer than allowed. Please get in touch.' },
  },
  // Meeting registrations (modules/places/meetings.*): {start} is 'YYYY-MM-DD HH:MM' in the deployment's zone.
  'meeting.pending': {
    title: { 'zh-CN': '会议报备待审批', en: 'Meeting registration to approve' },
    text: {
      'zh-CN': '{unit} 报备的会议「{title}」（{start}，{attendees} 人，{minutes} 分钟）有 {count} 项超出防控要求，请审批。理由：{reason}',
      en: '{unit} registered the meeting "{title}" ({start}, {attendees} people, {minutes} minutes), {count} limit(s) over the measures. Please approve or refuse it. Reason: {reason}',
    },
  },
  'meeting.approved': {
    title: { 'zh-CN': '会议报备已批准', en: 'Meeting registration approved' },
    text: { 'zh-CN': '会议「{title}」（{start}）已获批准。{note}', en: 'The meeting "{title}" ({start}) is approved. {note}' },
  },
  'meeting.refused': {
    title: { 'zh-CN': '会议报备未获批准', en: 'Meeting registration refused' },
    text: { 'zh-CN': '会议「{title}」（{start}）未获批准：{note}', en: 'The meeting "{title}" ({start}) is refused: {note}' },
  },
  'meeting.cancelled': {
    title: { 'zh-CN': '会议已取消', en: 'Meeting cancelled' },
    text: { 'zh-CN': '会议「{title}」（{start}）已被取消。{note}', en: 'The meeting "{title}" ({start}) has been cancelled. {note}' },
  },
  'duty.reminder': {
    title: { 'zh-CN': '值班提醒', en: 'Shift reminder' },
    text: { 'zh-CN': '您将于 {start} 至 {end} 在{unit}担任{dutyRole}，请按时接班。', en: 'You are {dutyRole} at {unit} from {start} to {end}. Please take over on time.' },
  },
  'duty.gap_leader': {
    title: { 'zh-CN': '值班缺带班领导', en: 'No leader on duty' },
    text: { 'zh-CN': '{unit} 在 {start} 至 {end} 没有带班领导，请及时排班。', en: '{unit} has no leader on duty from {start} to {end}. Please fill the roster.' },
  },
  'duty.gap_officer': {
    title: { 'zh-CN': '值班缺值班员', en: 'No duty officer' },
    text: { 'zh-CN': '{unit} 在 {start} 至 {end} 没有值班员，请及时排班。', en: '{unit} has no duty officer from {start} to {end}. Please fill the roster.' },
  },
  'duty.swap_asked': {
    title: { 'zh-CN': '换班申请', en: 'Swap asked' },
    text: { 'zh-CN': '{requester} 请您替换其 {start} 开始的{unit}值班，请同意或拒绝。', en: '{requester} asks you to take their shift at {unit} starting {start}. Please accept or decline.' },
  },
  'duty.swap_accepted': {
    title: { 'zh-CN': '换班已同意，待审批', en: 'Swap accepted, awaiting approval' },
    text: { 'zh-CN': '{counterpart} 已同意与您换班（{unit}，{start}），待单位负责人审批。', en: '{counterpart} accepted your swap ({unit}, {start}); it awaits the unit head’s approval.' },
  },
  'duty.swap_to_approve': {
    title: { 'zh-CN': '换班待审批', en: 'Swap to approve' },
    text: { 'zh-CN': '{unit}：{requester} 与 {counterpart} 换班（{start}），双方已同意，请审批。', en: '{unit}: {requester} and {counterpart} agreed to swap ({start}). Please approve or refuse.' },
  },
  'duty.swap_declined': {
    title: { 'zh-CN': '换班被拒绝', en: 'Swap declined' },
    text: { 'zh-CN': '{counterpart} 拒绝了您的换班申请（{unit}，{start}）。', en: '{counterpart} declined your swap ({unit}, {start}).' },
  },
  'duty.swap_approved': {
    title: { 'zh-CN': '换班已批准', en: 'Swap approved' },
    text: { 'zh-CN': '{requester} 与 {counterpart} 的换班（{unit}，{start}）已批准，值班表已更新。', en: 'The swap of {requester} and {counterpart} ({unit}, {start}) is approved; the roster is updated.' },
  },
  'duty.swap_refused': {
    title: { 'zh-CN': '换班未获批准', en: 'Swap refused' },
    text: { 'zh-CN': '{requester} 与 {counterpart} 的换班（{unit}，{start}）未获批准。', en: 'The swap of {requester} and {counterpart} ({unit}, {start}) was refused.' },
  },
  'duty.swap_cancelled': {
    title: { 'zh-CN': '换班已撤回', en: 'Swap withdrawn' },
    text: { 'zh-CN': '{requester} 撤回了换班申请（{unit}，{start}）。', en: '{requester} withdrew the swap ({unit}, {start}).' },
  },
  'volunteers.assigned': {
    title: { 'zh-CN': '志愿服务排班', en: 'Volunteer shift' },
    text: { 'zh-CN': '您已被安排到「{post}」（{unit}）的志愿服务班次，{start} 开始。', en: 'You are on a volunteer shift at "{post}" ({unit}) starting {start}.' },
  },
  'volunteers.request_asked': {
    title: { 'zh-CN': '志愿者用人申请', en: 'Volunteers requested' },
    text: { 'zh-CN': '{unit} 申请 {count} 名志愿者支援「{post}」（{from} 至 {to}），请从志愿者库安排。', en: '{unit} asks for {count} volunteers for "{post}" ({from} to {to}). Please assign people from the pool.' },
  },
  'volunteers.request_answered': {
    title: { 'zh-CN': '用人申请已安排', en: 'Volunteer request answered' },
    text: { 'zh-CN': '「{post}」（{unit}）：已安排 {person}（{start}），已到位 {filled}/{count} 人。', en: '"{post}" ({unit}): {person} is assigned ({start}); {filled} of {count} people now.' },
  },
};

/** Code values some params carry, shown in words (a watch's reason). Unknown values show as they are. */
const PARAM_VALUES: Record<string, Record<string, Record<Lang, string>>> = {
  // A measure's name in the reader's language (common/measures.catalogue.ts).
  measure: Object.fromEntries(MEASURE_TYPES.map((m) => [m.key, m.name])),
  dutyRole: {
    leader: { 'zh-CN': '带班领导', en: 'leader on duty' },
    officer: { 'zh-CN': '值班员', en: 'duty officer' },
  },
  decision: {
    approved: { 'zh-CN': '批准', en: 'approved' },
    refused: { 'zh-CN': '驳回', en: 'refused' },
  },
  severity: Object.fromEntries(
    (['critical', 'major', 'serious', 'general'] as const).map((k, i) => [
      k,
      { 'zh-CN': ['Ⅰ级（特别重大）', 'Ⅱ级（重大）', 'Ⅲ级（较大）', 'Ⅳ级（一般）'][i]!, en: ['critical', 'major', 'serious', 'general'][i]! },
    ]),
  ),
  incidentKind: {
    suspected_case: { 'zh-CN': '疑似病例', en: 'suspected case' },
    positive_test: { 'zh-CN': '核酸阳性', en: 'positive test' },
    close_contact: { 'zh-CN': '密切接触者', en: 'close contact' },
    supply_shortage: { 'zh-CN': '物资短缺', en: 'supply shortage' },
    unsafe_gathering: { 'zh-CN': '违规聚集', en: 'unsafe gathering' },
    other: { 'zh-CN': '其他', en: 'other' },
  },
  reason: {
    checkin_abnormal: { 'zh-CN': '打卡异常', en: 'abnormal check-in' },
    test_positive: { 'zh-CN': '核酸阳性', en: 'positive test' },
    trip_return: { 'zh-CN': '风险地区返回', en: 'return from a risk area' },
    manual: { 'zh-CN': '人工开启', en: 'opened by hand' },
    contact: { 'zh-CN': '密接排查', en: 'possible contact' },
  },
};

function fill(template: string, params: Params, lang: Lang): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return PARAM_VALUES[name]?.[String(v)]?.[lang] ?? String(v);
  });
}

/** A notification's title and text in one language; an unknown kind still shows something readable. */
export function renderMessage(kind: string, params: Params, lang: Lang = DEFAULT_LANG): { title: string; text: string } {
  const m = MESSAGES[kind];
  if (!m) return { title: kind, text: Object.entries(params).map(([k, v]) => `${k}: ${v}`).join(', ') };
  // A drill's messages (演练, issue 8: params.drill = 1) say so first, whatever their kind.
  const drill = params.drill === 1 ? (lang === 'zh-CN' ? '【演练】' : '[Drill] ') : '';
  return { title: drill + fill(m.title[lang], params, lang), text: drill + fill(m.text[lang], params, lang) };
}

/** The reader's language: an explicit `lang` wins, then the first supported Accept-Language tag, else zh-CN. */
export function langOf(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === 'en' || query === 'zh-CN') return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return DEFAULT_LANG;
}

/** Names in a message: the first few, then how many more (a robot message has a size limit). */
export function nameList(names: readonly string[], lang: Lang = DEFAULT_LANG, max = 30): string {
  const shown = names.slice(0, max).join(lang === 'zh-CN' ? '、' : ', ');
  if (names.length <= max) return shown;
  return lang === 'zh-CN' ? `${shown} 等 ${names.length} 人` : `${shown} and ${names.length - max} more`;
}
