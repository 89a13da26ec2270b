import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { FaultInjection } from './config';
import type { ErrorBody } from './errors';
import { PROBE_AND_SCRAPE_PATHS } from './observe-requests';

/** A share of requests, 0..100 percent, picked with `random` (uniform on [0, 1), like Math.random). */
const picked = (percent: number, random: () => number) => percent > 0 && random() * 100 < percent;

export function faultsEnabled({ errorPercent, delayMs, delayPercent }: FaultInjection): boolean {
  return errorPercent > 0 || (delayMs > 0 && delayPercent > 0);
}

/**
 * Says loudly that this instance misbehaves on purpose: someone reading the logs of a failing
 * service must find out at once that the failures are a drill.
 */
export function warnFaultsEnabled(logger: Logger, faults: FaultInjection): void {
  const { errorPercent, delayMs, delayPercent } = faults;
  logger.warn(
    { fault_error_percent: errorPercent, fault_delay_ms: delayMs, fault_delay_percent: delayPercent },
    `FAULT INJECTION IS ON: ${errorPercent}% of requests fail with 500 injected_fault, ` +
      `${delayMs > 0 ? delayPercent : 0}% are delayed by ${delayMs} ms (FAULT_* variables; never outside a drill)`,
  );
}

/**
 * Fails or delays a share of the app's requests, for drills such as a deliberately faulty canary.
 * Mounted after the request observer, so injected errors and delays show in the RED metrics,
 * traces and access log exactly like real ones; probes and scrapes are never touched, so a faulty
 * instance stays in service and keeps reporting its metrics.
 */
export function injectFaults(faults: FaultInjection, random: () => number = Math.random): RequestHandler {
  const { errorPercent, delayMs, delayPercent } = faults;
  const failure: ErrorBody = {
    error: 'injected_fault',
    message: `This request failed on purpose (FAULT_ERROR_PERCENT=${errorPercent})`,
  };
  return (req, res, next) => {
    if (PROBE_AND_SCRAPE_PATHS.has(req.path)) return next();
    const answer = () => (picked(errorPercent, random) ? res.status(500).json(failure) : next());
    if (delayMs > 0 && picked(delayPercent, random)) setTimeout(answer, delayMs);
    else answer();
  };
}
