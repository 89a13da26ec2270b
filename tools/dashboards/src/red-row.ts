import type { Section } from './dashboard';
import { row, timeseries } from './panels';
import { perVersionPanel } from './per-version';
import { quantile, rate, ratioOfRates, sumBy } from './promql';
import { ERROR_RATIO_ALERT, LATENCY_P99_ALERT_SECONDS } from './thresholds';

/** The apps' server-side RED histogram (libs/shared/metrics), labelled service and version. */
export const SERVER_DURATION = 'http_request_duration_seconds';

export interface RedRowOptions {
  title: string;
  /** Which requests: e.g. `service="$service"`, `version=~"$version"`. */
  matchers: readonly string[];
}

/**
 * Rate, errors and duration by version from the apps' own histogram, written once for the RED
 * dashboard and the canary: request rate, 5xx ratio, p50/p99, and requests by route and status.
 */
export function redRow({ title, matchers }: RedRowOptions): Section {
  const count = `${SERVER_DURATION}_count`;
  const bucket = `${SERVER_DURATION}_bucket`;
  return {
    row: row(title),
    panels: [
      perVersionPanel({
        title: 'Request rate by version',
        unit: 'reqps',
        queries: [{ expr: sumBy(['version'], rate(count, matchers)), legend: '{{version}}' }],
      }),
      perVersionPanel({
        title: 'Error ratio (5xx) by version',
        unit: 'percentunit',
        alert: ERROR_RATIO_ALERT,
        queries: [
          {
            expr: ratioOfRates({
              metric: count,
              matchers,
              partMatchers: ['status_code=~"5.."'],
              by: ['version'],
            }),
            legend: '{{version}}',
          },
        ],
      }),
      perVersionPanel({
        title: 'Latency p50 and p99 by version',
        unit: 's',
        alert: LATENCY_P99_ALERT_SECONDS,
        queries: [
          { expr: quantile(0.5, ['version'], bucket, matchers), legend: 'p50 {{version}}' },
          { expr: quantile(0.99, ['version'], bucket, matchers), legend: 'p99 {{version}}' },
        ],
      }),
      timeseries({
        title: 'Requests by route and status',
        unit: 'reqps',
        queries: [
          {
            expr: sumBy(['route', 'status_code'], rate(count, matchers)),
            legend: '{{route}} {{status_code}}',
          },
        ],
      }),
    ],
  };
}
