import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Health } from './health';

describe('Health', () => {
  let server: http.Server;
  let url: string;
  const health = new Health();

  beforeAll(async () => {
    const app = express();
    app.get('/healthz', health.livenessHandler);
    app.get('/readyz', health.readinessHandler);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const answer = async (path: string) => {
    const response = await fetch(`${url}${path}`, { headers: { connection: 'close' } });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('is live and ready until it starts draining; then unready, and still live', async () => {
    expect(await answer('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await answer('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });

    health.markDraining();

    expect(await answer('/readyz')).toEqual({
      status: 503,
      body: { status: 'not-ready', failing: ['shutting-down'] },
    });
    expect(await answer('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
