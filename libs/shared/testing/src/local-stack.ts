import { freePort, getJson, startProcess, waitFor, type ProcessHandle } from '@learnathon/process';
import { builtScript, workspaceRoot } from './dist';

export interface StackPorts {
  frontend: number;
  pingerV1: number;
  pingerV2: number;
  details: number;
}

export interface LocalStack {
  frontend: string;
  pingerV1: string;
  pingerV2: string;
  details: string;
  ports: StackPorts;
  /** The local-stack runner itself (its output holds every service's lines). */
  process: ProcessHandle;
  /** Ctrl-C, as a user stops it; resolves with the runner's exit. */
  stop(): Promise<number | string>;
}

export interface StartLocalStackOptions {
  /** Which pinger the frontend talks to (`npm start -- --pinger v2`). */
  pinger?: 'v1' | 'v2';
  /** Extra environment for the runner and so every service (LOG_LEVEL, PINGER_INTERVAL_MS, ...). */
  env?: Record<string, string>;
  /** The checkout whose `dist` holds the built stack (default: this repository). */
  root?: string;
}

/**
 * Starts the built local stack exactly as `npm start` does (the local-stack runner), on free
 * ports, and waits until the frontend is ready and the pinger has finished a round in which every
 * service answered.
 */
export async function startLocalStack({
  pinger = 'v1',
  env = {},
  root = workspaceRoot,
}: StartLocalStackOptions = {}): Promise<LocalStack> {
  const ports: StackPorts = {
    frontend: await freePort(),
    pingerV1: await freePort(),
    pingerV2: await freePort(),
    details: await freePort(),
  };
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const handle = await startProcess({
    name: 'local-stack',
    script: builtScript('tools/local-stack/main.js', root),
    args: ['--pinger', pinger],
    env: {
      FRONTEND_PORT: String(ports.frontend),
      PINGER_V1_PORT: String(ports.pingerV1),
      PINGER_V2_PORT: String(ports.pingerV2),
      DETAILS_PORT: String(ports.details),
      PINGER_INTERVAL_MS: '500',
      LOG_LEVEL: 'info',
      ...env,
    },
    readyUrl: `${url(ports.frontend)}/readyz`,
    // Four Node processes started one after another: slow on a busy 2-core machine.
    readyTimeoutMs: 60_000,
  });
  try {
    await waitFor(
      async () => {
        // One entry per watched URL, keyed by its hash (the original learnathon's shape).
        const stats = (
          await getJson<Record<string, { statusCode?: unknown }>>(`${url(ports.frontend)}/ping/stats`)
        ).body;
        const entries = Object.values(stats);
        return entries.length > 0 && entries.every((entry) => entry.statusCode === 200);
      },
      { timeoutMs: 15_000, what: 'a probe round in which every service answered' },
    );
  } catch (error) {
    await handle.stop('SIGINT', 30_000);
    throw new Error(`${(error as Error).message}\n--- local-stack output ---\n${handle.output()}`);
  }
  return {
    frontend: url(ports.frontend),
    pingerV1: url(ports.pingerV1),
    pingerV2: url(ports.pingerV2),
    details: url(ports.details),
    ports,
    process: handle,
    stop: () => handle.stop('SIGINT', 30_000),
  };
}
