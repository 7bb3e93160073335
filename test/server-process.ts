import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real server as a child process, for the tests that kill it or run two of it. */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/**
 * `bulwark serve` (through tsx) on a free loopback port, with `preload` modules imported first and
 * `env` over this process's environment (less DATABASE_URL: a test names its database); resolves
 * once it listens, when its job runner is already running.
 */
export async function startServer(env: Record<string, string>, preload: readonly string[] = []): Promise<Server> {
  const port = await freePort();
  const { DATABASE_URL: _pg, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload.flatMap((m) => ['--import', m]), 'cli/bulwark.ts', 'serve'], {
    cwd: REPO,
    env: { ...inherited, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', BULWARK_TIMEZONE: 'Asia/Shanghai', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      output += b.toString();
      if (output.includes('Bulwark is running')) resolve();
    });
    child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    void exited.then(() => reject(new Error(`the server exited before listening:\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, exited };
}

/** SIGKILL: no shutdown hook runs, as in a crash or a power cut. */
export async function kill(s: Server): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}
