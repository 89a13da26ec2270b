import {
  isPortFree,
  ProcessStartError,
  startProcess,
  type ExitOutcome,
  type ProcessHandle,
} from '@learnathon/process';
import path from 'node:path';
import type { StackService } from './stack';

const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;
const STOP_TIMEOUT_MS = 20_000;
const COLOURS = [36, 33, 35, 32, 34];

export interface Running {
  service: StackService;
  handle: ProcessHandle;
}

export type Print = (line: string) => void;

/**
 * Starts the services one by one, each in its own process group so that a terminal's Ctrl-C reaches
 * only this supervisor, which then stops them in order. Output lines get a coloured name prefix.
 */
export class Supervisor {
  readonly running: Running[] = [];
  private stopping = false;
  /** Aborted by `stop()`, so a service still starting is stopped too, not left behind. */
  private readonly stopped = new AbortController();
  private starting: Promise<void> | undefined;

  constructor(
    private readonly distDir: string,
    private readonly print: Print,
    private readonly onUnexpectedExit: (name: string, code: ExitOutcome) => void,
  ) {}

  async start(services: readonly StackService[], env: NodeJS.ProcessEnv): Promise<void> {
    for (const service of services) {
      if (!(await isPortFree(service.port))) {
        throw new Error(
          `port ${service.port} (${service.name}) is already in use on 127.0.0.1: stop what uses it or choose another port (see --help)`,
        );
      }
    }
    for (const [index, service] of services.entries()) {
      this.starting = this.spawn(service, env, COLOURS[index % COLOURS.length] ?? 0);
      await this.starting;
    }
  }

  private async spawn(service: StackService, env: NodeJS.ProcessEnv, colour: number): Promise<void> {
    const prefix = `\u001b[${colour}m${service.name.padEnd(10)}\u001b[0m| `;
    const handle = await startProcess({
      name: service.name,
      script: path.join(this.distDir, service.script),
      env: { ...env, ...service.env, HOST: '127.0.0.1', PORT: String(service.port) },
      detached: true,
      onLine: (line) => this.print(prefix + line),
      readyUrl: `http://127.0.0.1:${service.port}/readyz`,
      readyTimeoutMs: READY_TIMEOUT_MS,
      readyPollMs: READY_POLL_MS,
      signal: this.stopped.signal,
    }).catch((error: unknown) => {
      if (!this.stopping && error instanceof ProcessStartError && error.outcome !== undefined)
        this.onUnexpectedExit(service.name, error.outcome);
      throw error;
    });
    this.running.push({ service, handle });
    void handle.exited.then((outcome) => {
      if (!this.stopping) this.onUnexpectedExit(service.name, outcome);
    });
  }

  /** Stops in reverse start order (frontend first); SIGKILL for anything still up after the timeout. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    this.stopped.abort();
    await this.starting?.catch(() => undefined);
    let clean = true;
    for (const { handle } of [...this.running].reverse()) {
      if ((await handle.stop('SIGTERM', STOP_TIMEOUT_MS)) !== 0) clean = false;
    }
    return clean;
  }
}
