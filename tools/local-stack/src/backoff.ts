export interface BackoffOptions {
  /** Delay before the first restart. */
  initialMs?: number;
  /** The delay doubles after each crash up to this. */
  maxMs?: number;
  /** A process that stayed up this long before it exited starts again from `initialMs`. */
  resetAfterMs?: number;
}

/**
 * Restart delays like the kubelet's CrashLoopBackOff: 1 s, 2 s, 4 s ... capped, and back to the
 * start once a process has stayed up a while, so one crash a day never waits the maximum.
 */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;
  private crashes = 0;

  constructor({ initialMs = 1_000, maxMs = 30_000, resetAfterMs = 60_000 }: BackoffOptions = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.resetAfterMs = resetAfterMs;
  }

  /** The delay before restarting a process that was up for `uptimeMs` (0: it never got ready). */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.resetAfterMs) this.crashes = 0;
    const delay = Math.min(this.initialMs * 2 ** this.crashes, this.maxMs);
    this.crashes += 1;
    return delay;
  }
}
