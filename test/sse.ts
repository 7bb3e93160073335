import http from 'node:http';

export interface LiveEvent {
  event: string;
  data: unknown;
}

export interface LiveStream {
  status: number;
  /** Everything received so far (an error answer's JSON, heartbeat comments). */
  readonly body: string;
  events: LiveEvent[];
  /** The first event from index `from` on (default: from now on) that satisfies `match`, or of that name. */
  next(match: ((e: LiveEvent) => boolean) | string, from?: number): Promise<LiveEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A server-sent event stream over a real socket (app.inject cannot read a stream that never ends). */
export function openStream(url: string, cookie: string): Promise<LiveStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { cookie } }, (res) => {
      const events: LiveEvent[] = [];
      const waiters: { match: (e: LiveEvent) => boolean; seen: number; resolve(e: LiveEvent): void }[] = [];
      let buf = '';
      let body = '';
      const ended = new Promise<void>((done) => res.on('close', done));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data !== undefined) events.push({ event: name, data: JSON.parse(data) as unknown });
        }
        for (const w of [...waiters]) {
          const found = events.slice(w.seen).find(w.match);
          if (found) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(found);
          }
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        get body() {
          return body;
        },
        events,
        ended,
        next: (m, from = events.length) =>
          new Promise((r) => {
            const match = typeof m === 'string' ? (e: LiveEvent) => e.event === m : m;
            const found = events.slice(from).find(match);
            if (found) r(found);
            else waiters.push({ match, seen: from, resolve: r });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
