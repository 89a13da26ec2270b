import { createRegistry } from '@learnathon/metrics';
import { createProbeMetrics } from './probe-metrics';
import { captureLogs } from '@learnathon/testing';
import { createLogger } from '@learnathon/service-runtime';
import type { AxiosInstance } from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { MAX_COUNTED_BYTES, PROBE_CONCURRENCY, Prober } from './prober';
import type { ProbeResult } from './stats';

let server: http.Server;
let base: string;
let hangingResponses: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok') res.end('hello');
    else if (req.url === '/error') res.writeHead(500).end('boom');
    else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
    else if (req.url === '/huge') res.end(Buffer.alloc(MAX_COUNTED_BYTES * 2));
    else hangingResponses.push(res); // '/hang' never answers
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  hangingResponses.forEach((res) => res.destroy());
  hangingResponses = [];
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function makeProber(urls: string[], results: ProbeResult[] = [], client?: AxiosInstance) {
  const registry = createRegistry({ service: 'pinger', version: 'v2' }, { processMetrics: false });
  const prober = new Prober({
    intervalMs: 50,
    timeoutMs: 300,
    urls: () => urls,
    onResult: (result) => results.push(result),
    metrics: createProbeMetrics(registry),
    logger: captureLogs((destination) =>
      createLogger({ service: 'test', version: 'v0', level: 'debug', destination }),
    ).logger,
    client,
  });
  return { prober, registry, results };
}

describe('Prober.probe', () => {
  it('records status, size and success for an answering URL, following redirects', async () => {
    const { prober } = makeProber([]);
    expect(await prober.probe(`${base}/ok`)).toMatchObject({ ok: true, statusCode: 200, responseSize: 5 });
    expect(await prober.probe(`${base}/redirect`)).toMatchObject({
      ok: true,
      statusCode: 200,
      responseSize: 5,
    });
  });

  it('counts a 5xx as a failure with its status', async () => {
    const { prober } = makeProber([]);
    expect(await prober.probe(`${base}/error`)).toMatchObject({ ok: false, statusCode: 500 });
  });

  it('stops counting bytes at the cap', async () => {
    const { prober } = makeProber([]);
    expect(await prober.probe(`${base}/huge`)).toMatchObject({ ok: true, responseSize: MAX_COUNTED_BYTES });
  });

  it('reports a refused connection by its error code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { prober } = makeProber([]);
    expect(await prober.probe(`http://127.0.0.1:${port}/`)).toMatchObject({
      ok: false,
      statusCode: 'ECONNREFUSED',
      responseSize: 0,
    });
  });

  it('gives up on a URL that never answers and reports ETIMEDOUT', async () => {
    const { prober } = makeProber([]);
    expect(await prober.probe(`${base}/hang`)).toMatchObject({ ok: false, statusCode: 'ETIMEDOUT' });
  });

  it('records probe metrics by target and result', async () => {
    const { prober, registry } = makeProber([]);
    await prober.probe(`${base}/ok`);
    await prober.probe(`${base}/error`);
    const text = await registry.metrics();
    expect(text).toContain(`target="${base}/ok",result="success"`);
    expect(text).toContain(`target="${base}/error",result="failure"`);
  });
});

describe('Prober.runRound', () => {
  it('probes every URL once, never more than PROBE_CONCURRENCY at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = http.createServer((_req, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end('ok');
      }, 20);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const port = (slow.address() as AddressInfo).port;
    const urls = Array.from(
      { length: PROBE_CONCURRENCY * 2 + 3 },
      (_, i) => `http://127.0.0.1:${port}/t${i}`,
    );
    const { prober, results } = makeProber(urls);
    try {
      await prober.runRound();
      expect(results.map((r) => r.url).sort()).toEqual([...urls].sort());
      expect(peak).toBeLessThanOrEqual(PROBE_CONCURRENCY);
      expect(peak).toBeGreaterThan(1);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});

/** Answers every GET at once with a 200 and a two-byte body: the loop's timing is the subject here. */
const answeringClient = () =>
  ({
    get: () => Promise.resolve({ status: 200, data: Readable.from([Buffer.from('ok')]) }),
  }) as unknown as AxiosInstance;

describe('Prober loop', () => {
  beforeEach(() => {
    // Streams and promises still run for real; only the loop's clock is faked.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('probes every URL once per interval, picks up new URLs, and stops cleanly', async () => {
    const urls = ['http://a/'];
    const { prober, results } = makeProber(urls, [], answeringClient());
    const probed = () => results.map((result) => result.url);
    prober.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(probed()).toEqual(['http://a/']);

    urls.push('http://b/');
    await jest.advanceTimersByTimeAsync(49);
    expect(probed()).toEqual(['http://a/']);
    await jest.advanceTimersByTimeAsync(1);
    expect(probed()).toEqual(['http://a/', 'http://a/', 'http://b/']);

    await prober.stop();
    await jest.advanceTimersByTimeAsync(500);
    expect(probed()).toHaveLength(3);
  });
});
