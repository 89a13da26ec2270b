import { ConfigError } from '@learnathon/service-runtime';
import { envCases, errorThrownBy } from '@learnathon/testing';
import { loadFrontendConfig, type FrontendConfig } from './config';

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

  // PORT, HOST, LOG_LEVEL, SHUTDOWN_* and FAULT_* are commonConfig's, covered by service-runtime's spec.
  it.each<[string, string, Partial<FrontendConfig>]>([
    ['PINGER_BASE_URL', 'http://pinger:3000/', { pingerBaseUrl: 'http://pinger:3000' }],
    [
      'DETAILS_BASE_URL',
      'https://details.example.test//',
      { detailsBaseUrl: 'https://details.example.test' },
    ],
    ['UPSTREAM_TIMEOUT_MS', '1500', { upstreamTimeoutMs: 1500 }],
  ])('reads %s=%s, dropping trailing slashes from base URLs', (name, value, expected) => {
    expect(loadFrontendConfig({ [name]: value })).toMatchObject(expected);
  });

  it.each(
    envCases({
      PINGER_BASE_URL: ['pinger:3000', 'ftp://pinger'],
      DETAILS_BASE_URL: ['not a url', 'file:///etc/passwd'],
      UPSTREAM_TIMEOUT_MS: ['soon', '0', '600000', '1.5'],
    }),
  )('refuses %s=%s with a message naming the variable and the value', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toContain(`'${value}'`);
  });
});
