import { ProcessStartError, startProcess, type ProcessHandle } from '@learnathon/process';
import { constants } from 'node:os';

export interface EnvoyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The exit status a shell would report: the code, or 128 + the signal number. */
export function exitStatus({ code, signal }: EnvoyExit): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/** The shell's "command not found": what a binary that can't be started counts as. */
const NOT_STARTED: EnvoyExit = { code: 127, signal: null };

/**
 * One running Envoy (or one `--mode validate` run), started with @learnathon/process. Its output
 * goes on to the container's stdout/stderr line by line as Envoy wrote it, and the last lines are
 * kept for status and log lines. Node reaps the child as soon as it exits (libuv's SIGCHLD
 * handler), so no zombie is left.
 */
export class EnvoyProcess {
  private exit: EnvoyExit | undefined;

  private constructor(
    private readonly handle: ProcessHandle | undefined,
    /** Resolves on 'close' (not 'exit'): every line of output has been read by then. */
    readonly exited: Promise<EnvoyExit>,
    private readonly startError = '',
  ) {
    void exited.then((exit) => (this.exit = exit));
  }

  static async start(
    binary: string,
    args: readonly string[],
    { forwardOutput = true }: { forwardOutput?: boolean } = {},
  ): Promise<EnvoyProcess> {
    try {
      const handle = await startProcess({
        name: 'envoy',
        command: binary,
        args,
        env: process.env,
        // A line callback keeps only a tail in memory, however long Envoy runs.
        onLine: (line, stream) => {
          if (forwardOutput) (stream === 'stdout' ? process.stdout : process.stderr).write(`${line}\n`);
        },
      });
      const exited = new Promise<EnvoyExit>((resolve) =>
        handle.child.once('close', (code, signal) => resolve({ code, signal })),
      );
      return new EnvoyProcess(handle, exited);
    } catch (error) {
      if (!(error instanceof ProcessStartError)) throw error;
      return new EnvoyProcess(undefined, Promise.resolve(NOT_STARTED), error.message);
    }
  }

  get pid(): number | undefined {
    return this.handle?.pid;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  output(): string {
    return this.handle ? this.handle.output() : this.startError;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.handle?.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it is still there after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<EnvoyExit> {
    if (this.alive) await this.handle?.stop('SIGTERM', timeoutMs);
    return this.exited;
  }
}

/** Runs Envoy to completion (e.g. `--mode validate`), killing it if it takes longer than `timeoutMs`. */
export async function runToCompletion(
  binary: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ status: number; output: string }> {
  const run = await EnvoyProcess.start(binary, args, { forwardOutput: false });
  const killer = setTimeout(() => run.signal('SIGKILL'), timeoutMs);
  const exit = await run.exited;
  clearTimeout(killer);
  return { status: exitStatus(exit), output: run.output() };
}
