import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildUnit } from '../../../test/factories.js';
import { scorecardOf, windowOf } from './scorecard.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('scorecard on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('debug', async () => {
    t.clock.set(shanghai('2026-11-24T10:00:00'));
    const root = await buildUnit(t, { name: '集团' });
    await buildUnit(t, { parent: root, name: 'A' });
    const now = t.clock.now();
    const card = await scorecardOf(t.deps, root, windowOf(t.deps, undefined, undefined, now), now);
    expect(card.children.length).toBe(1);
  });
});
