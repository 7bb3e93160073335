import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ImportPlan } from '../../../common/schemas/import.js';
import type { Deps } from '../../deps.js';
import { systemCtx } from '../../http/actor.js';
import { AppError } from '../../http/errors.js';
import { importFile, ImportRejectedError } from './import.service.js';

type Log = (...args: unknown[]) => void;

function printPlan(plan: ImportPlan, log: Log): void {
  const s = plan.summary;
  log(`units:  ${s.unitsCreate} to create, ${s.unitsUpdate} to update, ${s.unitsUnchanged} unchanged`);
  log(`people: ${s.peopleCreate} to create, ${s.peopleUpdate} to update, ${s.peopleUnchanged} unchanged`);
  log(`rejected rows: ${s.rejected}`);
  for (const r of plan.rows) {
    if (r.action !== 'reject') continue;
    const why = r.reasons.map((x) => (x.column ? `${x.column}: ${x.message}` : x.message)).join('; ');
    log(`  ${r.sheet} 第 ${r.row} 行${r.key ? ` (${r.key})` : ''}: ${why}`);
  }
}

/**
 * `bulwark import FILE --unit ID [--dry-run]`: the operator at the console, acting as the system
 * over the whole organisation. Prints the summary and every rejected row. Exit code: 0 done (or a
 * clean dry run), 1 rows rejected (nothing written), 2 the file or the unit could not be used.
 */
export async function importFileFromCli(deps: Deps, file: string, unitId: number, dryRun: boolean, log: Log = console.log): Promise<number> {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    log(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const t0 = performance.now();
  try {
    const plan = await importFile(deps, systemCtx, { unitId, fileName: path.basename(file), data, dryRun }, { full: true });
    printPlan(plan, log);
    const secs = (performance.now() - t0) / 1000;
    log(dryRun ? `dry run: nothing written (${secs.toFixed(1)} s)` : `imported in ${secs.toFixed(1)} s`);
    return plan.summary.rejected > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ImportRejectedError) {
      printPlan(err.plan, log);
      log('nothing was imported: fix the rejected rows and run again');
      return 1;
    }
    if (err instanceof AppError) {
      const fields = err.fields ? ` (${Object.entries(err.fields).map(([k, v]) => `${k}: ${v}`).join('; ')})` : '';
      log(`import refused: ${err.message}${fields}`);
      return 2;
    }
    throw err;
  }
}
