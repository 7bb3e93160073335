import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.BULWARK_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..');

/** Whether the browser journeys can run; with BULWARK_REQUIRE_BROWSER=1 (CI) a missing browser is a failure. */
export function browserAvailable(): boolean {
  const ok = fs.existsSync(CHROMIUM) && fs.existsSync(path.join(root, 'dist/web/index.html'));
  if (!ok && process.env.BULWARK_REQUIRE_BROWSER === '1') throw new Error(`browser journeys required but ${CHROMIUM} or the built console (npm run build) is missing`);
  return ok;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  setupToken: string;
  dir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Start the built server, as a user would (`bin/bulwark.js serve`), on a fresh SQLite file; `env`
 * adds to its environment (a journey that runs the server's clock fast: NODE_ENV=test and
 * BULWARK_TEST_TIME; a second process on a PostgreSQL database another one set up: DATABASE_URL,
 * and `setUp: false`, as it prints no setup token).
 */
export async function startServer(env: Record<string, string> = {}, { setUp = true }: { setUp?: boolean } = {}): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-e2e-'));
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(root, 'bin/bulwark.js'), 'serve'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', BULWARK_DB: path.join(dir, 'bulwark.db'), DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const setupToken = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not print ${setUp ? 'a setup token' : 'that it runs'}:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = setUp ? /setup token:\s+(\S+)/.exec(out) : /Bulwark is running/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(setUp ? m[1]! : '');
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    setupToken,
    dir,
    proc,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/**
 * A phone-sized browser signed in as `login` at the mobile page `/m/<page>` (it shows the sign-in
 * form first, then that page). Close `ctx` when done.
 */
export async function signInOnPhone(
  browser: Browser,
  serverUrl: string,
  login: { username: string; password: string },
  page_: string,
  opts: { timezoneId?: string } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ locale: 'zh-CN', ...opts, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${serverUrl}/m/${page_}`);
  await page.getByTestId('m-login-username').fill(login.username);
  await page.getByTestId('m-login-password').fill(login.password);
  await page.getByTestId('m-login-submit').tap();
  return { ctx, page };
}
