import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { StackService } from './stack';

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 20_000;
const COLOURS = [36, 33, 35, 32, 34];

export interface Running {
  service: StackService;
  child: ChildProcess;
  exited: Promise<number | string>;
}

export type Print = (line: string) => void;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function waitUntilReady(service: StackService, run: Running): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}/readyz`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    exited
      ? `${service.name} exited during start-up`
      : `${service.name} was not ready within ${READY_TIMEOUT_MS / 1000} s`,
  );
}

/**
 * Starts the services one by one, each in its own process group so that a terminal's Ctrl-C reaches
 * only this supervisor, which then stops them in order. Output lines get a coloured name prefix.
 */
export class Supervisor {
  readonly running: Running[] = [];
  private stopping = false;

  constructor(
    private readonly distDir: string,
    private readonly print: Print,
    private readonly onUnexpectedExit: (name: string, code: number | string) => void,
  ) {}

  async start(services: readonly StackService[], env: NodeJS.ProcessEnv): Promise<void> {
    for (const service of services) {
      if (!(await portIsFree(service.port))) {
        throw new Error(
          `port ${service.port} (${service.name}) is already in use on 127.0.0.1: stop what uses it or choose another port (see --help)`,
        );
      }
    }
    for (const [index, service] of services.entries()) {
      const run = this.spawn(service, env, COLOURS[index % COLOURS.length] ?? 0);
      this.running.push(run);
      await waitUntilReady(service, run);
    }
  }

  private spawn(service: StackService, env: NodeJS.ProcessEnv, colour: number): Running {
    const child = spawn(process.execPath, [path.join(this.distDir, service.script)], {
      env: { ...env, ...service.env, HOST: '127.0.0.1', PORT: String(service.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const prefix = `\u001b[${colour}m${service.name.padEnd(10)}\u001b[0m| `;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.print(prefix + line));
    }
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => {
        const outcome = code ?? signal ?? 'unknown';
        if (!this.stopping) this.onUnexpectedExit(service.name, outcome);
        resolve(outcome);
      });
    });
    return { service, child, exited };
  }

  /** Stops in reverse start order (frontend first); SIGKILL for anything still up after the timeout. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    let clean = true;
    for (const run of [...this.running].reverse()) {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
      const killer = setTimeout(() => run.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const outcome = await run.exited;
      clearTimeout(killer);
      if (outcome !== 0) clean = false;
    }
    return clean;
  }
}
