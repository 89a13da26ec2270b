import { waitFor } from '@learnathon/process';
import { getJson, postJson, startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  // At debug every request is logged (at info only errors and slow ones are), so traces can be followed in the logs.
  stack = await startStack({ env: { LOG_LEVEL: 'debug' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('through the frontend', () => {
  it('shows live stats from pinger v1, probing the stack itself', async () => {
    const { status, headers, body } = await getJson(`${stack.frontend}/ping/stats`);
    expect(status).toBe(200);
    expect(headers.get('x-service-version')).toBe('v1');
    const stats = Object.values(body) as Array<Record<string, unknown>>;
    expect(stats.map((entry) => entry['url'])).toEqual([
      `${stack.frontend}/`,
      `${stack.details}/healthz`,
      `${stack.pingerV1}/healthz`,
      `${stack.pingerV2}/healthz`,
    ]);
    for (const entry of stats) {
      expect(entry).toEqual({
        url: expect.any(String),
        total: expect.any(Number),
        success: expect.any(Number),
        latency: expect.any(Number),
        statusCode: 200,
      });
      expect(entry['success']).toBeGreaterThan(0);
    }
  });

  it('adds a URL to the pinger list, once', async () => {
    const url = `${stack.details}/metrics`;
    const added = await postJson(`${stack.frontend}/ping/updateUrl`, { url });
    expect(added.status).toBe(200);
    const again = await postJson(`${stack.frontend}/ping/updateUrl`, { url });
    expect(again).toMatchObject({ status: 200, body: added.body });
    const urls = (await getJson(`${stack.pingerV1}/ping/urls`)).body as unknown as string[];
    expect(urls.filter((entry) => entry === url)).toHaveLength(1);
  });

  it('describes a URL through details', async () => {
    const { status, body } = await postJson(`${stack.frontend}/url/info`, { url: `${stack.frontend}/` });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      url: `${stack.frontend}/`,
      status: 200,
      contentType: expect.stringContaining('text/html'),
    });
  });

  it('passes trace context from frontend to pinger: both log the same trace id', async () => {
    const traceId = 'aaaabbbbccccddddeeeeffff00001111';
    await fetch(`${stack.frontend}/ping/urls`, {
      headers: { traceparent: `00-${traceId}-1111222233334444-01` },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = stack.process
      .output()
      .split('\n')
      .filter((line) => line.includes(traceId));
    expect(lines.some((line) => line.startsWith('\u001b[') && line.includes('frontend'))).toBe(true);
    expect(lines.some((line) => line.includes('pinger-v1'))).toBe(true);
  });
});

describe('bad input is answered, never hung on', () => {
  it.each([
    ['/ping/updateUrl', '{"url": ', 400],
    ['/ping/updateUrl', '{}', 400],
    ['/ping/updateUrl', '{"url": "gopher://x/"}', 400],
    ['/ping/updateUrl', JSON.stringify({ url: `http://x/${'a'.repeat(40_000)}` }), 413],
    ['/url/info', '{"url": ', 400],
    ['/url/info', '{"url": 5}', 400],
    ['/url/info', '{"url": "file:///etc/passwd"}', 400],
  ])('POST %s %s -> %i with a JSON error', async (route, body, expected) => {
    const response = await postJson(`${stack.frontend}${route}`, body);
    expect(response.status).toBe(expected);
    expect(response.body).toEqual({ error: expect.any(String), message: expect.any(String) });
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://2852039166/',
    'http://0xA9.0xFE.0xA9.0xFE/',
  ])('refuses to fetch the cloud metadata address spelt %s', async (url) => {
    const response = await postJson(`${stack.frontend}/url/info`, { url });
    expect(response.status).toBe(403);
    expect(response.body['error']).toBe('forbidden_address');
  });

  it('answers unknown routes with a JSON 404 on every service', async () => {
    for (const base of [stack.frontend, stack.pingerV1, stack.pingerV2, stack.details]) {
      const response = await getJson(`${base}/no/such/route`);
      expect(response.status).toBe(404);
      expect(response.body['error']).toBe('not_found');
    }
  });
});

describe('versions', () => {
  it('pinger v2 adds responseSize and keeps network error codes', async () => {
    await postJson(`${stack.pingerV2}/ping/updateUrl`, { url: 'http://127.0.0.1:1/' });
    const { headers } = await getJson(`${stack.pingerV2}/ping/stats`);
    expect(headers.get('x-service-version')).toBe('v2');
    const refused = await waitFor(
      async () => {
        const stats = Object.values((await getJson(`${stack.pingerV2}/ping/stats`)).body) as Array<
          Record<string, unknown>
        >;
        const entry = stats.find((candidate) => candidate['url'] === 'http://127.0.0.1:1/');
        return entry?.['statusCode'] ? entry : undefined;
      },
      { timeoutMs: 10_000, what: 'a probe of a refused port' },
    );
    expect(refused).toMatchObject({ statusCode: 'ECONNREFUSED', responseSize: 0, success: 0 });
  });
});
