import { activeTraceIds, routeTemplate } from '@learnathon/metrics';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Probe and scrape endpoints are hit every few seconds by machines; logging them is noise. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One JSON line per request once the response is sent, with the route template and the trace id
 * captured while the request's span was active (the `finish` event fires outside that context).
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (QUIET_PATHS.has(req.path) || !logger.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    const traceIds = activeTraceIds();
    res.once('finish', () => {
      logger.info(
        {
          ...traceIds,
          method: req.method,
          route: routeTemplate(req),
          status_code: res.statusCode,
          duration_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        },
        'request',
      );
    });
    next();
  };
}
