import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createJobRunner } from './jobs/registry.js';
import { issueSetupToken } from './modules/setup/setup.service.js';
import { openDeps } from './runtime.js';
import { acceleratedClock, systemClock } from './clock.js';
import { startIncidentWatchdog } from './modules/incidents/incidents.watchdog.js';

/** Start Bulwark: migrate, print the setup token if nobody can sign in yet, serve, run jobs. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const deps = await openDeps(config, config.testClock ? acceleratedClock(config.testClock.anchor, config.testClock.speed) : systemClock);
  const app = await buildApp(deps, { logger: { level: config.logLevel } });
  const runner = await createJobRunner(deps);
  const token = await issueSetupToken(deps);
  await app.listen({ port: config.port, host: config.host });
  runner.start();
  // Apart from the runner on purpose: it must see the runner's faults.
  const stopWatchdog = startIncidentWatchdog(deps, app.log, config.watchdog);
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  console.log(`\nBulwark is running at ${where} (${deps.dialect === 'postgres' ? 'PostgreSQL' : `SQLite ${config.sqlitePath}`}, time zone ${config.timeZone})`);
  if (token) {
    console.log(`\n  First run: open ${where} and enter this one-time setup token:\n\n      ${token}\n`);
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    stopWatchdog();
    await app.close();
    await runner.stop();
    await deps.handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
