import { freePort, startProcess, waitFor, type ProcessHandle } from '@learnathon/service-runtime/testing';
import { builtScript } from './paths';

export interface Stack {
  frontend: string;
  pingerV1: string;
  pingerV2: string;
  details: string;
  ports: { frontend: number; pingerV1: number; pingerV2: number; details: number };
  process: ProcessHandle;
  stop(): Promise<number | string>;
}

/**
 * Starts the local stack exactly as `npm start` does (the built local-stack runner), on free ports,
 * and waits until the frontend is ready and the pinger has finished its first round.
 */
export async function startStack({
  pinger = 'v1',
  env = {},
}: { pinger?: 'v1' | 'v2'; env?: Record<string, string> } = {}): Promise<Stack> {
  const ports = {
    frontend: await freePort(),
    pingerV1: await freePort(),
    pingerV2: await freePort(),
    details: await freePort(),
  };
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const handle = await startProcess({
    script: builtScript('tools/local-stack/main.js'),
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
    readyTimeoutMs: 30_000,
  });
  await waitFor(
    async () => {
      const stats = (await (await fetch(`${url(ports.frontend)}/ping/stats`)).json()) as Record<
        string,
        { statusCode: unknown }
      >;
      const entries = Object.values(stats);
      return entries.length > 0 && entries.every((entry) => entry.statusCode === 200);
    },
    { timeoutMs: 15_000, what: 'a probe round in which every service answered' },
  );
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

export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

export const postJson = (url: string, body: string | object) =>
  getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
