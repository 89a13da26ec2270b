import { freePort } from '@learnathon/process';
import { captureLogs, type CapturedLogs } from '@learnathon/testing';
import { createLogger, type Logger } from '@learnathon/service-runtime';
import { DEFAULT_UPSTREAM_MAX_BODY_BYTES, type RunningService } from '@learnathon/service-runtime';
import { loadFrontendConfig } from './config';
import { createFrontend } from './frontend';
import { PAGE_HOOK_IDS } from '../test/page-hooks';
import { startFakeUpstream, type FakeUpstream } from '../test/fake-upstream';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

interface RunningFrontend {
  running: RunningService;
  captured: CapturedLogs<Logger>;
}

async function startFrontend(env: Record<string, string>): Promise<RunningFrontend> {
  const captured = captureLogs((destination) =>
    createLogger({ service: 'frontend', version: 'v1', level: 'warn', destination }),
  );
  const config = loadFrontendConfig({ PORT: '0', HOST: '127.0.0.1', ...env });
  const { service } = await createFrontend(config, { logger: captured.logger, handleSignals: false });
  return { running: await service.listen(), captured };
}

const postJson = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** An address where nothing listens: a down upstream. */
async function deadUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** Pinger's `/ping/stats`: entries keyed by the SHA-256 hex of their URL. */
const pingerStats = {
  '0f115db062b7c0dd030b16878c99dea5c354b49dc37b38eb8846179c7783e9d7': {
    url: 'https://example.com/',
    total: 3,
    success: 2,
    latency: 12.5,
    statusCode: 200,
    responseSize: 1256,
  },
};

describe('frontend with healthy upstreams', () => {
  let pinger: FakeUpstream;
  let details: FakeUpstream;
  let frontend: RunningFrontend;
  let base: string;

  beforeAll(async () => {
    pinger = await startFakeUpstream((app) => {
      app.use((_req, res, next) => {
        res.setHeader('x-service-version', 'v2');
        res.setHeader('set-cookie', 'session=upstream-only');
        res.setHeader('x-upstream-internal', 'secret');
        next();
      });
      app.get('/ping/stats', (_req, res) => {
        res.setHeader('x-probe-interval-ms', '2000');
        res.json(pingerStats);
      });
      app.get('/ping/urls', (_req, res) => {
        res.json(['https://example.com/']);
      });
      app.post('/ping/updateUrl', (req, res) => {
        const url: unknown = req.body?.url;
        if (typeof url !== 'string') {
          res
            .status(400)
            .json({ error: 'bad_request', message: 'Body must be JSON like {"url": "https://example.com"}' });
          return;
        }
        res.json(['https://example.com/', url]);
      });
    });
    details = await startFakeUpstream((app) => {
      app.post('/url/info', (req, res) => {
        res.setHeader('x-service-version', 'v7');
        res.json({ url: req.body?.url, status: 200, contentType: 'text/html', server: 'fake' });
      });
    });
    frontend = await startFrontend({ PINGER_BASE_URL: pinger.url, DETAILS_BASE_URL: details.url });
    base = frontend.running.url;
  });

  afterAll(async () => {
    await frontend.running.stop();
    await Promise.all([pinger.close(), details.close()]);
  });

  it('passes pinger stats through with the answering version, probe interval and upstream name', async () => {
    const response = await fetch(`${base}/ping/stats`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(pingerStats);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-service-version')).toBe('v2');
    expect(response.headers.get('x-probe-interval-ms')).toBe('2000');
    expect(response.headers.get('x-upstream-service')).toBe('pinger');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it("does not leak the upstream's other headers", async () => {
    const response = await fetch(`${base}/ping/urls`);
    expect(await response.json()).toEqual(['https://example.com/']);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-upstream-internal')).toBeNull();
  });

  it('forwards the JSON body of a POST and the answer', async () => {
    const response = await postJson(
      `${base}/ping/updateUrl`,
      JSON.stringify({ url: 'https://new.example/' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(['https://example.com/', 'https://new.example/']);
    const received = pinger.requests.at(-1);
    expect(received).toMatchObject({
      method: 'POST',
      path: '/ping/updateUrl',
      body: { url: 'https://new.example/' },
    });
    expect(received?.headers['content-type']).toMatch(/^application\/json/);
  });

  it("passes the upstream's 400 through unchanged", async () => {
    const response = await postJson(`${base}/ping/updateUrl`, JSON.stringify({ nope: 1 }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'bad_request',
      message: 'Body must be JSON like {"url": "https://example.com"}',
    });
    expect(response.headers.get('x-service-version')).toBe('v2');
  });

  it('sends /url/info to details', async () => {
    const response = await postJson(`${base}/url/info`, JSON.stringify({ url: 'https://example.com/' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      url: 'https://example.com/',
      status: 200,
      contentType: 'text/html',
      server: 'fake',
    });
    expect(response.headers.get('x-upstream-service')).toBe('details');
    expect(response.headers.get('x-service-version')).toBe('v7');
    expect(details.requests.at(-1)?.path).toBe('/url/info');
  });

  it("never forwards the browser's cookies, credentials or forwarding headers", async () => {
    await postJson(`${base}/ping/updateUrl`, JSON.stringify({ url: 'https://x.example/' }), {
      cookie: 'session=browser',
      authorization: 'Bearer browser-token',
      'x-forwarded-for': '203.0.113.9',
      'x-custom': 'browser',
    });
    const { headers } = pinger.requests.at(-1) ?? { headers: {} };
    expect(headers).not.toHaveProperty('cookie');
    expect(headers).not.toHaveProperty('authorization');
    expect(headers).not.toHaveProperty('x-forwarded-for');
    expect(headers).not.toHaveProperty('x-custom');
  });

  it('propagates W3C trace context to the upstream, continuing the caller trace', async () => {
    await fetch(`${base}/ping/stats`);
    expect(pinger.requests.at(-1)?.headers['traceparent']).toMatch(TRACEPARENT);

    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${base}/ping/stats`, {
      headers: { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` },
    });
    const [, traceId, spanId] =
      TRACEPARENT.exec(String(pinger.requests.at(-1)?.headers['traceparent'])) ?? [];
    expect(traceId).toBe(callerTraceId);
    expect(spanId).not.toBe('00f067aa0ba902b7');
  });

  it('reuses connections to the upstream (keep-alive)', async () => {
    const connectionsBefore = pinger.connections();
    const requestsBefore = pinger.requests.length;
    for (let i = 0; i < 20; i += 1) {
      const response = await fetch(`${base}/ping/stats`);
      await response.arrayBuffer();
    }
    expect(pinger.requests.length - requestsBefore).toBe(20);
    expect(pinger.connections() - connectionsBefore).toBeLessThan(20);
  });

  it('answers malformed JSON with 400 without calling the upstream', async () => {
    const requestsBefore = pinger.requests.length;
    const response = await postJson(`${base}/ping/updateUrl`, '{"url": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'bad_request',
      message: 'Request body is not valid JSON',
    });
    expect(pinger.requests.length).toBe(requestsBefore);
  });

  it('answers unknown routes with a JSON 404 that carries its own version', async () => {
    const response = await fetch(`${base}/ping/unknown`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', message: 'No route for GET /ping/unknown' });
    expect(response.headers.get('x-service-version')).toBe('v1');
  });

  it('records client metrics per upstream', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/http_client_request_duration_seconds_count\{[^}]*upstream="pinger"/);
    expect(text).toMatch(/http_client_request_duration_seconds_count\{[^}]*upstream="details"/);
  });
});

describe('frontend UI', () => {
  let frontend: RunningFrontend;
  let base: string;

  beforeAll(async () => {
    frontend = await startFrontend({ PINGER_BASE_URL: await deadUrl(), DETAILS_BASE_URL: await deadUrl() });
    base = frontend.running.url;
  });
  afterAll(() => frontend.running.stop());

  it('serves the page at / with its script, locked down by a content security policy', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/app.js"></script>');
    for (const id of PAGE_HOOK_IDS) expect(html).toContain(`id="${id}"`);
  });

  it('references no resource outside its own origin', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const references = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^(\/[^/]|data:)/);
  });

  it.each([
    ['/app.js', 'text/javascript; charset=utf-8', "from './table-model.js'"],
    ['/table-model.js', 'text/javascript; charset=utf-8', 'export function columnsOf'],
    ['/styles.css', 'text/css; charset=utf-8', ':root'],
  ])('serves %s as %s', async (path, contentType, excerpt) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(await response.text()).toContain(excerpt);
  });

  it('serves nothing else from the UI directory', async () => {
    const response = await fetch(`${base}/table-model.spec.ts`);
    expect(response.status).toBe(404);
  });

  it('stays ready while the upstreams are down, so the UI can explain the outage', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});

describe('frontend with failing upstreams', () => {
  const started: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((item) => item.close()));
  });

  async function frontendFor(env: Record<string, string>): Promise<string> {
    const frontend = await startFrontend({ DETAILS_BASE_URL: await deadUrl(), ...env });
    started.push({ close: () => frontend.running.stop() });
    return frontend.running.url;
  }

  async function fake(
    defineRoutes: Parameters<typeof startFakeUpstream>[0],
    port?: number,
  ): Promise<FakeUpstream> {
    const upstream = await startFakeUpstream(defineRoutes, port);
    started.push(upstream);
    return upstream;
  }

  // The timeout is far longer than this test may take: a 502 that waited for it would fail the test.
  it('answers 502 at once when pinger is down, naming it and the network error', async () => {
    const base = await frontendFor({ PINGER_BASE_URL: await deadUrl(), UPSTREAM_TIMEOUT_MS: '30000' });
    const response = await fetch(`${base}/ping/stats`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: 'upstream_unavailable',
      message: 'pinger is unreachable (ECONNREFUSED)',
    });
    expect(response.headers.get('x-upstream-service')).toBe('pinger');
    // No upstream answered, so no version: the frontend's own would pass for pinger's.
    expect(response.headers.get('x-service-version')).toBeNull();
  }, 5_000);

  it('answers 502 for details when details is down', async () => {
    const base = await frontendFor({ PINGER_BASE_URL: await deadUrl() });
    const response = await postJson(`${base}/url/info`, JSON.stringify({ url: 'https://example.com/' }));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: 'upstream_unavailable',
      message: 'details is unreachable (ECONNREFUSED)',
    });
  });

  it('logs the failed upstream call', async () => {
    const frontend = await startFrontend({
      PINGER_BASE_URL: await deadUrl(),
      DETAILS_BASE_URL: await deadUrl(),
    });
    started.push({ close: () => frontend.running.stop() });
    await fetch(`${frontend.running.url}/ping/urls`);
    expect(frontend.captured.lines()).toContainEqual(
      expect.objectContaining({
        msg: 'upstream call failed',
        upstream: 'pinger',
        path: '/ping/urls',
        error: 'upstream_unavailable',
      }),
    );
  });

  it('recovers as soon as the upstream is back', async () => {
    const pingerUrl = await deadUrl();
    const base = await frontendFor({ PINGER_BASE_URL: pingerUrl });
    expect((await fetch(`${base}/ping/urls`)).status).toBe(502);
    await fake((app) => app.get('/ping/urls', (_req, res) => res.json([])), Number(new URL(pingerUrl).port));
    const response = await fetch(`${base}/ping/urls`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
  });

  it('answers 504 when pinger does not answer within UPSTREAM_TIMEOUT_MS', async () => {
    const slow = await fake((app) => app.get('/ping/stats', () => undefined));
    const base = await frontendFor({ PINGER_BASE_URL: slow.url, UPSTREAM_TIMEOUT_MS: '200' });
    const response = await fetch(`${base}/ping/stats`);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({
      error: 'upstream_timeout',
      message: 'pinger did not answer within 200 ms',
    });
  });

  it.each([
    ['an HTML page', 'text/html', '<h1>Bad gateway</h1>'],
    ['broken JSON', 'application/json', '{"stats": ['],
    ['an empty body', 'application/json', ''],
  ])('answers 502 when pinger sends %s', async (_what, contentType, body) => {
    const garbage = await fake((app) =>
      app.get('/ping/stats', (_req, res) => res.status(200).type(contentType).send(body)),
    );
    const base = await frontendFor({ PINGER_BASE_URL: garbage.url });
    const response = await fetch(`${base}/ping/stats`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: 'upstream_invalid_response',
      message: 'pinger answered 200 without a JSON body',
    });
  });

  it('answers 502 when pinger sends an oversized body instead of buffering it all', async () => {
    const huge = `{"padding": "${'x'.repeat(DEFAULT_UPSTREAM_MAX_BODY_BYTES)}"}`;
    const garbage = await fake((app) => app.get('/ping/stats', (_req, res) => res.type('json').send(huge)));
    const base = await frontendFor({ PINGER_BASE_URL: garbage.url });
    const response = await fetch(`${base}/ping/stats`);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: 'upstream_invalid_response' });
  });

  it("sends no version when the upstream sent none (the original pinger), never the frontend's own", async () => {
    const original = await fake((app) =>
      app.get('/ping/urls', (_req, res) => res.json(['https://example.com/'])),
    );
    const base = await frontendFor({ PINGER_BASE_URL: original.url });
    const response = await fetch(`${base}/ping/urls`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(['https://example.com/']);
    expect(response.headers.get('x-service-version')).toBeNull();
    expect((await fetch(`${base}/healthz`)).headers.get('x-service-version')).toBe('v1');
  });

  it("passes an upstream's own JSON 5xx through unchanged", async () => {
    const failing = await fake((app) =>
      app.get('/ping/stats', (_req, res) =>
        res.status(503).json({ error: 'not_ready', message: 'pinger is shutting down' }),
      ),
    );
    const base = await frontendFor({ PINGER_BASE_URL: failing.url });
    const response = await fetch(`${base}/ping/stats`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'not_ready', message: 'pinger is shutting down' });
  });
});
