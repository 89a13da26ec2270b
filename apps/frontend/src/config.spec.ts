import { ConfigError } from '@learnathon/service-runtime';
import { errorThrownBy } from '@learnathon/testing';
import { loadFrontendConfig } from './config';

const problemsOf = (env: Record<string, string>) =>
  errorThrownBy(() => loadFrontendConfig(env), ConfigError).problems;

describe('loadFrontendConfig', () => {
  it('defaults to port 9000 and the local pinger and details', () => {
    expect(loadFrontendConfig({})).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      logLevel: 'info',
      pingerBaseUrl: 'http://127.0.0.1:3000',
      detailsBaseUrl: 'http://127.0.0.1:4000',
      upstreamTimeoutMs: 3000,
    });
  });

  it('reads every variable, dropping trailing slashes from base URLs', () => {
    const config = loadFrontendConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      PINGER_BASE_URL: 'http://pinger:3000/',
      DETAILS_BASE_URL: 'https://details.example.test',
      UPSTREAM_TIMEOUT_MS: '1500',
      SHUTDOWN_DELAY_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '20000',
      FAULT_ERROR_PERCENT: '10',
      FAULT_DELAY_MS: '250',
      FAULT_DELAY_PERCENT: '50',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'debug',
      pingerBaseUrl: 'http://pinger:3000',
      detailsBaseUrl: 'https://details.example.test',
      upstreamTimeoutMs: 1500,
      shutdownDelayMs: 5000,
      shutdownTimeoutMs: 20000,
      faults: { errorPercent: 10, delayMs: 250, delayPercent: 50 },
      version: 'v1',
    });
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', 'http'],
    ['LOG_LEVEL', 'loud'],
    ['PINGER_BASE_URL', 'pinger:3000'],
    ['PINGER_BASE_URL', 'ftp://pinger'],
    ['DETAILS_BASE_URL', 'not a url'],
    ['DETAILS_BASE_URL', 'file:///etc/passwd'],
    ['UPSTREAM_TIMEOUT_MS', 'soon'],
    ['UPSTREAM_TIMEOUT_MS', '0'],
    ['UPSTREAM_TIMEOUT_MS', '600000'],
    ['UPSTREAM_TIMEOUT_MS', '1.5'],
    ['SHUTDOWN_DELAY_MS', '-1'],
    ['SHUTDOWN_TIMEOUT_MS', '10'],
  ])('refuses %s=%s with a message naming the variable and the value', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toContain(`'${value}'`);
  });

  it('reports all bad variables at once', () => {
    const problems = problemsOf({
      PINGER_BASE_URL: 'nope',
      DETAILS_BASE_URL: 'nope',
      UPSTREAM_TIMEOUT_MS: 'x',
    });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'PINGER_BASE_URL',
      'DETAILS_BASE_URL',
      'UPSTREAM_TIMEOUT_MS',
    ]);
  });
});
