import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Comment lines every 25 s keep proxies and load balancers from closing an idle stream; at each one
 * the stream's right to exist is checked again. Tests shorten it.
 */
export const liveTiming = { heartbeatMs: 25_000 };

export type SendEvent = (event: string, data: unknown) => void;

/**
 * Server-sent event streams of one app: `stream` answers a request with a text/event-stream that
 * lives until the client goes away or the app closes (every open stream is ended before the server
 * stops listening, so close never waits on them).
 */
export function eventStreams(app: FastifyInstance) {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  /**
   * `stillAllowed` runs at each heartbeat: a stream whose session ended or whose grant went away
   * since it opened is closed then, as the next request would have been refused.
   */
  return async function stream(
    req: FastifyRequest,
    reply: FastifyReply,
    subscribe: (send: SendEvent) => Promise<() => void>,
    stillAllowed: () => Promise<boolean> = async () => true,
  ): Promise<void> {
    reply.hijack();
    const res = reply.raw;
    let unsubscribe: (() => void) | null = null;
    let ended = false;
    const heartbeat = setInterval(() => {
      void stillAllowed().then(
        (ok) => (ok ? !ended && res.write(': heartbeat\n\n') : end()),
        () => end(),
      );
    }, liveTiming.heartbeatMs);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      open.delete(end);
      unsubscribe?.();
      res.end();
    };
    open.add(end);
    req.raw.on('close', end);
    const send: SendEvent = (event, data) => {
      if (!ended) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // A hijacked answer skips the onSend hooks: the security headers that matter here, set by hand.
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    try {
      const off = await subscribe(send);
      if (ended) off();
      else unsubscribe = off;
    } catch {
      end();
      return;
    }
    // "ready": events from here on reach this client; a reconnecting client waits 5 s.
    if (!ended) res.write('retry: 5000\n\n');
    send('ready', {});
  };
}
