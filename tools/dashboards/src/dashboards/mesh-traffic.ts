import { newDashboard, withSection } from '../dashboard';
import { anyOf, ENVOY_METRICS as M, INBOUND_STAT_PREFIX, UPSTREAM_CLUSTERS } from '../envoy';
import { row, timeseries } from '../panels';
import { quantile, rate, ratioOfRates, sumBy } from '../promql';
import { ERROR_RATIO_ALERT, LATENCY_P99_ALERT_MS } from '../thresholds';
import { labelVariable } from '../variables';

/** Prometheus gives each sidecar's series its pod's labels: app, version, pod, namespace. */
const SIDECARS = ['namespace="learnathon"', 'app=~"$app"'];
const INBOUND = [...SIDECARS, `envoy_http_conn_manager_prefix="${INBOUND_STAT_PREFIX}"`];
const OUTBOUND = [...SIDECARS, `envoy_cluster_name=~"${anyOf(UPSTREAM_CLUSTERS)}"`];
const PERCENTILES = [0.5, 0.9, 0.99];

/** Task 2.2: what each service's Envoy sees coming in and going out, from Envoy's own stats. */
export function meshTrafficDashboard() {
  const dashboard = newDashboard({
    uid: 'learnathon-mesh',
    title: 'Mesh traffic',
    tags: ['mesh', 'envoy'],
  }).withVariable(
    labelVariable({
      name: 'app',
      label: 'Service',
      selector: `${M.live}{namespace="learnathon"}`,
      labelName: 'app',
      multiWithAll: true,
    }),
  );
  withSection(dashboard, {
    row: row('Requests in: each service’s inbound listener'),
    panels: [
      timeseries({
        title: 'Requests in by service',
        unit: 'reqps',
        queries: [{ expr: sumBy(['app'], rate(M.downstreamRequests, INBOUND)), legend: '{{app}}' }],
      }),
      timeseries({
        title: 'Responses sent by service and status class',
        unit: 'reqps',
        queries: [
          {
            expr: sumBy(['app', 'envoy_response_code_class'], rate(M.downstreamByClass, INBOUND)),
            legend: '{{app}} {{envoy_response_code_class}}xx',
          },
        ],
      }),
      timeseries({
        title: 'Inbound 5xx ratio by service',
        unit: 'percentunit',
        alert: ERROR_RATIO_ALERT,
        description: 'Includes the 503s Envoy answers itself when the app is down.',
        queries: [
          {
            expr: ratioOfRates({
              metric: M.downstreamByClass,
              matchers: INBOUND,
              partMatchers: ['envoy_response_code_class="5"'],
              by: ['app'],
            }),
            legend: '{{app}}',
          },
        ],
      }),
      timeseries({
        title: 'Inbound latency percentiles by service',
        unit: 'ms',
        alert: LATENCY_P99_ALERT_MS,
        description: 'Time from the first byte in to the last byte out, as the caller sees it.',
        queries: PERCENTILES.map((q) => ({
          expr: quantile(q, ['app'], M.downstreamTimeBucket, INBOUND),
          legend: `p${Math.round(q * 100)} {{app}}`,
        })),
      }),
    ],
  });
  withSection(dashboard, {
    row: row('Requests out: upstream clusters (service to service)'),
    panels: [
      timeseries({
        title: 'Requests out by caller and upstream cluster',
        unit: 'reqps',
        queries: [
          {
            expr: sumBy(['app', 'envoy_cluster_name'], rate(M.upstreamRequests, OUTBOUND)),
            legend: '{{app}} → {{envoy_cluster_name}}',
          },
        ],
      }),
      timeseries({
        title: 'Upstream responses by cluster and status code',
        unit: 'reqps',
        queries: [
          {
            expr: sumBy(['envoy_cluster_name', 'envoy_response_code'], rate(M.upstreamByCode, OUTBOUND)),
            legend: '{{envoy_cluster_name}} {{envoy_response_code}}',
          },
        ],
      }),
      timeseries({
        title: 'Upstream 5xx ratio by cluster',
        unit: 'percentunit',
        alert: ERROR_RATIO_ALERT,
        queries: [
          {
            expr: ratioOfRates({
              metric: M.upstreamByClass,
              matchers: OUTBOUND,
              partMatchers: ['envoy_response_code_class="5"'],
              by: ['envoy_cluster_name'],
            }),
            legend: '{{envoy_cluster_name}}',
          },
        ],
      }),
      timeseries({
        title: 'Upstream latency percentiles by cluster',
        unit: 'ms',
        alert: LATENCY_P99_ALERT_MS,
        queries: PERCENTILES.map((q) => ({
          expr: quantile(q, ['envoy_cluster_name'], M.upstreamTimeBucket, OUTBOUND),
          legend: `p${Math.round(q * 100)} {{envoy_cluster_name}}`,
        })),
      }),
      timeseries({
        title: 'Retries and timeouts by cluster',
        unit: 'reqps',
        description: 'Envoy retries idempotent requests on connect failure, reset and 5xx, within a budget.',
        queries: [
          {
            expr: sumBy(['envoy_cluster_name'], rate(M.upstreamRetries, OUTBOUND)),
            legend: 'retry {{envoy_cluster_name}}',
          },
          {
            expr: sumBy(['envoy_cluster_name'], rate(M.upstreamTimeouts, OUTBOUND)),
            legend: 'timeout {{envoy_cluster_name}}',
          },
        ],
      }),
      timeseries({
        title: 'Circuit breaker overflows by cluster',
        unit: 'reqps',
        description: 'Requests refused because the cluster’s pending-request limit was reached.',
        queries: [
          {
            expr: sumBy(['envoy_cluster_name'], rate(M.upstreamPendingOverflow, OUTBOUND)),
            legend: '{{envoy_cluster_name}}',
          },
        ],
      }),
    ],
  });
  return withSection(dashboard, {
    row: row('Sidecars'),
    panels: [
      timeseries({
        title: 'Envoy live by pod',
        unit: 'short',
        queries: [{ expr: sumBy(['pod'], `${M.live}{${SIDECARS.join(', ')}}`), legend: '{{pod}}' }],
      }),
      timeseries({
        title: 'Hot restart epoch by pod',
        unit: 'short',
        description: 'Goes up by one each time the supervisor hot-restarts Envoy with a new config.',
        queries: [{ expr: `max by (pod) (${M.hotRestartEpoch}{${SIDECARS.join(', ')}})`, legend: '{{pod}}' }],
      }),
    ],
  });
}
