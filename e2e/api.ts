import type { RunningServer } from './harness.js';

/** A signed-in API caller: the cookie of one session, kept by hand (Node's fetch has no jar). */
export interface Caller {
  cookie: string;
  call<T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T }>;
}

/** The caller whose session an answer (sign-in or first-run setup) just set. */
export function callerFor(base: string, first: Response): Caller {
  const cookie = first.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!cookie) throw new Error(`no session cookie (${first.status})`);
  return {
    cookie,
    async call<T>(method: string, url: string, body?: unknown) {
      const res = await fetch(base + url, { method, headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
    },
  };
}

export async function signIn(base: string, username: string, password: string): Promise<Caller> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}`);
  return callerFor(base, res);
}

export interface DemoLogin {
  username: string;
  password: string;
}

/**
 * An organisation built through the API as a new user would: first-run setup with the printed
 * token, then the demo's small tree with its logins. Answers the administrator and a login finder.
 */
export async function setUpDemo(server: RunningServer, people = 200): Promise<{ admin: Caller; login(username: string): DemoLogin }> {
  const setup = await fetch(`${server.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: server.setupToken, username: 'admin', password: 'first admin password', organisation: '青岛城投集团' }),
  });
  if (setup.status !== 201) throw new Error(`setup answered ${setup.status}`);
  const admin = callerFor(server.url, setup);
  // Without the demo's duty rosters: the journeys that need duty set it up themselves, on their own clock.
  const demo = await admin.call<{ logins: DemoLogin[] }>('POST', '/api/v1/setup/demo', { people, rosters: false });
  if (demo.status !== 201) throw new Error(`the demo answered ${demo.status}`);
  return {
    admin,
    login(username: string) {
      const l = demo.json.logins.find((x) => x.username === username);
      if (!l) throw new Error(`the demo has no login ${username}`);
      return l;
    },
  };
}

/** A caller's session as browser cookies, to open the console already signed in. */
export function browserCookies(caller: Caller, url: string): { name: string; value: string; url: string }[] {
  return caller.cookie.split('; ').map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1), url }));
}
