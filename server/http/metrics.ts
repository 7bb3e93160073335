import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { queueDepth } from '../jobs/jobs.js';

/** Extra lines a module adds to /metrics (its own gauges and counters), asked at each scrape. */
export type MetricsCollector = (deps: Deps) => Promise<string[]>;
const collectors = new Set<MetricsCollector>();
export function addMetricsCollector(c: MetricsCollector): void {
  collectors.add(c);
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Series {
  method: string;
  route: string;
  /** Requests by status code. */
  statuses: Map<number, number>;
  count: number;
  sum: number;
  buckets: number[];
}

/** Request counts and latencies by route, and the job queue's depth, in Prometheus text format. */
export function installMetrics(app: FastifyInstance, deps: Deps): void {
  // Every request passes here: a lookup by route and method and a few additions, no strings built
  // (the labels are written at the scrape) and no timer of our own (Fastify times each reply).
  const series = new Map<string, Map<string, Series>>();

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    let byMethod = series.get(route);
    if (!byMethod) series.set(route, (byMethod = new Map()));
    let s = byMethod.get(req.method);
    if (!s) byMethod.set(req.method, (s = { method: req.method, route, statuses: new Map(), count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    s.statuses.set(reply.statusCode, (s.statuses.get(reply.statusCode) ?? 0) + 1);
    const secs = reply.elapsedTime / 1000;
    s.count++;
    s.sum += secs;
    for (let i = 0; i < BUCKETS.length; i++) if (secs <= BUCKETS[i]!) s.buckets[i]!++;
    done();
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const lines: string[] = [];
    const all = [...series.values()].flatMap((m) => [...m.values()]);
    const labels = (x: Series) => `method="${x.method}",route="${x.route}"`;
    lines.push('# HELP bulwark_http_requests_total HTTP requests by route and status.', '# TYPE bulwark_http_requests_total counter');
    for (const x of all) for (const [status, n] of x.statuses) lines.push(`bulwark_http_requests_total{${labels(x)},status="${status}"} ${n}`);
    lines.push('# HELP bulwark_http_request_duration_seconds HTTP request latency by route.', '# TYPE bulwark_http_request_duration_seconds histogram');
    for (const x of all) {
      const l = labels(x);
      BUCKETS.forEach((b, i) => lines.push(`bulwark_http_request_duration_seconds_bucket{${l},le="${b}"} ${x.buckets[i]}`));
      lines.push(`bulwark_http_request_duration_seconds_bucket{${l},le="+Inf"} ${x.count}`);
      lines.push(`bulwark_http_request_duration_seconds_sum{${l}} ${x.sum}`);
      lines.push(`bulwark_http_request_duration_seconds_count{${l}} ${x.count}`);
    }
    const q = await queueDepth(deps.db);
    lines.push('# HELP bulwark_jobs_pending Jobs waiting to run.', '# TYPE bulwark_jobs_pending gauge', `bulwark_jobs_pending ${q.pending}`);
    lines.push('# HELP bulwark_jobs_failed Jobs that used up their retries.', '# TYPE bulwark_jobs_failed gauge', `bulwark_jobs_failed ${q.failed}`);
    for (const c of collectors) lines.push(...(await c(deps)));
    // The process's memory, so an operator can see where a resident figure comes from.
    const m = process.memoryUsage();
    lines.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${m.rss}`);
    lines.push('# HELP nodejs_heap_size_used_bytes V8 heap in use.', '# TYPE nodejs_heap_size_used_bytes gauge', `nodejs_heap_size_used_bytes ${m.heapUsed}`);
    lines.push('# HELP nodejs_heap_size_total_bytes V8 heap reserved.', '# TYPE nodejs_heap_size_total_bytes gauge', `nodejs_heap_size_total_bytes ${m.heapTotal}`);
    lines.push('# HELP nodejs_external_memory_bytes Memory held outside the V8 heap (buffers, native objects).', '# TYPE nodejs_external_memory_bytes gauge', `nodejs_external_memory_bytes ${m.external}`);
    void reply.type('text/plain; version=0.0.4; charset=utf-8');
    return `${lines.join('\n')}\n`;
  });
}
