import type { PlanContent, PlanStepInput } from '../../../common/schemas/plans.js';
import { PlanContent as PlanContentSchema } from '../../../common/schemas/plans.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import type { DemoShape } from '../places/meetings.demo.js';
import * as store from './plans.store.js';

/**
 * Demo plans (bounded cost): the group's plan for a positive test (the example of issue 8: seal and
 * disinfect within 2 h, list close contacts within 4 h, report up, start health watches, notify the
 * staff), requiring every site to hold its own; and the bus depot group's own plan, which wins for
 * its depots.
 */
const groupSteps: PlanStepInput[] = [
  { key: 'seal', title: '封控消杀涉疫区域', role: 'unit_head', deadlineMinutes: 120, evidence: ['photo'] },
  { key: 'contacts', title: '排查密切接触者', role: 'command', deadlineMinutes: 240 },
  { key: 'report', title: '向区疫情防控指挥部报告', role: 'duty_officer', levelsUp: 1, deadlineMinutes: 120, dependsOn: ['contacts'] },
  { key: 'watch', title: '开启健康监测', role: 'liaison', deadlineMinutes: 360, dependsOn: ['contacts'], action: { kind: 'open_health_watches' } },
  { key: 'notice', title: '通知全体员工', role: 'liaison', deadlineMinutes: 480, action: { kind: 'publish_notice', text: '本单位发现核酸阳性人员，请全体员工配合排查，做好个人防护。' } },
];
const depotSteps: PlanStepInput[] = [
  { key: 'stop', title: '停运涉疫线路车辆并消杀', role: 'unit_head', deadlineMinutes: 60, evidence: ['photo'] },
  { key: 'crew', title: '排查同班组驾驶员与乘客', role: 'liaison', deadlineMinutes: 180, dependsOn: ['stop'] },
  { key: 'report', title: '向集团防控办报告', role: 'command', deadlineMinutes: 120 },
  { key: 'care', title: '为隔离人员开启关爱帮扶', role: 'unit_head', deadlineMinutes: 720, dependsOn: ['crew'], action: { kind: 'open_care_cases', careKind: 'centralised_quarantine', involvements: ['case', 'contact'] } },
];

async function seedPlan(tx: Conn, unitId: number, kind: string, content: PlanContent, now: number): Promise<void> {
  const id = await store.insertPlan(tx, { unit_id: unitId, kind, current_version_id: null, created_by_user_id: null, created_at: now, updated_at: now, archived_at: null });
  const versionId = await store.insertVersion(tx, {
    plan_id: id,
    version: 1,
    state: 'current',
    title: content.title,
    description: content.description ?? null,
    severities: JSON.stringify(content.severities),
    steps: JSON.stringify(content.steps),
    required_unit_kinds: JSON.stringify(content.requiredUnitKinds),
    review_id: null,
    created_by_user_id: null,
    created_at: now,
    published_at: now,
  });
  await store.updatePlan(tx, id, { current_version_id: versionId });
}

/** Seed the group's positive-test plan and the bus depot group's own. */
export async function seedDemoPlans(tx: Conn, deps: Deps, shape: DemoShape): Promise<{ plans: number }> {
  const now = deps.clock.now();
  const root = shape.units.find((u) => u.parent === null);
  if (!root) return { plans: 0 };
  const severities = ['critical', 'major', 'serious', 'general'] as const;
  await seedPlan(tx, root.id, 'positive_test', PlanContentSchema.parse({ title: '核酸阳性处置预案', severities, steps: groupSteps, requiredUnitKinds: ['site'] }), now);
  const bus = shape.units.find((u) => u.name.includes('公交') && u.parent !== null);
  if (!bus) return { plans: 1 };
  await seedPlan(tx, bus.id, 'positive_test', PlanContentSchema.parse({ title: '公交场站核酸阳性处置预案', severities, steps: depotSteps }), now);
  return { plans: 2 };
}
