import { waitFor } from '@learnathon/process';
import { createHash } from 'node:crypto';
import { getJson, postJson, startStack, type Stack } from './support/stack';

/**
 * The wire contract of the original learnathon app, which lets each of our services replace its
 * original counterpart (and the other way round): checked against every built service, both
 * pinger versions, with the frontend in front of pinger v2 so its own version (v1) and the
 * upstream's (v2) can be told apart.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ pinger: 'v2' });
});
afterAll(async () => {
  await stack?.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** Port 1 on loopback: nothing listens there, so a probe of it is refused. */
const REFUSED_URL = 'http://127.0.0.1:1/';
const ORIGINAL_FIELDS = ['url', 'total', 'success', 'latency', 'statusCode'];

/** Where pinger's routes are served: each pinger, and the frontend relaying pinger v2. */
const PINGER_ROUTES = [
  { via: 'pinger v1', service: 'pingerV1', version: 'v1', extraFields: [], networkError: -1 },
  {
    via: 'pinger v2',
    service: 'pingerV2',
    version: 'v2',
    extraFields: ['responseSize'],
    networkError: 'ECONNREFUSED',
  },
  {
    via: 'the frontend (pinger v2 behind it)',
    service: 'frontend',
    version: 'v2',
    extraFields: ['responseSize'],
    networkError: 'ECONNREFUSED',
  },
] as const;

describe('GET / answers 200 on every service', () => {
  it.each(['frontend', 'pingerV1', 'pingerV2', 'details'] as const)('%s', async (service) => {
    const response = await fetch(`${stack[service]}/`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
});

describe.each(PINGER_ROUTES.map((pinger) => [pinger.via, pinger] as const))(
  'pinger routes on %s',
  (_via, pinger) => {
    const base = () => stack[pinger.service];

    it('GET /ping/urls is a JSON array of URL strings', async () => {
      const { status, headers, body } = await getJson(`${base()}/ping/urls`);
      expect(status).toBe(200);
      expect(headers.get('x-service-version')).toBe(pinger.version);
      expect(Array.isArray(body)).toBe(true);
      expect((body as unknown as unknown[]).length).toBeGreaterThan(0);
      for (const url of body as unknown as unknown[]) expect(typeof url).toBe('string');
    });

    it('POST /ping/updateUrl answers 200 with that array, a duplicate too', async () => {
      const added = await postJson(`${base()}/ping/updateUrl`, { url: REFUSED_URL });
      expect(added.status).toBe(200);
      expect(added.headers.get('x-service-version')).toBe(pinger.version);
      expect(added.body).toContain(REFUSED_URL);
      expect(added.body).toEqual((await getJson(`${base()}/ping/urls`)).body);
      const again = await postJson(`${base()}/ping/updateUrl`, { url: REFUSED_URL });
      expect(again).toMatchObject({ status: 200, body: added.body });
    });

    it('GET /ping/stats: one entry per URL keyed by its SHA-256 hex, version and interval in headers', async () => {
      const urls = (await getJson(`${base()}/ping/urls`)).body as unknown as string[];
      const { status, headers, body } = await getJson(`${base()}/ping/stats`);
      expect(status).toBe(200);
      expect(headers.get('x-service-version')).toBe(pinger.version);
      expect(headers.get('x-probe-interval-ms')).toBe('500');
      expect(Object.keys(body)).toEqual(urls.map(sha256));
      for (const [key, entry] of Object.entries(body as Record<string, Record<string, unknown>>)) {
        expect(Object.keys(entry)).toEqual([...ORIGINAL_FIELDS, ...pinger.extraFields]);
        expect(sha256(String(entry['url']))).toBe(key);
      }
    });

    it(`GET /ping/stats reports a network error as ${String(pinger.networkError)}`, async () => {
      await postJson(`${base()}/ping/updateUrl`, { url: REFUSED_URL });
      const refused = await waitFor(
        async () => {
          const stats = (await getJson(`${base()}/ping/stats`)).body as Record<
            string,
            Record<string, unknown>
          >;
          const entry = stats[sha256(REFUSED_URL)];
          return entry && entry['total'] !== 0 ? entry : undefined;
        },
        { timeoutMs: 10_000, what: `a probe of ${REFUSED_URL}` },
      );
      expect(refused).toMatchObject({ url: REFUSED_URL, success: 0, statusCode: pinger.networkError });
      expect(typeof refused['latency']).toBe('number');
    });
  },
);

describe.each([
  ['details', 'details', 'v1'],
  ['the frontend (details behind it)', 'frontend', 'v1'],
] as const)('POST /url/info on %s', (_via, service, version) => {
  it('answers {url, status, contentType, server, ...}', async () => {
    const url = `${stack.pingerV1}/healthz`;
    const { status, headers, body } = await postJson(`${stack[service]}/url/info`, { url });
    expect(status).toBe(200);
    expect(headers.get('x-service-version')).toBe(version);
    expect(body).toMatchObject({
      url,
      status: 200,
      contentType: expect.stringContaining('application/json'),
    });
    expect(body).toHaveProperty('server');
  });
});

describe("the frontend's own routes carry its own version", () => {
  it.each(['/', '/healthz', '/no/such/route'])('%s', async (path) => {
    const response = await fetch(`${stack.frontend}${path}`);
    expect(response.headers.get('x-service-version')).toBe('v1');
    await response.arrayBuffer();
  });
});
