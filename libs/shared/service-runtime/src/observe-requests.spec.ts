import { createHttpServerMetrics, createRegistry, type Registry } from '@learnathon/metrics';
import { startTracing, tracingMiddleware, type Tracing } from '@learnathon/tracing';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogLevel } from './config';
import { observeRequests, SLOW_REQUEST_MS } from './observe-requests';
import { captureLogs, type CapturedLogs } from '@learnathon/testing';
import { createLogger, type Logger } from './logger';

let tracing: Tracing;
beforeAll(() => {
  tracing = startTracing({ service: 'demo', version: 'v9' }, {});
});
afterAll(() => tracing.shutdown());

interface Observed {
  url: string;
  registry: Registry;
  captured: CapturedLogs<Logger>;
  close(): Promise<unknown>;
}

async function startObserved(level: LogLevel): Promise<Observed> {
  const captured = captureLogs((destination) =>
    createLogger({ service: 'demo', version: 'v9', level, destination }),
  );
  const registry = createRegistry({ service: 'demo', version: 'v9' });
  const app = express();
  app.use(tracingMiddleware());
  app.use(
    observeRequests({ version: 'v9', metrics: createHttpServerMetrics(registry), logger: captured.logger }),
  );
  app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/broken', (_req, res) => {
    res.status(503).json({ error: 'down' });
  });
  app.get('/slow', (_req, res) => {
    setTimeout(() => res.json({ slow: true }), SLOW_REQUEST_MS);
  });
  for (const path of ['/healthz', '/readyz', '/metrics']) app.get(path, (_req, res) => res.json({ path }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, registry, captured, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** node:http rather than fetch, which keeps timers of its own that fake timers would stall. */
function get(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res));
      })
      .on('error', reject);
  });
}

const requestLines = (observed: Observed) =>
  observed.captured.lines().filter((line) => line['msg'] === 'request');

describe('observeRequests', () => {
  let observed: Observed;
  afterEach(async () => {
    jest.useRealTimers();
    await observed.close();
  });

  it('sets x-service-version on every response, unknown routes included', async () => {
    observed = await startObserved('info');
    for (const path of ['/items/1', '/healthz', '/nope'])
      expect((await get(`${observed.url}${path}`)).headers['x-service-version']).toBe('v9');
  });

  it('records the RED histogram by route template, never the raw path', async () => {
    observed = await startObserved('info');
    await get(`${observed.url}/items/42`);
    await get(`${observed.url}/items/43`);
    await get(`${observed.url}/no/such/path`);
    const metrics = await observed.registry.metrics();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{service="demo",version="v9",method="GET",route="\/items\/:id",status_code="200"\} 2/,
    );
    expect(metrics).toMatch(/route="unmatched",status_code="404"\} 1/);
    expect(metrics).not.toContain('/items/42');
  });

  it('at info, logs server errors and slow requests only: routine lines would put logging on the hot path', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    observed = await startObserved('info');
    await get(`${observed.url}/items/7`);
    await get(`${observed.url}/nope`);
    await get(`${observed.url}/broken`);
    const slow = get(`${observed.url}/slow`);
    while (jest.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    await jest.advanceTimersByTimeAsync(SLOW_REQUEST_MS);
    await slow;
    expect(requestLines(observed)).toEqual([
      expect.objectContaining({ level: 'info', route: '/broken', status_code: 503, method: 'GET' }),
      expect.objectContaining({
        level: 'info',
        route: '/slow',
        status_code: 200,
        duration_ms: SLOW_REQUEST_MS,
      }),
    ]);
  });

  it('at debug, logs every request but probes and scrapes, with the trace id continued from traceparent', async () => {
    observed = await startObserved('debug');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await get(`${observed.url}/items/7`, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    for (const path of ['/healthz', '/readyz', '/metrics']) await get(`${observed.url}${path}`);
    expect(requestLines(observed)).toEqual([
      {
        level: 'debug',
        time: expect.any(String),
        service: 'demo',
        version: 'v9',
        trace_id: traceId,
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
        method: 'GET',
        route: '/items/:id',
        status_code: 200,
        duration_ms: expect.any(Number),
        msg: 'request',
      },
    ]);
  });
});
