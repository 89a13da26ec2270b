import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { canaryDashboard } from './canary';

const panels = (canaryDashboard().build().panels ?? []) as Panel[];
const find = (title: string) => {
  const panel = panels.find((candidate) => candidate.title === title);
  if (!panel) throw new Error(`no panel "${title}"`);
  return panel;
};
const exprs = (title: string) =>
  find(title).targets?.flatMap((target) => ('expr' in target ? [String(target.expr)] : [])) ?? [];

describe('Canary dashboard', () => {
  it('shows each version’s share of pinger requests, from the frontend’s Envoy and from the pingers', () => {
    expect(exprs('Share of requests per version (frontend’s Envoy)')).toEqual([
      'sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_total{namespace="learnathon", app="frontend", envoy_cluster_name=~"pinger-v1|pinger-v2"}[$__rate_interval])) / ignoring(envoy_cluster_name) group_left sum(rate(envoy_cluster_upstream_rq_total{namespace="learnathon", app="frontend", envoy_cluster_name=~"pinger-v1|pinger-v2"}[$__rate_interval]))',
    ]);
    expect(exprs('Share of requests per version (pinger’s own metrics)')[0]).toContain(
      'http_request_duration_seconds_count{service="pinger", route=~"/ping/.+"}',
    );
  });

  it('puts error ratio and p99 per version side by side, on one line', () => {
    const errors = find('Error ratio (5xx) per version');
    const p99 = find('Latency p99 per version');
    expect(errors.gridPos?.y).toBe(p99.gridPos?.y);
    expect([errors.gridPos?.x, p99.gridPos?.x]).toEqual([0, 12]);
    expect(exprs('Latency p99 per version')[0]).toMatch(
      /^histogram_quantile\(0\.99, sum by \(envoy_cluster_name, le\)/,
    );
  });

  it('ends with the shared RED row over the pingers’ user routes, by version', () => {
    const red = panels.slice(panels.findIndex((panel) => panel.title?.includes('own RED metrics')));
    expect(red.map((panel) => panel.title)).toEqual([
      'Side by side: each version’s own RED metrics (user routes)',
      'Request rate by version',
      'Error ratio (5xx) by version',
      'Latency p50 and p99 by version',
      'Requests by route and status',
    ]);
  });
});
