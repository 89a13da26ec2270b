import { getJson as requestJson, startProcess } from '@learnathon/process';
import { existsSync } from 'node:fs';

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

/** The JSON body of a GET that must succeed. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await requestJson<T>(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return response.body;
}

/**
 * Spawns `node <script>` with only the given environment (plus PATH, HOST and PORT) and times it
 * from spawn to the first `/readyz` 200. Throws with the tail of its log when it exits or never
 * gets ready.
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
  const url = `http://127.0.0.1:${port}`;
  const handle = await startProcess({
    name,
    script,
    env: { HOST: '127.0.0.1', PORT: String(port), ...env },
    logFile,
    readyUrl: `${url}/readyz`,
    readyTimeoutMs,
    readyPollMs: READY_POLL_MS,
  });
  return {
    name,
    pid: handle.pid,
    url,
    readyMs: handle.readyMs,
    logFile,
    stop: async () => {
      await handle.stop('SIGTERM', STOP_TIMEOUT_MS);
    },
  };
}
