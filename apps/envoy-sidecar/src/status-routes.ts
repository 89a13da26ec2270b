import type { Express, RequestHandler } from 'express';
import type { SidecarStatus } from './supervisor';

/**
 * The status port is reachable from outside the pod (Prometheus, the API server's pod proxy), so
 * it only reads: anything but GET/HEAD is refused, and reloads live on the loopback control port.
 */
const readOnly: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  res
    .status(405)
    .set('allow', 'GET, HEAD')
    .json({
      error: 'method_not_allowed',
      message: `${req.method} is not served here: this port is read-only (reloads: POST /reload on the loopback control port)`,
    });
};

/** GET-only routes of the status port; /healthz, /readyz and /metrics come with the Service. */
export function addStatusRoutes(app: Express, status: () => SidecarStatus): void {
  app.use(readOnly);
  app.get('/status', (_req, res) => {
    res.set('cache-control', 'no-store').json(status());
  });
}
