import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServerMetrics, UNMATCHED_ROUTE } from './http-server-metrics';
import { createRegistry } from './registry';

async function listen(app: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('HTTP server metrics', () => {
  it('observe each request under its route template and status, unmatched routes under one label', async () => {
    const registry = createRegistry({ service: 'svc', version: 'v1' }, { processMetrics: false });
    const { observe } = createHttpServerMetrics(registry);
    const app = express();
    app.use((req, res, next) => {
      res.once('finish', () => observe(req, res, 0.002));
      next();
    });
    const router = express.Router();
    router.get('/users/:id', (_req, res) => {
      res.status(201).end();
    });
    app.use('/api', router);
    const server = await listen(app);
    try {
      await fetch(`${server.url}/api/users/1`);
      await fetch(`${server.url}/api/users/2`);
      await fetch(`${server.url}/random/123`);
    } finally {
      await server.close();
    }
    const text = await registry.metrics();
    const count = (route: string, status_code: string) =>
      `http_request_duration_seconds_count{service="svc",version="v1",method="GET",route="${route}",status_code="${status_code}"}`;
    expect(text).toContain(`${count('/api/users/:id', '201')} 2\n`);
    expect(text).toContain(`${count(UNMATCHED_ROUTE, '404')} 1\n`);
    expect(text).not.toContain('/random/123');
  });
});
