import { newDashboard, withSection } from '../dashboard';
import { timeseries, row } from '../panels';
import { perVersionPanel } from '../per-version';
import { quantile, rate, ratioOfRates, sumBy } from '../promql';
import { redRow, SERVER_DURATION } from '../red-row';
import { labelVariable } from '../variables';

const SELECTED = ['service="$service"', 'version=~"$version"'];
const CLIENT_DURATION = 'http_client_request_duration_seconds';
const PROBE_DURATION = 'pinger_probe_duration_seconds';
const PROBES = 'pinger_probes_total';
const PROBE_VERSIONS = ['version=~"$version"'];

/** The home dashboard: RED by service and version, outbound calls, and the pinger's probes. */
export function redDashboard() {
  const dashboard = newDashboard({ uid: 'learnathon-red', title: 'RED: services by version', tags: ['red'] })
    .withVariable(
      labelVariable({
        name: 'service',
        label: 'Service',
        selector: `${SERVER_DURATION}_count`,
        labelName: 'service',
        current: 'frontend',
      }),
    )
    .withVariable(
      labelVariable({
        name: 'version',
        label: 'Version',
        selector: `${SERVER_DURATION}_count{service="$service"}`,
        labelName: 'version',
        multiWithAll: true,
      }),
    );
  const red = redRow({ title: 'Rate, errors, duration of $service (server side)', matchers: SELECTED });
  withSection(dashboard, {
    row: red.row,
    panels: [
      ...red.panels,
      perVersionPanel({
        title: 'Upstream calls p99 by upstream and version',
        unit: 's',
        description: 'Outbound calls, e.g. frontend to pinger and details.',
        queries: [
          {
            expr: quantile(0.99, ['upstream', 'version'], `${CLIENT_DURATION}_bucket`, SELECTED),
            legend: '{{upstream}} {{version}}',
          },
        ],
      }),
      timeseries({
        title: 'Upstream error ratio by upstream',
        unit: 'percentunit',
        description: 'Anything but 2xx-4xx counts, network errors included.',
        queries: [
          {
            expr: ratioOfRates({
              metric: `${CLIENT_DURATION}_count`,
              matchers: SELECTED,
              partMatchers: ['status_code!~"2..|3..|4.."'],
              by: ['upstream'],
            }),
            legend: '{{upstream}}',
          },
        ],
      }),
    ],
  });
  return withSection(dashboard, {
    row: row('Pinger probes'),
    panels: [
      perVersionPanel({
        title: 'Probes by result and version',
        unit: 'reqps',
        queries: [
          {
            expr: sumBy(['version', 'result'], rate(PROBES, PROBE_VERSIONS)),
            legend: '{{version}} {{result}}',
          },
        ],
      }),
      timeseries({
        title: 'Probe success ratio by target',
        unit: 'percentunit',
        queries: [
          {
            expr: `${sumBy(['target'], rate(PROBES, [...PROBE_VERSIONS, 'result="success"']))} / ${sumBy(['target'], rate(PROBES, PROBE_VERSIONS))}`,
            legend: '{{target}}',
          },
        ],
      }),
      perVersionPanel({
        title: 'Probe latency p50 and p99 by version',
        unit: 's',
        queries: [
          {
            expr: quantile(0.5, ['version'], `${PROBE_DURATION}_bucket`, PROBE_VERSIONS),
            legend: 'p50 {{version}}',
          },
          {
            expr: quantile(0.99, ['version'], `${PROBE_DURATION}_bucket`, PROBE_VERSIONS),
            legend: 'p99 {{version}}',
          },
        ],
      }),
      timeseries({
        title: 'Probe latency p99 by target',
        unit: 's',
        queries: [
          {
            expr: quantile(0.99, ['target'], `${PROBE_DURATION}_bucket`, PROBE_VERSIONS),
            legend: '{{target}}',
          },
        ],
      }),
    ],
  });
}
