import { freePort, startProcess, waitFor, type ProcessHandle } from '@learnathon/process';
import {
  builtScript,
  startEnvoyStandIn,
  startPrometheus,
  type EnvoyStandIn,
  type RunningPrometheus,
  type StreamTraffic,
} from '@learnathon/testing';
import path from 'node:path';
import { listPanelQueries, listVariableSelectors, renderQuery, type PanelQuery } from './dashboards';
import { K8S_ROOT } from './manifests';

/**
 * The Mesh traffic and Canary dashboards against a real Prometheus with live data. No Envoy runs
 * here: each meshed pod's sidecar (frontend, pinger-v1, pinger-v2, details in the canary overlays)
 * is stood in for by a server that speaks Envoy's /stats/prometheus with Envoy's own names and
 * counts that grow at known rates. The pingers are the real app, v1 and v2, under real load, for
 * the panels built on their RED metrics. Prometheus gives each target the labels the in-cluster
 * relabelling gives a pod (namespace, pod, app, version), so the queries run as they do there.
 */
const MESH_DASHBOARDS = path.join(K8S_ROOT, 'components/mesh/dashboards');
const CANARY_DASHBOARDS = path.join(K8S_ROOT, 'components/pinger-v2/dashboards');
/** The frontend's Envoy splits pinger traffic 80/20 here; v2 is slower and fails more often. */
const PINGER_V1: StreamTraffic = { requestsPerSecond: 16, errorRatio: 0.01, latenciesMs: [4, 8, 15, 30] };
const PINGER_V2: StreamTraffic = { requestsPerSecond: 4, errorRatio: 0.1, latenciesMs: [20, 60, 150, 700] };
const DETAILS: StreamTraffic = { requestsPerSecond: 2 };
const FRONTEND: StreamTraffic = { requestsPerSecond: 20 };
const inbound = (traffic: StreamTraffic) => ({
  ...traffic,
  statPrefix: 'inbound',
  localCluster: 'local-app',
});

let prometheus: RunningPrometheus;
const standIns: EnvoyStandIn[] = [];
const processes: ProcessHandle[] = [];

beforeAll(async () => {
  const sidecars = [
    {
      app: 'frontend',
      version: 'v1',
      traffic: {
        inbound: inbound(FRONTEND),
        clusters: { 'pinger-v1': PINGER_V1, 'pinger-v2': PINGER_V2, details: DETAILS },
        // The app's calls into its own sidecar: 20 + 2 req/s that are not requests into the frontend.
        connectionManagers: { outbound_pinger: { requestsPerSecond: 20 }, outbound_details: DETAILS },
      },
    },
    { app: 'pinger', version: 'v1', traffic: { inbound: inbound(PINGER_V1) } },
    { app: 'pinger', version: 'v2', traffic: { inbound: inbound(PINGER_V2) } },
    { app: 'details', version: 'v1', traffic: { inbound: inbound(DETAILS) } },
  ];
  const envoyTargets = [];
  for (const { app, version, traffic } of sidecars) {
    const standIn = await startEnvoyStandIn(traffic);
    standIns.push(standIn);
    envoyTargets.push({ targets: [standIn.target], labels: podLabels(app, version) });
  }

  const pingerTargets = [];
  for (const version of ['v1', 'v2']) {
    const port = await freePort();
    processes.push(
      await startProcess({
        script: builtScript('apps/pinger/main.js'),
        env: { PORT: String(port), HOST: '127.0.0.1', PINGER_VERSION: version, LOG_LEVEL: 'warn' },
        readyUrl: `http://127.0.0.1:${port}/readyz`,
      }),
    );
    pingerTargets.push({ targets: [`127.0.0.1:${port}`], labels: podLabels('pinger', version) });
    processes.push(
      await startProcess({
        script: builtScript('tools/loadgen/main.js'),
        args: [
          '--url',
          `http://127.0.0.1:${port}`,
          '--duration',
          '120',
          '--connections',
          '1',
          '--rate',
          version === 'v1' ? '16' : '4',
          // The routes the frontend proxies to the pinger: its user traffic.
          '--mix',
          '/ping/stats:3,/ping/urls:1',
        ],
      }),
    );
  }

  prometheus = await startPrometheus({
    config: JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [
        { job_name: 'envoy-sidecars', metrics_path: '/stats/prometheus', static_configs: envoyTargets },
        { job_name: 'kubernetes-pods', honor_labels: true, static_configs: pingerTargets },
      ],
    }),
  });
}, 60_000);

afterAll(async () => {
  for (const handle of processes.reverse()) await handle.stop('SIGINT');
  await prometheus?.stop();
  for (const standIn of standIns) await standIn.stop();
});

function podLabels(app: string, version: string) {
  return { namespace: 'learnathon', pod: `${app}-${version}-local`, app, version };
}

async function results(query: PanelQuery) {
  const result = await prometheus.query(renderQuery(query));
  if (result.status !== 'success')
    throw new Error(`${result.errorType}: ${result.error} in ${renderQuery(query)}`);
  return result.data?.result ?? [];
}

/**
 * The series of a panel's first query, keyed by one label, once they meet the expectation. rate()
 * divides by its whole window, so a series younger than the window reads low: retry until the
 * data settles, and fail with the last values seen.
 */
async function panelValues(
  queries: readonly PanelQuery[],
  panel: string,
  key: string,
  expectation: (values: Record<string, number>) => void,
) {
  const query = queries.find((candidate) => candidate.panel === panel);
  if (!query) throw new Error(`no panel "${panel}"`);
  await waitFor(
    async () => {
      const series = await results(query);
      const values = Object.fromEntries(
        series.map((one) => [one.metric[key] ?? '?', Number(one.value?.[1])]),
      );
      try {
        expectation(values);
      } catch (error) {
        throw new Error(`${JSON.stringify(values)}: ${(error as Error).message}`);
      }
      return true;
    },
    { timeoutMs: 90_000, intervalMs: 2_000, what: `${panel} to show the traffic the stand-ins serve` },
  );
}

const meshQueries = [...listPanelQueries(MESH_DASHBOARDS), ...listVariableSelectors(MESH_DASHBOARDS)];
const canaryQueries = [...listPanelQueries(CANARY_DASHBOARDS), ...listVariableSelectors(CANARY_DASHBOARDS)];

describe('Mesh traffic and Canary dashboards against Envoy stand-ins and the real pingers', () => {
  it('have queries to check', () => {
    expect(meshQueries.length).toBeGreaterThan(10);
    expect(canaryQueries.length).toBeGreaterThan(5);
  });

  it.each(
    [...meshQueries, ...canaryQueries].map(
      (query) => [`${query.file} ${query.panel} ${query.refId}`, query] as const,
    ),
  )('%s returns data', async (_name, query) => {
    await waitFor(async () => (await results(query)).length > 0, {
      timeoutMs: 45_000,
      intervalMs: 1_000,
      what: `data for ${renderQuery(query)}`,
    });
  });

  it('Canary: the share per version is the frontend Envoy’s split', async () => {
    await panelValues(
      canaryQueries,
      'Share of requests per version (frontend’s Envoy)',
      'envoy_cluster_name',
      (share) => {
        expect(Object.keys(share).sort()).toEqual(['pinger-v1', 'pinger-v2']);
        expect(share['pinger-v1']).toBeCloseTo(0.8, 1);
        expect(share['pinger-v2']).toBeCloseTo(0.2, 1);
      },
    );
  });

  it('Canary: each version’s error ratio and p99 tell v2 from v1', async () => {
    await panelValues(canaryQueries, 'Error ratio (5xx) per version', 'envoy_cluster_name', (errors) => {
      expect(errors['pinger-v1']).toBeCloseTo(0.01, 1);
      expect(errors['pinger-v2']).toBeCloseTo(0.1, 1);
      expect(errors['pinger-v2']).toBeGreaterThan((errors['pinger-v1'] ?? 1) * 3);
    });
    await panelValues(canaryQueries, 'Latency p99 per version', 'envoy_cluster_name', (p99) => {
      expect(p99['pinger-v1']).toBeLessThanOrEqual(50);
      expect(p99['pinger-v2']).toBeGreaterThan(500);
    });
  });

  it('Canary: the pingers’ own metrics see both versions, shares adding up to 1', async () => {
    await panelValues(
      canaryQueries,
      'Share of requests per version (pinger’s own metrics)',
      'version',
      (share) => {
        expect(Object.keys(share).sort()).toEqual(['v1', 'v2']);
        expect((share['v1'] ?? 0) + (share['v2'] ?? 0)).toBeCloseTo(1, 5);
        expect(share['v1']).toBeGreaterThan(share['v2'] ?? 1);
      },
    );
  });

  it('Mesh: requests in count the inbound listener only, not the stats or outbound listeners', async () => {
    await panelValues(meshQueries, 'Requests in by service', 'app', (rates) => {
      expect(Object.keys(rates).sort()).toEqual(['details', 'frontend', 'pinger']);
      // details takes 2 req/s; with Prometheus's one scrape a second counted it would read 3.
      expect(rates['details']).toBeGreaterThan(1.7);
      expect(rates['details']).toBeLessThan(2.3);
      expect(rates['pinger']).toBeGreaterThan(18);
      expect(rates['pinger']).toBeLessThan(22);
      // frontend takes 20 req/s; its outbound listeners would add 22.
      expect(rates['frontend']).toBeGreaterThan(18);
      expect(rates['frontend']).toBeLessThan(22);
    });
  });

  it('Mesh: requests out are the service clusters, not the sidecar’s own app', async () => {
    await panelValues(
      meshQueries,
      'Requests out by caller and upstream cluster',
      'envoy_cluster_name',
      (rates) => expect(Object.keys(rates).sort()).toEqual(['details', 'pinger-v1', 'pinger-v2']),
    );
  });
});
