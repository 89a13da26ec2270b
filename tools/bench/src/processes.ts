import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface ServerProcess {
  name: string;
  pid: number;
  url: string;
  /** Spawn to the first `/readyz` 200, in milliseconds. */
  readyMs: number;
  /** Where the process's stdout and stderr go (a file, so reading logs costs the load generator nothing). */
  logFile: string;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  name: string;
  script: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  readyTimeoutMs?: number;
}

/** How often readiness is polled: fine enough to time a start to ~10 ms. */
const READY_POLL_MS = 10;
const STOP_TIMEOUT_MS = 10_000;

/** One GET; resolves with the status, or 0 when nothing answered (refused, reset, timed out). */
export function getStatus(url: string, timeoutMs = 1_000): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Spawns `node <script>` with only the given environment (plus PATH) and times it from spawn to
 * the first `/readyz` 200. Throws with the tail of its output when it exits or never gets ready.
 */
export async function startServer({
  name,
  script,
  port,
  env,
  logFile,
  readyTimeoutMs = 15_000,
}: StartServerOptions): Promise<ServerProcess> {
  if (!existsSync(script))
    throw new Error(
      `${script} is missing: build it first (NX_DAEMON=false npx nx run bench:bench builds everything)`,
    );
  const output = openSync(logFile, 'w');
  const startedAt = performance.now();
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  const exited = exitOf(child);
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };

  const deadline = startedAt + readyTimeoutMs;
  while (performance.now() < deadline) {
    if (hasExited) throw new Error(`${name} exited before it was ready:\n${tail(logFile)}`);
    if ((await getStatus(`${url}/readyz`, 500)) === 200) {
      return { name, pid: child.pid as number, url, readyMs: performance.now() - startedAt, logFile, stop };
    }
    await sleep(READY_POLL_MS);
  }
  await stop();
  throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${tail(logFile)}`);
}
