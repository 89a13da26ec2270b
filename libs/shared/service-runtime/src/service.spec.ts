import http from 'node:http';
import type { FaultInjection, LogLevel } from './config';
import { HttpError } from './errors';
import { Service, type RunningService } from './service';
import { captureLogs } from '@learnathon/testing';
import { createLogger } from './logger';

const baseOptions = {
  name: 'demo',
  version: 'v9',
  port: 0,
  host: '127.0.0.1',
  logLevel: 'info' as const,
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 2_000,
  handleSignals: false,
};

type DemoOverrides = Partial<Omit<typeof baseOptions, 'logLevel'>> & {
  logLevel?: LogLevel;
  faults?: FaultInjection;
  bodyLimit?: string;
};

async function startDemo(overrides: DemoOverrides = {}) {
  const captured = captureLogs((destination) =>
    createLogger({ service: 'demo', version: 'v9', level: overrides.logLevel ?? 'info', destination }),
  );
  const service = new Service({ ...baseOptions, ...overrides, logger: captured.logger });
  service.app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  service.app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  service.app.get('/body-seen', (req, res) => {
    res.json({ parsed: req.body !== undefined });
  });
  service.app.get('/fail', () => {
    throw new Error('secret database password in stack');
  });
  service.app.get('/teapot', () => {
    throw new HttpError(418, 'teapot', 'short and stout');
  });
  const running = await service.listen();
  return { service, running, captured };
}

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

/** A GET with a JSON body, which fetch refuses to send. */
function getWithBody(url: string, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'GET', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('Service', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let running: RunningService;

  beforeEach(async () => {
    demo = await startDemo();
    running = demo.running;
  });
  afterEach(async () => {
    await running.stop();
  });

  it('serves health, readiness and metrics beside the app routes, with x-service-version on every response', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/items/1', '/nope']) {
      const response = await fetch(`${running.url}${path}`);
      expect(response.headers.get('x-service-version')).toBe('v9');
    }
    expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${running.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('exposes its own registry: request metrics by route and process metrics, labelled with service and version', async () => {
    await fetch(`${running.url}/items/42`);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{service="demo",version="v9",method="GET",route="\/items\/:id",status_code="200"\} 1/,
    );
    expect(metrics).toContain('process_cpu_user_seconds_total{service="demo",version="v9"}');
    expect(await demo.service.registry.metrics()).toContain('route="/items/:id"');
  });

  it('answers unknown routes and errors as JSON, hiding internal ones', async () => {
    const notFound = await fetch(`${running.url}/nope`);
    expect([notFound.status, await notFound.json()]).toEqual([
      404,
      { error: 'not_found', message: 'No route for GET /nope' },
    ]);
    const teapot = await fetch(`${running.url}/teapot`);
    expect([teapot.status, await teapot.json()]).toEqual([
      418,
      { error: 'teapot', message: 'short and stout' },
    ]);
    const failed = await fetch(`${running.url}/fail`);
    expect([failed.status, await failed.json()]).toEqual([
      500,
      { error: 'internal_error', message: 'Internal server error' },
    ]);
  });

  it('parses JSON bodies up to 16 kB, and skips the parser for GET', async () => {
    expect(await (await post(`${running.url}/echo`, '{"url":"http://a/"}')).json()).toEqual({
      url: 'http://a/',
    });
    expect((await post(`${running.url}/echo`, '{"url": ')).status).toBe(400);
    expect((await post(`${running.url}/echo`, JSON.stringify({ pad: 'x'.repeat(16 * 1024) }))).status).toBe(
      413,
    );
    expect(await getWithBody(`${running.url}/body-seen`, '{"a":1}')).toEqual({ parsed: false });
  });

  it('reports the port actually bound', async () => {
    expect(running.port).toBeGreaterThan(0);
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
  });
});

describe('Service options', () => {
  it('bodyLimit raises the largest accepted body', async () => {
    const { running } = await startDemo({ bodyLimit: '64kb' });
    try {
      const body = JSON.stringify({ pad: 'x'.repeat(32 * 1024) });
      expect((await post(`${running.url}/echo`, body)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  it('listen() rejects when the port is taken', async () => {
    const { running } = await startDemo();
    try {
      const second = new Service({
        ...baseOptions,
        port: running.port,
        logger: captureLogs((destination) =>
          createLogger({ service: 'test', version: 'v0', level: 'debug', destination }),
        ).logger,
      });
      await expect(second.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await running.stop();
    }
  });
});

describe('stop()', () => {
  it('drains, then runs the onShutdown hooks in order, once however often it is called', async () => {
    const service = new Service({
      ...baseOptions,
      logger: captureLogs((destination) =>
        createLogger({ service: 'test', version: 'v0', level: 'debug', destination }),
      ).logger,
    });
    const calls: string[] = [];
    service.onShutdown(() => {
      calls.push('first');
    });
    service.onShutdown(async () => {
      calls.push('second');
    });
    const running = await service.listen();
    const [first, again] = [running.stop(), running.stop()];
    expect(await first).toBe(0);
    expect(await again).toBe(0);
    expect(calls).toEqual(['first', 'second']);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });
});

describe('fault injection', () => {
  it('is off unless asked for', async () => {
    const demo = await startDemo();
    try {
      expect((await fetch(`${demo.running.url}/items/1`)).status).toBe(200);
      expect(demo.captured.lines().some((line) => line['level'] === 'warn')).toBe(false);
    } finally {
      await demo.running.stop();
    }
  });

  it('when on, warns at start and fails app routes, counted in the RED metrics, but not probes or scrapes', async () => {
    const demo = await startDemo({ faults: { errorPercent: 100, delayMs: 0, delayPercent: 100 } });
    try {
      const failed = await fetch(`${demo.running.url}/items/1`);
      expect(failed.status).toBe(500);
      expect(failed.headers.get('x-service-version')).toBe('v9');
      expect(await failed.json()).toMatchObject({ error: 'injected_fault' });
      expect((await fetch(`${demo.running.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${demo.running.url}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${demo.running.url}/metrics`)).text();
      expect(metrics).toMatch(/method="GET",route="unmatched",status_code="500"\} 1/);
      expect(demo.captured.lines()[0]).toMatchObject({ level: 'warn', fault_error_percent: 100 });
    } finally {
      await demo.running.stop();
    }
  });
});

describe('service.upstream()', () => {
  it("gives a client whose calls land in the service's /metrics and continue the request's trace", async () => {
    const backend = http.createServer((req, res) => res.end(String(req.headers['traceparent'])));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
    const service = new Service({
      ...baseOptions,
      logger: captureLogs((destination) =>
        createLogger({ service: 'test', version: 'v0', level: 'debug', destination }),
      ).logger,
    });
    const client = service.upstream({ name: 'backend', baseURL, timeoutMs: 1_000 });
    service.app.get('/call', async (_req, res) => {
      res.json({ sent: (await client.request('GET', '/data')).body });
    });
    const running = await service.listen();
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const answer = await fetch(`${running.url}/call`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      expect((await answer.json()) as unknown).toEqual({ sent: expect.stringContaining(`00-${traceId}-`) });
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      expect(metrics).toMatch(
        /http_client_request_duration_seconds_count\{service="demo",version="v9",upstream="backend",method="GET",status_code="200"\} 1/,
      );
    } finally {
      await running.stop();
      await new Promise((resolve) => backend.close(resolve));
    }
  });
});
