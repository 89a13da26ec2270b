import { newDashboard, withSection } from '../dashboard';
import { anyOf, ENVOY_METRICS as M, PINGER_CLUSTERS } from '../envoy';
import { row } from '../panels';
import { perVersionPanel } from '../per-version';
import { quantile, ratioOfRates, shareOfRate } from '../promql';
import { redRow, SERVER_DURATION } from '../red-row';
import { ERROR_RATIO_ALERT, LATENCY_P99_ALERT_MS } from '../thresholds';

/** The frontend's sidecar is where the split happens: its clusters are the versions. */
const SPLIT = ['namespace="learnathon"', 'app="frontend"', `envoy_cluster_name=~"${anyOf(PINGER_CLUSTERS)}"`];
/**
 * The pinger's user-facing routes (what the frontend proxies), without kubelet probes and
 * Prometheus scrapes, which every version gets at the same rate whatever the split.
 */
const PINGER_USER_REQUESTS = ['service="pinger"', 'route=~"/ping/.+"'];

/** Task 3.1: v1 against v2 while the frontend's Envoy shifts pinger traffic between them. */
export function canaryDashboard() {
  const dashboard = newDashboard({
    uid: 'learnathon-canary',
    title: 'Canary: pinger v1 vs v2',
    tags: ['canary'],
  });
  withSection(dashboard, {
    row: row('Split: share of pinger requests per version'),
    panels: [
      perVersionPanel({
        title: 'Share of requests per version (frontend’s Envoy)',
        unit: 'percentunit',
        description: 'Should match the overlay’s weights: canary-5, canary-50, canary-100.',
        queries: [
          {
            expr: shareOfRate('envoy_cluster_name', M.upstreamRequests, SPLIT),
            legend: '{{envoy_cluster_name}}',
          },
        ],
      }),
      perVersionPanel({
        title: 'Share of requests per version (pinger’s own metrics)',
        unit: 'percentunit',
        description:
          'The same split as each version counts it; header-pinned requests (x-pinger-version) included.',
        queries: [
          {
            expr: shareOfRate('version', `${SERVER_DURATION}_count`, PINGER_USER_REQUESTS),
            legend: '{{version}}',
          },
        ],
      }),
    ],
  });
  withSection(dashboard, {
    row: row('Side by side: each version as the frontend’s Envoy sees it'),
    panels: [
      perVersionPanel({
        title: 'Error ratio (5xx) per version',
        unit: 'percentunit',
        alert: ERROR_RATIO_ALERT,
        description: 'No line for a version means no response yet: not healthy, unknown.',
        queries: [
          {
            expr: ratioOfRates({
              metric: M.upstreamByClass,
              matchers: SPLIT,
              partMatchers: ['envoy_response_code_class="5"'],
              by: ['envoy_cluster_name'],
            }),
            legend: '{{envoy_cluster_name}}',
          },
        ],
      }),
      perVersionPanel({
        title: 'Latency p99 per version',
        unit: 'ms',
        alert: LATENCY_P99_ALERT_MS,
        queries: [
          {
            expr: quantile(0.99, ['envoy_cluster_name'], M.upstreamTimeBucket, SPLIT),
            legend: 'p99 {{envoy_cluster_name}}',
          },
        ],
      }),
    ],
  });
  return withSection(
    dashboard,
    redRow({
      title: 'Side by side: each version’s own RED metrics (user routes)',
      matchers: PINGER_USER_REQUESTS,
    }),
  );
}
