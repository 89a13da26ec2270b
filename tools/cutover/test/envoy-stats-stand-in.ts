import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for the frontend sidecar's Envoy stats listener (`GET /stats/prometheus` on port 9902),
 * which can't run here: it serves Envoy's Prometheus text format with Envoy's real metric and label
 * names (`envoy_cluster_upstream_rq{envoy_response_code,envoy_cluster_name}`, the per-cluster
 * `envoy_cluster_upstream_rq_time` histogram in milliseconds with Envoy's default bucket bounds).
 * Like Envoy, a cluster's per-code and time series appear only once it has had a response.
 * `record` adds upstream responses as the frontend's Envoy would count them.
 */
const BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

interface ClusterStats {
  byCode: Map<number, number>;
  buckets: number[];
  count: number;
  sumMs: number;
}

export interface EnvoyStatsStandIn {
  url: string;
  /** Counts `count` responses with `code` that took `latencyMs` each on `cluster`. */
  record(cluster: string, code: number, latencyMs: number, count?: number): void;
  stop(): Promise<void>;
}

export async function startEnvoyStatsStandIn(clusters: string[]): Promise<EnvoyStatsStandIn> {
  const stats = new Map<string, ClusterStats>();
  const render = (): string => {
    const lines = ['# TYPE envoy_cluster_upstream_rq_total counter'];
    for (const cluster of clusters) {
      const total = [...(stats.get(cluster)?.byCode.values() ?? [])].reduce((a, b) => a + b, 0);
      lines.push(`envoy_cluster_upstream_rq_total{envoy_cluster_name="${cluster}"} ${total}`);
    }
    lines.push('# TYPE envoy_cluster_upstream_rq counter');
    for (const [cluster, cluster_stats] of stats)
      for (const [code, count] of cluster_stats.byCode)
        lines.push(
          `envoy_cluster_upstream_rq{envoy_response_code="${code}",envoy_cluster_name="${cluster}"} ${count}`,
        );
    lines.push('# TYPE envoy_cluster_upstream_rq_time histogram');
    for (const [cluster, cluster_stats] of stats) {
      BUCKETS_MS.forEach((le, i) =>
        lines.push(
          `envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="${cluster}",le="${le}"} ${cluster_stats.buckets[i]}`,
        ),
      );
      lines.push(
        `envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="${cluster}",le="+Inf"} ${cluster_stats.count}`,
      );
      lines.push(
        `envoy_cluster_upstream_rq_time_sum{envoy_cluster_name="${cluster}"} ${cluster_stats.sumMs}`,
      );
      lines.push(
        `envoy_cluster_upstream_rq_time_count{envoy_cluster_name="${cluster}"} ${cluster_stats.count}`,
      );
    }
    return `${lines.join('\n')}\n`;
  };
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats/prometheus') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    record(cluster, code, latencyMs, count = 1) {
      const entry = stats.get(cluster) ?? {
        byCode: new Map(),
        buckets: BUCKETS_MS.map(() => 0),
        count: 0,
        sumMs: 0,
      };
      stats.set(cluster, entry);
      entry.byCode.set(code, (entry.byCode.get(code) ?? 0) + count);
      BUCKETS_MS.forEach((le, i) => {
        if (latencyMs <= le) entry.buckets[i] = (entry.buckets[i] ?? 0) + count;
      });
      entry.count += count;
      entry.sumMs += latencyMs * count;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
