import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** Enough of Envoy's last words to report why it refused a config or died. */
const OUTPUT_TAIL_BYTES = 8 * 1024;

export interface EnvoyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The exit status a shell would report: the code, or 128 + the signal number. */
export function exitStatus({ code, signal }: EnvoyExit): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/**
 * One running Envoy (or one `--mode validate` run). Its output goes on to the container's
 * stdout/stderr as Envoy wrote it, and the last few KiB are kept for status and log lines.
 * Node reaps the child as soon as it exits (libuv's SIGCHLD handler), so no zombie is left.
 */
export class EnvoyProcess {
  readonly exited: Promise<EnvoyExit>;
  private readonly child: ChildProcess;
  private tail = '';
  private exit: EnvoyExit | undefined;

  constructor(
    binary: string,
    readonly args: readonly string[],
    { forwardOutput = true }: { forwardOutput?: boolean } = {},
  ) {
    this.child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      if (forwardOutput) stream.write(chunk);
      this.tail = (this.tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    this.child.stdout?.on('data', keep(process.stdout));
    this.child.stderr?.on('data', keep(process.stderr));
    this.exited = new Promise((resolve) => {
      // 'close' (not 'exit'): all output has been read by then, so the tail is complete.
      this.child.once('close', (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
      this.child.once('error', (error) => {
        // Could not be started at all (e.g. ENOENT): the shell's "command not found".
        this.tail += `\n${error.message}`;
        this.exit ??= { code: 127, signal: null };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  output(): string {
    return this.tail;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it is still there after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<EnvoyExit> {
    this.signal('SIGTERM');
    const killer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    const exit = await this.exited;
    clearTimeout(killer);
    return exit;
  }
}

/** Runs Envoy to completion (e.g. `--mode validate`), killing it if it takes longer than `timeoutMs`. */
export async function runToCompletion(
  binary: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ status: number; output: string }> {
  const run = new EnvoyProcess(binary, args, { forwardOutput: false });
  const killer = setTimeout(() => run.signal('SIGKILL'), timeoutMs);
  const exit = await run.exited;
  clearTimeout(killer);
  return { status: exitStatus(exit), output: run.output() };
}
