import { formatProgress, isGoodStatus, ProgressCounter } from './progress';

describe('ProgressCounter', () => {
  it('reports the rate of the last interval and running totals of bad responses and errors', () => {
    const counter = new ProgressCounter('load', 10_000);
    [200, 200, 302, 404, 500].forEach((status) => counter.response(status));
    counter.error();
    expect(counter.tick(12_000)).toEqual({
      phase: 'load',
      elapsedSeconds: 2,
      requestsPerSecond: 2.5,
      badResponses: 2,
      errors: 1,
    });

    counter.response(200);
    expect(counter.tick(13_000)).toEqual({
      phase: 'load',
      elapsedSeconds: 3,
      requestsPerSecond: 1,
      badResponses: 2,
      errors: 1,
    });
  });

  it('formats one line with phase, elapsed time, rate and errors', () => {
    const line = formatProgress({
      phase: 'warm-up',
      elapsedSeconds: 3.2,
      requestsPerSecond: 1234.4,
      badResponses: 5,
      errors: 2,
    });
    expect(line).toBe('[warm-up]     3 s     1234 req/s  5 bad responses  2 errors');
  });
});

describe('isGoodStatus', () => {
  it('counts 2xx and 3xx as served, everything else against the error rate', () => {
    expect([101, 199, 200, 204, 301, 399, 400, 404, 500, 503].map(isGoodStatus)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
