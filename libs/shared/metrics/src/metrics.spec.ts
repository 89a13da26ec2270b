import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServerMetrics, UNMATCHED_ROUTE } from './http-server-metrics';
import { metricsHandler } from './metrics-handler';
import { createProbeMetrics } from './probe-metrics';
import { createRegistry } from './registry';

/** The value of one sample in exposition text, whatever the label order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function listen(app: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('createRegistry', () => {
  it('puts service and version labels on every metric, process metrics included', async () => {
    const registry = createRegistry({ service: 'pinger', version: 'v2' });
    const text = await registry.metrics();
    expect(text).toContain('nodejs_heap_size_used_bytes{service="pinger",version="v2"}');
  });

  it('leaves out the default gauges named like counters, which promtool rejects', async () => {
    const text = await createRegistry({ service: 'pinger', version: 'v2' }).metrics();
    expect(text).not.toMatch(/^nodejs_active_\w+_total/m);
    expect(text).toMatch(/^# TYPE nodejs_active_handles gauge/m);
  });

  it('can leave out process metrics', async () => {
    const registry = createRegistry({ service: 'pinger', version: 'v2' }, { processMetrics: false });
    expect(await registry.metrics()).not.toContain('process_');
  });
});

describe('HTTP server metrics', () => {
  it('observe each request under its route template and status, unmatched routes under one label', async () => {
    const registry = createRegistry({ service: 'svc', version: 'v1' }, { processMetrics: false });
    const { observe } = createHttpServerMetrics(registry);
    const app = express();
    app.use((req, res, next) => {
      res.once('finish', () => observe(req, res, 0.002));
      next();
    });
    const router = express.Router();
    router.get('/users/:id', (_req, res) => {
      res.status(201).end();
    });
    app.use('/api', router);
    app.get('/metrics', metricsHandler(registry));
    const server = await listen(app);
    try {
      await fetch(`${server.url}/api/users/1`);
      await fetch(`${server.url}/api/users/2`);
      await fetch(`${server.url}/random/123`);
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const count = (route: string, status_code: string) =>
        sample(text, 'http_request_duration_seconds_count', {
          service: 'svc',
          version: 'v1',
          method: 'GET',
          route,
          status_code,
        });
      expect(count('/api/users/:id', '201')).toBe(2);
      expect(count(UNMATCHED_ROUTE, '404')).toBe(1);
      expect(text).not.toContain('/random/123');
    } finally {
      await server.close();
    }
  });
});

describe('probe metrics', () => {
  it('count probes by target and result and track the number of targets', async () => {
    const registry = createRegistry({ service: 'pinger', version: 'v1' }, { processMetrics: false });
    const probe = createProbeMetrics(registry);
    probe.probes.inc({ target: 'http://a/', result: 'success' });
    probe.probes.inc({ target: 'http://a/', result: 'failure' });
    probe.duration.observe({ target: 'http://a/' }, 0.02);
    probe.targets.set(3);
    const text = await registry.metrics();
    const identity = { service: 'pinger', version: 'v1' };
    expect(sample(text, 'pinger_probes_total', { ...identity, target: 'http://a/', result: 'success' })).toBe(
      1,
    );
    expect(sample(text, 'pinger_probes_total', { ...identity, target: 'http://a/', result: 'failure' })).toBe(
      1,
    );
    expect(
      sample(text, 'pinger_probe_duration_seconds_bucket', { ...identity, target: 'http://a/', le: '0.01' }),
    ).toBe(0);
    expect(
      sample(text, 'pinger_probe_duration_seconds_bucket', { ...identity, target: 'http://a/', le: '0.025' }),
    ).toBe(1);
    expect(sample(text, 'pinger_targets', identity)).toBe(3);
  });
});
