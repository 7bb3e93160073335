import type { Involvement } from '../../../common/schemas/incidents.js';
import type { PlanStep } from '../../../common/schemas/plans.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { openCareCaseFor } from '../care/care.service.js';
import { publishNoticeFor } from '../directives/notices.service.js';
import { openHealthWatch } from '../health/watches.service.js';
import { incidentPeople, type IncidentForPlans } from '../incidents/incidents.hooks.js';
import type * as store from './plans.store.js';

/**
 * A step's action, run through the owning module's service in the transaction that makes the
 * step's task (so the watches, cases or notice exist as soon as someone is told to act on them).
 * In a drill nothing is opened or published for real people: the action is recorded as simulated.
 */

const LABEL: Record<string, string> = { open_health_watches: '开启健康监测', open_care_cases: '开启关爱帮扶', publish_notice: '发布通知' };

async function peopleFor(db: Conn, inc: IncidentForPlans, involvements: readonly Involvement[] | undefined) {
  const people = await incidentPeople(db, inc.id);
  return involvements && involvements.length ? people.filter((p) => involvements.includes(p.involvement)) : people;
}

/** Run (or, in a drill, simulate) the step's action; answers what it did. */
export async function runStepAction(tx: Conn, deps: Deps, ctx: Ctx, inc: IncidentForPlans, row: store.RunStepRow, step: PlanStep, now: number): Promise<{ text: string; simulated: boolean } | null> {
  const action = step.action;
  if (!action) return null;
  // Done on behalf of whoever set it off: the actor, else (a job, an escalation) the incident's filer.
  const byUserId = ctx.actor?.userId ?? inc.filedByUserId;
  if (inc.drill) {
    const who = action.kind === 'publish_notice' ? `${inc.unitName}及下属单位` : `${(await peopleFor(tx, inc, action.involvements)).length} 人`;
    return { text: `演练模拟：${LABEL[action.kind]}（${who}），未实际执行`, simulated: true };
  }
  void now;
  switch (action.kind) {
    case 'open_health_watches': {
      const people = await peopleFor(tx, inc, action.involvements);
      let opened = 0;
      for (const p of people) {
        const r = await openHealthWatch(tx, deps, {
          personId: p.personId,
          reason: p.involvement === 'case' && inc.kind === 'positive_test' ? 'test_positive' : 'contact',
          sourceEntity: 'plan_step',
          sourceId: String(row.id),
          openedByUserId: byUserId,
          note: `${inc.title}：${step.title}`,
        });
        if (r.created) opened++;
      }
      return { text: `开启健康监测 ${opened} 人（共 ${people.length} 人）`, simulated: false };
    }
    case 'open_care_cases': {
      const people = await peopleFor(tx, inc, action.involvements);
      let opened = 0;
      for (const p of people) {
        const r = await openCareCaseFor(tx, deps, { personId: p.personId, kind: action.careKind ?? 'other', source: 'plan', byUserId, note: `${inc.title}：${step.title}` });
        if (r.created) opened++;
      }
      return { text: `开启关爱帮扶 ${opened} 人（共 ${people.length} 人）`, simulated: false };
    }
    case 'publish_notice': {
      if (byUserId === null) return { text: '未发布：无发布人', simulated: false };
      const r = await publishNoticeFor(tx, deps, ctx, { title: step.title, body: action.text ?? step.title, unitId: inc.unitId, byUserId });
      return { text: r ? `已发布通知（${r.audience} 人）` : '未发布：单位已撤销', simulated: false };
    }
  }
}
