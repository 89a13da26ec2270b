import { Service, type Logger } from '@learnathon/service-runtime';
import { AddressGuard } from './address-guard';
import type { DetailsConfig } from './config';
import { GuardedFetcher } from './guarded-fetch';
import { systemResolver, type HostResolver } from './resolve';
import { detailsRoutes } from './routes';

export interface DetailsOverrides {
  logger?: Logger;
  handleSignals?: boolean;
  /** Replaces DNS (tests map names like `metadata.test` to addresses without any lookup). */
  resolveHost?: HostResolver;
}

/** Builds the details service: the SSRF-guarded fetcher behind `POST /url/info`. Call `listen()` on the result. */
export function createDetails(
  config: DetailsConfig,
  { resolveHost = systemResolver, ...overrides }: DetailsOverrides = {},
) {
  const service = new Service({ name: 'details', ...config, ...overrides });
  const guard = new AddressGuard({ deny: config.denyCidrs, allow: config.allowCidrs });
  const fetcher = new GuardedFetcher({
    guard,
    resolveHost,
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    maxRedirects: config.maxRedirects,
    userAgent: `learnathon-details/${config.version}`,
  });
  // The original learnathon service's liveness path; clients of it may still probe `/`.
  service.app.get('/', service.health.livenessHandler);
  service.app.use(detailsRoutes({ fetcher, logger: service.logger }));
  return { service, guard, fetcher };
}
