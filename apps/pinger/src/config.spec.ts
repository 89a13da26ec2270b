import { ConfigError } from '@learnathon/service-runtime';
import { loadPingerConfig } from './config';

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

  it('reads targets, state file and limits', () => {
    const config = loadPingerConfig({
      PORT: '3001',
      PINGER_TARGETS: 'http://127.0.0.1:9000/,http://127.0.0.1:4000/healthz',
      PINGER_STATE_FILE: '/var/lib/pinger/urls.json',
      PINGER_MAX_URLS: '5',
      PINGER_TIMEOUT_MS: '1000',
    });
    expect(config).toMatchObject({
      port: 3001,
      targets: ['http://127.0.0.1:9000/', 'http://127.0.0.1:4000/healthz'],
      stateFile: '/var/lib/pinger/urls.json',
      maxUrls: 5,
      timeoutMs: 1000,
    });
  });

  it.each([
    ['PINGER_VERSION', 'v3'],
    ['PINGER_INTERVAL_MS', 'abc'],
    ['PINGER_INTERVAL_MS', '10'],
    ['PINGER_TIMEOUT_MS', '0'],
    ['PINGER_MAX_URLS', '0'],
    ['PINGER_MAX_URLS', '100000'],
    ['PINGER_TARGETS', 'not-a-url'],
    ['PINGER_TARGETS', 'http://ok/,gopher://x/'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'verbose'],
  ])('refuses %s=%p naming the variable', (name, value) => {
    expect(() => loadPingerConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadPingerConfig({ [name]: value })).toThrow(name);
  });
});
