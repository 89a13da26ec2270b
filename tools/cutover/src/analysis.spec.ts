import { freePort, startProcess, waitFor, type ProcessHandle } from '@learnathon/process';
import {
  startEnvoyStandIn,
  startPrometheus,
  type EnvoyStandIn,
  type RunningPrometheus,
} from '@learnathon/testing';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  analyse,
  buildQueries,
  checkPrometheus,
  judge,
  PrometheusError,
  queryScalar,
  scrapedConfigHash,
} from './analysis';
import type { AnalysisOptions } from './args';

/**
 * The analysis against a real Prometheus (the Debian package) scraping real pinger processes built
 * from this repo, as it would scrape the pods in the cluster. One Prometheus serves every case: the
 * faulty pinger (a v2 started with FAULT_ERROR_PERCENT) gets version "v3" by metric relabelling, so
 * its series stay apart from the healthy v2's, like a separate release; pinger v1 gets no traffic.
 */
const workspaceRoot = path.resolve(__dirname, '../../..');
const pingerMain = path.join(workspaceRoot, 'dist/apps/pinger/main.js');
const WINDOW_MS = 10_000;

let prometheus: RunningPrometheus;
let envoy: EnvoyStandIn;
const pingers: ProcessHandle[] = [];
let traffic: NodeJS.Timeout | undefined;
let supervisor: Server;

const options = (overrides: Partial<AnalysisOptions> = {}): AnalysisOptions => ({
  prometheusUrl: prometheus.baseUrl,
  source: 'app',
  intervalMs: WINDOW_MS,
  maxErrorRatio: 0.05,
  maxP99Ms: 500,
  minRequests: 20,
  maxInconclusive: 3,
  ...overrides,
});

async function startPinger(version: string, env: Record<string, string> = {}): Promise<number> {
  if (!existsSync(pingerMain))
    throw new Error(`${pingerMain} is missing: run \`npx nx run pinger:build\` (the test target does)`);
  const port = await freePort();
  pingers.push(
    await startProcess({
      script: pingerMain,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        PINGER_VERSION: version,
        PINGER_INTERVAL_MS: '1000',
        ...env,
      },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    }),
  );
  return port;
}

beforeAll(async () => {
  const [idle, healthy, faulty] = [
    await startPinger('v1'),
    await startPinger('v2'),
    await startPinger('v2', { FAULT_ERROR_PERCENT: '40' }),
  ];
  // The frontend sidecar's Envoy: its clusters count only what the test records.
  const quiet = { requestsPerSecond: 0 };
  envoy = await startEnvoyStandIn({
    inbound: { statPrefix: 'inbound', localCluster: 'local-app', ...quiet },
    clusters: { 'pinger-v1': quiet, 'pinger-v2': quiet, 'pinger-v3': quiet },
  });
  // The sidecar supervisor's info metric, as Prometheus scrapes it from a frontend pod.
  supervisor = createServer((_req, res) =>
    res.end(`envoy_sidecar_config_info{hash="${'c'.repeat(64)}"} 1\n`),
  );
  await new Promise<void>((resolve) => supervisor.listen(0, '127.0.0.1', resolve));
  const supervisorPort = (supervisor.address() as AddressInfo).port;
  const scrape = (job: string, target: string, relabel: object[] = []) => ({
    job_name: job,
    static_configs: [{ targets: [target] }],
    metric_relabel_configs: relabel,
  });
  const config = {
    global: { scrape_interval: '1s' },
    scrape_configs: [
      scrape('pinger-idle', `127.0.0.1:${idle}`),
      scrape('pinger-healthy', `127.0.0.1:${healthy}`),
      scrape('pinger-faulty', `127.0.0.1:${faulty}`, [
        { source_labels: ['version'], regex: 'v2', target_label: 'version', replacement: 'v3' },
      ]),
      { ...scrape('envoy', envoy.target), metrics_path: '/stats/prometheus' },
      {
        job_name: 'sidecar',
        static_configs: [
          {
            targets: [`127.0.0.1:${supervisorPort}`],
            labels: { namespace: 'learnathon', pod: 'frontend-a' },
          },
        ],
      },
    ],
  };
  prometheus = await startPrometheus({ config: JSON.stringify(config) });
  // Steady user traffic to both v2s (the faulty one fails 40% of it) and the same through "Envoy".
  traffic = setInterval(() => {
    for (const port of [healthy, faulty])
      void fetch(`http://127.0.0.1:${port}/ping/urls`).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
    envoy.record('pinger-v2', 200, 3, 5);
    envoy.record('pinger-v3', 200, 4, 3);
    envoy.record('pinger-v3', 503, 2, 2);
  }, 50);
  const v2Requests = buildQueries('app', 'pinger-v2', WINDOW_MS).requests;
  const v3Requests = buildQueries('envoy', 'pinger-v3', WINDOW_MS).requests;
  await waitFor(
    async () =>
      ((await queryScalar(prometheus.baseUrl, v2Requests)) ?? 0) >= 50 &&
      ((await queryScalar(prometheus.baseUrl, v3Requests)) ?? 0) >= 50,
    {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'Prometheus to have scraped the traffic',
    },
  );
}, 60_000);

afterAll(async () => {
  clearInterval(traffic);
  await Promise.all(pingers.map((pinger) => pinger.stop()));
  await prometheus?.stop();
  await envoy?.stop();
  await new Promise((resolve) => supervisor?.close(resolve));
});

describe('source app (the services own RED metrics)', () => {
  it('promotes a healthy version: enough requests, no errors, p99 under the limit', async () => {
    const analysis = await analyse('pinger-v2', options());
    expect(analysis.verdict).toBe('healthy');
    const [requests, errorRatio, p99] = analysis.measurements;
    expect(requests?.value).toBeGreaterThanOrEqual(20);
    expect(errorRatio?.value).toBe(0);
    expect(p99?.value).toBeGreaterThan(0);
    expect(p99?.value).toBeLessThan(500);
  });

  it('fails a version that answers 500 to a share of requests (fault injection)', async () => {
    const analysis = await analyse('pinger-v3', options());
    expect(analysis.verdict).toBe('failed');
    const errorRatio = analysis.measurements.find((m) => m.name === 'error ratio');
    expect(errorRatio?.value).toBeGreaterThan(0.2);
    expect(errorRatio?.value).toBeLessThan(0.6);
    expect(errorRatio?.judgement).toMatch(/> 5% \(--max-error-ratio\)/);
  });

  it('is inconclusive, never healthy, for a version with no traffic (probes and scrapes do not count)', async () => {
    const analysis = await analyse('pinger-v1', options());
    expect(analysis.verdict).toBe('inconclusive');
    expect(analysis.measurements.map((m) => m.judgement)).toEqual([
      'no data',
      'no data (or NaN)',
      'no data (or NaN)',
    ]);
  });

  it('fails on latency when p99 is above --max-p99', async () => {
    const analysis = await analyse('pinger-v2', options({ maxP99Ms: 0.001 }));
    expect(analysis.verdict).toBe('failed');
    expect(analysis.measurements.find((m) => m.name === 'p99')?.verdict).toBe('failed');
  });
});

describe('source envoy (Flagger-style queries on the sidecar cluster stats)', () => {
  it('promotes the healthy cluster and fails the one answering 503', async () => {
    const healthy = await analyse('pinger-v2', options({ source: 'envoy' }));
    expect(healthy.verdict).toBe('healthy');
    expect(healthy.measurements.find((m) => m.name === 'p99')?.value).toBeLessThanOrEqual(5);
    const faulty = await analyse('pinger-v3', options({ source: 'envoy' }));
    expect(faulty.verdict).toBe('failed');
    expect(faulty.measurements.find((m) => m.name === 'error ratio')?.value).toBeCloseTo(0.4, 1);
  });

  it('is inconclusive for a cluster with no responses: its series do not exist yet', async () => {
    const analysis = await analyse('pinger-v1', options({ source: 'envoy' }));
    expect(analysis.verdict).toBe('inconclusive');
    expect(analysis.measurements.every((m) => m.value === undefined || m.value === 0)).toBe(true);
  });
});

describe('Prometheus itself', () => {
  it("reads a pod's sidecar config hash from the supervisor's info metric, and nothing for an unknown pod", async () => {
    await expect(scrapedConfigHash(prometheus.baseUrl, 'learnathon', 'frontend-a')).resolves.toBe(
      'c'.repeat(64),
    );
    await expect(scrapedConfigHash(prometheus.baseUrl, 'learnathon', 'frontend-z')).resolves.toBeUndefined();
  });

  it('accepts a reachable Prometheus and names an unreachable one', async () => {
    await expect(checkPrometheus(prometheus.baseUrl)).resolves.toBeUndefined();
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(checkPrometheus(closed)).rejects.toThrow(
      new PrometheusError(`cannot reach Prometheus at ${closed} (ECONNREFUSED)`),
    );
  });

  it('reports a rejected query instead of judging it', async () => {
    await expect(queryScalar(prometheus.baseUrl, 'sum(')).rejects.toThrow(/Prometheus rejected the query/);
  });
});

describe('judge', () => {
  const queries = buildQueries('app', 'pinger-v2', 60_000);
  const limits = {
    prometheusUrl: '',
    source: 'app' as const,
    intervalMs: 60_000,
    maxErrorRatio: 0.01,
    maxP99Ms: 200,
    minRequests: 10,
    maxInconclusive: 3,
  };

  it('treats too few requests as inconclusive even when the values would fail', () => {
    expect(judge({ requests: 3, errorRatio: 1, p99Ms: 900 }, queries, limits).verdict).toBe('inconclusive');
  });

  it('treats a missing value as inconclusive when there are requests', () => {
    expect(judge({ requests: 100, errorRatio: 0, p99Ms: undefined }, queries, limits).verdict).toBe(
      'inconclusive',
    );
  });

  it('accepts values at the limits', () => {
    const analysis = judge({ requests: 10, errorRatio: 0.01, p99Ms: 200 }, queries, limits);
    expect(analysis.verdict).toBe('healthy');
    expect(analysis.summary).toBe(
      'requests 10 >= 10 (--min-requests), error ratio 1% <= 1% (--max-error-ratio), p99 200 ms <= 200 ms (--max-p99)',
    );
  });

  it('builds app queries that leave probes and scrapes out and Envoy queries on the cluster', () => {
    expect(queries.requests).toBe(
      'sum(increase(http_request_duration_seconds_count{service="pinger",version="v2",route!~"/healthz|/readyz|/metrics"}[60s]))',
    );
    expect(buildQueries('envoy', 'pinger-v2', 120_000).p99Ms).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="pinger-v2"}[120s])))',
    );
  });
});
