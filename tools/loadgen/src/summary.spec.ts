import type { LoadgenOptions } from './args';
import { parseMix } from './mix';
import {
  buildSummary,
  EXIT_CODES,
  exitCodeFor,
  formatSummary,
  versionShares,
  type SummaryInput,
} from './summary';

const options: Pick<LoadgenOptions, 'url' | 'connections' | 'rate' | 'mix'> = {
  url: new URL('http://127.0.0.1:9000'),
  connections: 10,
  rate: undefined,
  mix: parseMix('/:1,/ping/stats:3'),
};

function outcome(
  overrides: Partial<SummaryInput['stats']> = {},
  rest: Partial<Omit<SummaryInput, 'stats'>> = {},
): SummaryInput {
  return {
    stats: {
      duration: 2,
      errors: 0,
      timeouts: 0,
      statusCodeStats: { '200': { count: 180 }, '302': { count: 10 }, '500': { count: 10 } },
      latency: { mean: 1.5, p50: 1, p90: 3, p99: 8, max: 40 },
      throughput: { total: 4096 },
      ...overrides,
    },
    versions: [
      { version: 'v1', count: 190, share: 0.95 },
      { version: 'v2', count: 10, share: 0.05 },
    ],
    versionsByRoute: {
      'GET /': [{ version: 'v1', count: 50, share: 1 }],
      'GET /ping/stats': [
        { version: 'v1', count: 140, share: 0.9333333333333333 },
        { version: 'v2', count: 10, share: 0.06666666666666667 },
      ],
    },
    interrupted: false,
    ...rest,
  };
}

describe('buildSummary', () => {
  it('has the JSON shape scripts rely on', () => {
    expect(buildSummary(options, outcome())).toEqual({
      target: 'http://127.0.0.1:9000/',
      interrupted: false,
      durationSeconds: 2,
      connections: 10,
      rate: null,
      mix: [
        { route: 'GET /', share: 0.25 },
        { route: 'GET /ping/stats', share: 0.75 },
      ],
      requests: { responses: 200, perSecond: 100 },
      bytes: { total: 4096, perSecond: 2048 },
      latencyMs: { mean: 1.5, p50: 1, p90: 3, p99: 8, max: 40 },
      statusCodes: { '200': 180, '302': 10, '500': 10 },
      errors: 0,
      timeouts: 0,
      errorRate: 0.05,
      versions: { v1: { count: 190, share: 0.95 }, v2: { count: 10, share: 0.05 } },
      versionsByRoute: {
        'GET /': { v1: { count: 50, share: 1 } },
        'GET /ping/stats': {
          v1: { count: 140, share: 0.9333333333333333 },
          v2: { count: 10, share: 0.06666666666666667 },
        },
      },
    });
  });

  it('counts connection errors and timeouts against the error rate (3xx is fine)', () => {
    const summary = buildSummary(
      options,
      outcome({
        errors: 20,
        timeouts: 5,
        statusCodeStats: { '200': { count: 70 }, '301': { count: 5 }, '404': { count: 5 } },
      }),
    );
    expect(summary.errorRate).toBeCloseTo(25 / 100, 10);
    expect(summary.timeouts).toBe(5);
  });

  it('reports an error rate of 0 and no division by zero when nothing came back', () => {
    const summary = buildSummary(options, outcome({ duration: 0, statusCodeStats: {} }, { versions: [] }));
    expect(summary).toMatchObject({
      errorRate: 0,
      requests: { responses: 0, perSecond: 0 },
      statusCodes: {},
      versions: {},
    });
  });

  it('reports only errors as a rate of 1 when the target never answered', () => {
    expect(
      buildSummary(options, outcome({ errors: 12, statusCodeStats: {} }, { versions: [] })).errorRate,
    ).toBe(1);
  });
});

describe('exitCodeFor', () => {
  const summary = buildSummary(options, outcome());

  it('fails with 3 only above --max-error-rate', () => {
    expect(exitCodeFor(summary, undefined)).toBe(EXIT_CODES.ok);
    expect(exitCodeFor(summary, 0.05)).toBe(EXIT_CODES.ok);
    expect(exitCodeFor(summary, 0.049)).toBe(EXIT_CODES.errorRateExceeded);
  });

  it('says 130 for an interrupted run, unless the error limit was broken', () => {
    const interrupted = buildSummary(options, outcome({}, { interrupted: true }));
    expect(exitCodeFor(interrupted, 0.5)).toBe(EXIT_CODES.interrupted);
    expect(exitCodeFor(interrupted, 0.01)).toBe(EXIT_CODES.errorRateExceeded);
  });
});

describe('formatSummary', () => {
  it('prints throughput, percentiles, status codes, errors and the version split', () => {
    const text = formatSummary(buildSummary(options, outcome({ errors: 1000, timeouts: 2 })), 0.01);
    expect(text.split('\n')).toEqual([
      'Target    http://127.0.0.1:9000/  10 connections, 2 s',
      'Requests  200 responses, 100 req/s, 2 kB/s',
      'Latency   p50 1 ms  p90 3 ms  p99 8 ms  max 40 ms',
      'Status    200: 180  302: 10  500: 10',
      'Errors    1,000 (2 timeouts), error rate 84.2% ABOVE the limit 1.0%',
      'Versions  v1 95.0%  v2 5.0%  (x-service-version)',
      '            GET /            v1 100.0%',
      '            GET /ping/stats  v1 93.3%  v2 6.7%',
      'Mix       GET / 25.0%  GET /ping/stats 75.0%',
      '',
    ]);
  });

  it('marks an interrupted run and a fixed rate', () => {
    const text = formatSummary(buildSummary({ ...options, rate: 50 }, outcome({}, { interrupted: true })));
    expect(text).toContain('10 connections at 50 req/s, 2 s (interrupted)');
  });

  it('leaves out the per-route lines when the mix has one route', () => {
    const text = formatSummary(
      buildSummary(
        { ...options, mix: parseMix('/ping/stats:1') },
        outcome({}, { versionsByRoute: { 'GET /ping/stats': [{ version: 'v1', count: 200, share: 1 }] } }),
      ),
    );
    expect(text).toContain('Versions  v1 95.0%  v2 5.0%  (x-service-version)\nMix ');
  });

  it('says so once when nothing came back, without a line per route', () => {
    expect(versionShares({})).toBe('no responses');
    const silent = outcome(
      { errors: 7, statusCodeStats: {} },
      { versions: [], versionsByRoute: { 'GET /': [], 'GET /ping/stats': [] } },
    );
    const lines = formatSummary(buildSummary({ ...options, connections: 1 }, silent)).split('\n');
    expect(lines).toContain('Versions  no responses  (x-service-version)');
    expect(lines).toContain('Status    no responses');
    expect(lines.filter((line) => line.includes('no responses'))).toHaveLength(2);
    expect(lines[0]).toContain(' 1 connection, ');
  });
});
