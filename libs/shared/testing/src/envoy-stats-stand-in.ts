import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for one Envoy sidecar's stats listener (`GET /stats/prometheus`), for tests only:
 * no Envoy can run here. It serves Envoy's Prometheus text with Envoy's real metric and label
 * names, histogram bounds (milliseconds) and quirks: `{}` on label-less series, every response
 * class of a connection manager from the start, but a cluster's per-code, per-class and time
 * series only after its first response. The counts are generated: they grow with time at the
 * given rates, with exact error shares and a fixed latency cycle, so a query's answer is known.
 * A test can also `record` responses on a cluster by hand, as that cluster would count them.
 */

/** Envoy's default histogram bucket bounds, in milliseconds. */
export const ENVOY_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

export interface StreamTraffic {
  requestsPerSecond: number;
  /** Share of responses that are 503 (0..1); the rest are 200, with every 25th a 404. */
  errorRatio?: number;
  /** Response times cycled through in order, in milliseconds. */
  latenciesMs?: readonly number[];
}

export interface SidecarTraffic {
  /** The stat prefix of the inbound HTTP connection manager and what it takes. */
  inbound: { statPrefix: string; localCluster: string } & StreamTraffic;
  /** Outbound clusters (service to service) by name. */
  clusters?: Readonly<Record<string, StreamTraffic>>;
  /** Other connection managers by stat prefix, e.g. the frontend's outbound listeners. */
  connectionManagers?: Readonly<Record<string, StreamTraffic>>;
}

class Histogram {
  readonly buckets = ENVOY_BUCKETS_MS.map(() => 0);
  count = 0;
  sum = 0;
  observe(ms: number) {
    ENVOY_BUCKETS_MS.forEach((bound, index) => {
      if (ms <= bound) this.buckets[index] = (this.buckets[index] ?? 0) + 1;
    });
    this.count += 1;
    this.sum += ms;
  }
}

/** What one connection manager or cluster has answered so far. */
class Stream {
  total = 0;
  readonly byCode = new Map<number, number>();
  readonly time = new Histogram();
  private owedRequests = 0;
  private next = 0;
  constructor(private readonly traffic: StreamTraffic) {}

  advance(seconds: number) {
    this.owedRequests += this.traffic.requestsPerSecond * seconds;
    for (; this.owedRequests >= 1; this.owedRequests -= 1) {
      this.next += 1;
      const failed = this.errorsAfter(this.next) > this.errorsAfter(this.next - 1);
      this.record(failed ? 503 : this.next % 25 === 0 ? 404 : 200, this.latency());
    }
  }

  record(code: number, ms: number) {
    this.total += 1;
    this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
    this.time.observe(ms);
  }

  countOfClass(responseClass: number): number {
    let sum = 0;
    for (const [code, count] of this.byCode) if (Math.floor(code / 100) === responseClass) sum += count;
    return sum;
  }

  /** How many of the first n requests fail: exactly n × errorRatio, rounded down (no float drift). */
  private errorsAfter(n: number): number {
    return Math.floor(n * (this.traffic.errorRatio ?? 0) + 1e-9);
  }

  private latency(): number {
    const cycle = this.traffic.latenciesMs ?? [3, 7, 12, 20, 45];
    return cycle[this.next % cycle.length] as number;
  }
}

type Labels = Record<string, string>;
const labelText = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([name, value]) => `${name}="${value}"`)
    .join(',')}}`;

/** Envoy's text: each metric once, with its TYPE line, then its series. */
class Exposition {
  private readonly families = new Map<string, { type: string; lines: string[] }>();
  add(name: string, type: 'counter' | 'gauge' | 'histogram', labels: Labels, value: number, suffix = '') {
    const family = this.families.get(name) ?? { type, lines: [] };
    family.lines.push(`${name}${suffix}${labelText(labels)} ${value}`);
    this.families.set(name, family);
  }
  histogram(name: string, labels: Labels, histogram: Histogram) {
    ENVOY_BUCKETS_MS.forEach((bound, index) =>
      this.add(name, 'histogram', { ...labels, le: String(bound) }, histogram.buckets[index] ?? 0, '_bucket'),
    );
    this.add(name, 'histogram', { ...labels, le: '+Inf' }, histogram.count, '_bucket');
    this.add(name, 'histogram', labels, histogram.sum, '_sum');
    this.add(name, 'histogram', labels, histogram.count, '_count');
  }
  text(): string {
    return [...this.families]
      .map(([name, { type, lines }]) => [`# TYPE ${name} ${type}`, ...lines].join('\n'))
      .join('\n')
      .concat('\n');
  }
}

function renderClasses(out: Exposition, name: string, labels: Labels, stream: Stream, classes: number[]) {
  for (const responseClass of classes)
    out.add(
      name,
      'counter',
      { envoy_response_code_class: String(responseClass), ...labels },
      stream.countOfClass(responseClass),
    );
}

function renderConnectionManager(out: Exposition, prefix: string, stream: Stream) {
  const labels = { envoy_http_conn_manager_prefix: prefix };
  out.add('envoy_http_downstream_rq_total', 'counter', labels, stream.total);
  renderClasses(out, 'envoy_http_downstream_rq_xx', labels, stream, [1, 2, 3, 4, 5]);
  out.histogram('envoy_http_downstream_rq_time', labels, stream.time);
}

function renderCluster(out: Exposition, name: string, stream: Stream) {
  const labels = { envoy_cluster_name: name };
  out.add('envoy_cluster_upstream_rq_total', 'counter', labels, stream.total);
  for (const counter of ['retry', 'timeout', 'pending_overflow'])
    out.add(`envoy_cluster_upstream_rq_${counter}`, 'counter', labels, 0);
  if (stream.total === 0) return; // Envoy creates the rest with the cluster's first response
  for (const [code, count] of [...stream.byCode].sort(([a], [b]) => a - b))
    out.add('envoy_cluster_upstream_rq', 'counter', { envoy_response_code: String(code), ...labels }, count);
  const answered = new Set([...stream.byCode.keys()].map((code) => Math.floor(code / 100)));
  renderClasses(out, 'envoy_cluster_upstream_rq_xx', labels, stream, [...answered]);
  out.histogram('envoy_cluster_upstream_rq_time', labels, stream.time);
}

/** One sidecar's counters: advanced by elapsed time, rendered as Envoy renders them. */
export class SidecarStats {
  private readonly inbound: Stream;
  private readonly clusters: (readonly [string, Stream])[];
  private readonly connectionManagers: (readonly [string, Stream])[];
  private readonly scrapes = new Stream({ requestsPerSecond: 0 });

  constructor(private readonly traffic: SidecarTraffic) {
    const streams = (byName: Readonly<Record<string, StreamTraffic>> = {}) =>
      Object.entries(byName).map(([name, stream]) => [name, new Stream(stream)] as const);
    this.inbound = new Stream(traffic.inbound);
    this.clusters = streams(traffic.clusters);
    this.connectionManagers = streams(traffic.connectionManagers);
  }

  /** Counts `count` responses with `code`, each taking `ms`, on the outbound cluster `name`. */
  record(name: string, code: number, ms: number, count = 1) {
    const stream = this.clusters.find(([cluster]) => cluster === name)?.[1];
    if (!stream) throw new Error(`the stand-in has no cluster '${name}': list it in traffic.clusters`);
    for (let i = 0; i < count; i += 1) stream.record(code, ms);
  }

  advance(seconds: number) {
    this.inbound.advance(seconds);
    for (const [, stream] of [...this.clusters, ...this.connectionManagers]) stream.advance(seconds);
  }

  /** The text of one GET /stats/prometheus, which the stats listener counts like any request. */
  scrape(): string {
    this.scrapes.record(200, 1);
    const out = new Exposition();
    renderConnectionManager(out, this.traffic.inbound.statPrefix, this.inbound);
    // The stats listener's own connection manager counts each scrape, as Envoy's does.
    renderConnectionManager(out, 'envoy_stats', this.scrapes);
    for (const [prefix, stream] of this.connectionManagers) renderConnectionManager(out, prefix, stream);
    // Every inbound request is one request to the app behind this sidecar, on its local cluster.
    renderCluster(out, this.traffic.inbound.localCluster, this.inbound);
    for (const [name, stream] of this.clusters) renderCluster(out, name, stream);
    out.add('envoy_server_live', 'gauge', {}, 1);
    out.add('envoy_server_hot_restart_epoch', 'gauge', {}, 0);
    return out.text();
  }
}

export interface EnvoyStandIn {
  /** host:port for a Prometheus static_configs target. */
  target: string;
  /** Counts responses on an outbound cluster by hand; see `SidecarStats.record`. */
  record: SidecarStats['record'];
  stop(): Promise<void>;
}

const TICK_MS = 200;

/** Serves a sidecar's stats on 127.0.0.1 (a free port); the counts grow with time until it stops. */
export async function startEnvoyStandIn(traffic: SidecarTraffic): Promise<EnvoyStandIn> {
  const stats = new SidecarStats(traffic);
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stats.advance((now - last) / 1000);
    last = now;
  }, TICK_MS);
  timer.unref();

  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/stats/prometheus') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(stats.scrape());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    record: (...args) => stats.record(...args),
    async stop() {
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // Prometheus keeps its scrape connection alive
      await closed;
    },
  };
}
