import { Service, type Logger } from '@learnathon/service-runtime';
import type { PingerConfig } from './config';
import { createProbeMetrics } from './probe-metrics';
import { Prober } from './prober';
import { pingerRoutes } from './routes';
import { StateFile } from './state-file';
import { StatsStore } from './stats';
import { parseTargetUrl, UrlList } from './url-list';

/** Drops saved entries that would be refused if a user added them now (e.g. an edited state file). */
function validUrls(candidates: readonly string[], logger: Logger): string[] {
  return candidates.flatMap((candidate) => {
    try {
      return [parseTargetUrl(candidate)];
    } catch (error) {
      logger.warn({ url: candidate, reason: (error as Error).message }, 'skipping invalid saved URL');
      return [];
    }
  });
}

/** The URL list to start with: the saved one if there is a readable state file, else the configured targets. */
async function initialUrls(
  config: PingerConfig,
  stateFile: StateFile | undefined,
  logger: Logger,
): Promise<string[]> {
  if (!stateFile) return config.targets;
  try {
    const saved = await stateFile.load();
    if (saved) {
      logger.info({ file: stateFile.filePath, count: saved.length }, 'restored URL list from state file');
      return saved;
    }
  } catch (error) {
    // Left untouched for a human to inspect; it is only overwritten when the user changes the list.
    logger.error(
      { err: error, file: stateFile.filePath },
      'ignoring unreadable state file; using PINGER_TARGETS',
    );
  }
  return config.targets;
}

/** Builds the pinger service: probe loop, stats, routes, persistence. Call `listen()` on the result. */
export async function createPinger(
  config: PingerConfig,
  overrides: { logger?: Logger; handleSignals?: boolean } = {},
) {
  const service = new Service({ name: 'pinger', ...config, ...overrides });
  const { logger } = service;
  const stateFile = config.stateFile ? new StateFile(config.stateFile) : undefined;

  const restored = await initialUrls(config, stateFile, logger);
  const urls = new UrlList(validUrls(restored, logger), config.maxUrls);
  const stats = new StatsStore(config.version);
  const probeMetrics = createProbeMetrics(service.registry);
  probeMetrics.targets.set(urls.size);

  const prober = new Prober({
    intervalMs: config.intervalMs,
    timeoutMs: config.timeoutMs,
    urls: () => urls.toArray(),
    onResult: (result) => stats.record(result),
    metrics: probeMetrics,
    logger,
  });

  // The original learnathon pinger's liveness path; clients of it may still probe `/`.
  service.app.get('/', service.health.livenessHandler);
  pingerRoutes(service.app, {
    intervalMs: config.intervalMs,
    urls,
    stats,
    onUrlsChanged: async (list) => {
      probeMetrics.targets.set(list.length);
      await stateFile?.save(list);
    },
  });
  service.onShutdown(() => prober.stop());
  return { service, prober, urls, stats };
}
