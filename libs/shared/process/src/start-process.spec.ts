import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { ProcessStartError, startProcess } from './start-process';

/** A tiny server as `node -e` code: answers /readyz, exits 0 on SIGTERM. */
const server = (port: number, before = '') => `${before}
  const server = require('node:http').createServer((req, res) => res.end('ok')).listen(${port}, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));`;

const node = (code: string) => ({ command: process.execPath, args: ['-e', code] });

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'start-process-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('startProcess', () => {
  it('waits until the ready URL answers 200, keeps the output, and stops on SIGTERM', async () => {
    const port = await freePort();
    const handle = await startProcess({
      name: 'demo',
      ...node(server(port, "console.log('starting'); console.error('a warning');")),
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
    expect(handle.running).toBe(true);
    expect(handle.readyMs).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(handle.output()).toContain('starting\n');
    expect(handle.output()).toContain('a warning\n');
    expect(await handle.stop()).toBe(0);
    expect(handle.running).toBe(false);
  });

  it('gives the child only the environment it was handed, plus PATH', async () => {
    const handle = await startProcess({
      ...node('console.log(JSON.stringify(Object.keys(process.env).sort()))'),
      env: { ONLY_THIS: '1' },
    });
    await handle.exited;
    expect(JSON.parse(handle.output())).toEqual(['ONLY_THIS', 'PATH']);
  });

  it('reports a process that exits during start-up at once, with its output and exit code', async () => {
    const started = Date.now();
    const failure = await startProcess({
      name: 'crasher',
      ...node("console.error('PORT must be a port number'); process.exit(2)"),
      readyUrl: `http://127.0.0.1:${await freePort()}/readyz`,
      readyTimeoutMs: 60_000,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProcessStartError);
    expect((failure as ProcessStartError).message).toBe(
      'crasher exited during start-up (exit code 2)\n--- output ---\nPORT must be a port number',
    );
    expect((failure as ProcessStartError).outcome).toBe(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('kills a process that is not ready in time and says what it waited for', async () => {
    const port = await freePort();
    const failure = await startProcess({
      name: 'sleeper',
      ...node('console.log(process.pid); setInterval(() => undefined, 1000)'),
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      readyTimeoutMs: 500,
    }).then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as ProcessStartError,
    );
    expect(failure.message).toMatch(
      new RegExp(
        `^sleeper was not ready within 0.5 s \\(timed out after 500 ms waiting for http://127.0.0.1:${port}/readyz to answer 200\\)`,
      ),
    );
    const pid = Number(failure.output.trim());
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('stops a process still starting when the caller aborts, and fails the start', async () => {
    const controller = new AbortController();
    const starting = startProcess({
      name: 'slow-starter',
      ...node(
        "process.on('SIGTERM', () => process.exit(0)); console.log(process.pid); setInterval(() => undefined, 1000)",
      ),
      isReady: async () => false,
      readyTimeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const failure = await starting.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as ProcessStartError,
    );
    expect(failure.message).toMatch(/^slow-starter was stopped before it was ready \(exit code 0\)/);
    expect(() => process.kill(Number(failure.output.trim()), 0)).toThrow();
  });

  it('takes a readiness function instead of a URL', async () => {
    let calls = 0;
    const handle = await startProcess({
      ...node('setInterval(() => undefined, 1000)'),
      isReady: async () => ++calls >= 3,
      readyPollMs: 10,
    });
    expect(calls).toBe(3);
    await handle.stop();
  });

  it('writes output to a log file and quotes its tail on failure', async () => {
    const logFile = path.join(workDir, 'crash.log');
    const failure = await startProcess({
      ...node("for (let i = 1; i <= 60; i++) console.log('line ' + i); process.exit(1)"),
      logFile,
      readyUrl: `http://127.0.0.1:${await freePort()}/readyz`,
    }).then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as ProcessStartError,
    );
    expect((await readFile(logFile, 'utf8')).split('\n')).toHaveLength(61);
    const quoted = failure.output.split('\n');
    expect(quoted).toHaveLength(40);
    expect(quoted.at(-1)).toBe('line 60');
  });

  it('hands each output line to onLine as it comes', async () => {
    const lines: Array<[string, string]> = [];
    const handle = await startProcess({
      ...node("console.log('one'); console.error('two')"),
      onLine: (line, stream) => lines.push([line, stream]),
    });
    await handle.exited;
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual(
      expect.arrayContaining([
        ['one', 'stdout'],
        ['two', 'stderr'],
      ]),
    );
  });

  it('kills with SIGKILL a process that ignores SIGTERM past the stop timeout', async () => {
    let handlerInstalled = false;
    const handle = await startProcess({
      ...node(
        "process.on('SIGTERM', () => undefined); console.log('up'); setInterval(() => undefined, 1000)",
      ),
      onLine: (line) => (handlerInstalled ||= line === 'up'),
      isReady: async () => handlerInstalled,
      readyPollMs: 10,
    });
    expect(await handle.stop('SIGTERM', 300)).toBe('SIGKILL');
  });

  it('fails clearly when the program does not exist', async () => {
    await expect(startProcess({ command: path.join(workDir, 'no-such-program') })).rejects.toThrow(
      /no-such-program could not be started: spawn .*no-such-program ENOENT/,
    );
  });

  it('needs exactly one of script or command', async () => {
    await expect(startProcess({})).rejects.toThrow('exactly one of `script` or `command`');
    await expect(startProcess({ script: 'a.js', command: 'b' })).rejects.toThrow('exactly one of');
  });
});
