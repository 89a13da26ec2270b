import { ENVOY_BUCKETS_MS, SidecarStats, startEnvoyStandIn } from './envoy-stats-stand-in';

const traffic = {
  inbound: { statPrefix: 'inbound', localCluster: 'local-app', requestsPerSecond: 10, errorRatio: 0.1 },
  clusters: { 'pinger-v1': { requestsPerSecond: 5, latenciesMs: [3, 700] }, idle: { requestsPerSecond: 0 } },
};

/** Every sample of a scrape as `name{labels}` → value. */
const samples = (text: string) =>
  new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );

describe('SidecarStats (the Envoy stats stand-in’s counters)', () => {
  it('counts the given rate over elapsed time, with exact error shares', () => {
    const stats = new SidecarStats(traffic);
    stats.advance(10);
    const values = samples(stats.scrape());
    expect(values.get('envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix="inbound"}')).toBe(100);
    expect(
      values.get(
        'envoy_http_downstream_rq_xx{envoy_response_code_class="5",envoy_http_conn_manager_prefix="inbound"}',
      ),
    ).toBe(10);
    expect(
      values.get('envoy_cluster_upstream_rq{envoy_response_code="503",envoy_cluster_name="local-app"}'),
    ).toBe(10);
    expect(values.get('envoy_cluster_upstream_rq_total{envoy_cluster_name="pinger-v1"}')).toBe(50);
  });

  it('keeps histograms cumulative, in milliseconds, with Envoy’s bounds and +Inf', () => {
    const stats = new SidecarStats(traffic);
    stats.advance(2);
    const values = samples(stats.scrape());
    const bucket = (le: string) =>
      values.get(`envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="pinger-v1",le="${le}"}`);
    expect(ENVOY_BUCKETS_MS.slice(0, 3)).toEqual([0.5, 1, 5]);
    expect([bucket('1'), bucket('5'), bucket('500'), bucket('1000'), bucket('+Inf')]).toEqual([
      0, 5, 5, 10, 10,
    ]);
    expect(values.get('envoy_cluster_upstream_rq_time_sum{envoy_cluster_name="pinger-v1"}')).toBe(
      5 * 3 + 5 * 700,
    );
  });

  it('creates a cluster’s per-code, per-class and time series only with its first response, like Envoy', () => {
    const text = new SidecarStats(traffic).scrape();
    expect(text).toContain('envoy_cluster_upstream_rq_total{envoy_cluster_name="idle"} 0');
    expect(text).not.toMatch(/envoy_cluster_upstream_rq(_xx|_time_bucket)?\{[^}]*envoy_cluster_name="idle"/);
    expect(text).toContain(
      'envoy_http_downstream_rq_xx{envoy_response_code_class="1",envoy_http_conn_manager_prefix="inbound"} 0',
    );
    expect(text).toContain('envoy_server_live{} 1');
  });

  it('records responses on a cluster by hand, and refuses a cluster it does not have', () => {
    const stats = new SidecarStats(traffic);
    stats.record('idle', 503, 40, 3);
    stats.record('idle', 200, 2);
    const values = samples(stats.scrape());
    expect(values.get('envoy_cluster_upstream_rq_total{envoy_cluster_name="idle"}')).toBe(4);
    expect(values.get('envoy_cluster_upstream_rq{envoy_response_code="503",envoy_cluster_name="idle"}')).toBe(
      3,
    );
    expect(values.get('envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="idle",le="50"}')).toBe(4);
    expect(values.get('envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="idle",le="1"}')).toBe(0);
    expect(() => stats.record('pinger-v9', 200, 1)).toThrow("the stand-in has no cluster 'pinger-v9'");
  });

  it('counts each scrape on the stats listener’s own connection manager, and writes each TYPE once', () => {
    const stats = new SidecarStats(traffic);
    stats.scrape();
    const text = stats.scrape();
    expect(
      samples(text).get('envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix="envoy_stats"}'),
    ).toBe(2);
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('startEnvoyStandIn', () => {
  it('serves GET /stats/prometheus on 127.0.0.1 and nothing else', async () => {
    const standIn = await startEnvoyStandIn(traffic);
    try {
      expect(standIn.target).toMatch(/^127\.0\.0\.1:\d+$/);
      const stats = await fetch(`http://${standIn.target}/stats/prometheus`);
      expect(stats.status).toBe(200);
      expect(await stats.text()).toContain('# TYPE envoy_cluster_upstream_rq_total counter');
      expect((await fetch(`http://${standIn.target}/quitquitquit`, { method: 'POST' })).status).toBe(404);
    } finally {
      await standIn.stop();
    }
  });
});
