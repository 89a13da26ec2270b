import { summariseLoad } from './load';

describe('summariseLoad', () => {
  it('merges slices: requests and time add up, percentiles come from all latencies together', () => {
    const summary = summariseLoad([
      { latenciesMs: [1, 1, 1, 1], seconds: 2, non2xx: 1, socketErrors: 0 },
      { latenciesMs: [9, 9, 9, 9, 9, 9], seconds: 3, non2xx: 0, socketErrors: 2 },
    ]);
    expect(summary).toEqual({
      requests: 10,
      seconds: 5,
      requestsPerSecond: 2,
      p50Ms: 9,
      p99Ms: 9,
      meanMs: 5.8,
      non2xx: 1,
      socketErrors: 2,
    });
  });

  it('reports zero throughput, not a division by zero, when nothing ran', () => {
    expect(summariseLoad([])).toMatchObject({ requests: 0, requestsPerSecond: 0 });
  });
});
