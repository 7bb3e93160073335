import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';

export interface DemoResult {
  units: number;
  people: number;
  logins: { username: string; password: string; description: string }[];
}

export async function loadDemoOrganisation(_deps: Deps, _opts: { people: number; seed: number }): Promise<DemoResult> {
  throw errors.conflict('not yet');
}

export async function loadDemoFromConsole(_deps: Deps, _ctx: Ctx, _body: { people?: number }): Promise<DemoResult> {
  throw errors.conflict('not yet');
}
