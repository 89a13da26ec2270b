import { ConfigError } from '@learnathon/service-runtime';
import { envCases } from '@learnathon/testing';
import { loadPingerConfig, type PingerConfig } from './config';

describe('loadPingerConfig', () => {
  it('defaults to v1, probing its own /healthz every 5 s', () => {
    expect(loadPingerConfig({})).toMatchObject({
      version: 'v1',
      port: 3000,
      intervalMs: 5000,
      timeoutMs: 3000,
      maxUrls: 100,
      targets: ['http://127.0.0.1:3000/healthz'],
      stateFile: undefined,
    });
  });

  it('v2 probes more often by default, and an explicit interval wins', () => {
    expect(loadPingerConfig({ PINGER_VERSION: 'v2' }).intervalMs).toBe(2000);
    expect(loadPingerConfig({ PINGER_VERSION: 'v2', PINGER_INTERVAL_MS: '750' }).intervalMs).toBe(750);
  });

  // PORT, HOST, LOG_LEVEL, SHUTDOWN_* and FAULT_* are commonConfig's, covered by service-runtime's spec.
  it.each<[string, string, Partial<PingerConfig>]>([
    [
      'PINGER_TARGETS',
      'http://127.0.0.1:9000/, http://127.0.0.1:4000/healthz',
      {
        targets: ['http://127.0.0.1:9000/', 'http://127.0.0.1:4000/healthz'],
      },
    ],
    ['PINGER_STATE_FILE', '/var/lib/pinger/urls.json', { stateFile: '/var/lib/pinger/urls.json' }],
    ['PINGER_MAX_URLS', '5', { maxUrls: 5 }],
    ['PINGER_TIMEOUT_MS', '1000', { timeoutMs: 1000 }],
  ])('reads %s=%s', (name, value, expected) => {
    expect(loadPingerConfig({ [name]: value })).toMatchObject(expected);
  });

  it.each(
    envCases({
      PINGER_VERSION: ['v3'],
      PINGER_INTERVAL_MS: ['abc', '10'],
      PINGER_TIMEOUT_MS: ['0'],
      PINGER_MAX_URLS: ['0', '100000'],
      PINGER_TARGETS: ['not-a-url', 'http://ok/,gopher://x/'],
    }),
  )('refuses %s=%p naming the variable', (name, value) => {
    expect(() => loadPingerConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadPingerConfig({ [name]: value })).toThrow(name);
  });
});
