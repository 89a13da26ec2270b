import express, { type Express } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface FakeUpstream {
  url: string;
  /** Every request the fake received, in order. */
  requests: ReceivedRequest[];
  /** TCP connections accepted so far: fewer than requests means connections were reused. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A stand-in for pinger or details on 127.0.0.1: real HTTP, real sockets, routes defined by the test.
 * Listens on `port` when given (to bring a "down" upstream back up), else on an ephemeral port.
 */
export async function startFakeUpstream(
  defineRoutes: (app: Express) => void,
  port = 0,
): Promise<FakeUpstream> {
  const requests: ReceivedRequest[] = [];
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    requests.push({ method: req.method, path: req.path, headers: req.headers, body: req.body });
    next();
  });
  defineRoutes(app);

  const server = http.createServer(app);
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        // Slow routes never answer on their own; their sockets must not keep the test alive.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
