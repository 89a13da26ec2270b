import { ConfigError } from '@learnathon/service-runtime';
import { loadSidecarConfig, type SidecarConfig } from './config';

describe('loadSidecarConfig', () => {
  it('has the defaults the mesh overlays rely on', () => {
    expect(loadSidecarConfig({})).toMatchObject({
      envoyBinary: '/usr/local/bin/envoy',
      envoyConfig: '/etc/envoy/envoy.json',
      envoyAdminUrl: 'http://127.0.0.1:9901',
      envoyConcurrency: 2,
      statusHost: '0.0.0.0',
      statusPort: 9903,
      controlPort: 9904,
      envoyDrainTimeS: 5,
      envoyParentShutdownTimeS: 10,
      shutdownTimeoutS: 15,
      stateDir: '/dev/shm/envoy-sidecar',
      pollIntervalMs: 2_000,
      startTimeoutS: 30,
      logLevel: 'info',
    });
  });

  it.each<[string, string, Partial<SidecarConfig>]>([
    ['ENVOY_BINARY', '/opt/envoy', { envoyBinary: '/opt/envoy' }],
    ['ENVOY_CONFIG', '/config/bootstrap.json', { envoyConfig: '/config/bootstrap.json' }],
    ['ENVOY_ADMIN_URL', 'http://127.0.0.1:19901/', { envoyAdminUrl: 'http://127.0.0.1:19901' }],
    ['ENVOY_CONCURRENCY', '4', { envoyConcurrency: 4 }],
    ['ENVOY_DRAIN_TIME_S', '2', { envoyDrainTimeS: 2 }],
    ['ENVOY_PARENT_SHUTDOWN_TIME_S', '30', { envoyParentShutdownTimeS: 30 }],
    ['SIDECAR_SHUTDOWN_TIMEOUT_S', '25', { shutdownTimeoutS: 25 }],
    ['SIDECAR_STATUS_HOST', '127.0.0.1', { statusHost: '127.0.0.1' }],
    ['SIDECAR_STATUS_PORT', '19903', { statusPort: 19903 }],
    ['SIDECAR_CONTROL_PORT', '19904', { controlPort: 19904 }],
    ['SIDECAR_STATE_DIR', '/run/sidecar', { stateDir: '/run/sidecar' }],
    ['SIDECAR_POLL_INTERVAL_MS', '500', { pollIntervalMs: 500 }],
    ['SIDECAR_START_TIMEOUT_S', '60', { startTimeoutS: 60 }],
    ['LOG_LEVEL', 'debug', { logLevel: 'debug' }],
  ])('reads %s=%s', (name, value, expected) => {
    expect(loadSidecarConfig({ [name]: value })).toMatchObject(expected);
  });

  it('names every bad variable at once', () => {
    expect(() => loadSidecarConfig({ ENVOY_CONCURRENCY: '0', ENVOY_CONFIG: 'envoy.json' })).toThrow(
      expect.objectContaining({
        problems: [
          "ENVOY_CONFIG must be a string matching /^\\//, got 'envoy.json'",
          "ENVOY_CONCURRENCY must be an integer from 1 to 64, got '0'",
        ],
      }),
    );
  });

  it('refuses drain and shutdown times that cannot work together', () => {
    const load = () =>
      loadSidecarConfig({
        ENVOY_DRAIN_TIME_S: '20',
        ENVOY_PARENT_SHUTDOWN_TIME_S: '15',
        SIDECAR_SHUTDOWN_TIMEOUT_S: '10',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('ENVOY_DRAIN_TIME_S (20) must be less than ENVOY_PARENT_SHUTDOWN_TIME_S (15)');
    expect(load).toThrow('ENVOY_DRAIN_TIME_S (20) must be less than SIDECAR_SHUTDOWN_TIMEOUT_S (10)');
  });
});
