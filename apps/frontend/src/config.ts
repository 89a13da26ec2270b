import { commonConfig, intVar, loadConfig, urlVar, type Env } from '@learnathon/service-runtime';

/** Sent as `x-service-version` on the frontend's own routes; the canary is a pinger affair. */
export const FRONTEND_VERSION = 'v1';

export function loadFrontendConfig(env: Env = process.env) {
  const config = loadConfig(
    {
      ...commonConfig(9000),
      pingerBaseUrl: urlVar('PINGER_BASE_URL', 'http://127.0.0.1:3000'),
      detailsBaseUrl: urlVar('DETAILS_BASE_URL', 'http://127.0.0.1:4000'),
      /** Bounded above so a browser poll never waits longer than its user would. */
      upstreamTimeoutMs: intVar('UPSTREAM_TIMEOUT_MS', 3_000, { min: 50, max: 60_000 }),
    },
    env,
  );
  return { ...config, version: FRONTEND_VERSION };
}

export type FrontendConfig = ReturnType<typeof loadFrontendConfig>;
