import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { httpStatus } from './http';
import { waitFor } from './wait-for';

/** How a process ended: its exit code, or the name of the signal that ended it. */
export type ExitOutcome = number | string;

export interface StartProcessOptions {
  /** Name used in messages; defaults to the script's or command's file name. */
  name?: string;
  /** A script run with the current Node binary... */
  script?: string;
  /** ...or any other executable (Prometheus, Envoy), run with `args`. */
  command?: string;
  args?: readonly string[];
  /**
   * The child's whole environment, plus `PATH` when it has none: nothing else leaks in from this
   * process, so what a child sees is what the caller wrote. Pass `process.env` to inherit.
   */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Its own process group, so a terminal's Ctrl-C reaches only this process, which stops the child. */
  detached?: boolean;
  /** Output goes to this file (created or truncated) instead of memory: reading it costs the caller nothing. */
  logFile?: string;
  /** Each line of output as it comes, instead of keeping it all in memory. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Ready once this URL answers 200 (e.g. `/readyz`)... */
  readyUrl?: string;
  /** ...or once this returns true. Without either, `startProcess` resolves as soon as it spawned. */
  isReady?: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** How often readiness is polled; fine enough to time a start (bench) to about this much. */
  readyPollMs?: number;
  /** Aborting it while the process is not ready yet stops the process (SIGTERM) and fails the start. */
  signal?: AbortSignal;
}

export interface ProcessHandle {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Milliseconds from spawn until ready; 0 when no readiness was asked for. */
  readonly readyMs: number;
  /** Resolves once the process has exited. */
  readonly exited: Promise<ExitOutcome>;
  readonly running: boolean;
  /** What it wrote: everything when kept in memory, the last lines with `logFile` or `onLine`. */
  output(): string;
  /** Sends `signal` (SIGTERM by default), SIGKILL after `timeoutMs`; resolves with how it ended. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitOutcome>;
}

/** Thrown when a process exits before it is ready or is not ready in time; it is not left running. */
export class ProcessStartError extends Error {
  constructor(
    message: string,
    /** The tail of its output, also quoted in the message. */
    readonly output: string,
    /** How it ended, when it exited on its own. */
    readonly outcome?: ExitOutcome,
  ) {
    super(output ? `${message}\n--- output ---\n${output}` : message);
    this.name = 'ProcessStartError';
  }
}

const TAIL_LINES = 40;
const DEFAULT_STOP_TIMEOUT_MS = 15_000;

export function describeOutcome(outcome: ExitOutcome): string {
  return typeof outcome === 'number' ? `exit code ${outcome}` : `signal ${outcome}`;
}

function lastLines(text: string, count = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Where output goes, and how to read back what was written. */
function collectOutput(child: ChildProcess, options: StartProcessOptions): () => string {
  if (options.logFile) {
    const file = options.logFile;
    return () => {
      try {
        return lastLines(readFileSync(file, 'utf8'));
      } catch {
        return '';
      }
    };
  }
  if (options.onLine) {
    const onLine = options.onLine;
    const tail: string[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const input = child[stream];
      if (!input) continue;
      createInterface({ input }).on('line', (line) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        onLine(line, stream);
      });
    }
    return () => tail.join('\n');
  }
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

function spawnChild(options: StartProcessOptions): ChildProcess {
  const { script, command, args = [], env = {} } = options;
  const fullEnv = { PATH: process.env['PATH'] ?? '', ...env };
  const file = command ?? process.execPath;
  const argv = command ? [...args] : [script as string, ...args];
  if (!options.logFile) {
    return spawn(file, argv, {
      env: fullEnv,
      cwd: options.cwd,
      detached: options.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  const output = openSync(options.logFile, 'w');
  try {
    return spawn(file, argv, {
      env: fullEnv,
      cwd: options.cwd,
      detached: options.detached ?? false,
      stdio: ['ignore', output, output],
    });
  } finally {
    closeSync(output); // the child holds its own copy of the descriptor
  }
}

/**
 * Starts a Node script or a program as a child process and, when asked, waits until it is ready.
 * The one way this repo starts processes: the local stack, the bench, tests and the sidecar
 * supervisor. A process that exits during start-up or is not ready in time is reported with the
 * tail of its output and never left running.
 */
export async function startProcess(options: StartProcessOptions): Promise<ProcessHandle> {
  const { script, command, readyUrl, isReady, readyTimeoutMs = 15_000, readyPollMs = 50 } = options;
  if (!script === !command) throw new Error('startProcess needs exactly one of `script` or `command`');
  if (readyUrl && isReady) throw new Error('startProcess takes `readyUrl` or `isReady`, not both');
  if (options.logFile && options.onLine)
    throw new Error('startProcess takes `logFile` or `onLine`, not both');
  const name = options.name ?? path.basename((command ?? script) as string);

  const startedAt = performance.now();
  const child = spawnChild(options);
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
  if (child.pid === undefined) {
    const error = await spawnFailed;
    throw new ProcessStartError(`${name} could not be started: ${error.message}`, '');
  }
  const output = collectOutput(child, options);
  let outcome: ExitOutcome | undefined;
  const exited = new Promise<ExitOutcome>((resolve) => {
    child.once('exit', (code, signal) => {
      outcome = code ?? signal ?? 'unknown';
      resolve(outcome);
    });
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = DEFAULT_STOP_TIMEOUT_MS) => {
    if (outcome !== undefined) return outcome;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const result = await exited;
    clearTimeout(killer);
    return result;
  };

  let readyMs = 0;
  const check = readyUrl ? async () => (await httpStatus(readyUrl)) === 200 : isReady;
  if (check) {
    const gaveUp = new AbortController();
    void exited.then((result) => gaveUp.abort(new Error(`exited with ${describeOutcome(result)}`)));
    try {
      await waitFor(check, {
        timeoutMs: readyTimeoutMs,
        intervalMs: readyPollMs,
        what: readyUrl ? `${readyUrl} to answer 200` : `${name} to be ready`,
        signal: options.signal ? AbortSignal.any([gaveUp.signal, options.signal]) : gaveUp.signal,
      });
    } catch (error) {
      if (options.signal?.aborted && outcome === undefined) {
        const stopped = await stop();
        throw new ProcessStartError(
          `${name} was stopped before it was ready (${describeOutcome(stopped)})`,
          lastLines(output()),
        );
      }
      if (outcome !== undefined) {
        throw new ProcessStartError(
          `${name} exited during start-up (${describeOutcome(outcome)})`,
          lastLines(output()),
          outcome,
        );
      }
      await stop('SIGKILL');
      throw new ProcessStartError(
        `${name} was not ready within ${readyTimeoutMs / 1000} s (${(error as Error).message})`,
        lastLines(output()),
      );
    }
    readyMs = performance.now() - startedAt;
  }

  return {
    name,
    pid: child.pid,
    child,
    readyMs,
    exited,
    get running() {
      return outcome === undefined;
    },
    output,
    stop,
  };
}
