import { parseArgs } from 'node:util';
import { openDeps } from '../server/runtime.js';
import { serve } from '../server/main.js';
import { createAdminAccount } from '../server/modules/setup/setup.service.js';
import { verifyAudit } from '../server/modules/audit/audit.service.js';
import { backupDatabase } from '../server/db/backup.js';
import { loadDemoFromCli } from '../server/modules/org/demo.js';
import { importFileFromCli } from '../server/modules/org/import.cli.js';

const USAGE = `bulwark <command> [options]

  serve                                   start the server (PORT, HOST, BULWARK_DB, DATABASE_URL, BULWARK_TIMEZONE)
  migrate                                 bring the database to the latest schema
  create-admin --username U --password P [--organisation NAME]
                                          create an administrator over the whole organisation
  demo [--people N] [--seed S] [--without-rosters]
                                          load the demo organisation (default about 2,000 people, a month of duty rosters)
  import FILE --unit ID [--dry-run]       import units and people from .xlsx or .csv under a unit
  backup FILE                             write an online, consistent copy of the database
  verify-audit                            check the audit log's hash chain; non-zero exit on a bad row
`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate': {
      const deps = await openDeps();
      console.log(`database is at the latest schema (${deps.dialect})`);
      await deps.handle.close();
      return;
    }
    case 'create-admin': {
      const { values } = parseArgs({ args: rest, options: { username: { type: 'string' }, password: { type: 'string' }, organisation: { type: 'string' } } });
      if (!values.username || !values.password) fail('create-admin needs --username and --password');
      if (values.password.length < 10) fail('--password must be at least 10 characters');
      const deps = await openDeps();
      try {
        const user = await createAdminAccount(deps, { username: values.username, password: values.password, organisation: values.organisation });
        console.log(`administrator "${user.username}" created (id ${user.id})`);
      } finally {
        await deps.handle.close();
      }
      return;
    }
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { people: { type: 'string' }, seed: { type: 'string' }, 'without-rosters': { type: 'boolean' } } });
      const people = Number(values.people ?? 2000);
      const seed = Number(values.seed ?? 1);
      if (!Number.isInteger(people) || people < 1 || people > 1_000_000) fail('--people must be a whole number from 1 to 1000000');
      if (!Number.isInteger(seed)) fail('--seed must be a whole number');
      const deps = await openDeps();
      try {
        await loadDemoFromCli(deps, people, seed, console.log, !values['without-rosters']);
      } finally {
        await deps.handle.close();
      }
      return;
    }
    case 'import': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { unit: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
      const file = positionals[0];
      const unitId = Number(values.unit);
      if (!file || positionals.length > 1) fail('import needs one FILE');
      if (!Number.isInteger(unitId) || unitId <= 0) fail('import needs --unit ID (the id of the unit to import under)');
      const deps = await openDeps();
      try {
        process.exitCode = await importFileFromCli(deps, file, unitId, values['dry-run'] === true);
      } finally {
        await deps.handle.close();
      }
      return;
    }
    case 'backup': {
      const file = rest[0];
      if (!file) fail('backup needs a FILE');
      const deps = await openDeps();
      try {
        await backupDatabase(deps, file);
        console.log(`backup written to ${file}`);
      } finally {
        await deps.handle.close();
      }
      return;
    }
    case 'verify-audit': {
      const deps = await openDeps();
      try {
        const r = await verifyAudit(deps);
        if (r.ok) console.log(`audit chain intact: ${r.checked} rows checked`);
        else {
          console.error(`audit chain BROKEN at row ${r.firstBadId}: ${r.reason} (${r.checked} rows before it are intact)`);
          process.exitCode = 1;
        }
      } finally {
        await deps.handle.close();
      }
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

