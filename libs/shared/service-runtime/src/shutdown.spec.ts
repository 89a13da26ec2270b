import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Health } from './health';
import { drainAndStop, type ShutdownOptions } from './shutdown';
import { captureLogs } from '@learnathon/testing';
import { createLogger } from './logger';

/** A server with readiness and a route that answers only when the test says so. */
async function startServer() {
  const health = new Health();
  const held: Array<() => void> = [];
  const app = express();
  app.get('/readyz', health.readinessHandler);
  app.get('/held', (_req, res) => {
    held.push(() => res.json({ done: true }));
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const captured = captureLogs((destination) =>
    createLogger({ service: 'test', version: 'v0', level: 'debug', destination }),
  );
  const stop = (options: Partial<ShutdownOptions>) =>
    drainAndStop({
      server,
      health,
      logger: captured.logger,
      delayMs: 0,
      timeoutMs: 10_000,
      hooks: [],
      ...options,
    });
  return { url, held, captured, stop };
}

/** node:http rather than fetch, which keeps timers of its own that fake timers would stall. */
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.message }),
  );

/** Lets sockets and callbacks run until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('drainAndStop', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    server = await startServer();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('turns readiness off, keeps serving through the delay, lets the in-flight request finish, then stops', async () => {
    const inFlight = get(`${server.url}/held`);
    await until(() => server.held.length === 1);

    const stopped = server.stop({ delayMs: 5_000 });
    expect(await get(`${server.url}/readyz`)).toBe(503);
    expect(server.captured.lines()).toContainEqual(
      expect.objectContaining({
        msg: 'readiness is now false; waiting for endpoints to update',
        delay_ms: 5_000,
      }),
    );

    await jest.advanceTimersByTimeAsync(5_000);
    expect(await settle(get(`${server.url}/readyz`))).toEqual({
      error: expect.stringContaining('ECONNREFUSED'),
    });

    server.held[0]?.();
    expect(await inFlight).toBe(200);
    expect(await stopped).toBe(0);
  });

  it('cuts requests that outlive the timeout and reports an unclean exit', async () => {
    const inFlight = settle(get(`${server.url}/held`));
    await until(() => server.held.length === 1);

    const stopped = server.stop({ timeoutMs: 2_000 });
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await stopped).toBe(1);
    expect(await inFlight).toEqual({ error: expect.any(String) });
    expect(server.captured.lines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        timeout_ms: 2_000,
        msg: expect.stringContaining('did not finish in time'),
      }),
    );
  });

  it('runs the hooks after draining, in order, and reports a failing one', async () => {
    const calls: string[] = [];
    const code = await server.stop({
      hooks: [
        () => {
          calls.push('first');
        },
        () => {
          throw new Error('state file is read-only');
        },
        async () => {
          calls.push('third');
        },
      ],
    });
    expect(calls).toEqual(['first', 'third']);
    expect(code).toBe(1);
    expect(server.captured.lines()).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'a shutdown hook failed' }),
    );
  });

  it('gives the hooks the timeout too, and skips the rest when one hangs', async () => {
    const calls: string[] = [];
    const stopped = server.stop({
      timeoutMs: 3_000,
      hooks: [() => new Promise<void>(() => calls.push('hangs')), () => void calls.push('never reached')],
    });
    await until(() => calls.length === 1);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(await stopped).toBe(1);
    expect(calls).toEqual(['hangs']);
    expect(server.captured.lines()).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'a shutdown hook did not finish in time' }),
    );
  });

  it('with nothing in flight and clean hooks, exits 0 without waiting', async () => {
    expect(await server.stop({ hooks: [() => undefined] })).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
