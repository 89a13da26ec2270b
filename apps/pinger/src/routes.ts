import type { IRouter } from 'express';
import type { PingerVersion } from './config';
import type { StatsStore } from './stats';
import { parseTargetUrl, type UrlList } from './url-list';

export interface PingerRoutesDeps {
  version: PingerVersion;
  intervalMs: number;
  urls: UrlList;
  stats: StatsStore;
  /** Called after the list changed (persistence, metrics). */
  onUrlsChanged: (urls: string[]) => Promise<void>;
}

/** Adds the pinger's routes straight onto `router` (the app): no nested router on the hot path. */
export function pingerRoutes(
  router: IRouter,
  { version, intervalMs, urls, stats, onUrlsChanged }: PingerRoutesDeps,
): void {
  // Stats change once per probe round but are read far more often (every UI poll, every proxied
  // call): the JSON is built once per change and the same text served until the next one.
  let statsJson = { revision: '', text: '' };
  router.get('/ping/stats', (_req, res) => {
    const revision = `${urls.revision}:${stats.revision}`;
    if (statsJson.revision !== revision) {
      statsJson = {
        revision,
        text: JSON.stringify({ version, intervalMs, stats: stats.snapshot(urls.toArray()) }),
      };
    }
    res.type('application/json').send(statsJson.text);
  });

  router.get('/ping/urls', (_req, res) => {
    res.json({ urls: urls.toArray() });
  });

  router.post('/ping/updateUrl', async (req, res) => {
    const url = parseTargetUrl((req.body as { url?: unknown } | undefined)?.url);
    const added = urls.add(url);
    if (added) await onUrlsChanged(urls.toArray());
    res.status(added ? 201 : 200).json({ url, added, urls: urls.toArray() });
  });
}
