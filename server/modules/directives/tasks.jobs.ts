import { localDateTime } from '../../../common/day.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { systemCtx } from '../../http/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyPeople, notifyUnitRoleMany } from '../notify/notify.service.js';
import { getSetting } from '../setup/settings.store.js';
import * as store from './tasks.store.js';

/**
 * The durable work of deadlines. Each distinct deadline has two job rows (written with the tasks
 * that have it): a reminder `lead` before, and the deadline itself. Both handlers re-read the tasks
 * and act only on those still open, so a task done or re-dated meanwhile is left alone, and both
 * mark what they did on the task (reminded_at, overdue_at) in the same transaction as the notice,
 * so a job that runs twice (a crash before it was marked done, a restart) tells nobody twice.
 */
export const TASK_DEADLINE_JOB = 'tasks.deadline';
export const REMIND_TASKS_JOB = 'tasks.remind';

/** The setting the command office sets: how long before a deadline the responsible person is reminded. */
export const REMINDER_LEAD_SETTING = 'task.reminder_lead';
export const DEFAULT_REMINDER_LEAD_MINUTES = 120;

/** The reminder lead time in ms: the setting (minutes) when it is a sane number, else two hours. */
export async function reminderLeadMs(db: Conn): Promise<number> {
  const v = await getSetting(db, REMINDER_LEAD_SETTING);
  const minutes = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 7 * 24 * 60 ? v : DEFAULT_REMINDER_LEAD_MINUTES;
  return minutes * 60_000;
}


const deadlineOf = (payload: unknown, kind: string): number => {
  const d = Number((payload as { deadline?: unknown } | null)?.deadline);
  if (!Number.isFinite(d)) throw new Error(`${kind}: no deadline in the payload`);
  return d;
};

/** Names of units and people for the notices of one slice of tasks. */
async function namesFor(db: Conn, unitIds: number[], personIds: number[]) {
  const units = unitIds.length ? await db.selectFrom('units').select(['id', 'name']).where('id', 'in', [...new Set(unitIds)]).execute() : [];
  const people = personIds.length ? await db.selectFrom('people').select(['id', 'name']).where('id', 'in', [...new Set(personIds)]).execute() : [];
  return { unit: new Map(units.map((u) => [u.id, u.name])), person: new Map(people.map((p) => [p.id, p.name])) };
}

/**
 * `tasks.deadline` {deadline}: every open task past its deadline and not yet marked becomes overdue
 * (whatever deadline it has: a sweep also catches what an earlier run left), its unit head is told,
 * and its log says so. Slices of 500 tasks, each its own transaction, so a large directive does not
 * hold one long write.
 */
export async function handleTaskDeadline(deps: Deps, payload: unknown): Promise<void> {
  deadlineOf(payload, TASK_DEADLINE_JOB);
  const tz = deps.config.timeZone;
  for (;;) {
    const now = deps.clock.now();
    const ids = await store.unmarkedOverdue(deps.db, now, 500);
    if (ids.length === 0) return;
    await transact(deps, systemCtx, async (tx) => {
      const marked = await store.markOverdue(tx, ids, now);
      if (marked.length === 0) return;
      await store.insertTaskEvents(tx, marked.map((t) => ({ task_id: t.id, action: 'overdue', actor_user_id: null, at: now, note: null })));
      const names = await namesFor(tx, marked.map((t) => t.unit_id), marked.map((t) => t.responsible_person_id));
      await notifyUnitRoleMany(
        tx,
        deps,
        ['unit_head'],
        marked.map((t) => ({
          unitId: t.unit_id,
          n: {
            kind: 'task.overdue',
            params: { unit: names.unit.get(t.unit_id) ?? '', title: t.title, deadline: localDateTime(t.deadline, tz), person: names.person.get(t.responsible_person_id) ?? '' },
            unitId: t.unit_id,
            entity: 'task',
            entityId: String(t.id),
            link: `/tasks/${t.id}`,
          },
        })),
      );
      await recordAudit(tx, deps, systemCtx, { action: 'tasks.overdue', entity: 'task', entityId: marked[0]!.id, unitId: null, after: { count: marked.length, taskIds: marked.map((t) => t.id) } });
    });
  }
}

/** `tasks.remind` {deadline}: remind the responsible person of each open task due then, once. */
export async function handleTaskReminder(deps: Deps, payload: unknown): Promise<void> {
  const deadline = deadlineOf(payload, REMIND_TASKS_JOB);
  // Past the deadline a reminder is no use: the deadline job tells the unit head instead.
  if (deps.clock.now() > deadline) return;
  await transact(deps, systemCtx, async (tx) => {
    const now = deps.clock.now();
    const marked = await store.markReminded(tx, deadline, now);
    if (marked.length === 0) return;
    await store.insertTaskEvents(tx, marked.map((t) => ({ task_id: t.id, action: 'reminded', actor_user_id: null, at: now, note: null })));
    const names = await namesFor(tx, marked.map((t) => t.unit_id), []);
    for (const t of marked) {
      await notifyPeople(tx, deps, [t.responsible_person_id], {
        kind: 'task.reminder',
        params: { unit: names.unit.get(t.unit_id) ?? '', title: t.title, deadline: localDateTime(deadline, deps.config.timeZone) },
        unitId: t.unit_id,
        entity: 'task',
        entityId: String(t.id),
        link: `/m/tasks/${t.id}`,
      });
    }
    await recordAudit(tx, deps, systemCtx, { action: 'tasks.reminded', entity: 'task', entityId: marked[0]!.id, unitId: null, after: { count: marked.length, deadline } });
  });
}
