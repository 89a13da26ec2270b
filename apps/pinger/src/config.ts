import {
  commonConfig,
  enumVar,
  intVar,
  loadConfig,
  optionalStringVar,
  urlListVar,
  type Env,
} from '@learnathon/service-runtime';

export const PINGER_VERSIONS = ['v1', 'v2'] as const;
export type PingerVersion = (typeof PINGER_VERSIONS)[number];

/** v2 probes more often: its point is to show more detail, sooner. */
const DEFAULT_INTERVAL_MS: Record<PingerVersion, number> = { v1: 5_000, v2: 2_000 };
/** Hard ceiling for the URL list, from env or from users; bounds memory and metric cardinality. */
export const MAX_URLS_LIMIT = 1_000;

export function loadPingerConfig(env: Env = process.env) {
  const base = loadConfig(
    {
      ...commonConfig(3000),
      version: enumVar('PINGER_VERSION', PINGER_VERSIONS, 'v1'),
      intervalMs: intVar('PINGER_INTERVAL_MS', 0, { min: 100, max: 3_600_000 }),
      timeoutMs: intVar('PINGER_TIMEOUT_MS', 3_000, { min: 100, max: 60_000 }),
      maxUrls: intVar('PINGER_MAX_URLS', 100, { min: 1, max: MAX_URLS_LIMIT }),
      targets: urlListVar('PINGER_TARGETS', [], { max: MAX_URLS_LIMIT }),
      stateFile: optionalStringVar('PINGER_STATE_FILE'),
    },
    env,
  );
  return {
    ...base,
    intervalMs: base.intervalMs || DEFAULT_INTERVAL_MS[base.version],
    // Without targets the pinger watches itself: a default must never reach beyond this machine.
    targets: base.targets.length > 0 ? base.targets : [`http://127.0.0.1:${base.port || 3000}/healthz`],
  };
}

export type PingerConfig = ReturnType<typeof loadPingerConfig>;
