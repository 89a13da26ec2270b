import { ConfigError } from '@learnathon/service-runtime';
import { envCases, errorThrownBy } from '@learnathon/testing';
import { formatCidr } from './cidr';
import { loadDetailsConfig, type DetailsConfig } from './config';

const problemsOf = (env: Record<string, string>) =>
  errorThrownBy(() => loadDetailsConfig(env), ConfigError).problems;

describe('loadDetailsConfig', () => {
  it('has defaults for everything', () => {
    const config = loadDetailsConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      version: 'v1',
      timeoutMs: 5_000,
      maxBodyBytes: 512 * 1024,
      maxRedirects: 5,
      denyCidrs: [],
      allowCidrs: [],
    });
  });

  // PORT, HOST, LOG_LEVEL, SHUTDOWN_* and FAULT_* are commonConfig's, covered by service-runtime's spec.
  it.each<[string, string, Partial<DetailsConfig>]>([
    ['DETAILS_TIMEOUT_MS', '250', { timeoutMs: 250 }],
    ['DETAILS_MAX_BODY_BYTES', '0', { maxBodyBytes: 0 }],
    ['DETAILS_MAX_REDIRECTS', '0', { maxRedirects: 0 }],
  ])('reads %s=%s', (name, value, expected) => {
    expect(loadDetailsConfig({ [name]: value })).toMatchObject(expected);
  });

  it('reads the CIDR lists, trimming entries and adding a host prefix where none is given', () => {
    const config = loadDetailsConfig({
      DETAILS_DENY_CIDRS: '127.0.0.0/8, fc00::/7',
      DETAILS_ALLOW_CIDRS: '127.0.0.1',
    });
    expect(config.denyCidrs.map(formatCidr)).toEqual(['127.0.0.0/8', 'fc00::/7']);
    expect(config.allowCidrs.map(formatCidr)).toEqual(['127.0.0.1/32']);
  });

  it('accepts the upper bounds', () => {
    const config = loadDetailsConfig({
      DETAILS_TIMEOUT_MS: '60000',
      DETAILS_MAX_BODY_BYTES: String(16 * 1024 * 1024),
      DETAILS_MAX_REDIRECTS: '20',
    });
    expect(config).toMatchObject({ timeoutMs: 60_000, maxBodyBytes: 16 * 1024 * 1024, maxRedirects: 20 });
  });

  it.each(
    envCases({
      DETAILS_TIMEOUT_MS: ['abc', '99', '60001', '1.5'],
      DETAILS_MAX_BODY_BYTES: ['-1', String(16 * 1024 * 1024 + 1), '512k'],
      DETAILS_MAX_REDIRECTS: ['21', 'five'],
      DETAILS_DENY_CIDRS: ['10.0.0.0/33', '10.0.0.0/8,example.com'],
      DETAILS_ALLOW_CIDRS: ['127.0.0.1/8/8', 'fe80::/200'],
    }),
  )('rejects %s=%s naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    // Lists name the offending entry, which in these cases is the last one.
    expect(problems[0]).toContain(value.split(',').pop());
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({
      DETAILS_TIMEOUT_MS: 'x',
      DETAILS_DENY_CIDRS: 'y',
      DETAILS_ALLOW_CIDRS: 'z',
    });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'DETAILS_TIMEOUT_MS',
      'DETAILS_DENY_CIDRS',
      'DETAILS_ALLOW_CIDRS',
    ]);
  });
});
