import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './net';

export interface StartProcessOptions {
  /** Script to run with the current Node binary... */
  script?: string;
  /** ...or any other executable (e.g. Prometheus), run with `args`. */
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  /** URL that answers 200 once the process is ready (e.g. its `/readyz`). Omit to not wait. */
  readyUrl?: string;
  readyTimeoutMs?: number;
}

export interface ProcessHandle {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Sends SIGTERM (or the given signal) and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

/** Starts a Node script or a program as a real child process and, if asked, waits until it is ready. */
export async function startProcess({
  script,
  command,
  args = [],
  env = {},
  readyUrl,
  readyTimeoutMs = 15_000,
}: StartProcessOptions): Promise<ProcessHandle> {
  if (!script === !command) throw new Error('startProcess needs exactly one of `script` or `command`');
  const name = command ?? script;
  const child = spawn(command ?? process.execPath, command ? args : [script as string, ...args], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) => {
    if (!hasExited) child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const result = await exited;
    clearTimeout(killer);
    return result;
  };
  const handle: ProcessHandle = { child, output: () => output, exited, stop };

  if (readyUrl) {
    try {
      await waitFor(
        async () => {
          if (hasExited) throw new Error(`process exited early:\n${output}`);
          const response = await fetch(readyUrl);
          return response.status === 200;
        },
        { timeoutMs: readyTimeoutMs, what: `${readyUrl} to answer 200` },
      );
    } catch (error) {
      await stop('SIGKILL');
      throw new Error(`${name} did not become ready: ${(error as Error).message}\n--- output ---\n${output}`);
    }
  }
  return handle;
}
