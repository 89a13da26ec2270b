import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter } from 'prom-client';
import { metricsHandler } from './metrics-handler';
import { createRegistry } from './registry';

describe('metricsHandler', () => {
  it('serves the registry in the exposition format, with its content type', async () => {
    const registry = createRegistry({ service: 'svc', version: 'v1' }, { processMetrics: false });
    new Counter({ name: 'demo_events_total', help: 'Demo events.', registers: [registry] }).inc(3);
    const app = express();
    app.get('/metrics', metricsHandler(registry));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(registry.contentType);
      const text = await response.text();
      expect(text).toContain('# TYPE demo_events_total counter');
      expect(text).toContain('demo_events_total{service="svc",version="v1"} 3');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
