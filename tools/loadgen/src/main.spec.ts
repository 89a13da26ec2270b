/**
 * End-to-end: the real CLI as a child process against a real express server on 127.0.0.1.
 *
 * How the test gets its build: beforeAll bundles src/main.ts with esbuild using the same settings
 * as the Nx `build` target (node20, CommonJS, bundled, node_modules external) into the
 * workspace's tmp/ folder, where `require('autocannon')` resolves from the workspace's
 * node_modules. That keeps the test independent of a stale dist/ and of Nx runs by others.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import express from 'express';
import { waitFor } from '@learnathon/process';
import type { Summary } from './summary';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');
const TEST_TIMEOUT_MS = 30_000;

let buildDir: string;
let cliPath: string;

beforeAll(async () => {
  // A fresh clone has no tmp/ yet.
  const tmp = path.join(WORKSPACE_ROOT, 'tmp');
  mkdirSync(tmp, { recursive: true });
  buildDir = mkdtempSync(path.join(tmp, 'loadgen-e2e-'));
  cliPath = path.join(buildDir, 'main.js');
  await build({
    entryPoints: [path.join(__dirname, 'main.ts')],
    outfile: cliPath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
}, TEST_TIMEOUT_MS);

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

type Behaviour = 'alternate-versions' | 'fail';

interface TestServer {
  url: string;
  requests: Array<{ method: string; path: string; body: unknown }>;
  close(): Promise<void>;
}

/** Answers every route; stamps v1 and v2 alternately, or fails everything with 500. */
async function startServer(behaviour: Behaviour): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  let served = 0;
  const app = express();
  app.use(express.json());
  app.use((req, res) => {
    requests.push({ method: req.method, path: req.path, body: req.body });
    res.setHeader('x-service-version', served++ % 2 === 0 ? 'v1' : 'v2');
    if (behaviour === 'fail') res.status(500).json({ error: 'internal', message: 'failing on purpose' });
    else res.json({ ok: true });
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface CliRun {
  exitCode: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
}

function startCli(args: string[]): CliRun {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { exitCode, stdout: () => stdout, stderr: () => stderr, kill: (signal) => child.kill(signal) };
}

async function runCli(args: string[]) {
  const run = startCli(args);
  const exitCode = await run.exitCode;
  return { exitCode, stdout: run.stdout(), stderr: run.stderr() };
}

/** A one-second run against the test server, with options beyond the URL, duration and connections. */
function runOneSecond(target: TestServer, connections: number, ...options: string[]) {
  return runCli(['--url', target.url, '--duration', '1', '--connections', String(connections), ...options]);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

describe('loadgen CLI', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it(
    'reports a 50/50 version split, status counts that add up, and the whole mix',
    async () => {
      server = await startServer('alternate-versions');
      const connections = 4;
      const { exitCode, stdout, stderr } = await runOneSecond(server, connections, '--json');

      expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
      const summary = JSON.parse(stdout) as Summary;
      const responses = summary.requests.responses;
      // Enough answers for the split to mean something, few enough for a busy machine.
      expect(responses).toBeGreaterThan(10 * (connections + 1));
      expect(sum(Object.values(summary.statusCodes))).toBe(responses);
      expect(summary.statusCodes).toEqual({ '200': responses });
      expect(Object.keys(summary.versions)).toEqual(['v1', 'v2']);
      const v1 = summary.versions['v1']?.count ?? 0;
      const v2 = summary.versions['v2']?.count ?? 0;
      expect(v1 + v2).toBe(responses);
      // The server alternates strictly; only the few answers in flight when the run stopped go uncounted.
      expect(Math.abs(v1 - v2)).toBeLessThanOrEqual(connections + 1);
      expect(summary.versions['v1']?.share).toBeCloseTo(v1 / responses, 5);
      expect(summary).toMatchObject({ errors: 0, errorRate: 0, interrupted: false, connections });
      expect(Object.keys(summary.versionsByRoute)).toEqual([
        'GET /',
        'GET /ping/stats',
        'GET /ping/urls',
        'POST /url/info',
      ]);
      const perRoute = Object.values(summary.versionsByRoute).flatMap((versions) => Object.values(versions));
      expect(sum(perRoute.map((version) => version.count))).toBe(responses);

      const routes = new Set(server.requests.map((request) => `${request.method} ${request.path}`));
      expect([...routes].sort()).toEqual(['GET /', 'GET /ping/stats', 'GET /ping/urls', 'POST /url/info']);
      const infoBodies = server.requests
        .filter((request) => request.method === 'POST')
        .map((request) => request.body);
      const port = new URL(server.url).port;
      expect(new Set(infoBodies.map((body) => JSON.stringify(body)))).toEqual(
        new Set([JSON.stringify({ url: `http://127.0.0.1:${port}/healthz` })]),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'prints a human summary with the version split and honours --mix',
    async () => {
      server = await startServer('alternate-versions');
      const { exitCode, stdout } = await runOneSecond(server, 2, '--mix', '/ping/stats:1');

      expect(exitCode).toBe(0);
      expect(stdout).toMatch(/^Versions +v1 \d+\.\d% {2}v2 \d+\.\d% {2}\(x-service-version\)$/m);
      expect(stdout).toMatch(/^Latency +p50 [\d.]+ ms {2}p90 [\d.]+ ms {2}p99 [\d.]+ ms {2}max [\d.]+ ms$/m);
      expect(stdout).toMatch(/^Mix +GET \/ping\/stats 100\.0%$/m);
      expect(new Set(server.requests.map((request) => request.path))).toEqual(new Set(['/ping/stats']));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'leaves warm-up traffic out of the summary',
    async () => {
      server = await startServer('alternate-versions');
      const connections = 2;
      const { exitCode, stdout } = await runOneSecond(server, connections, '--warmup', '1', '--json');

      expect(exitCode).toBe(0);
      const summary = JSON.parse(stdout) as Summary;
      expect(summary.requests.responses).toBeGreaterThan(0);
      // Counted responses plus those still in flight at the end cannot explain what the server saw.
      expect(server.requests.length).toBeGreaterThan(summary.requests.responses + connections * 2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'exits 3 with --max-error-rate when the target answers 500',
    async () => {
      server = await startServer('fail');
      const { exitCode, stdout } = await runOneSecond(server, 2, '--max-error-rate', '0.1', '--json');

      expect(exitCode).toBe(3);
      const summary = JSON.parse(stdout) as Summary;
      expect(summary.errorRate).toBe(1);
      expect(Object.keys(summary.statusCodes)).toEqual(['500']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'exits 0 on the same failing target without --max-error-rate',
    async () => {
      server = await startServer('fail');
      const { exitCode } = await runOneSecond(server, 1, '--json');
      expect(exitCode).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    [['--url', 'ftp://127.0.0.1:PORT/'], '--url'],
    [['--url', 'http://127.0.0.1:PORT:1'], '--url'],
    [['--url', 'http://127.0.0.1:PORT', '--duration', '-1'], '--duration'],
    [['--url', 'http://127.0.0.1:PORT', '--duration', 'abc'], '--duration'],
    [['--url', 'http://127.0.0.1:PORT', '--connections', '0'], '--connections'],
    [['--url', 'http://127.0.0.1:PORT', '--mix', '/ping/stats:x'], '--mix'],
    [['--url', 'http://127.0.0.1:PORT', '--bogus'], '--bogus'],
  ])(
    'rejects %j with exit 2 and one line, before sending any request',
    async (argTemplate, option) => {
      server = await startServer('alternate-versions');
      const port = new URL(server.url).port;
      const { exitCode, stdout, stderr } = await runCli(argTemplate.map((arg) => arg.replace('PORT', port)));

      expect(exitCode).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toContain(option);
      expect(server.requests).toHaveLength(0);
    },
    TEST_TIMEOUT_MS,
  );

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops early on %s and still prints the summary',
    async (signal) => {
      server = await startServer('alternate-versions');
      const running = server;
      const cli = startCli(['--url', running.url, '--duration', '600', '--connections', '2', '--json']);
      await waitFor(() => running.requests.length > 10, { what: 'load to reach the server' });
      cli.kill(signal);

      expect(await cli.exitCode).toBe(130);
      const summary = JSON.parse(cli.stdout()) as Summary;
      expect(summary.interrupted).toBe(true);
      expect(summary.requests.responses).toBeGreaterThan(0);
      expect(sum(Object.values(summary.statusCodes))).toBe(summary.requests.responses);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'prints usage for --help and sends nothing',
    async () => {
      const { exitCode, stdout } = await runCli(['--help']);
      expect(exitCode).toBe(0);
      expect(stdout).toContain('Usage: loadgen [options]');
      expect(stdout).toContain('--max-error-rate');
    },
    TEST_TIMEOUT_MS,
  );
});
