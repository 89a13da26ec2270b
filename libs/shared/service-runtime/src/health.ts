import { Router, type RequestHandler } from 'express';

/** A dependency check for readiness, e.g. "has the first probe round finished". */
export type ReadinessCheck = () => boolean;

/**
 * Liveness and readiness, kept apart on purpose: `/healthz` only says the process can serve
 * (a failure makes the kubelet restart it), `/readyz` says it should get traffic (a failure only
 * takes it out of the Service endpoints, e.g. while draining on shutdown).
 */
export class Health {
  private draining = false;
  private readonly checks = new Map<string, ReadinessCheck>();

  addReadinessCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Called at the start of shutdown so load balancers stop sending new requests. */
  markDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  readiness(): { ready: boolean; failing: string[] } {
    if (this.draining) return { ready: false, failing: ['shutting-down'] };
    const failing = [...this.checks].filter(([, check]) => !check()).map(([name]) => name);
    return { ready: failing.length === 0, failing };
  }

  readonly livenessHandler: RequestHandler = (_req, res) => {
    res.json({ status: 'ok' });
  };

  readonly readinessHandler: RequestHandler = (_req, res) => {
    const { ready, failing } = this.readiness();
    res.status(ready ? 200 : 503).json(ready ? { status: 'ready' } : { status: 'not-ready', failing });
  };

  /** `/healthz` and `/readyz` as a router, for apps that mount them elsewhere. */
  router(): Router {
    const router = Router();
    router.get('/healthz', this.livenessHandler);
    router.get('/readyz', this.readinessHandler);
    return router;
  }
}
