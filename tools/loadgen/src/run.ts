import autocannon from 'autocannon';
import type { LoadgenOptions } from './args';
import { mixCycle, routeName, type MixEntry } from './mix';
import { ProgressCounter, type Phase, type ProgressSample } from './progress';
import { VersionSplit, type ResponseHeaders, type VersionShare } from './version-share';

export type RunStats = autocannon.Result;

export interface RunOutcome {
  stats: RunStats;
  versions: VersionShare[];
  /** Version shares per mix route (`GET /ping/stats`), in the order the mix lists them. */
  versionsByRoute: Record<string, VersionShare[]>;
  /** True when SIGINT or SIGTERM (the abort signal) ended the run before its duration. */
  interrupted: boolean;
}

export interface RunHooks {
  /** Aborting stops the current phase early; the results so far are still returned. */
  signal: AbortSignal;
  /** Called about once a second while load is being sent. */
  onProgress?: (sample: ProgressSample) => void;
}

const PROGRESS_INTERVAL_MS = 1_000;

/**
 * Runs the optional warm-up, then the measured load. Resolves undefined when interrupted during
 * warm-up: nothing was measured, and a summary of the warm-up would be misleading.
 */
export async function runLoad(options: LoadgenOptions, hooks: RunHooks): Promise<RunOutcome | undefined> {
  if (options.warmupSeconds > 0) {
    await runPhase('warm-up', options, options.warmupSeconds, new VersionSplit(), hooks);
    if (hooks.signal.aborted) return undefined;
  }
  const split = new VersionSplit(options.mix.map(routeName));
  const stats = await runPhase('load', options, options.durationSeconds, split, hooks);
  return {
    stats,
    versions: split.overall.shares(),
    versionsByRoute: split.byRoute(),
    interrupted: hooks.signal.aborted,
  };
}

function runPhase(
  phase: Phase,
  options: LoadgenOptions,
  durationSeconds: number,
  split: VersionSplit,
  hooks: RunHooks,
): Promise<RunStats> {
  const requests = buildRequests(options, split);
  const progress = new ProgressCounter(phase);
  return new Promise((resolve, reject) => {
    const ticker = setInterval(() => hooks.onProgress?.(progress.tick()), PROGRESS_INTERVAL_MS);
    let settled = false;
    // Hoisted, so `finish` can unregister it even when autocannon calls back synchronously.
    function stop() {
      instance.stop();
    }
    const finish = (error: unknown, result: RunStats) => {
      settled = true;
      clearInterval(ticker);
      hooks.signal.removeEventListener('abort', stop);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    };
    const instance = autocannon(
      {
        url: options.url.origin,
        connections: options.connections,
        duration: durationSeconds,
        timeout: options.timeoutSeconds,
        ...(options.rate === undefined ? {} : { overallRate: options.rate }),
        requests,
        setupClient: staggeredStart(requests),
      },
      finish,
    );
    // autocannon reports an invalid option synchronously; then there is nothing to watch.
    if (settled) return;
    instance.on('response', (_client, statusCode) => progress.response(statusCode));
    instance.on('reqError', () => progress.error());
    hooks.signal.addEventListener('abort', stop, { once: true });
    if (hooks.signal.aborted) stop();
  });
}

/** One autocannon request per step of the mix cycle; every response's version header is tallied under its route. */
export function buildRequests(
  options: Pick<LoadgenOptions, 'url' | 'mix' | 'infoUrl'>,
  split: VersionSplit,
): autocannon.Request[] {
  const basePath = options.url.pathname.replace(/\/+$/, '');
  const postBody = JSON.stringify({ url: options.infoUrl });
  const recorders = new Map(options.mix.map((entry) => [entry, versionRecorder(split, routeName(entry))]));
  return mixCycle(options.mix).map((entry: MixEntry) => ({
    method: entry.method,
    path: `${basePath}${entry.path}`,
    onResponse: recorders.get(entry),
    ...(entry.method === 'POST' ? { body: postBody, headers: { 'content-type': 'application/json' } } : {}),
  }));
}

function versionRecorder(split: VersionSplit, route: string) {
  return (_status: number, _body: string, _context: object, headers: ResponseHeaders | undefined) =>
    split.record(route, headers);
}

/**
 * Every connection walks the same cycle; starting each one at a different step spreads the mix
 * across connections from the first request on, instead of all hitting step one together.
 */
function staggeredStart(requests: autocannon.Request[]): (client: autocannon.Client) => void {
  let nextOffset = 0;
  return (client) => {
    const offset = nextOffset++ % requests.length;
    if (offset > 0) client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
  };
}
