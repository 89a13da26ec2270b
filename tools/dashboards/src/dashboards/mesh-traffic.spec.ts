import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { meshTrafficDashboard } from './mesh-traffic';

const dashboard = meshTrafficDashboard().build();
const panels = (dashboard.panels ?? []) as Panel[];
const exprsOf = (title: string) =>
  panels
    .find((panel) => panel.title === title)
    ?.targets?.flatMap((target) => ('expr' in target ? [String(target.expr)] : [])) ?? [];

describe('Mesh traffic dashboard', () => {
  it('has a row for traffic in, traffic out and the sidecars themselves', () => {
    expect(panels.filter((panel) => panel.type === 'row').map((panel) => panel.title)).toEqual([
      'Requests in: each service’s inbound listener',
      'Requests out: upstream clusters (service to service)',
      'Sidecars',
    ]);
  });

  it('counts requests in on the inbound listener only, by service', () => {
    expect(exprsOf('Requests in by service')).toEqual([
      'sum by (app) (rate(envoy_http_downstream_rq_total{namespace="learnathon", app=~"$app", envoy_http_conn_manager_prefix="inbound"}[$__rate_interval]))',
    ]);
  });

  it('counts requests out on the service clusters, not admin or tracing', () => {
    for (const expr of exprsOf('Requests out by caller and upstream cluster'))
      expect(expr).toContain('envoy_cluster_name=~"pinger-v1|pinger-v2|details"');
  });

  it('shows p50, p90 and p99 in Envoy’s milliseconds, in and out', () => {
    for (const title of [
      'Inbound latency percentiles by service',
      'Upstream latency percentiles by cluster',
    ]) {
      const panel = panels.find((candidate) => candidate.title === title);
      expect(panel?.fieldConfig?.defaults.unit).toBe('ms');
      expect(exprsOf(title).map((expr) => /^histogram_quantile\(([\d.]+),/.exec(expr)?.[1])).toEqual([
        '0.5',
        '0.9',
        '0.99',
      ]);
    }
  });

  it('shows status codes and 5xx ratios from Envoy’s per-code and per-class series', () => {
    expect(exprsOf('Upstream responses by cluster and status code')[0]).toMatch(
      /^sum by \(envoy_cluster_name, envoy_response_code\) \(rate\(envoy_cluster_upstream_rq\{/,
    );
    expect(exprsOf('Upstream 5xx ratio by cluster')[0]).toContain('envoy_response_code_class="5"');
    expect(exprsOf('Inbound 5xx ratio by service')[0]).toContain('envoy_http_downstream_rq_xx{');
  });
});
