import type { RequestHandler } from 'express';

/**
 * Liveness and readiness, kept apart on purpose: `/healthz` only says the process can serve
 * (a failure makes the kubelet restart it), `/readyz` says it should get traffic (a failure only
 * takes it out of the Service endpoints, e.g. while draining on shutdown).
 */
export class Health {
  private draining = false;

  /** Called at the start of shutdown so load balancers stop sending new requests. */
  markDraining(): void {
    this.draining = true;
  }

  readonly livenessHandler: RequestHandler = (_req, res) => {
    res.json({ status: 'ok' });
  };

  readonly readinessHandler: RequestHandler = (_req, res) => {
    if (this.draining) res.status(503).json({ status: 'not-ready', failing: ['shutting-down'] });
    else res.json({ status: 'ready' });
  };
}
