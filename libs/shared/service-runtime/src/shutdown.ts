import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Health } from './health';

export interface ShutdownOptions {
  server: Server;
  health: Health;
  logger: Logger;
  /** Time to keep serving after the signal, while endpoints are removed from load balancers. */
  delayMs: number;
  /** Time in-flight requests get to finish before their connections are cut. */
  timeoutMs: number;
  /** Cleanup after the server has drained: stop loops, flush traces, persist state. */
  hooks: ReadonlyArray<() => Promise<void> | void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function closeServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const forceTimer = setTimeout(() => {
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    server.close(() => {
      clearTimeout(forceTimer);
      resolve(true);
    });
    server.closeIdleConnections();
  });
}

/**
 * The shutdown sequence, top to bottom: mark unready, wait for endpoints to update, stop accepting
 * and let in-flight requests finish (bounded), run cleanup hooks (bounded), exit.
 * Resolves with the exit code: 0 for a clean drain, 1 if anything had to be cut short.
 */
export async function drainAndStop({
  server,
  health,
  logger,
  delayMs,
  timeoutMs,
  hooks,
}: ShutdownOptions): Promise<number> {
  health.markDraining();
  if (delayMs > 0) {
    logger.info({ delay_ms: delayMs }, 'readiness is now false; waiting for endpoints to update');
    await sleep(delayMs);
  }
  const drained = await closeServer(server, timeoutMs);
  if (!drained)
    logger.warn(
      { timeout_ms: timeoutMs },
      'in-flight requests did not finish in time; connections were closed',
    );

  let hooksOk = true;
  let hookTimer: NodeJS.Timeout | undefined;
  const hookTimeout = new Promise<'timeout'>((resolve) => {
    hookTimer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  for (const hook of hooks) {
    try {
      const outcome = await Promise.race([Promise.resolve(hook()), hookTimeout]);
      if (outcome === 'timeout') {
        logger.warn('a shutdown hook did not finish in time');
        hooksOk = false;
        break;
      }
    } catch (error) {
      hooksOk = false;
      logger.error({ err: error }, 'a shutdown hook failed');
    }
  }
  clearTimeout(hookTimer);
  return drained && hooksOk ? 0 : 1;
}
