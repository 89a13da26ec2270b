/** Live progress: one line a second on stderr, so a long run shows it is alive and how it goes. */

export type Phase = 'warm-up' | 'load';

export interface ProgressSample {
  phase: Phase;
  elapsedSeconds: number;
  /** Responses in the last interval, per second. */
  requestsPerSecond: number;
  /** Non-2xx/3xx responses so far in this phase. */
  badResponses: number;
  /** Connection errors and timeouts so far in this phase. */
  errors: number;
}

export function formatProgress(sample: ProgressSample): string {
  return [
    `[${sample.phase}]`,
    `${sample.elapsedSeconds.toFixed(0).padStart(4)} s`,
    `${sample.requestsPerSecond.toFixed(0).padStart(7)} req/s`,
    `${sample.badResponses} bad responses`,
    `${sample.errors} errors`,
  ].join('  ');
}

/** Counts responses and errors as they happen and turns them into a sample on each tick. */
export class ProgressCounter {
  private lastTickAt: number;
  private responsesSinceTick = 0;
  private badResponses = 0;
  private errors = 0;

  constructor(
    private readonly phase: Phase,
    private readonly startedAt = Date.now(),
  ) {
    this.lastTickAt = startedAt;
  }

  response(statusCode: number): void {
    this.responsesSinceTick++;
    if (!isGoodStatus(statusCode)) this.badResponses++;
  }

  error(): void {
    this.errors++;
  }

  tick(now = Date.now()): ProgressSample {
    const intervalSeconds = Math.max((now - this.lastTickAt) / 1000, 0.001);
    const sample: ProgressSample = {
      phase: this.phase,
      elapsedSeconds: (now - this.startedAt) / 1000,
      requestsPerSecond: this.responsesSinceTick / intervalSeconds,
      badResponses: this.badResponses,
      errors: this.errors,
    };
    this.lastTickAt = now;
    this.responsesSinceTick = 0;
    return sample;
  }
}

/** 2xx and 3xx count as served; anything else counts against the error rate. */
export function isGoodStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 400;
}
