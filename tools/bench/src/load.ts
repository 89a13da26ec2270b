import autocannon from 'autocannon';
import type { LoadResult } from './types';
import { mean, percentile } from './stats';

export interface LoadTarget {
  url: string;
  connections: number;
}

/** What one autocannon run measured, with every latency kept so slices can be merged exactly. */
export interface RawLoad {
  latenciesMs: number[];
  seconds: number;
  non2xx: number;
  socketErrors: number;
}

/** Load at full speed for `seconds`; every response's latency is recorded (autocannon's own histogram rounds to whole ms). */
export function runLoad({ url, connections }: LoadTarget, seconds: number): Promise<RawLoad> {
  const latenciesMs: number[] = [];
  let non2xx = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, timeout: 10 }, (error, result) => {
      if (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      resolve({ latenciesMs, seconds: result.duration, non2xx, socketErrors: result.errors });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      latenciesMs.push(responseTimeMs);
      if (statusCode < 200 || statusCode > 299) non2xx += 1;
    });
  });
}

/** Merges runs (e.g. the slices of an interleaved comparison) into one result. */
export function summariseLoad(runs: readonly RawLoad[]): LoadResult {
  const latencies = runs.flatMap((run) => run.latenciesMs);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanMs: mean(latencies),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    socketErrors: runs.reduce((sum, run) => sum + run.socketErrors, 0),
  };
}

/**
 * Runs the service and the baseline in alternating slices (ABBA order: B S, S B, B S, ...), so
 * both see the same background load and any drift over the run cancels out of the ratio.
 */
export async function runInterleaved(
  service: LoadTarget,
  baseline: LoadTarget,
  seconds: number,
  slices: number,
) {
  const sliceSeconds = seconds / slices;
  const serviceRuns: RawLoad[] = [];
  const baselineRuns: RawLoad[] = [];
  for (let slice = 0; slice < slices; slice++) {
    const baselineFirst = slice % 2 === 0;
    if (baselineFirst) baselineRuns.push(await runLoad(baseline, sliceSeconds));
    serviceRuns.push(await runLoad(service, sliceSeconds));
    if (!baselineFirst) baselineRuns.push(await runLoad(baseline, sliceSeconds));
  }
  return { service: summariseLoad(serviceRuns), baseline: summariseLoad(baselineRuns) };
}
