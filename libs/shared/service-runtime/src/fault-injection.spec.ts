import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjection } from './config';
import { faultsEnabled, injectFaults, warnFaultsEnabled } from './fault-injection';
import { captureLogs } from '@learnathon/testing';
import { createLogger } from './logger';

const off: FaultInjection = { errorPercent: 0, delayMs: 0, delayPercent: 100 };

/** A bare app with the fault middleware in front of an app route and the probe and scrape paths. */
async function startApp(faults: FaultInjection, random?: () => number) {
  const app = express();
  app.use(injectFaults(faults, random));
  for (const path of ['/work', '/healthz', '/readyz', '/metrics'])
    app.get(path, (_req, res) => res.json({ path }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise((resolve) => server.close(resolve));
  return { url, close };
}

/** node:http rather than fetch: fetch keeps timers of its own, which fake timers would stall. */
function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on('error', reject);
  });
}

/** Lets sockets and callbacks run until `count` timers are pending (the request reached the delay). */
async function untilTimersPending(count: number): Promise<void> {
  while (jest.getTimerCount() < count) await new Promise((resolve) => setImmediate(resolve));
}

/** A scripted Math.random: returns `values` in order, then fails the test if asked for more. */
function scripted(...values: number[]): () => number {
  return () => {
    const value = values.shift();
    if (value === undefined) throw new Error('random() called more often than scripted');
    return value;
  };
}

describe('faultsEnabled', () => {
  it('is off by default and on for any error share or a delay applied to some requests', () => {
    expect(faultsEnabled(off)).toBe(false);
    expect(faultsEnabled({ ...off, errorPercent: 1 })).toBe(true);
    expect(faultsEnabled({ ...off, delayMs: 200 })).toBe(true);
    expect(faultsEnabled({ ...off, delayMs: 200, delayPercent: 0 })).toBe(false);
    expect(faultsEnabled({ ...off, delayPercent: 50 })).toBe(false);
  });
});

describe('warnFaultsEnabled', () => {
  it('logs the settings at warn, in words a reader of a failing service cannot miss', () => {
    const captured = captureLogs((destination) =>
      createLogger({ service: 'test', version: 'v0', level: 'debug', destination }),
    );
    warnFaultsEnabled(captured.logger, { errorPercent: 20, delayMs: 300, delayPercent: 50 });
    expect(captured.lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        fault_error_percent: 20,
        fault_delay_ms: 300,
        fault_delay_percent: 50,
        msg: expect.stringMatching(
          /^FAULT INJECTION IS ON: 20% of requests fail .* 50% are delayed by 300 ms/,
        ),
      }),
    ]);
  });
});

describe('injectFaults', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  afterEach(async () => {
    jest.useRealTimers();
    await app.close();
  });

  it('answers every app request with a JSON 500 at 100%, but never the probes or /metrics', async () => {
    app = await startApp({ ...off, errorPercent: 100 });
    expect(await get(`${app.url}/work`)).toEqual({
      status: 500,
      body: { error: 'injected_fault', message: 'This request failed on purpose (FAULT_ERROR_PERCENT=100)' },
    });
    for (const path of ['/healthz', '/readyz', '/metrics'])
      expect(await get(`${app.url}${path}`)).toEqual({ status: 200, body: { path } });
  });

  it('fails the share of requests whose random draw falls below the percentage', async () => {
    app = await startApp({ ...off, errorPercent: 30 }, scripted(0.1, 0.3, 0.29, 0.95));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`${app.url}/work`)).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
  });

  it('holds a delayed request for FAULT_DELAY_MS, then serves it', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    app = await startApp({ ...off, delayMs: 1_000, delayPercent: 100 });
    let answered = false;
    const response = get(`${app.url}/work`).finally(() => (answered = true));
    await untilTimersPending(1);
    await jest.advanceTimersByTimeAsync(999);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await response).toEqual({ status: 200, body: { path: '/work' } });
  });

  it('delays only the share picked by FAULT_DELAY_PERCENT, and never a probe', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    app = await startApp({ ...off, delayMs: 5_000, delayPercent: 50 }, scripted(0.7));
    expect(await get(`${app.url}/work`)).toEqual({ status: 200, body: { path: '/work' } });
    expect(await get(`${app.url}/healthz`)).toEqual({ status: 200, body: { path: '/healthz' } });
    expect(jest.getTimerCount()).toBe(0);
  });
});
