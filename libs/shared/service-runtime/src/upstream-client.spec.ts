import { createHttpClientMetrics, createRegistry, type Registry } from '@learnathon/metrics';
import { startTracing, type Tracing } from '@learnathon/tracing';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { UpstreamClient, UpstreamError, type UpstreamOptions } from './upstream-client';

interface Received {
  method?: string;
  url?: string;
  body: string;
  contentType?: string;
  traceparent?: string;
  /** Whether an earlier request came over the same connection (a kept-alive socket). */
  reusedSocket: boolean;
}

/**
 * A real upstream. Besides plain answers it can close the connection a request arrived on, which
 * is what a server does when its keep-alive timeout fires just as the client reuses the socket.
 */
async function startUpstream() {
  const received: Received[] = [];
  const served = new WeakSet<Socket>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const reusedSocket = served.has(req.socket);
    served.add(req.socket);
    sockets.add(req.socket);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        body,
        contentType: req.headers['content-type'],
        traceparent: req.headers['traceparent'] as string | undefined,
        reusedSocket,
      });
      const path = req.url ?? '';
      if (path.endsWith('/close-if-reused') && reusedSocket) req.socket.destroy();
      else if (path.endsWith('/close')) req.socket.destroy();
      else if (path.endsWith('/redirect'))
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      else if (path.endsWith('/huge')) res.end('x'.repeat(4096));
      else if (path.endsWith('/hang')) res.write('{"partial":');
      else if (path.endsWith('/break-off')) res.write('{"partial":', () => req.socket.destroy());
      else
        res
          .writeHead(200, { 'content-type': 'application/json', 'x-service-version': 'v2' })
          .end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  const connections = () => sockets.size;
  const attempts = (path: string) => received.filter((request) => request.url === path);
  return { url, received, attempts, connections, close };
}

let registry: Registry;
function clientFor(url: string, options: Partial<UpstreamOptions> = {}): UpstreamClient {
  registry = createRegistry({ service: 'demo', version: 'v9' });
  const metrics = createHttpClientMetrics(registry);
  return new UpstreamClient({ name: 'backend', baseURL: url, timeoutMs: 1_000, ...options, metrics });
}

const countOf = async (statusCode: string) => {
  const pattern = new RegExp(
    `http_client_request_duration_seconds_count\\{[^}]*upstream="backend",method="[A-Z]+",status_code="${statusCode}"\\} (\\d+)`,
  );
  return Number(pattern.exec(await registry.metrics())?.[1] ?? 0);
};

let upstream: Awaited<ReturnType<typeof startUpstream>>;
beforeEach(async () => {
  upstream = await startUpstream();
});
afterEach(async () => {
  jest.useRealTimers();
  await upstream.close();
});

describe('UpstreamClient answers', () => {
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ service: 'demo', version: 'v9' }, {});
  });
  afterAll(() => tracing.shutdown());

  it('resolves with any HTTP answer, reuses connections, follows no redirect and records each call', async () => {
    const client = clientFor(upstream.url);
    for (let i = 0; i < 5; i++) {
      const first = await client.request('GET', '/data');
      expect(first).toMatchObject({ status: 200, body: '{"ok":true}' });
      expect(first.headers['x-service-version']).toBe('v2');
      expect((await client.request('GET', '/redirect')).status).toBe(302);
    }
    expect(upstream.connections()).toBe(1);
    expect(upstream.received.map((request) => request.url)).not.toContain('/elsewhere');
    expect(await countOf('200')).toBe(5);
    expect(await countOf('302')).toBe(5);
  });

  it('sends W3C trace context on every call', async () => {
    await clientFor(upstream.url).request('GET', '/data');
    expect(upstream.received[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('sends a POST body as JSON, below the base URL path', async () => {
    const client = clientFor(`${upstream.url}/api/`);
    expect(client.name).toBe('backend');
    expect((await client.request('POST', '/echo', { url: 'http://a/' })).status).toBe(200);
    expect(upstream.received[0]).toMatchObject({
      method: 'POST',
      url: '/api/echo',
      body: '{"url":"http://a/"}',
      contentType: 'application/json',
    });
  });
});

describe('UpstreamError: one description of each failure, ready to answer with', () => {
  it('unreachable: 502 upstream_unavailable naming the socket error, at once', async () => {
    const { url } = upstream;
    await upstream.close();
    const failure = await clientFor(url)
      .request('GET', '/x')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({
      upstream: 'backend',
      code: 'ECONNREFUSED',
      status: 502,
      body: { error: 'upstream_unavailable', message: 'backend is unreachable (ECONNREFUSED)' },
    });
    expect(await countOf('ECONNREFUSED')).toBe(1);
    upstream = await startUpstream();
  });

  it('too slow: 504 upstream_timeout at the deadline, even when the answer has started', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'performance'] });
    const call = clientFor(upstream.url, { timeoutMs: 200 })
      .request('GET', '/hang')
      .catch((error: unknown) => error);
    while (upstream.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await jest.advanceTimersByTimeAsync(200);
    expect(await call).toMatchObject({
      code: 'ETIMEDOUT',
      status: 504,
      body: { error: 'upstream_timeout', message: 'backend did not answer within 200 ms' },
    });
  });

  it('too large: 502 upstream_invalid_response over the body cap', async () => {
    const call = clientFor(upstream.url, { maxBodyBytes: 1024 }).request('GET', '/huge');
    await expect(call).rejects.toMatchObject({
      code: 'ERR_BODY_TOO_LARGE',
      status: 502,
      body: { error: 'upstream_invalid_response', message: 'backend sent more than 1024 bytes' },
    });
  });

  it('broken off: 502 upstream_unavailable when the connection dies in the middle of the body', async () => {
    await expect(clientFor(upstream.url).request('GET', '/break-off')).rejects.toMatchObject({
      code: 'ECONNRESET',
      status: 502,
      body: { error: 'upstream_unavailable', message: 'backend broke off its answer (ECONNRESET)' },
    });
  });
});

describe('UpstreamClient on a kept-alive socket the server has closed', () => {
  /** For each attempt at /close-if-reused: whether it went out on a kept-alive socket. */
  const reusedSockets = () => upstream.attempts('/close-if-reused').map((request) => request.reusedSocket);

  it('retries a GET once, on another socket, and records one call', async () => {
    const client = clientFor(upstream.url);
    await client.request('GET', '/data');
    expect(await client.request('GET', '/close-if-reused')).toMatchObject({ status: 200 });
    expect(reusedSockets()).toEqual([true, false]);
    expect(await countOf('200')).toBe(2);
  });

  it('retries only once: a second closed socket fails the call', async () => {
    const client = clientFor(upstream.url);
    // Two calls at once leave two kept-alive sockets in the pool; the server closes both.
    await Promise.all([client.request('GET', '/data'), client.request('GET', '/data')]);
    const failure = client.request('GET', '/close-if-reused');
    await expect(failure).rejects.toMatchObject({ name: 'UpstreamError', code: 'ECONNRESET', status: 502 });
    expect(reusedSockets()).toEqual([true, true]);
    expect(await countOf('ECONNRESET')).toBe(1);
  });

  it('never retries a POST: the upstream may have acted on it', async () => {
    const client = clientFor(upstream.url);
    await client.request('GET', '/data');
    await expect(client.request('POST', '/close-if-reused', {})).rejects.toMatchObject({
      code: 'ECONNRESET',
      body: { error: 'upstream_unavailable', message: 'backend is unreachable (ECONNRESET)' },
    });
    expect(upstream.attempts('/close-if-reused')).toHaveLength(1);
  });

  it('does not retry when a fresh connection breaks: that is the upstream failing, not a stale socket', async () => {
    await expect(clientFor(upstream.url).request('GET', '/close')).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(upstream.attempts('/close')).toHaveLength(1);
  });
});
