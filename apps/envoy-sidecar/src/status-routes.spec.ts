import express from 'express';
import type { AddressInfo } from 'node:net';
import { addStatusRoutes } from './status-routes';
import type { SidecarStatus } from './supervisor';

const status: SidecarStatus = {
  epoch: 3,
  configHash: 'ab'.repeat(32),
  configPath: '/etc/envoy/envoy.json',
  ready: true,
  envoyPids: [42],
  lastReload: null,
};

async function serve() {
  const app = express();
  addStatusRoutes(app, () => status);
  app.get('/metrics', (_req, res) => res.send('metrics'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('status routes', () => {
  it('answers GET /status with the status as JSON, never cached', async () => {
    const server = await serve();
    try {
      const response = await fetch(`${server.url}/status`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual(status);
    } finally {
      await server.close();
    }
  });

  it('refuses every method but GET and HEAD on every path, naming where reloads go', async () => {
    const server = await serve();
    try {
      for (const [method, path] of [
        ['POST', '/status'],
        ['PUT', '/metrics'],
        ['DELETE', '/reload'],
      ]) {
        const response = await fetch(`${server.url}${path}`, { method });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('GET, HEAD');
        expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
      }
      expect((await fetch(`${server.url}/metrics`, { method: 'HEAD' })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
