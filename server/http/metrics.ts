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
  count: number;
  sum: number;
  buckets: number[];
}

/** Request counts and latencies by route, and the job queue's depth, in Prometheus text format. */
export function installMetrics(app: FastifyInstance, deps: Deps): void {
  const requests = new Map<string, number>();
  const latency = new Map<string, Series>();
  const started = new WeakMap<object, bigint>();

  app.addHook('onRequest', async (req) => {
    started.set(req, process.hrtime.bigint());
  });
  app.addHook('onResponse', async (req, reply) => {
    const t0 = started.get(req);
    if (t0 === undefined) return;
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = `method="${req.method}",route="${route}"`;
    const withStatus = `${labels},status="${reply.statusCode}"`;
    requests.set(withStatus, (requests.get(withStatus) ?? 0) + 1);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const s = latency.get(labels) ?? { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
    s.count++;
    s.sum += secs;
    BUCKETS.forEach((b, i) => {
      if (secs <= b) s.buckets[i]!++;
    });
    latency.set(labels, s);
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const lines: string[] = [];
    lines.push('# HELP bulwark_http_requests_total HTTP requests by route and status.', '# TYPE bulwark_http_requests_total counter');
    for (const [l, n] of requests) lines.push(`bulwark_http_requests_total{${l}} ${n}`);
    lines.push('# HELP bulwark_http_request_duration_seconds HTTP request latency by route.', '# TYPE bulwark_http_request_duration_seconds histogram');
    for (const [l, s] of latency) {
      BUCKETS.forEach((b, i) => lines.push(`bulwark_http_request_duration_seconds_bucket{${l},le="${b}"} ${s.buckets[i]}`));
      lines.push(`bulwark_http_request_duration_seconds_bucket{${l},le="+Inf"} ${s.count}`);
      lines.push(`bulwark_http_request_duration_seconds_sum{${l}} ${s.sum}`);
      lines.push(`bulwark_http_request_duration_seconds_count{${l}} ${s.count}`);
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
