import { Service, type Logger } from '@learnathon/service-runtime';
import type { FrontendConfig } from './config';
import { proxyRoutes } from './routes';
import { uiRouter } from './ui-router';

/**
 * Builds the frontend: the UI plus a JSON proxy to pinger and details. Call `listen()` on the
 * service. Readiness does not depend on the upstreams: with pinger down the UI still loads and
 * explains the outage, which is more useful than a blank page.
 */
export async function createFrontend(
  config: FrontendConfig,
  overrides: { logger?: Logger; handleSignals?: boolean; browserDir?: string } = {},
) {
  const { browserDir, ...serviceOverrides } = overrides;
  const service = new Service({ name: 'frontend', ...config, ...serviceOverrides });
  const timeoutMs = config.upstreamTimeoutMs;
  const upstreams = {
    pinger: service.upstream({ name: 'pinger', baseURL: config.pingerBaseUrl, timeoutMs }),
    details: service.upstream({ name: 'details', baseURL: config.detailsBaseUrl, timeoutMs }),
  };
  // Proxy routes first: the benchmarked path should not walk past the UI routes.
  service.app.use(proxyRoutes(upstreams, service.logger));
  service.app.use(await uiRouter(browserDir));
  return { service, upstreams };
}
