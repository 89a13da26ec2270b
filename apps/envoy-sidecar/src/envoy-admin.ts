import http from 'node:http';

/**
 * Envoy's admin API, always on a fresh connection (`agent: false`, `Connection: close`): during a
 * hot restart a kept-alive connection stays with the process that accepted it, so it would keep
 * reporting the old epoch for as long as that process drains.
 */

export interface AdminResponse {
  status: number;
  body: string;
}

export function adminRequest(
  adminUrl: string,
  path: string,
  { method = 'GET', timeoutMs = 2_000 }: { method?: 'GET' | 'POST'; timeoutMs?: number } = {},
): Promise<AdminResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(path, adminUrl),
      { method, agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    request.end();
  });
}

export interface ServerInfo {
  /** LIVE, DRAINING, PRE_INITIALIZING or INITIALIZING. */
  state: string;
  epoch: number;
}

/** `/server_info`: the answering process's state and `--restart-epoch`. */
export async function readServerInfo(adminUrl: string): Promise<ServerInfo> {
  const { status, body } = await adminRequest(adminUrl, '/server_info');
  if (status !== 200) throw new Error(`/server_info answered ${status}`);
  const info = JSON.parse(body) as { state?: unknown; command_line_options?: { restart_epoch?: unknown } };
  const epoch = Number(info.command_line_options?.restart_epoch);
  if (typeof info.state !== 'string' || !Number.isInteger(epoch))
    throw new Error(`/server_info has no state or restart_epoch: ${body.slice(0, 200)}`);
  return { state: info.state, epoch };
}

/** Asks Envoy to drain every listener gracefully (new connections told to go away) before it is stopped. */
export async function drainListeners(adminUrl: string): Promise<void> {
  const { status, body } = await adminRequest(adminUrl, '/drain_listeners?graceful', { method: 'POST' });
  if (status !== 200) throw new Error(`/drain_listeners answered ${status}: ${body.slice(0, 200)}`);
}
