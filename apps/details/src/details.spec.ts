import { freePort } from '@learnathon/process';
import { captureLogs, type CapturedLogs } from '@learnathon/testing';
import { createLogger, type Logger } from '@learnathon/service-runtime';
import type { RunningService } from '@learnathon/service-runtime';
import type { ServerResponse } from 'node:http';
import { refuseConnectionsBeyondLoopback, startTestServer, type TestServer } from '../test/servers';
import { loadDetailsConfig } from './config';
import { createDetails } from './details';
import type { HostResolver, ResolvedAddress } from './resolve';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

interface RunningDetails {
  url: string;
  captured: CapturedLogs<Logger>;
  resolved: string[];
  stop(): Promise<number>;
  post(body: unknown, headers?: Record<string, string>): Promise<Answer>;
}

const running: RunningDetails[] = [];

/** Names the tests resolve without DNS; anything else is a failed lookup. */
const TEST_NAMES: Record<string, string[]> = {
  'metadata.test': ['169.254.169.254'],
  'v6-metadata.test': ['fd00:ec2::254'],
  'mapped.test': ['::ffff:169.254.169.254'],
  'local.test': ['127.0.0.1'],
  'mixed.test': ['127.0.0.1', '169.254.169.254'],
};

function fakeResolver(resolved: string[], table: Record<string, string[]> = TEST_NAMES): HostResolver {
  return async (hostname) => {
    resolved.push(hostname);
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

/** Starts details and sends it one `POST /url/info` for `url`. */
async function postUrlInfo(
  url: string,
  env: Record<string, string> = {},
  resolver?: (resolved: string[]) => HostResolver,
): Promise<Answer> {
  return (await startDetails(env, resolver)).post({ url });
}

async function startDetails(
  env: Record<string, string> = {},
  resolver?: (resolved: string[]) => HostResolver,
): Promise<RunningDetails> {
  const config = loadDetailsConfig({ HOST: '127.0.0.1', PORT: '0', ...env });
  const captured = captureLogs((destination) =>
    createLogger({ service: 'details', version: 'v1', level: 'debug', destination }),
  );
  const resolved: string[] = [];
  const { service } = createDetails(config, {
    logger: captured.logger,
    handleSignals: false,
    resolveHost: (resolver ?? fakeResolver)(resolved),
  });
  const server: RunningService = await service.listen();
  const post = async (body: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${server.url}/url/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: JSON.parse(text) as Record<string, unknown>,
    };
  };
  const details = { url: server.url, captured, resolved, stop: server.stop, post };
  running.push(details);
  return details;
}

const PAGE = '<!doctype html><html><head><title>  Hello &amp; welcome </title></head><body>hi</body></html>';
const BIG_BODY_BYTES = 2 * 1024 * 1024;

function sendPage(res: ServerResponse, body: string, contentType = 'text/html; charset=utf-8'): void {
  res.writeHead(200, {
    'content-type': contentType,
    server: 'test-server/1.0',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location });
  res.end();
}

/** Paths of the test server that answer 302 with a Location (loops, metadata addresses, bad schemes). */
const REDIRECTS: Partial<Record<string, string>> = {
  '/loop': '/loop',
  '/to-metadata': 'http://metadata.test/latest/meta-data/iam/security-credentials/',
  '/to-metadata-literal': 'http://169.254.169.254/latest/meta-data/',
  '/to-metadata-decimal': 'http://2852039166/latest/meta-data/',
  '/to-ftp': 'ftp://127.0.0.1/',
  '/to-credentials': 'http://admin:admin@127.0.0.1/',
};

let target: TestServer;
const pendingTimers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  target = await startTestServer((req, res) => {
    const path = req.url ?? '/';
    const chain = /^\/chain\/(\d+)$/.exec(path);
    if (chain) {
      const left = Number(chain[1]);
      if (left === 0) sendPage(res, PAGE);
      else redirect(res, `/chain/${left - 1}`, left % 2 === 0 ? 301 : 307);
      return;
    }
    const location = REDIRECTS[path];
    if (location) return redirect(res, location);
    switch (path) {
      case '/':
        return sendPage(res, PAGE);
      case '/json':
        return sendPage(res, '{"title":"<title>not html</title>"}', 'application/json');
      case '/latin1':
        res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' });
        return res.end(Buffer.from([...Buffer.from('<title>caf'), 0xe9, ...Buffer.from('</title>')]));
      case '/big': {
        const head = Buffer.from(PAGE);
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': head.length + BIG_BODY_BYTES });
        res.write(head);
        res.on('error', () => undefined); // the reader hangs up at its cap
        return void res.end(Buffer.alloc(BIG_BODY_BYTES, 'x'));
      }
      case '/hang':
        return; // accepts the request, never answers
      case '/trickle': {
        res.writeHead(200, { 'content-type': 'text/html' });
        const timer = setInterval(() => res.write('<p>'), 20);
        pendingTimers.add(timer);
        return void res.on('close', () => clearInterval(timer));
      }
      case '/redirect-without-location':
        res.writeHead(302);
        return res.end();
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
    }
  });
});

beforeEach(() => {
  refuseConnectionsBeyondLoopback();
  target.requests.length = 0;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((details) => details.stop()));
});

afterAll(async () => {
  for (const timer of pendingTimers) clearInterval(timer);
  await target.close();
});

describe('GET /', () => {
  it("answers 200 like the original's liveness path", async () => {
    const details = await startDetails();
    const response = await fetch(`${details.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-service-version')).toBe('v1');
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('POST /url/info: answers', () => {
  it('describes a page: status, headers, title, address', async () => {
    const answer = await postUrlInfo(`${target.url}/`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-service-version')).toBe('v1');
    expect(answer.body).toMatchObject({
      url: `${target.url}/`,
      status: 200,
      statusText: 'OK',
      contentType: 'text/html; charset=utf-8',
      server: 'test-server/1.0',
      contentLength: Buffer.byteLength(PAGE),
      bodyBytesRead: Buffer.byteLength(PAGE),
      bodyTruncated: false,
      title: 'Hello & welcome',
      redirects: [],
      finalUrl: `${target.url}/`,
      resolvedAddress: '127.0.0.1',
    });
    expect(typeof answer.body['responseTimeMs']).toBe('number');
  });

  it('describes error pages too: a 404 upstream is a successful lookup', async () => {
    const answer = await postUrlInfo(`${target.url}/missing`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 404, contentType: 'text/plain', title: null });
  });

  it('gives no title for non-HTML bodies', async () => {
    const answer = await postUrlInfo(`${target.url}/json`);
    expect(answer.body).toMatchObject({ contentType: 'application/json', title: null });
  });

  it('decodes the title in the charset the page declares', async () => {
    const answer = await postUrlInfo(`${target.url}/latin1`);
    expect(answer.body['title']).toBe('café');
  });

  it('reaches names through the resolver and connects to the checked address', async () => {
    const details = await startDetails();
    const answer = await details.post({ url: `http://local.test:${target.port}/` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ title: 'Hello & welcome', resolvedAddress: '127.0.0.1' });
    expect(details.resolved).toEqual(['local.test']);
    expect(target.requests[0]?.headers.host).toBe(`local.test:${target.port}`);
  });

  it('sends no trace headers to the target, even when the caller sent some', async () => {
    const details = await startDetails();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await details.post({ url: `${target.url}/` }, { traceparent });
    const headers = target.requests[0]?.headers ?? {};
    expect(headers['traceparent']).toBeUndefined();
    expect(headers['tracestate']).toBeUndefined();
    expect(headers['user-agent']).toBe('learnathon-details/v1');
    expect(headers['accept-encoding']).toBe('identity');
  });

  it('stops reading at DETAILS_MAX_BODY_BYTES and still answers', async () => {
    const answer = await postUrlInfo(`${target.url}/big`, { DETAILS_MAX_BODY_BYTES: '1024' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 200,
      contentLength: Buffer.byteLength(PAGE) + BIG_BODY_BYTES,
      bodyBytesRead: 1024,
      bodyTruncated: true,
      title: 'Hello & welcome',
    });
  });

  it('reads headers only with DETAILS_MAX_BODY_BYTES=0', async () => {
    const answer = await postUrlInfo(`${target.url}/`, { DETAILS_MAX_BODY_BYTES: '0' });
    expect(answer.body).toMatchObject({
      status: 200,
      server: 'test-server/1.0',
      bodyBytesRead: 0,
      bodyTruncated: true,
      title: null,
    });
  });
});

describe('POST /url/info: redirects', () => {
  it('follows redirects by hand and lists every hop', async () => {
    const answer = await postUrlInfo(`${target.url}/chain/3`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      url: `${target.url}/chain/3`,
      status: 200,
      title: 'Hello & welcome',
      finalUrl: `${target.url}/chain/0`,
      redirects: [
        { url: `${target.url}/chain/3`, status: 307, location: `${target.url}/chain/2` },
        { url: `${target.url}/chain/2`, status: 301, location: `${target.url}/chain/1` },
        { url: `${target.url}/chain/1`, status: 307, location: `${target.url}/chain/0` },
      ],
    });
  });

  it('follows exactly DETAILS_MAX_REDIRECTS hops and refuses one more with 502', async () => {
    const details = await startDetails({ DETAILS_MAX_REDIRECTS: '2' });
    expect((await details.post({ url: `${target.url}/chain/2` })).status).toBe(200);
    const tooLong = await details.post({ url: `${target.url}/chain/3` });
    expect(tooLong.status).toBe(502);
    expect(tooLong.body).toEqual({ error: 'too_many_redirects', message: 'more than 2 redirects' });
  });

  it('stops a redirect loop', async () => {
    const answer = await postUrlInfo(`${target.url}/loop`);
    expect(answer.status).toBe(502);
    expect(answer.body['error']).toBe('too_many_redirects');
    expect(target.requests).toHaveLength(6);
  });

  it('describes a redirect status without Location as the answer', async () => {
    const answer = await postUrlInfo(`${target.url}/redirect-without-location`);
    expect(answer.body).toMatchObject({ status: 302, redirects: [] });
  });

  it.each([
    ['/to-metadata', 'metadata.test resolves to 169.254.169.254'],
    ['/to-metadata-literal', '169.254.169.254 is an address'],
    ['/to-metadata-decimal', '169.254.169.254 is an address'],
  ])('refuses a redirect (%s) to a denied address with 403', async (path, message) => {
    const details = await startDetails();
    const answer = await details.post({ url: `${target.url}${path}` });
    expect(answer.status).toBe(403);
    expect(answer.body['error']).toBe('forbidden_address');
    expect(answer.body['message']).toContain(message);
    const refusal = details.captured.lines().find((line) => line['msg'] === 'url info failed');
    expect(refusal).toMatchObject({ level: 'warn', error: 'forbidden_address' });
  });

  it.each([
    ['/to-ftp', "must use http or https, got 'ftp'"],
    ['/to-credentials', 'must not contain credentials'],
  ])('refuses a redirect (%s) that breaks the URL rules with 502', async (path, problem) => {
    const answer = await postUrlInfo(`${target.url}${path}`);
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({
      error: 'invalid_redirect',
      message: `refused to follow a redirect: url ${problem}`,
    });
  });
});

describe('POST /url/info: denied addresses', () => {
  it.each([
    'http://metadata.test/latest/meta-data/',
    'http://v6-metadata.test/',
    'http://mapped.test/',
    'http://mixed.test/',
    'http://169.254.169.254/latest/meta-data/',
    'http://2852039166/',
    'http://0xA9.0xFE.0xA9.0xFE/',
    'http://0251.0376.0251.0376/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/',
    'http://[fd00:ec2::254]/',
    'http://100.100.100.200/',
    'http://0.0.0.0/',
    'http://[::]/',
  ])('refuses %s with 403 before connecting', async (url) => {
    const answer = await postUrlInfo(url);
    expect(answer.status).toBe(403);
    expect(answer.body['error']).toBe('forbidden_address');
  });

  it('refuses loopback once DETAILS_DENY_CIDRS lists it, without connecting', async () => {
    const answer = await postUrlInfo(`${target.url}/`, { DETAILS_DENY_CIDRS: '127.0.0.0/8' });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      error: 'forbidden_address',
      message: '127.0.0.1 is an address this service may not connect to',
    });
    expect(target.requests).toHaveLength(0);
  });

  it('lets DETAILS_ALLOW_CIDRS win over DETAILS_DENY_CIDRS', async () => {
    const answer = await postUrlInfo(`${target.url}/`, {
      DETAILS_DENY_CIDRS: '127.0.0.0/8',
      DETAILS_ALLOW_CIDRS: '127.0.0.1/32',
    });
    expect(answer.status).toBe(200);
    expect(answer.body['title']).toBe('Hello & welcome');
  });

  it('resolves a name once per hop and connects to that answer (no DNS rebinding)', async () => {
    const answers = [['127.0.0.1'], ['169.254.169.254']];
    const rebinding =
      (resolved: string[]): HostResolver =>
      async (hostname) => {
        resolved.push(hostname);
        const addresses = answers[Math.min(resolved.length - 1, answers.length - 1)] ?? [];
        return addresses.map((address) => ({ address, family: 4 }));
      };
    const details = await startDetails({}, rebinding);
    const answer = await details.post({ url: `http://rebind.test:${target.port}/` });
    expect(answer.status).toBe(200);
    expect(answer.body['resolvedAddress']).toBe('127.0.0.1');
    expect(details.resolved).toEqual(['rebind.test']);
  });
});

describe('POST /url/info: upstream failures', () => {
  it('answers 504 when the target never answers', async () => {
    const answer = await postUrlInfo(`${target.url}/hang`, { DETAILS_TIMEOUT_MS: '300' });
    expect(answer.status).toBe(504);
    expect(answer.body).toEqual({ error: 'upstream_timeout', message: 'no complete answer within 300 ms' });
  });

  it('answers 504 when the body never ends: the timeout covers the body read', async () => {
    const answer = await postUrlInfo(`${target.url}/trickle`, { DETAILS_TIMEOUT_MS: '300' });
    expect(answer.status).toBe(504);
    expect(answer.body['error']).toBe('upstream_timeout');
  });

  it('answers 504 when DNS does not answer in time', async () => {
    const silentDns = (): HostResolver => () => new Promise<ResolvedAddress[]>(() => undefined);
    const answer = await postUrlInfo('http://slow-dns.test/', { DETAILS_TIMEOUT_MS: '200' }, silentDns);
    expect(answer.status).toBe(504);
  });

  it('answers 502 with the error code when the connection is refused', async () => {
    const closedPort = await freePort();
    const answer = await postUrlInfo(`http://127.0.0.1:${closedPort}/`);
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({
      error: 'upstream_unreachable',
      message: `could not reach 127.0.0.1: ECONNREFUSED`,
    });
  });

  it('answers 502 with the error code when the name does not resolve', async () => {
    const answer = await postUrlInfo('http://nowhere.test/');
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({
      error: 'upstream_unreachable',
      message: 'could not reach nowhere.test: ENOTFOUND',
    });
  });
});

describe('POST /url/info: bad input', () => {
  it.each([
    ['malformed JSON', '{"url": ', 'Request body is not valid JSON'],
    ['a missing url', {}, 'Body must be JSON like {"url": "https://example.com"}'],
    ['a url that is not a string', { url: 42 }, 'Body must be JSON like {"url": "https://example.com"}'],
    ['a JSON array', '["http://127.0.0.1/"]', 'Body must be JSON like {"url": "https://example.com"}'],
    ['an empty url', { url: '' }, 'url must not be empty'],
    ['a relative url', { url: '/healthz' }, "url is not a valid absolute URL: '/healthz'"],
    ['an ftp url', { url: 'ftp://127.0.0.1/' }, "url must use http or https, got 'ftp'"],
    ['a file url', { url: 'file:///etc/passwd' }, "url must use http or https, got 'file'"],
    ['credentials', { url: 'http://user:pass@127.0.0.1/' }, 'url must not contain credentials'],
    [
      'a url over 2048 characters',
      { url: `http://127.0.0.1/${'a'.repeat(2048)}` },
      'url must be at most 2048 characters',
    ],
  ])('answers 400 to %s', async (_case, body, message) => {
    const details = await startDetails();
    const answer = await details.post(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'bad_request', message });
    expect(target.requests).toHaveLength(0);
  });

  it('answers 413 to a body over 16kb', async () => {
    const details = await startDetails();
    const answer = await details.post({ url: `${target.url}/`, padding: 'x'.repeat(20_000) });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: 'payload_too_large', message: 'Request body is too large' });
    expect(target.requests).toHaveLength(0);
  });
});
