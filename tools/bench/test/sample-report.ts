import type { BenchReport, LoadResult, ScenarioResult } from '../src/types';

const MB = 1024 * 1024;

export function load(requestsPerSecond: number, p50Ms: number, p99Ms: number, errors = 0): LoadResult {
  return {
    requests: requestsPerSecond * 10,
    seconds: 10,
    requestsPerSecond,
    p50Ms,
    p99Ms,
    meanMs: p50Ms * 1.1,
    non2xx: errors,
    socketErrors: 0,
  };
}

function compared(
  id: ScenarioResult['id'],
  title: string,
  route: string,
  result: LoadResult,
  baseline: LoadResult,
): ScenarioResult {
  return {
    id,
    title,
    route,
    result,
    baseline,
    ratio: result.requestsPerSecond / baseline.requestsPerSecond,
    usage: [{ process: id.split('-')[0] as string, peakRssBytes: 70 * MB, hwmBytes: 72 * MB, cpuMs: 9000 }],
    cpuMicrosPerRequest: 118.4,
    baselineCpuMicrosPerRequest: 90,
    notes: [],
  };
}

/** A fixed, hand-made result: the report and target logic are tested against it, never against a live run. */
export function sampleReport(): BenchReport {
  const baseline = load(8000, 2, 6);
  return {
    generatedAt: '2026-11-22T01:00:00.000Z',
    command: 'NX_DAEMON=false npx nx run bench:bench',
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryBytes: 4096 * MB,
      node: 'v20.0.0',
      platform: 'linux x64',
      loadAverageAtStart: 0.5,
    },
    settings: { connections: 20, durationSeconds: 10, warmupSeconds: 3, slices: 5, starts: 5 },
    scenarios: [
      {
        ...compared(
          'pinger-metrics',
          'pinger, metrics on, tracing off',
          'GET /ping/stats',
          load(7600, 2, 8),
          baseline,
        ),
        logLinesPerRequest: 1,
      },
      compared(
        'pinger-tracing',
        'pinger, metrics and tracing at 100%',
        'GET /ping/stats',
        load(5000, 3, 12),
        baseline,
      ),
      compared(
        'frontend-proxy',
        'frontend, proxied to pinger',
        'GET /ping/stats',
        load(3000, 5, 14),
        baseline,
      ),
      compared('frontend-ui', 'frontend UI page', 'GET /', load(7000, 2, 9), baseline),
      {
        id: 'pinger-metrics-100-targets',
        title: 'pinger /metrics with 100 targets',
        route: 'GET /metrics',
        result: load(400, 4.5, 20, 3),
        usage: [{ process: 'pinger', peakRssBytes: 90 * MB, hwmBytes: 91 * MB, cpuMs: 2000 }],
        cpuMicrosPerRequest: 500,
        notes: ['100 targets probed every second'],
      },
    ],
    startups: [
      {
        service: 'pinger',
        readyMs: [300, 320, 310],
        medianReadyMs: 310,
        idleRssBytes: [60 * MB, 61 * MB, 62 * MB],
        medianIdleRssBytes: 61 * MB,
      },
      {
        service: 'frontend',
        readyMs: [400, 420, 2000],
        medianReadyMs: 420,
        idleRssBytes: [65 * MB, 66 * MB, 67 * MB],
        medianIdleRssBytes: 66 * MB,
      },
    ],
    tracing: { spansReceived: 65000, requestsServed: 65010, exportRequests: 130 },
    targets: [],
  };
}
