import { freePort, startProcess } from '@learnathon/process';
import { builtScript } from '@learnathon/testing';
import { spawnSync } from 'node:child_process';
import { getJson, startStack } from './support/stack';

const SERVICES = {
  frontend: 'apps/frontend/main.js',
  pinger: 'apps/pinger/main.js',
  details: 'apps/details/main.js',
} as const;

/** Runs a built service with `env` and expects it to refuse to start, naming the variable. */
function startWith(service: keyof typeof SERVICES, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [builtScript(SERVICES[service])], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: result.status, stderr: result.stderr, timedOut: result.error !== undefined };
}

describe('invalid configuration exits non-zero, naming the variable', () => {
  type Service = keyof typeof SERVICES;
  const common: Array<[string, string]> = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'chatty'],
    ['SHUTDOWN_DELAY_MS', '-5'],
    ['SHUTDOWN_TIMEOUT_MS', 'soon'],
  ];
  const own: Record<Service, Array<[string, string]>> = {
    frontend: [
      ['PINGER_BASE_URL', 'pinger:3000'],
      ['DETAILS_BASE_URL', 'ftp://details'],
      ['UPSTREAM_TIMEOUT_MS', 'never'],
    ],
    pinger: [
      ['PINGER_VERSION', 'v7'],
      ['PINGER_INTERVAL_MS', '0'],
      ['PINGER_TIMEOUT_MS', 'fast'],
      ['PINGER_MAX_URLS', '-1'],
      ['PINGER_TARGETS', 'http://ok/,not a url'],
    ],
    details: [
      ['DETAILS_TIMEOUT_MS', 'x'],
      ['DETAILS_MAX_BODY_BYTES', '-3'],
      ['DETAILS_MAX_REDIRECTS', 'many'],
      ['DETAILS_DENY_CIDRS', '10.0.0.0/99'],
      ['DETAILS_ALLOW_CIDRS', 'not-a-cidr'],
    ],
  };
  const cases = (Object.keys(SERVICES) as Service[]).flatMap((service) =>
    [...common, ...own[service]].map(([name, value]) => [service, name, value] as [Service, string, string]),
  );

  it.each(cases)('%s with %s=%p', (service, name, value) => {
    const { code, stderr, timedOut } = startWith(service, { [name]: value });
    expect(timedOut).toBe(false);
    expect(code).not.toBe(0);
    expect(stderr).toContain(name);
  });
});

describe('an upstream that is down', () => {
  it('leaves the frontend answering with timely JSON errors', async () => {
    const deadPort = await freePort();
    const port = await freePort();
    const frontend = await startProcess({
      script: builtScript(SERVICES.frontend),
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        PINGER_BASE_URL: `http://127.0.0.1:${deadPort}`,
        DETAILS_BASE_URL: `http://127.0.0.1:${deadPort}`,
      },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
    try {
      const stats = await getJson(`http://127.0.0.1:${port}/ping/stats`, {
        signal: AbortSignal.timeout(10_000),
      });
      expect(stats.status).toBe(502);
      expect(stats.body).toEqual({
        error: 'upstream_unavailable',
        message: expect.stringContaining('pinger'),
      });
      // No upstream answered: a version here would pass the frontend's own off as pinger's.
      expect(stats.headers.get('x-service-version')).toBeNull();
      const info = await getJson(`http://127.0.0.1:${port}/url/info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"url": "http://127.0.0.1:1/"}',
        signal: AbortSignal.timeout(10_000),
      });
      expect(info.status).toBe(502);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    } finally {
      expect(await frontend.stop()).toBe(0);
    }
  });
});

describe('Ctrl-C on the local stack', () => {
  it('stops all four services cleanly', async () => {
    const stack = await startStack();
    expect(await stack.stop()).toBe(0);
    expect(stack.process.output()).toContain('all services stopped cleanly');
    for (const base of [stack.frontend, stack.pingerV1, stack.pingerV2, stack.details]) {
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    }
  });
});
