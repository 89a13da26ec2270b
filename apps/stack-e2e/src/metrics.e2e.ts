import { waitFor } from '@learnathon/process';
import { PROMTOOL_BINARY, requireBinary, startPrometheus, type RunningPrometheus } from '@learnathon/testing';
import { execFileSync } from 'node:child_process';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const services = () =>
  [
    ['frontend', 'v1', stack.frontend],
    ['pinger', 'v1', stack.pingerV1],
    ['pinger', 'v2', stack.pingerV2],
    ['details', 'v1', stack.details],
  ] as const;

describe('/metrics of every service', () => {
  it('passes `promtool check metrics` and carries the RED histogram with service and version labels', async () => {
    const promtool = requireBinary(PROMTOOL_BINARY, 'prometheus');
    await fetch(`${stack.frontend}/ping/stats`);
    for (const [service, version, base] of services()) {
      const text = await (await fetch(`${base}/metrics`)).text();
      // promtool prints lint findings and exits non-zero on any problem.
      const findings = execFileSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(findings).toBe('');
      expect(text).toMatch(
        new RegExp(
          `^http_request_duration_seconds_bucket\\{.*service="${service}",version="${version}"`,
          'm',
        ),
      );
    }
  });

  it('pinger exposes its probe metrics; frontend its client metrics per upstream', async () => {
    const pinger = await (await fetch(`${stack.pingerV1}/metrics`)).text();
    expect(pinger).toMatch(/^pinger_probes_total\{.*result="success"/m);
    expect(pinger).toMatch(/^pinger_probe_duration_seconds_bucket\{/m);
    await fetch(`${stack.frontend}/url/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${stack.pingerV1}/healthz` }),
    });
    const frontend = await (await fetch(`${stack.frontend}/metrics`)).text();
    expect(frontend).toMatch(/^http_client_request_duration_seconds_count\{.*upstream="pinger"/m);
    expect(frontend).toMatch(/^http_client_request_duration_seconds_count\{.*upstream="details"/m);
  });
});

describe('a real Prometheus scraping the local stack', () => {
  let prometheus: RunningPrometheus;
  afterAll(async () => {
    await prometheus?.stop();
  });

  it("sees each service's request rate, by service and version", async () => {
    const target = (base: string) => new URL(base).host;
    const job = (name: string, ...bases: string[]) => ({
      job_name: name,
      static_configs: [{ targets: bases.map(target) }],
    });
    const config = {
      global: { scrape_interval: '1s' },
      scrape_configs: [
        job('frontend', stack.frontend),
        job('pinger', stack.pingerV1, stack.pingerV2),
        job('details', stack.details),
      ],
    };
    prometheus = await startPrometheus({ config: JSON.stringify(config) });
    const traffic = setInterval(() => {
      void fetch(`${stack.frontend}/ping/stats`).catch(() => undefined);
      void fetch(`${stack.pingerV2}/ping/urls`).catch(() => undefined);
      void fetch(`${stack.frontend}/url/info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${stack.details}/healthz` }),
      }).catch(() => undefined);
    }, 100);
    try {
      const expected = services()
        .map(([service, version]) => `${service}/${version}`)
        .sort();
      const seen = await waitFor(
        async () => {
          const result = await prometheus.query(
            'sum by (service, version) (rate(http_request_duration_seconds_count[10s])) > 0',
          );
          const keys = (result.data?.result ?? [])
            .map((s) => `${s.metric['service']}/${s.metric['version']}`)
            .sort();
          return JSON.stringify(keys) === JSON.stringify(expected) ? keys : undefined;
        },
        { timeoutMs: 40_000, intervalMs: 1_000, what: `a request rate for ${expected.join(', ')}` },
      );
      expect(seen).toEqual(expected);
      const up = await prometheus.query('up');
      expect((up.data?.result ?? []).map((s) => s.value?.[1])).toEqual(['1', '1', '1', '1']);
    } finally {
      clearInterval(traffic);
    }
  });
});
