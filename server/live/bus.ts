import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import pg from 'pg';
import type { Deps } from '../deps.js';

/**
 * Live events: publish a small JSON payload on a topic; every subscriber of the topic, in every
 * server process, receives it. On SQLite (one process) an in-process emitter is the whole bus; on
 * PostgreSQL a NOTIFY on the topic's channel reaches every process LISTENing to it, this one
 * included, so processes behind a load balancer share one stream. Live events are a convenience:
 * a lost one costs a screen a refresh (the console polls when its stream drops), never data.
 */
export type LiveHandler = (payload: unknown) => void;

export interface LiveBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves once events of the topic are being received; call the answer to stop. */
  subscribe(topic: string, handler: LiveHandler): Promise<() => void>;
  close(): Promise<void>;
}

class LocalBus implements LiveBus {
  protected readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(topic: string, payload: unknown): Promise<void> {
    this.emit(topic, payload);
  }

  protected emit(topic: string, payload: unknown): void {
    for (const h of this.emitter.listeners(topic) as LiveHandler[]) {
      try {
        h(payload);
      } catch {
        // One subscriber's failure (a closed socket) must not keep the event from the others.
      }
    }
  }

  async subscribe(topic: string, handler: LiveHandler): Promise<() => void> {
    this.emitter.on(topic, handler);
    return () => this.emitter.off(topic, handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** NOTIFY payloads are limited to 8,000 bytes; publishers keep theirs well below. */
export const MAX_PAYLOAD_BYTES = 7_500;

class PgBus extends LocalBus {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  /** Topics with subscribers: LISTENed to again after a reconnect. */
  private readonly topics = new Set<string>();
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly deps: Deps,
    private readonly url: string,
    private readonly prefix: string,
  ) {
    super();
  }

  /** One channel per topic and schema: test schemas sharing a database never hear each other. */
  private channel(topic: string): string {
    return `${this.prefix}_${topic}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 63);
  }

  override async publish(topic: string, payload: unknown): Promise<void> {
    await sql`select pg_notify(${this.channel(topic)}, ${JSON.stringify(payload)})`.execute(this.deps.db);
  }

  override async subscribe(topic: string, handler: LiveHandler): Promise<() => void> {
    const off = await super.subscribe(topic, handler);
    if (!this.topics.has(topic)) {
      this.topics.add(topic);
      const client = await this.connect();
      await client.query(`listen "${this.channel(topic)}"`);
    }
    return off;
  }

  /** The one connection this process LISTENs on, opened at the first subscription. */
  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('notification', (msg) => {
        const topic = [...this.topics].find((t) => this.channel(t) === msg.channel);
        if (!topic || msg.payload === undefined) return;
        try {
          this.emit(topic, JSON.parse(msg.payload) as unknown);
        } catch {
          // Not ours or not JSON: ignored.
        }
      });
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      await client.connect();
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private lost(client: pg.Client): void {
    if (this.client === client) this.client = null;
    this.reconnectLater();
  }

  /** The connection dropped: reconnect and LISTEN again after a pause (events meanwhile are missed). */
  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void (async () => {
        try {
          const c = await this.connect();
          for (const t of this.topics) await c.query(`listen "${this.channel(t)}"`);
        } catch {
          this.reconnectLater();
        }
      })();
    }, 1_000);
    this.retry.unref();
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await super.close();
    const c = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

const buses = new WeakMap<object, LiveBus>();

/** The live bus of this database (keyed by its handle), made on first use. */
export function liveBusFor(deps: Deps): LiveBus {
  let bus = buses.get(deps.handle);
  if (!bus) {
    bus =
      deps.dialect === 'postgres' && deps.config.databaseUrl
        ? new PgBus(deps, deps.config.databaseUrl, `bulwark_${deps.handle.pgSchema ?? 'live'}`)
        : new LocalBus();
    buses.set(deps.handle, bus);
  }
  return bus;
}

/** Close and forget this database's bus (the app is closing). */
export async function closeLiveBus(deps: Deps): Promise<void> {
  const bus = buses.get(deps.handle);
  buses.delete(deps.handle);
  await bus?.close();
}
