import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildPerson, buildUnit } from '../../../test/factories.js';

describe.each(testDialects())('migration 019 (%s)', (dialect) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(dialect);
  });
  afterAll(async () => env.close());

  it('creates the place tables, with one unverified finding per item', async () => {
    const { db } = env.deps;
    const unit = await buildUnit(env);
    const person = await buildPerson(env, unit);
    const place = await db
      .insertInto('places')
      .values({ unit_id: unit.id, name: 'p', kind: 'depot', address: null, risk: 'high', responsible_person_id: null, frequency_days: 7, last_inspected_at: null, due_at: 1, created_by_user_id: null, created_at: 1, updated_at: 1, archived_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = await db.insertInto('place_checklist_items').values({ place_id: place.id, position: 1, text: '通风', retired_at: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow();
    const insp = await db
      .insertInto('place_inspections')
      .values({ place_id: place.id, unit_id: unit.id, inspector_user_id: null, inspected_at: 1, note: null, passed: 0, failed: 1, not_applicable: 0, photo_ids: '[]', directive_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const directive = await db
      .insertInto('directives')
      .values({ unit_id: unit.id, source: 'inspection', document_no: null, title: 't', body: 'b', received_at: 1, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: 1, updated_at: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const task = (n: number) =>
      db
        .insertInto('tasks')
        .values({ directive_id: directive.id, parent_id: null, unit_id: unit.id, title: `t${n}`, instructions: null, responsible_person_id: person.id, deadline: 2, evidence: 'report', status: 'assigned', assigned_by_user_id: null, assigned_at: 1, acknowledged_at: null, completed_at: null, report: null, photo_ids: '[]', file_ids: '[]', verified_at: null, return_reason: null, overdue_at: null, reminded_at: null, updated_at: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
    const finding = (taskId: number, status: string) => ({ place_id: place.id, item_id: item.id, item_text: '通风', status, note: 'x', opened_at: 1, opened_inspection_id: insp.id, failure_count: 1, last_failed_at: 1, task_id: taskId, fixed_at: null, verified_at: null, verified_inspection_id: null, updated_at: 1 });
    const [t1, t2, t3] = [await task(1), await task(2), await task(3)];
    await db.insertInto('place_findings').values(finding(t1.id, 'verified')).execute();
    await db.insertInto('place_findings').values(finding(t2.id, 'open')).execute();
    await expect(db.insertInto('place_findings').values(finding(t3.id, 'fixed')).execute()).rejects.toThrow();
  });
});
