import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReloadRecord } from './supervisor';

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

/** 200 applied, 422 refused by validation, 503 the new epoch did not come up or the sidecar is stopping. */
const STATUS_BY_RESULT = { applied: 200, invalid: 422, failed: 503 } as const;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(`${JSON.stringify(body)}\n`);
}

/**
 * Reload on demand, bound to 127.0.0.1 only: a container of the pod (or `kubectl exec`/port-forward)
 * may ask for one, nothing outside the pod can. `POST /reload` answers when the reload is done.
 */
export async function startControlServer(
  port: number,
  reload: () => Promise<ReloadRecord | undefined>,
): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    if (path !== '/reload')
      return send(res, 404, { error: 'not_found', message: `No route for ${req.method} ${path}` });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return send(res, 405, { error: 'method_not_allowed', message: 'Use POST /reload' });
    }
    req.resume();
    reload().then(
      (record) =>
        record
          ? send(res, STATUS_BY_RESULT[record.result], record)
          : send(res, 503, { error: 'shutting_down', message: 'The sidecar is stopping; no reload' }),
      (error: unknown) => send(res, 500, { error: 'internal_error', message: (error as Error).message }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
