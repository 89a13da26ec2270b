import { captureLogs } from '@learnathon/testing';
import { createLogger } from '@learnathon/service-runtime';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadPingerConfig } from './config';
import { createPinger } from './pinger';
import { statsKey } from './stats';

let dir: string;
/** Every pinger a test starts; stopped after it (stopping twice is harmless, stop() is idempotent). */
const started: { stop(): Promise<number> }[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pinger-'));
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((running) => running.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const captured = captureLogs((destination) =>
    createLogger({ service: 'pinger', version: 'v?', level: 'debug', destination }),
  );
  const config = loadPingerConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PINGER_TARGETS: 'http://127.0.0.1:1/',
    ...env,
  });
  const pinger = await createPinger(config, { logger: captured.logger, handleSignals: false });
  const running = await pinger.service.listen();
  started.push(running);
  const call = async (method: string, route: string, body?: string) => {
    const response = await fetch(`${running.url}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
    });
    return {
      status: response.status,
      version: response.headers.get('x-service-version'),
      intervalMs: response.headers.get('x-probe-interval-ms'),
      body: (await response.json()) as unknown,
    };
  };
  return { ...pinger, running, call, captured };
}

describe('pinger routes', () => {
  it('serves stats keyed by the SHA-256 of each URL, with version and interval in headers', async () => {
    const pinger = await start({ PINGER_VERSION: 'v2' });
    const stats = await pinger.call('GET', '/ping/stats');
    expect(stats).toMatchObject({ status: 200, version: 'v2', intervalMs: '2000' });
    expect(stats.body).toEqual({
      [statsKey('http://127.0.0.1:1/')]: {
        url: 'http://127.0.0.1:1/',
        total: 0,
        success: 0,
        latency: null,
        statusCode: null,
        responseSize: null,
      },
    });
    expect((await pinger.call('GET', '/ping/urls')).body).toEqual(['http://127.0.0.1:1/']);
  });

  it('v1 reports a refused probe as statusCode -1', async () => {
    const pinger = await start({ PINGER_VERSION: 'v1' });
    await pinger.prober.runRound();
    const stats = await pinger.call('GET', '/ping/stats');
    expect(stats).toMatchObject({ version: 'v1', intervalMs: '5000' });
    expect(Object.values(stats.body as object)).toEqual([
      { url: 'http://127.0.0.1:1/', total: 1, success: 0, latency: expect.any(Number), statusCode: -1 },
    ]);
  });

  it('answers GET / with 200, the original liveness path', async () => {
    const pinger = await start({});
    expect(await pinger.call('GET', '/')).toMatchObject({ status: 200, version: 'v1' });
  });

  it('adds a URL once and answers 200 with the list; a duplicate is not an error', async () => {
    const pinger = await start({});
    // The second spelling is the same URL, so the list stays as the first add left it.
    for (const url of ['http://127.0.0.1:9000', 'http://127.0.0.1:9000/']) {
      const answer = await pinger.call('POST', '/ping/updateUrl', JSON.stringify({ url }));
      expect(answer).toMatchObject({ status: 200, body: ['http://127.0.0.1:1/', 'http://127.0.0.1:9000/'] });
    }
    await pinger.prober.runRound();
    const stats = (await pinger.call('GET', '/ping/stats')).body as Record<
      string,
      { url: string; total: number }
    >;
    expect(Object.entries(stats).map(([key, s]) => [key, s.url, s.total])).toEqual([
      [statsKey('http://127.0.0.1:1/'), 'http://127.0.0.1:1/', 1],
      [statsKey('http://127.0.0.1:9000/'), 'http://127.0.0.1:9000/', 1],
    ]);
  });

  it.each([
    ['{"url": ', 'Request body is not valid JSON'],
    ['{}', 'Body must be JSON like'],
    ['{"url": 12}', 'Body must be JSON like'],
    ['{"url": "ftp://x/"}', 'must use http or https'],
    ['{"url": "nope"}', 'not a valid absolute URL'],
    ['["http://a/"]', 'Body must be JSON like'],
  ])('answers %s with 400 and changes nothing', async (body, message) => {
    const pinger = await start({});
    const response = await pinger.call('POST', '/ping/updateUrl', body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'bad_request', message: expect.stringContaining(message) });
    expect((await pinger.call('GET', '/ping/urls')).body).toEqual(['http://127.0.0.1:1/']);
  });

  it('refuses to grow the list past PINGER_MAX_URLS', async () => {
    const pinger = await start({ PINGER_MAX_URLS: '1' });
    const response = await pinger.call('POST', '/ping/updateUrl', '{"url": "http://127.0.0.1:2/"}');
    expect(response).toMatchObject({
      status: 400,
      body: { message: 'the list already holds the maximum of 1 URLs' },
    });
  });
});

describe('pinger state file', () => {
  it('keeps the list a user built across a restart', async () => {
    const stateFile = path.join(dir, 'urls.json');
    const first = await start({ PINGER_STATE_FILE: stateFile });
    await first.call('POST', '/ping/updateUrl', '{"url": "http://127.0.0.1:9000/"}');
    await first.running.stop();

    const second = await start({ PINGER_STATE_FILE: stateFile });
    expect((await second.call('GET', '/ping/urls')).body).toEqual([
      'http://127.0.0.1:1/',
      'http://127.0.0.1:9000/',
    ]);
  });

  it('falls back to PINGER_TARGETS on an unreadable file, logs why, and leaves the file alone', async () => {
    const stateFile = path.join(dir, 'urls.json');
    await writeFile(stateFile, 'garbage');
    const pinger = await start({ PINGER_STATE_FILE: stateFile });
    expect((await pinger.call('GET', '/ping/urls')).body).toEqual(['http://127.0.0.1:1/']);
    expect(
      pinger.captured
        .lines()
        .some((line) => line['msg'] === 'ignoring unreadable state file; using PINGER_TARGETS'),
    ).toBe(true);
    expect(await readFile(stateFile, 'utf8')).toBe('garbage');
  });

  it('drops saved entries that are not acceptable URLs', async () => {
    const stateFile = path.join(dir, 'urls.json');
    await writeFile(stateFile, JSON.stringify({ urls: ['http://127.0.0.1:5/', 'file:///etc/passwd'] }));
    const pinger = await start({ PINGER_STATE_FILE: stateFile });
    expect((await pinger.call('GET', '/ping/urls')).body).toEqual(['http://127.0.0.1:5/']);
  });
});
