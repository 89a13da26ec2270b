import {
  ConfigError,
  enumVar,
  intVar,
  loadConfig,
  LOG_LEVELS,
  portVar,
  stringVar,
  urlVar,
  type Env,
} from '@learnathon/service-runtime';

/** Sent as the `version` label and log field; the supervisor has a single version. */
const SIDECAR_VERSION = 'v1';

const ABSOLUTE_PATH = /^\//;

/**
 * The supervisor's settings, all from the environment and validated at start. The defaults fit a
 * pod with the default 30 s termination grace period: a native sidecar gets SIGTERM only after
 * the app has exited, so the app's own shutdown and this one share those 30 s.
 */
export function loadSidecarConfig(env: Env = process.env) {
  const config = loadConfig(
    {
      envoyBinary: stringVar('ENVOY_BINARY', '/usr/local/bin/envoy', ABSOLUTE_PATH),
      /** Inside the ConfigMap's mount directory; the directory is watched, not the file. */
      envoyConfig: stringVar('ENVOY_CONFIG', '/etc/envoy/envoy.json', ABSOLUTE_PATH),
      envoyAdminUrl: urlVar('ENVOY_ADMIN_URL', 'http://127.0.0.1:9901'),
      /** Envoy's default is one worker per node core, which costs memory on every pod. */
      envoyConcurrency: intVar('ENVOY_CONCURRENCY', 2, { min: 1, max: 64 }),
      /** How long an old epoch (or Envoy on shutdown) drains its listeners. */
      envoyDrainTimeS: intVar('ENVOY_DRAIN_TIME_S', 5, { min: 0, max: 600 }),
      /** When an old epoch is told to exit, however far its drain got. */
      envoyParentShutdownTimeS: intVar('ENVOY_PARENT_SHUTDOWN_TIME_S', 10, { min: 1, max: 900 }),
      statusHost: stringVar('SIDECAR_STATUS_HOST', '0.0.0.0'),
      statusPort: portVar('SIDECAR_STATUS_PORT', 9903),
      /** Always bound to 127.0.0.1: only containers of the pod may ask for a reload. */
      controlPort: portVar('SIDECAR_CONTROL_PORT', 9904),
      /** Everything after SIGTERM (drain, stop Envoy) ends within this; keep it below the grace period. */
      shutdownTimeoutS: intVar('SIDECAR_SHUTDOWN_TIMEOUT_S', 15, { min: 1, max: 600 }),
      /**
       * Private to this container start, emptied at start: config snapshots and the base id Envoy
       * picked. /dev/shm is writable even with a read-only root filesystem.
       */
      stateDir: stringVar('SIDECAR_STATE_DIR', '/dev/shm/envoy-sidecar', ABSOLUTE_PATH),
      /** Safety net next to the directory watch (some volume types deliver no events). */
      pollIntervalMs: intVar('SIDECAR_POLL_INTERVAL_MS', 2_000, { min: 100, max: 60_000 }),
      /** How long a new epoch gets to answer on admin with its epoch number. */
      startTimeoutS: intVar('SIDECAR_START_TIMEOUT_S', 30, { min: 1, max: 600 }),
      logLevel: enumVar('LOG_LEVEL', LOG_LEVELS, 'info'),
    },
    env,
  );
  const problems: string[] = [];
  if (config.envoyDrainTimeS >= config.envoyParentShutdownTimeS)
    problems.push(
      `ENVOY_DRAIN_TIME_S (${config.envoyDrainTimeS}) must be less than ENVOY_PARENT_SHUTDOWN_TIME_S (${config.envoyParentShutdownTimeS})`,
    );
  if (config.envoyDrainTimeS >= config.shutdownTimeoutS)
    problems.push(
      `ENVOY_DRAIN_TIME_S (${config.envoyDrainTimeS}) must be less than SIDECAR_SHUTDOWN_TIMEOUT_S (${config.shutdownTimeoutS}), so Envoy can stop after draining`,
    );
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, problems);
  return { ...config, version: SIDECAR_VERSION };
}

export type SidecarConfig = ReturnType<typeof loadSidecarConfig>;
