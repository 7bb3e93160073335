import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TASK_EVENT_ACTIONS } from '../../../common/schemas/directives.js';
import { INCIDENT_EVENT_KINDS } from '../../../common/schemas/incidents.js';
import { CONTACT_ACTIONS } from '../../../common/schemas/contacts.js';

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The console's resources, loaded by path: the server's type-check does not take in the web's sources.
type Resources = { audit: { actions: Record<string, unknown>; entities: Record<string, string> } };
const resources = async (lang: string): Promise<Resources> => ((await import(path.join(serverRoot, '../web/src/i18n', `${lang}.ts`))) as { default: Resources }).default;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/**
 * Every audit action the server writes: the literal ones (`action: 'place.created'`, and the
 * `'health_watch.opened'` passed to a module's own audit helper on the same line as the word
 * "audit"), plus those built from a step's name, whose names are the schemas' enumerations.
 */
function auditActions(): string[] {
  const found = new Set<string>();
  for (const file of sources(serverRoot)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!/action|[aA]udit/.test(line)) continue;
      for (const m of line.matchAll(/(?:action: |[aA]udit[A-Za-z]*\([^)]*?)'([a-z_]+\.[a-z_]+(?:\.[a-z_]+)?)'/g)) found.add(m[1]!);
    }
  }
  for (const a of TASK_EVENT_ACTIONS) found.add(`task.${a}`);
  for (const k of INCIDENT_EVENT_KINDS) found.add(`incident.${k}`);
  for (const a of CONTACT_ACTIONS) found.add(`contact_candidates.${a}`);
  for (const s of ['approved', 'refused']) found.add(`meeting_registration.${s}`);
  return [...found].sort();
}

function label(resources: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), resources);
}

describe('the audit log reads in both languages', () => {
  const actions = auditActions();

  it('finds the actions it checks (the scan still matches how modules write their audit rows)', () => {
    expect(actions.length).toBeGreaterThan(120);
    expect(actions).toEqual(expect.arrayContaining(['unit.created', 'health_watch.opened', 'task.verified', 'incident.skipped', 'place.inspected']));
  });

  it('every action the server writes has a label in Chinese and in English', async () => {
    const missing = (r: Resources) => actions.filter((a) => typeof label(r.audit.actions, a) !== 'string');
    expect({ 'zh-CN': missing(await resources('zh-CN')), en: missing(await resources('en')) }).toEqual({ 'zh-CN': [], en: [] });
  });

  it('the two languages label the same entities', async () => {
    expect(Object.keys((await resources('en')).audit.entities).sort()).toEqual(Object.keys((await resources('zh-CN')).audit.entities).sort());
  });
});
