import type { IRouter } from 'express';
import type { StatsStore } from './stats';
import { parseTargetUrl, type UrlList } from './url-list';

/** Carries the probe interval: the original's `/ping/stats` body has room for per-URL entries only. */
const PROBE_INTERVAL_HEADER = 'x-probe-interval-ms';

export interface PingerRoutesDeps {
  intervalMs: number;
  urls: UrlList;
  stats: StatsStore;
  /** Called after the list changed (persistence, metrics). */
  onUrlsChanged: (urls: string[]) => Promise<void>;
}

/**
 * Adds the pinger's routes straight onto `router` (the app): no nested router on the hot path.
 * Success answers have the original learnathon pinger's shapes, so either can stand in for the other.
 */
export function pingerRoutes(
  router: IRouter,
  { intervalMs, urls, stats, onUrlsChanged }: PingerRoutesDeps,
): void {
  // Stats change once per probe round but are read far more often (every UI poll, every proxied
  // call): the JSON is built once per change and the same text served until the next one.
  let statsJson = { revision: '', text: '' };
  router.get('/ping/stats', (_req, res) => {
    const revision = `${urls.revision}:${stats.revision}`;
    if (statsJson.revision !== revision) {
      statsJson = { revision, text: JSON.stringify(stats.snapshot(urls.toArray())) };
    }
    res.setHeader(PROBE_INTERVAL_HEADER, intervalMs);
    res.type('application/json').send(statsJson.text);
  });

  router.get('/ping/urls', (_req, res) => {
    res.json(urls.toArray());
  });

  // A URL already in the list is not an error: the answer is the same list either way.
  router.post('/ping/updateUrl', async (req, res) => {
    const url = parseTargetUrl((req.body as { url?: unknown } | undefined)?.url);
    if (urls.add(url)) await onUrlsChanged(urls.toArray());
    res.json(urls.toArray());
  });
}
