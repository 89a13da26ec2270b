import type { Request, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';

/** Buckets sized for in-cluster request latencies: 1 ms resolution at the low end, up to 10 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label used for requests that matched no route, so 404 scans cannot explode cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template of a request (`/ping/stats`, `/items/:id`), never the raw path: raw paths
 * carry ids and query noise that would create a time series per URL.
 */
export function routeTemplate(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : UNMATCHED_ROUTE;
}

/**
 * RED metrics (rate, errors, duration) for incoming HTTP requests: used for monitoring,
 * alerting and the canary analysis, which compares error ratio and p99 by `version`.
 */
export function createHttpServerMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests handled by this service, by route template.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  /**
   * Records one finished request. Called from the service's one `finish` listener per request
   * (service-runtime `observeRequests`), which also writes the header and the access log.
   */
  const observe = (req: Request, res: Response, seconds: number) => {
    duration.observe({ method: req.method, route: routeTemplate(req), status_code: res.statusCode }, seconds);
  };

  return { duration, observe };
}

export type HttpServerMetrics = ReturnType<typeof createHttpServerMetrics>;
