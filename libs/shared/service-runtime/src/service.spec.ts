import http from 'node:http';
import type { FaultInjection, LogLevel } from './config';
import { HttpError } from './errors';
import { Service, type RunningService } from './service';
import { captureLogger } from './testing';

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

async function startDemo(
  overrides: Partial<Omit<typeof baseOptions, 'logLevel'>> & {
    logLevel?: LogLevel;
    faults?: FaultInjection;
  } = {},
) {
  const captured = captureLogger('demo', 'v9', overrides.logLevel ?? 'info');
  const service = new Service({ ...baseOptions, ...overrides, logger: captured.logger });
  let releaseSlow: () => void = () => undefined;
  service.app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  service.app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  service.app.get('/fail', () => {
    throw new Error('secret database password in stack');
  });
  service.app.get('/teapot', () => {
    throw new HttpError(418, 'teapot', 'short and stout');
  });
  service.app.get('/slow', (_req, res) => {
    releaseSlow = () => res.json({ slow: true });
  });
  const running = await service.listen();
  return { service, running, captured, release: () => releaseSlow() };
}

const post = (url: string, body: string, contentType = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

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

  it('answers health, readiness and metrics, with x-service-version on every response', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/items/1', '/nope']) {
      const response = await fetch(`${running.url}${path}`);
      expect(response.headers.get('x-service-version')).toBe('v9');
    }
    expect(await (await fetch(`${running.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('labels request metrics with the route template, not the raw path', async () => {
    await fetch(`${running.url}/items/42`);
    await fetch(`${running.url}/items/43`);
    await fetch(`${running.url}/no/such/path`);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{service="demo",version="v9",method="GET",route="\/items\/:id",status_code="200"\} 2/,
    );
    expect(metrics).toMatch(/route="unmatched",status_code="404"\} 1/);
    expect(metrics).not.toContain('/items/42');
    expect(metrics).toContain('process_cpu_user_seconds_total{service="demo",version="v9"}');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${running.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', message: 'No route for GET /nope' });
  });

  it('answers malformed JSON with a JSON 400 and oversized bodies with 413', async () => {
    const malformed = await post(`${running.url}/echo`, '{"url": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: 'bad_request',
      message: 'Request body is not valid JSON',
    });

    const oversized = await post(`${running.url}/echo`, JSON.stringify({ pad: 'x'.repeat(64 * 1024) }));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toEqual({
      error: 'payload_too_large',
      message: 'Request body is too large',
    });
  });

  it('hides internal errors from clients but logs them', async () => {
    const response = await fetch(`${running.url}/fail`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: 'internal_error', message: 'Internal server error' });
    expect(body).not.toContain('secret');
    expect(demo.captured.lines().some((line) => line['msg'] === 'request failed')).toBe(true);
  });

  it('keeps the status and code of an HttpError', async () => {
    const response = await fetch(`${running.url}/teapot`);
    expect(response.status).toBe(418);
    expect(await response.json()).toEqual({ error: 'teapot', message: 'short and stout' });
  });

  it('at info, logs server errors but not routine requests (they would put logging on the hot path)', async () => {
    await fetch(`${running.url}/items/7`);
    await fetch(`${running.url}/nope`);
    await fetch(`${running.url}/fail`);
    const requests = demo.captured.lines().filter((line) => line['msg'] === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ level: 'info', route: '/fail', status_code: 500, method: 'GET' });
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

describe('access log at debug', () => {
  it('logs one JSON line per request with route, status and a trace id continued from traceparent', async () => {
    const demo = await startDemo({ logLevel: 'debug' });
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      await fetch(`${demo.running.url}/items/7`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      await fetch(`${demo.running.url}/healthz`);
      const requests = demo.captured.lines().filter((line) => line['msg'] === 'request');
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({
        level: 'debug',
        route: '/items/:id',
        status_code: 200,
        method: 'GET',
        service: 'demo',
        version: 'v9',
        trace_id: traceId,
      });
    } finally {
      await demo.running.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('turns readiness off, lets the in-flight request finish, then stops accepting', async () => {
    const demo = await startDemo({ shutdownDelayMs: 300 });
    const { running } = demo;
    const agent = new http.Agent({ keepAlive: false });
    const inFlight = new Promise<number>((resolve, reject) => {
      http
        .get(`${running.url}/slow`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const stopped = running.stop();
    const readiness = await fetch(`${running.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'not-ready', failing: ['shutting-down'] });

    demo.release();
    expect(await inFlight).toBe(200);
    expect(await stopped).toBe(0);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it('cuts requests that outlive the timeout and reports an unclean exit', async () => {
    const demo = await startDemo({ shutdownTimeoutMs: 200 });
    const inFlight = fetch(`${demo.running.url}/slow`).then(
      () => 'answered',
      () => 'connection closed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await demo.running.stop()).toBe(1);
    expect(await inFlight).toBe('connection closed');
  });

  it('runs shutdown hooks after draining, in order', async () => {
    const captured = captureLogger();
    const service = new Service({ ...baseOptions, logger: captured.logger });
    const calls: string[] = [];
    service.onShutdown(() => {
      calls.push('first');
    });
    service.onShutdown(async () => {
      calls.push('second');
    });
    const running = await service.listen();
    expect(await running.stop()).toBe(0);
    expect(calls).toEqual(['first', 'second']);
  });
});

describe('service.upstream()', () => {
  it("gives a client whose calls land in the service's /metrics and continue the request's trace", async () => {
    const backend = http.createServer((req, res) => res.end(String(req.headers['traceparent'])));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
    const service = new Service({ ...baseOptions, logger: captureLogger().logger });
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
