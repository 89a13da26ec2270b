import { describeOutcome, isPortFree, startProcess, type ProcessHandle } from '@learnathon/process';
import path from 'node:path';
import { Backoff, type BackoffOptions } from './backoff';
import type { StackService } from './stack';

const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;
const STOP_TIMEOUT_MS = 20_000;
const COLOURS = [36, 33, 35, 32, 34];

export type Print = (line: string) => void;

/** One service of the stack, across its restarts. */
interface Supervised {
  service: StackService;
  prefix: string;
  backoff: Backoff;
  restarts: number;
  handle?: ProcessHandle;
  readyAt: number;
  /** The pending restart, if it crashed and is waiting out its backoff. */
  timer?: NodeJS.Timeout;
}

export interface SupervisorOptions {
  /** Restart delays (defaults: 1 s doubling to 30 s, reset after 60 s up). */
  backoff?: BackoffOptions;
  /** A script each service loads first (`node --require`), e.g. the built parent-watch.js. */
  preload?: string;
}

/**
 * Runs the services like a tiny kubelet: started one by one, each in its own process group so a
 * terminal's Ctrl-C reaches only this supervisor, which stops them in order. A service that exits
 * unexpectedly is restarted with an exponential backoff while the others keep serving; one that
 * cannot start at all fails `start()` with the reason. Output lines get a coloured name prefix.
 */
export class Supervisor {
  private readonly supervised: Supervised[] = [];
  private stopping = false;
  /** Aborted by `stop()`, so a service still starting is stopped too, not left behind. */
  private readonly stopped = new AbortController();
  private readonly starting = new Set<Promise<unknown>>();

  constructor(
    private readonly distDir: string,
    private readonly print: Print,
    private readonly options: SupervisorOptions = {},
  ) {}

  /** The services running now, with their pids and restart counts. */
  get running(): Array<{ name: string; pid: number; restarts: number }> {
    return this.supervised
      .filter((entry) => entry.handle?.running)
      .map((entry) => ({
        name: entry.service.name,
        pid: (entry.handle as ProcessHandle).pid,
        restarts: entry.restarts,
      }));
  }

  async start(services: readonly StackService[], env: NodeJS.ProcessEnv): Promise<void> {
    for (const service of services) {
      if (!(await isPortFree(service.port))) {
        throw new Error(
          `port ${service.port} (${service.name}) is already in use on 127.0.0.1: stop what uses it or choose another port (see --help)`,
        );
      }
    }
    for (const [index, service] of services.entries()) {
      const colour = COLOURS[index % COLOURS.length] ?? 0;
      const entry: Supervised = {
        service,
        prefix: `\u001b[${colour}m${service.name.padEnd(10)}\u001b[0m| `,
        backoff: new Backoff(this.options.backoff),
        restarts: 0,
        readyAt: 0,
      };
      this.supervised.push(entry);
      await this.launch(entry, env);
    }
  }

  /** Starts the service and waits until it is ready; from then on, an unexpected exit restarts it. */
  private async launch(entry: Supervised, env: NodeJS.ProcessEnv): Promise<void> {
    const { service } = entry;
    const preload = this.options.preload ? ['--require', this.options.preload] : [];
    const starting = startProcess({
      name: service.name,
      command: process.execPath,
      args: [...preload, path.join(this.distDir, service.script)],
      env: { ...env, ...service.env, HOST: '127.0.0.1', PORT: String(service.port) },
      detached: true,
      onLine: (line) => this.print(entry.prefix + line),
      readyUrl: `http://127.0.0.1:${service.port}/readyz`,
      readyTimeoutMs: READY_TIMEOUT_MS,
      readyPollMs: READY_POLL_MS,
      signal: this.stopped.signal,
    });
    this.starting.add(starting);
    try {
      entry.handle = await starting;
    } finally {
      this.starting.delete(starting);
    }
    entry.readyAt = Date.now();
    const handle = entry.handle;
    void handle.exited.then((outcome) => {
      if (!this.stopping)
        this.scheduleRestart(
          entry,
          env,
          `exited unexpectedly (${describeOutcome(outcome)})`,
          Date.now() - entry.readyAt,
        );
    });
  }

  private scheduleRestart(
    entry: Supervised,
    env: NodeJS.ProcessEnv,
    /** What happened, for the line printed: "exited unexpectedly (signal SIGKILL)". */
    reason: string,
    uptimeMs: number,
  ): void {
    const delay = entry.backoff.next(uptimeMs);
    entry.restarts += 1;
    this.print(
      `local-stack: ${entry.service.name} ${reason}; restart ${entry.restarts} in ${delay / 1000} s`,
    );
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.launch(entry, env).then(
        () =>
          this.print(
            `local-stack: ${entry.service.name} is back (pid ${entry.handle?.pid}, ${entry.restarts} restart${entry.restarts === 1 ? '' : 's'})`,
          ),
        (error: unknown) => {
          if (this.stopping) return;
          this.print(`local-stack: ${(error as Error).message}`);
          this.scheduleRestart(entry, env, 'did not come back', 0);
        },
      );
    }, delay);
  }

  /** Stops in reverse start order (frontend first); SIGKILL for anything still up after the timeout. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    this.stopped.abort();
    for (const entry of this.supervised) clearTimeout(entry.timer);
    await Promise.allSettled([...this.starting]);
    let clean = true;
    for (const { handle } of [...this.supervised].reverse()) {
      if (!handle?.running) continue;
      if ((await handle.stop('SIGTERM', STOP_TIMEOUT_MS)) !== 0) clean = false;
    }
    return clean;
  }
}
