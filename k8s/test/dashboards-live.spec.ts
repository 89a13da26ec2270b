import { freePort, startProcess, waitFor, type ProcessHandle } from '@learnathon/process';
import {
  builtScript,
  requireBinary,
  startLocalStack,
  startPrometheus,
  type LocalStack,
  type RunningPrometheus,
} from '@learnathon/testing';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listPanelQueries, listVariableSelectors, renderQuery, type PanelQuery } from './dashboards';
import { K8S_ROOT } from './manifests';

/**
 * Every Grafana panel query, run against a real Prometheus that scrapes the real local stack while
 * the real load generator drives it: the queries must return data, not just parse. Stands in for
 * opening the dashboards in a cluster. Series only a cluster has (cAdvisor `container_*`,
 * kube-state-metrics `kube_*`) can't exist here: those queries are evaluated and must parse.
 * The scrape config gives each process the labels the in-cluster relabelling gives a pod.
 */
const CLUSTER_ONLY = /\b(container_|kube_)\w+/;
const SERVICES = ['frontend', 'pinger', 'details'];

let stack: LocalStack | undefined;
let nodeExporter: ProcessHandle | undefined;
let prometheus: RunningPrometheus | undefined;
const loads: ProcessHandle[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ env: { LOG_LEVEL: 'warn' } });
  const ports = { ...stack.ports, node: await freePort() };
  nodeExporter = await startProcess({
    command: requireBinary('/usr/bin/prometheus-node-exporter', 'prometheus-node-exporter'),
    args: [`--web.listen-address=127.0.0.1:${ports.node}`],
    readyUrl: `http://127.0.0.1:${ports.node}/metrics`,
  });

  const pod = (app: string, version: string, port: number) => ({
    targets: [`127.0.0.1:${port}`],
    labels: { namespace: 'learnathon', pod: `${app}-${version}-local`, app, version, node: 'local' },
  });
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ['alerts.yml'],
    scrape_configs: [
      {
        job_name: 'kubernetes-pods',
        honor_labels: true,
        static_configs: [
          pod('frontend', 'v1', ports.frontend),
          pod('pinger', 'v1', ports.pingerV1),
          pod('pinger', 'v2', ports.pingerV2),
          pod('details', 'v1', ports.details),
        ],
      },
      { job_name: 'node-exporter', static_configs: [{ targets: [`127.0.0.1:${ports.node}`] }] },
    ],
  };
  prometheus = await startPrometheus({
    config: JSON.stringify(config),
    files: {
      'alerts.yml': readFileSync(path.join(K8S_ROOT, 'components/prometheus/alerts.yml'), 'utf8'),
    },
  });

  const loadgen = (target: number, extra: string[]) =>
    startProcess({
      script: builtScript('tools/loadgen/main.js'),
      args: [
        '--url',
        `http://127.0.0.1:${target}`,
        '--duration',
        '90',
        '--rate',
        '40',
        '--connections',
        '2',
        ...extra,
      ],
    });
  loads.push(
    await loadgen(ports.frontend, []),
    await loadgen(ports.pingerV2, ['--mix', '/ping/stats:3,/ping/urls:1']),
  );
}, 90_000);

afterAll(async () => {
  for (const load of loads) await load.stop('SIGINT');
  await prometheus?.stop();
  await nodeExporter?.stop();
  await stack?.stop();
});

/** Non-empty for the dashboard's default selection or, on the RED dashboard, for some service. */
async function returnsData(query: PanelQuery): Promise<boolean> {
  const selections =
    query.variables['service'] === undefined ? [{}] : [{}, ...SERVICES.map((service) => ({ service }))];
  for (const selection of selections) {
    const result = await (prometheus as RunningPrometheus).query(renderQuery(query, selection));
    if (result.status !== 'success') throw new Error(`${result.errorType}: ${result.error}`);
    if ((result.data?.result.length ?? 0) > 0) return true;
  }
  return false;
}

const allQueries = [...listPanelQueries(), ...listVariableSelectors()];
const local = allQueries.filter((query) => !CLUSTER_ONLY.test(query.expr));
const clusterOnly = allQueries.filter((query) => CLUSTER_ONLY.test(query.expr));

describe('dashboard queries against live data from the local stack under load', () => {
  it('most queries can be answered here', () => {
    expect(local.length).toBeGreaterThan(clusterOnly.length);
  });

  it.each(local.map((query) => [`${query.file} ${query.panel} ${query.refId}`, query] as const))(
    '%s returns data',
    async (_name, query) => {
      await waitFor(() => returnsData(query), {
        timeoutMs: 45_000,
        intervalMs: 1_000,
        what: `data for ${renderQuery(query)}`,
      });
    },
  );

  it.each(clusterOnly.map((query) => [`${query.file} ${query.panel} ${query.refId}`, query] as const))(
    '%s (cluster-only series) is evaluated',
    async (_name, query) => {
      const result = await (prometheus as RunningPrometheus).query(renderQuery(query));
      expect({ status: result.status, error: result.error }).toEqual({ status: 'success', error: undefined });
    },
  );

  it('the alert rules load and evaluate against the live data', async () => {
    const response = await fetch(`${(prometheus as RunningPrometheus).baseUrl}/api/v1/rules`);
    const body = (await response.json()) as {
      data: { groups: Array<{ rules: Array<{ health: string; name: string }> }> };
    };
    const rules = body.data.groups.flatMap((group) => group.rules);
    expect(rules.length).toBeGreaterThanOrEqual(4);
    await waitFor(
      async () => {
        const again = (await (
          await fetch(`${(prometheus as RunningPrometheus).baseUrl}/api/v1/rules`)
        ).json()) as typeof body;
        return again.data.groups.flatMap((group) => group.rules).every((rule) => rule.health === 'ok');
      },
      { timeoutMs: 20_000, what: 'every rule evaluated with health ok' },
    );
  });
});
