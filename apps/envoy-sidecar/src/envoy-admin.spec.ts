import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRequest, drainListeners, readServerInfo } from './envoy-admin';

/** A local HTTP server standing in for Envoy's admin: records what each request looked like. */
async function fakeAdmin(handler: http.RequestListener) {
  const seen: Array<{ method?: string; url?: string; connection?: string; socket: unknown }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, connection: req.headers.connection, socket: req.socket });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('Envoy admin client', () => {
  it('reads state and epoch from /server_info, each time on a new connection', async () => {
    const admin = await fakeAdmin((_req, res) =>
      res.end(JSON.stringify({ state: 'LIVE', command_line_options: { restart_epoch: 4 } })),
    );
    try {
      expect(await readServerInfo(admin.url)).toEqual({ state: 'LIVE', epoch: 4 });
      await readServerInfo(admin.url);
      expect(admin.seen.map((request) => request.connection)).toEqual(['close', 'close']);
      expect(admin.seen[0]?.socket).not.toBe(admin.seen[1]?.socket);
    } finally {
      await admin.close();
    }
  });

  it('rejects a /server_info without an epoch or with an error status', async () => {
    let answer = { status: 200, body: '{"state":"LIVE"}' };
    const admin = await fakeAdmin((_req, res) => res.writeHead(answer.status).end(answer.body));
    try {
      await expect(readServerInfo(admin.url)).rejects.toThrow('/server_info has no state or restart_epoch');
      answer = { status: 503, body: '' };
      await expect(readServerInfo(admin.url)).rejects.toThrow('/server_info answered 503');
    } finally {
      await admin.close();
    }
  });

  it('drains listeners with POST /drain_listeners?graceful', async () => {
    const admin = await fakeAdmin((_req, res) => res.end('OK\n'));
    try {
      await drainListeners(admin.url);
      expect(admin.seen[0]).toMatchObject({ method: 'POST', url: '/drain_listeners?graceful' });
    } finally {
      await admin.close();
    }
  });

  it('gives up on an admin that does not answer in time', async () => {
    const admin = await fakeAdmin(() => undefined);
    try {
      await expect(adminRequest(admin.url, '/ready', { timeoutMs: 100 })).rejects.toThrow(
        'GET /ready timed out after 100 ms',
      );
    } finally {
      await admin.close();
    }
  });
});
