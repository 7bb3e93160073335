import http from 'node:http';

export interface LiveEvent {
  event: string;
  data: unknown;
}

/** A live stream over a real socket: its status, the events so far, and a wait for the next of a kind. */
export function openStream(base: string, path: string, cookie: string) {
  return new Promise<{ status: number; body: string; events: LiveEvent[]; next(event: string, from?: number): Promise<LiveEvent>; ended: Promise<void>; close(): void }>((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { cookie } }, (res) => {
      const events: LiveEvent[] = [];
      const waiters: { event: string; seen: number; resolve(e: LiveEvent): void }[] = [];
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
          const found = events.slice(w.seen).find((e) => e.event === w.event);
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
        /** The first event of the kind from index `from` on (default: from now on). */
        next: (event, from = events.length) =>
          new Promise((r) => {
            const found = events.slice(from).find((e) => e.event === event);
            if (found) r(found);
            else waiters.push({ event, seen: from, resolve: r });
          }),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
