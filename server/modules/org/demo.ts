import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { addDays, dayOf } from '../../../common/day.js';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import { systemCtx, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.js';
import { putSetting } from '../setup/settings.store.js';
import { isRootPath, requireActor } from './org.policy.js';
import { insertGrant, insertUser } from './users.store.js';
import { listChildren, listRootUnits } from './units.store.js';
import * as bulk from './import.store.js';
import { seedDemoRosters } from '../duty/duty.demo.js';
import { seedDemoMeetings } from '../places/meetings.demo.js';
import { seedDemoPlaces } from '../places/places.demo.js';
import { seedDemoDining } from '../places/dining.demo.js';
import { seedDemoCare } from '../care/care.demo.js';
import { seedDemoPlans } from '../plans/plans.demo.js';
import { seedDemoVolunteers } from '../volunteers/volunteers.demo.js';
import type { PlannedShift } from '../duty/duty.pattern.js';

/**
 * The demo organisation: a city-investment group shaped like the one in seed/source-document.md —
 * headquarters departments, the command office, and subsidiaries down to stations, depots,
 * terminals, construction sites and their crews — with people, tags and four logins to try it
 * with. The same seed always gives the same organisation.
 */

export interface DemoLogin {
  username: string;
  password: string;
  description: string;
}
export interface DemoResult {
  units: number;
  people: number;
  /** Units given a duty roster for the coming month. */
  rosters: number;
  logins: DemoLogin[];
}

export const DEFAULT_DEMO_ROOT = '青岛城投集团';
/** The console's button loads a small organisation; the CLI and the benchmark can ask for more. */
export const CONSOLE_DEMO_PEOPLE = 2000;
const PEOPLE_PER_UNIT = 20;

// ---------------------------------------------------------------------------------------------
// Vocabulary

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏宇浩凯健俊帆帅旭宁龙林欣晨阳佳琳雪梅飞斌波鑫峰亮坤成志海东国民永春晓燕婷颖慧倩莉琴云兰丹蕾楠博昊然轩泽睿思雨涵欣怡子琪诗嘉瑞晴立新庆志福德安荣胜利学长金光天正清海宏振';
const PLACES = [
  '李村', '崂山', '黄岛', '城阳', '即墨', '胶州', '平度', '莱西', '四方', '市北', '市南', '沧口', '浮山', '台东', '中山路', '香港中路', '延安三路', '辽阳路', '海尔路', '株洲路',
  '松岭路', '金家岭', '双埠', '流亭', '红岛', '薛家岛', '灵山卫', '王台', '泊里', '六汪', '大沽河', '九水', '北宅', '沙子口', '王哥庄', '惜福镇', '夏庄', '棘洪滩', '上马', '河套',
  '鳌山卫', '温泉', '蓝村', '李哥庄', '胶东', '姜山', '南村', '蓼兰', '田庄', '仁兆', '店子', '明村', '大泽山', '院上', '河头店', '马连庄', '小港', '团岛', '湛山', '八大关',
];
const GIVEN_CHARS = [...GIVEN];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

type Kind = 'group' | 'office' | 'department' | 'subsidiary' | 'site' | 'team';

interface Domain {
  name: string;
  prefix: string; // employee numbers
  weight: number; // share of the group's sites and people
  departments: string[];
  branches: { name: string; sites: string[]; teams: string[]; workers?: string[]; overseas?: string[] }[];
  workers: string[];
}

const SUB_DEPARTMENTS = ['综合办公室', '安全监察部', '人力资源部', '财务部', '党群工作部'];

const DOMAINS: Domain[] = [
  {
    name: '交发集团', prefix: 'JF', weight: 5, departments: SUB_DEPARTMENTS, workers: ['驾驶员', '驾驶员', '乘务员', '调度员', '维修工', '站务员', '安全员'],
    branches: [
      { name: '公交第一分公司', sites: ['公交车队', '停车场', '公交枢纽站'], teams: ['线路班组', '调度组', '安全组', '维修班'], workers: ['驾驶员', '驾驶员', '驾驶员', '调度员', '维修工', '安全员'] },
      { name: '公交第二分公司', sites: ['公交车队', '停车场', '首末站'], teams: ['线路班组', '调度组', '安全组', '维修班'], workers: ['驾驶员', '驾驶员', '驾驶员', '调度员', '维修工', '安全员'] },
      { name: '长途客运分公司', sites: ['客运站', '汽车站'], teams: ['售票班', '安检组', '站务组', '驾驶员班组'], workers: ['售票员', '安检员', '站务员', '驾驶员'] },
      { name: '轨道运营分公司', sites: ['地铁站', '车辆段'], teams: ['站务一班', '站务二班', '行车值班组', '检修班'], workers: ['站务员', '值班站长', '列车司机', '检修工'] },
      { name: '出租汽车分公司', sites: ['出租车服务站'], teams: ['营运一组', '营运二组', '安全组'], workers: ['驾驶员', '驾驶员', '安全员'] },
    ],
  },
  {
    name: '青岛航空', prefix: 'QA', weight: 3, departments: ['综合管理部', '安全监察部', '人力资源部', '财务部', '党群工作部'], workers: ['乘务员', '乘务员', '机长', '副驾驶', '机务工程师', '签派员', '地勤人员', '安检员'],
    branches: [
      { name: '飞行部', sites: ['飞行大队'], teams: ['第一飞行中队', '第二飞行中队', '第三飞行中队'], workers: ['机长', '副驾驶', '副驾驶', '飞行学员'] },
      { name: '客舱服务部', sites: ['乘务大队'], teams: ['乘务一中队', '乘务二中队', '乘务三中队'], workers: ['乘务长', '乘务员', '乘务员', '安全员'] },
      { name: '地面服务部', sites: ['机场地面服务站', '航站楼服务站'], teams: ['值机组', '行李组', '旅客服务组'], workers: ['值机员', '行李员', '地勤人员', '旅客服务员'] },
      { name: '机务工程部', sites: ['维修基地', '航线维修站'], teams: ['航线车间', '定检车间', '部件车间'], workers: ['机务工程师', '维修技术员', '维修技术员'] },
      { name: '市场销售部', sites: ['营业部'], teams: ['销售组', '客服组'], workers: ['销售经理', '客服专员'], overseas: ['首尔办事处', '东京办事处', '大阪办事处', '曼谷办事处', '新加坡办事处'] },
    ],
  },
  {
    name: '创发集团', prefix: 'CF', weight: 2, departments: SUB_DEPARTMENTS, workers: ['运营专员', '招商经理', '物业管理员', '安保员', '工程师'],
    branches: [
      { name: '产业园运营公司', sites: ['产业园', '科技园'], teams: ['招商组', '运营组', '物业组', '安保班'] },
      { name: '科技孵化公司', sites: ['孵化基地', '众创空间'], teams: ['孵化服务组', '运营组'] },
      { name: '数字科技公司', sites: ['数据中心'], teams: ['运维班', '研发组'] },
    ],
  },
  {
    name: '城建集团', prefix: 'CJ', weight: 3, departments: SUB_DEPARTMENTS, workers: ['施工员', '安全员', '质检员', '钢筋工', '木工', '机械操作手', '技术员'],
    branches: [
      { name: '市政工程公司', sites: ['道路改造工地', '管网工程项目部'], teams: ['施工一队', '施工二队', '安全质量组', '机械班'] },
      { name: '房建工程公司', sites: ['安置房项目部', '学校项目工地'], teams: ['钢筋班', '木工班', '混凝土班', '安全质量组'] },
      { name: '海外工程公司', sites: ['项目部'], teams: ['施工队', '安全组'], overseas: ['柬埔寨金边项目部', '巴基斯坦卡拉奇项目部'] },
    ],
  },
  {
    name: '水务集团', prefix: 'SW', weight: 2, departments: SUB_DEPARTMENTS, workers: ['运行工', '检修工', '化验员', '抄表员', '客服专员'],
    branches: [
      { name: '供水分公司', sites: ['水厂', '加压泵站', '供水营业厅'], teams: ['运行班', '检修班', '抄表组'] },
      { name: '排水分公司', sites: ['污水处理厂', '排水泵站'], teams: ['运行班', '化验班', '管网巡查组'] },
    ],
  },
  {
    name: '能源集团', prefix: 'NY', weight: 2, departments: SUB_DEPARTMENTS, workers: ['运行值班员', '检修工', '巡线工', '客服专员', '技术员'],
    branches: [
      { name: '热力分公司', sites: ['热电厂', '换热站'], teams: ['运行一值', '运行二值', '检修班'] },
      { name: '燃气分公司', sites: ['燃气门站', '燃气营业厅'], teams: ['巡线班', '抢修班', '客服组'] },
    ],
  },
  {
    name: '置业集团', prefix: 'ZY', weight: 2, departments: SUB_DEPARTMENTS, workers: ['保安员', '保洁员', '维修工', '客服专员', '前台接待'],
    branches: [
      { name: '物业服务公司', sites: ['小区物业服务中心', '写字楼物业服务中心'], teams: ['保安队', '保洁班', '工程维修班', '客服组'] },
      { name: '商业管理公司', sites: ['商业广场', '酒店'], teams: ['运营组', '保安队', '工程维修班'] },
    ],
  },
];

const HEADQUARTERS: { name: string; kind: Kind; sections?: string[] }[] = [
  { name: '疫情防控工作领导小组办公室', kind: 'office', sections: ['综合协调组', '信息报送组', '督导检查组'] },
  { name: '办公室', kind: 'department', sections: ['秘书科', '行政科'] },
  { name: '安工部', kind: 'department', sections: ['安全监督科', '工程管理科'] },
  { name: '党群部', kind: 'department', sections: ['组织科', '宣传科'] },
  { name: '工会', kind: 'department' },
  { name: '纪委', kind: 'department', sections: ['监督检查室'] },
  { name: '人力资源部', kind: 'department' },
  { name: '财务部', kind: 'department' },
  { name: '投资发展部', kind: 'department' },
  { name: '审计法务部', kind: 'department' },
];

const LEADERS: Record<Kind, string[]> = {
  group: ['董事长', '党委书记', '总经理', '副总经理', '副总经理', '总会计师'],
  office: ['主任', '副主任'],
  department: ['部长', '副部长'],
  subsidiary: ['总经理', '副总经理'],
  site: ['站长', '副站长', '安全员'],
  team: ['班组长'],
};
const STAFF = ['主管', '专员', '科员', '科员'];

// ---------------------------------------------------------------------------------------------
// Generation (pure, seeded)

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

export interface DemoUnit {
  parent: number | null; // index into units
  name: string;
  kind: Kind;
  depth: number;
  domain: Domain | null; // null: headquarters
  overseas: boolean;
  /** The branch (分公司 or 部) a site or crew belongs to: it decides the trades of its people. */
  branch: number | null;
  children: Set<string>;
}

export interface DemoPerson {
  unit: number;
  name: string;
  employeeNo: string;
  phone: string;
  title: string;
  tags: string[];
  left: number | null; // days ago, when the person has left
}

/** The organisation for a size and a seed, without touching a database. */
export function generateDemoOrganisation(peopleCount: number, seed: number, rootName = DEFAULT_DEMO_ROOT, takenAtRoot: ReadonlySet<string> = new Set()) {
  const r = rng(seed);
  const units: DemoUnit[] = [{ parent: null, name: rootName, kind: 'group', depth: 0, domain: null, overseas: false, branch: null, children: new Set() }];
  const add = (parent: number, name: string, kind: Kind, overseas = false): number => {
    const p = units[parent]!;
    let unique = parent === 0 && takenAtRoot.has(name) ? `${name}（演示）` : name;
    for (let i = 2; p.children.has(unique); i++) unique = `${name}${i}`;
    p.children.add(unique);
    units.push({ parent, name: unique, kind, depth: p.depth + 1, domain: p.domain, overseas: overseas || p.overseas, branch: p.branch, children: new Set() });
    return units.length - 1;
  };

  for (const hq of HEADQUARTERS) {
    const d = add(0, hq.name, hq.kind);
    for (const s of hq.sections ?? []) add(d, s, 'team');
  }
  const branches: { at: number; spec: Domain['branches'][number]; domain: Domain }[] = [];
  const workersOf = new Map<number, string[]>(); // branch unit index → its trades
  for (const domain of DOMAINS) {
    const s = add(0, domain.name, 'subsidiary');
    units[s]!.domain = domain;
    for (const dep of domain.departments) add(s, dep, 'department');
    for (const spec of domain.branches) {
      const b = add(s, spec.name, 'subsidiary');
      units[b]!.branch = b;
      branches.push({ at: b, spec, domain });
      workersOf.set(b, spec.workers ?? domain.workers);
      for (const post of spec.overseas ?? []) {
        const o = add(b, post, 'site', true);
        add(o, '综合组', 'team');
      }
    }
  }

  // A site with its crews, and some crews split into shifts: stations, depots and sites are
  // where the group's front line works, four and five levels below the root.
  const weights = branches.map((b) => b.domain.weight / b.domain.branches.length);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const growSite = (bi: number, shifts = false) => {
    const { at, spec } = branches[bi]!;
    const suffix = r.pick(spec.sites);
    const site = add(at, `${r.pick(PLACES)}${suffix}`, 'site');
    // Distinct crews; a bus depot's route crews are named after their routes.
    const crews = Math.min(2 + r.int(3), spec.teams.length);
    for (let i = 0; i < crews; i++) {
      const crewName = spec.teams[i]!;
      const team = add(site, crewName === '线路班组' ? `${1 + r.int(899)}路班组` : crewName, 'team');
      if (r.next() < 0.3 || (shifts && i === 0)) for (let k = 0; k < 2; k++) add(team, `${NUMERALS[k]}组`, 'team');
    }
  };
  branches.forEach((_, i) => growSite(i, true)); // every branch reaches full depth, whatever the size
  const budget = Math.round(peopleCount / PEOPLE_PER_UNIT);
  while (units.length < budget) {
    let x = r.next() * totalWeight;
    let bi = 0;
    while (bi < weights.length - 1 && (x -= weights[bi]!) > 0) bi++;
    growSite(bi);
  }

  // People: more at the front line, a few at the top; every unit but the root's sections gets some.
  const share: Record<Kind, number> = { group: 0.5, office: 1, department: 0.8, subsidiary: 0.5, site: 1.2, team: 1.6 };
  // Headquarters sections are small offices, not crews.
  const unitWeights = units.map((u) => (u.domain === null && u.kind === 'team' ? 0.8 : share[u.kind]));
  const sum = unitWeights.reduce((a, b) => a + b, 0);
  const counts = unitWeights.map((w) => Math.floor((peopleCount * w) / sum));
  for (let left = peopleCount - counts.reduce((a, b) => a + b, 0); left > 0; left--) counts[r.int(units.length)]!++;

  const people: DemoPerson[] = [];
  let seq = 0;
  units.forEach((u, ui) => {
    for (let i = 0; i < counts[ui]!; i++) {
      const given = r.next() < 0.7 ? r.pick(GIVEN_CHARS) + r.pick(GIVEN_CHARS) : r.pick(GIVEN_CHARS);
      // Overseas offices are not the front line at home; their own tag says where they are.
      const frontLine = u.domain !== null && (u.kind === 'site' || u.kind === 'team') && !u.overseas;
      const trades = u.branch === null ? null : workersOf.get(u.branch);
      const title = LEADERS[u.kind][i] ?? (trades && (u.kind === 'site' || u.kind === 'team') ? r.pick(trades) : r.pick(STAFF));
      const tags: string[] = [];
      if (frontLine) tags.push('front_line');
      if (u.overseas) tags.push('overseas');
      if (r.next() < 0.04) tags.push('key_group');
      if (r.next() < 0.25) tags.push('党员');
      seq++;
      people.push({
        unit: ui,
        name: `${surname(r)}${given}`,
        employeeNo: `${u.domain?.prefix ?? 'CT'}${String(seq).padStart(6, '0')}`,
        phone: `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(1e9)).padStart(9, '0')}`,
        title,
        tags: tags.sort(),
        left: r.next() < 0.01 ? 1 + r.int(300) : null,
      });
    }
  });
  return { units, people };
}

/** Common surnames come up more often, as they do. */
function surname(r: ReturnType<typeof rng>): string {
  const i = Math.floor(SURNAMES.length * r.next() ** 2);
  return SURNAMES[i]!;
}

// ---------------------------------------------------------------------------------------------
// Loading

function newPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

async function freeUsername(tx: Tx, wanted: string): Promise<string> {
  for (let i = 1; ; i++) {
    const name = i === 1 ? wanted : `${wanted}${i}`;
    if (!(await tx.selectFrom('users').select('id').where('username', '=', name).executeTakeFirst())) return name;
  }
}

/**
 * Load the demo organisation under the existing root (or a new 青岛城投集团), with people and four
 * logins, in one transaction. Refuses when the organisation already has people.
 */
export async function loadDemoOrganisation(deps: Deps, opts: { people: number; seed: number; rosters?: boolean }, ctx: Ctx = systemCtx): Promise<DemoResult> {
  if (!Number.isInteger(opts.people) || opts.people < 1 || opts.people > 1_000_000) throw errors.validation({ people: 'must be a whole number from 1 to 1,000,000' });
  const passwords = { admin: newPassword(), command: newPassword(), liaison: newPassword(), employee: newPassword(), duty: newPassword() };
  const hashes = await Promise.all(Object.values(passwords).map((p) => hashPassword(p)));
  return transact(deps, ctx, async (tx) => {
    if (await bulk.hasPeople(tx)) throw errors.conflict('the organisation already has people; the demo loads only into an empty organisation');
    const now = deps.clock.now();
    const existingRoot = (await listRootUnits(tx))[0];
    const taken = new Set(existingRoot ? (await listChildren(tx, existingRoot.id, true)).map((u) => u.name) : []);
    const org = generateDemoOrganisation(opts.people, opts.seed, existingRoot?.name ?? DEFAULT_DEMO_ROOT, taken);

    // Ids are reserved up front so that every unit goes in with its final path, in big batches.
    const newUnits = existingRoot ? org.units.length - 1 : org.units.length;
    const ids = await bulk.reserveIds(tx, deps.dialect, 'units', newUnits);
    const unitIds: number[] = [];
    const paths: string[] = [];
    const rows: bulk.NewUnitRow[] = [];
    const sortOrders = new Map<number, number>();
    if (existingRoot) {
      unitIds.push(existingRoot.id);
      paths.push(existingRoot.path);
      // After whatever the root holds already.
      const siblings = await listChildren(tx, existingRoot.id, true);
      sortOrders.set(0, siblings.reduce((m, s) => Math.max(m, s.sort_order + 1), 0));
    }
    org.units.forEach((u, i) => {
      if (i === 0 && existingRoot) return;
      const id = ids[unitIds.length - (existingRoot ? 1 : 0)]!;
      const parentPath = u.parent === null ? '/' : paths[u.parent]!;
      const sortOrder = u.parent === null ? 0 : (sortOrders.get(u.parent) ?? 0);
      if (u.parent !== null) sortOrders.set(u.parent, sortOrder + 1);
      unitIds.push(id);
      paths.push(`${parentPath}${id}/`);
      rows.push({ id, parent_id: u.parent === null ? null : unitIds[u.parent]!, name: u.name, kind: u.kind, code: null, sort_order: sortOrder, path: paths[i]!, depth: u.depth, created_at: now, updated_at: now, archived_at: null });
    });
    await bulk.insertUnitsBulk(tx, deps.handle, rows);
    const rootId = unitIds[0]!;
    if (!existingRoot) await putSetting(tx, 'organisation.name', org.units[0]!.name, now);

    const personIds = await bulk.reserveIds(tx, deps.dialect, 'people', org.people.length);
    const today = dayOf(now, deps.config.timeZone);
    // In slices, so that the rows being inserted never all sit in memory at once.
    for (let from = 0; from < org.people.length; from += 5000) {
      const slice = org.people.slice(from, from + 5000);
      await bulk.insertPeopleBulk(
        tx,
        deps.handle,
        slice.map((p, k) => ({
          id: personIds[from + k]!,
          unit_id: unitIds[p.unit]!,
          name: p.name,
          employee_no: p.employeeNo,
          phone: p.phone,
          title: p.title,
          status: p.left === null ? 'active' : 'left',
          left_on: p.left === null ? null : addDays(today, -p.left),
          created_at: now,
          updated_at: now,
        })),
      );
      await bulk.insertTagsBulk(tx, deps.handle, slice.flatMap((p, k) => p.tags.map((tag) => ({ person_id: personIds[from + k]!, tag }))));
    }

    const unitIndex = (name: string) => org.units.findIndex((u) => u.name === name && u.parent === 0);
    const jf = unitIndex('交发集团') >= 0 ? unitIndex('交发集团') : unitIndex('交发集团（演示）');
    const airline = unitIndex('青岛航空') >= 0 ? unitIndex('青岛航空') : unitIndex('青岛航空（演示）');
    const office = org.units.findIndex((u) => u.kind === 'office' && u.parent === 0);

    // Duty rosters (值班表): the group's (kept by its command office's people), every subsidiary's
    // and every station, depot, terminal and site's at home; from yesterday, so that someone is on
    // duty now even before today's 08:00 hand-over, for a month.
    const own = new Map<number, number[]>();
    const below = new Map<number, number[]>();
    const add = (m: Map<number, number[]>, u: number, k: number) => {
      const list = m.get(u);
      if (list) list.push(k);
      else m.set(u, [k]);
    };
    if (opts.rosters !== false) {
      org.people.forEach((p, k) => {
        if (p.left !== null) return;
        add(own, p.unit, k);
        for (let u = org.units[p.unit]!.parent; u !== null; u = org.units[u]!.parent) add(below, u, k);
      });
    }
    const keepsDuty = org.units.flatMap((u, i) => (i === 0 || (u.kind === 'subsidiary' && u.parent === 0) || (u.kind === 'site' && !u.overseas) ? [i] : []));
    const rosters = keepsDuty.flatMap((i) => {
      // The leaders come first among a unit's own people (its head and deputies); the group's are its command office's.
      const from = i === 0 && office >= 0 ? office : i;
      // (A small demo's office may be too small for a roster: then anyone of the group's.)
      const pool = [...new Set([...(own.get(from) ?? []), ...(below.get(from) ?? []), ...(own.get(i) ?? []), ...(below.get(i) ?? [])])];
      if (pool.length < 4) return [];
      return [{ unitId: unitIds[i]!, leaderIds: pool.slice(0, 3).map((k) => personIds[k]!), officerIds: pool.slice(3, 9).map((k) => personIds[k]!) }];
    });
    const shifts = opts.rosters === false ? new Map<number, PlannedShift[]>() : await seedDemoRosters(tx, deps, rosters, addDays(today, -1), addDays(today, 30));
    // The employee's login: a real person on the roster, at a bus depot's crew if there is one.
    const employeeIdx = Math.max(0, org.people.findIndex((p) => org.units[p.unit]!.domain?.name === '交发集团' && org.units[p.unit]!.kind === 'team' && p.left === null));
    const employee = org.people[employeeIdx];
    // What the other modules' seeders read: every unit and person of the plan with its database id.
    const seeded = {
      units: org.units.map((u, i) => ({ id: unitIds[i]!, parent: u.parent, kind: u.kind, name: u.name, overseas: u.overseas })),
      people: org.people.map((p, k) => ({ id: personIds[k]!, unit: p.unit, active: p.left === null })),
    };
    // Rooms, meeting registrations of the last 14 days with attendee lists, the suggested key groups (bounded cost).
    await seedDemoMeetings(tx, deps, seeded);
    // Key places at every site at home, most inspected within their frequency, a few overdue, two open findings (bounded cost).
    await seedDemoPlaces(tx, deps, ctx, seeded);
    // Canteens at the group and each subsidiary with a published dining plan (bounded cost).
    await seedDemoDining(tx, deps, seeded);
    // Care cases (quarantine, front line, overseas) with needs and actions, some not contacted in time (bounded cost).
    await seedDemoCare(tx, deps, seeded);
    // Emergency plans: the group's positive-test plan and the bus depot group's own (issue 8).
    await seedDemoPlans(tx, deps, seeded);
    // Front-line volunteers at the first subsidiaries: a pool, three posts each with shifts, hours
    // served, gaps, one request (bounded cost). The employee's login is left out, to sign up on the phone.
    await seedDemoVolunteers(tx, deps, seeded, employee ? [personIds[employeeIdx]!] : []);
    // The duty officer's login: whoever is on shift at the airline now.
    const airlineNow = airline >= 0 ? shifts.get(unitIds[airline]!)?.find((p) => p.startsAt <= now && now < p.endsAt) : undefined;
    const dutyPersonIdx = airlineNow ? personIds.indexOf(airlineNow.officerIds[0]!) : -1;

    // The logins (the employee was chosen above).
    const specs: { key: keyof typeof passwords; username: string; role: 'admin' | 'command' | 'liaison' | 'employee' | 'duty_officer'; unit: number; home: number; display: string; personIdx?: number; description: string }[] = [
      { key: 'admin', username: 'demo.admin', role: 'admin', unit: 0, home: 0, display: '演示管理员', description: `administrator over the whole organisation (${org.units[0]!.name})` },
      { key: 'command', username: 'demo.command', role: 'command', unit: 0, home: office, display: '防控办值班员', description: 'command office (防控办): sees and directs the whole organisation' },
      { key: 'liaison', username: 'demo.liaison', role: 'liaison', unit: jf, home: jf, display: '交发集团联络员', description: `liaison (联络员) of ${org.units[jf]?.name ?? '交发集团'}` },
    ];
    if (dutyPersonIdx >= 0) {
      const p = org.people[dutyPersonIdx]!;
      specs.push({ key: 'duty', username: 'demo.duty', role: 'duty_officer', unit: airline, home: airline, display: p.name, personIdx: dutyPersonIdx, description: `duty officer (值班员) of ${org.units[airline]!.name}, ${p.name}, on shift now` });
    }
    if (employee) specs.push({ key: 'employee', username: 'demo.employee', role: 'employee', unit: employee.unit, home: employee.unit, display: employee.name, personIdx: employeeIdx, description: `employee ${employee.name} (${employee.employeeNo}), ${org.units[employee.unit]!.name}` });
    const logins: DemoLogin[] = [];
    const keys = Object.keys(passwords) as (keyof typeof passwords)[];
    for (const s of specs) {
      const username = await freeUsername(tx, s.username);
      const user = await insertUser(tx, {
        username,
        passwordHash: hashes[keys.indexOf(s.key)]!,
        personId: s.personIdx === undefined ? null : personIds[s.personIdx]!,
        unitId: unitIds[s.home]!,
        displayName: s.display,
        now,
      });
      await insertGrant(tx, { userId: user.id, role: s.role, unitId: unitIds[s.unit]!, now, createdBy: ctx.actor?.userId ?? null });
      logins.push({ username, password: passwords[s.key], description: s.description });
    }

    await putSetting(tx, 'demo', true, now);
    const result = { units: rows.length, people: org.people.length, logins, rosters: shifts.size };
    await recordAudit(tx, deps, ctx, {
      action: 'demo.loaded',
      entity: 'unit',
      entityId: rootId,
      unitId: rootId,
      note: { units: result.units, people: result.people, rosters: result.rosters, seed: opts.seed, logins: logins.map((l) => l.username) },
    });
    return result;
  });
}

/** The first-run wizard's "load the demo organisation": root administrators only, empty organisations only. */
export async function loadDemoFromConsole(deps: Deps, ctx: Ctx, body: { people?: number; rosters?: boolean } | null | undefined): Promise<DemoResult> {
  const actor = requireActor(ctx.actor);
  if (!actor.grants.some((g) => g.role === 'admin' && isRootPath(g.path))) throw errors.forbidden('Only an administrator of the whole organisation may load the demo');
  return loadDemoOrganisation(deps, { people: body?.people ?? CONSOLE_DEMO_PEOPLE, seed: 1, rosters: body?.rosters ?? true }, ctx);
}

/** `bulwark demo`: load and print what was made, how long it took, and how to sign in. */
export async function loadDemoFromCli(deps: Deps, people: number, seed: number, log: (...a: unknown[]) => void = console.log, rosters = true): Promise<DemoResult> {
  const t0 = performance.now();
  const out = await loadDemoOrganisation(deps, { people, seed, rosters });
  log(`demo organisation loaded: ${out.units} units, ${out.people} people, ${out.rosters} duty rosters in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  log('logins (the passwords are shown only now):');
  for (const l of out.logins) log(`  ${l.username.padEnd(16)} ${l.password}   ${l.description}`);
  return out;
}
