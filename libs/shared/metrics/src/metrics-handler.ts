import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/** Serves the registry in the Prometheus text exposition format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    const body = await registry.metrics();
    res.type(registry.contentType).send(body);
  };
}
