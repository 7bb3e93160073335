import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Local stand-ins for what Bulwark sends to: a chat robot or webhook over HTTP, and an SMTP server. */

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local robot: records what it got, checks the signature the way the service does, answers as told. */
export function startReceiver() {
  const got: Received[] = [];
  let answer: (r: Received) => { status: number; body: string } = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body };
      got.push(r);
      const a = answer(r);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  return {
    got,
    answerWith(f: typeof answer) {
      answer = f;
    },
    async listen() {
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * A local SMTP server: takes every message (plain SMTP on 127.0.0.1, no STARTTLS, no sign-in),
 * parses it and keeps it with the envelope's recipients; `refuse` turns recipients away at RCPT.
 */
export function startSmtp() {
  const got: { envelopeTo: string[]; mail: ParsedMail; raw: string }[] = [];
  const refused = new Set<string>();
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) callback(new Error(`550 no such mailbox: ${address.address}`));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((mail) => {
          got.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail, raw: raw.toString('utf8') });
          for (const w of waiters.splice(0)) w();
          callback();
        }, callback);
      });
    },
  });
  return {
    got,
    refuse: (address: string) => refused.add(address),
    /** Resolves once `n` messages have arrived. */
    async received(n: number) {
      while (got.length < n) await new Promise<void>((r) => waiters.push(r));
    },
    async listen() {
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      return `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
