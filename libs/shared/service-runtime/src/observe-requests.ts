import { routeTemplate, type HttpServerMetrics } from '@learnathon/metrics';
import { activeTraceIds } from '@learnathon/tracing';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * The kubelet's probes and Prometheus' scrapes: hit every few seconds by machines, they are not
 * traffic. Logging and tracing them is noise, and fault injection never touches them.
 */
export const PROBE_AND_SCRAPE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** Requests at least this slow are logged at info, like server errors: they are worth a look. */
export const SLOW_REQUEST_MS = 1_000;

export interface ObserveRequestsOptions {
  version: string;
  metrics: HttpServerMetrics;
  logger: Logger;
}

/**
 * Everything observed about a request, with one middleware and one `finish` listener: the
 * `x-service-version` header, the RED histogram and the access log.
 *
 * The access log writes one JSON line per request with the route template and the trace id
 * (captured while the request's span is active: `finish` fires outside that context). Routine
 * requests go out at debug; at info, the production default, only server errors (5xx) and slow
 * requests do. A line per request at info put log formatting and I/O on the hot path for every
 * request (see docs/benchmarks.md), and the RED metrics and traces already account for each one.
 */
export function observeRequests({ version, metrics, logger }: ObserveRequestsOptions): RequestHandler {
  return (req, res, next) => {
    res.setHeader('x-service-version', version);
    const startedMs = performance.now();
    const traceIds = activeTraceIds();
    res.once('finish', () => {
      const elapsedMs = performance.now() - startedMs;
      metrics.observe(req, res, elapsedMs / 1000);
      const noteworthy = res.statusCode >= 500 || elapsedMs >= SLOW_REQUEST_MS;
      const level = noteworthy ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level) || PROBE_AND_SCRAPE_PATHS.has(req.path)) return;
      logger[level](
        {
          ...traceIds,
          method: req.method,
          route: routeTemplate(req),
          status_code: res.statusCode,
          duration_ms: Math.round(elapsedMs * 100) / 100,
        },
        'request',
      );
    });
    next();
  };
}
