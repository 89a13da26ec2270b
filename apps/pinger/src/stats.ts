import { createHash } from 'node:crypto';
import type { PingerVersion } from './config';

/** One probe's outcome. `statusCode` is the HTTP status, or a network error code such as ECONNREFUSED. */
export interface ProbeResult {
  url: string;
  ok: boolean;
  latencyMs: number;
  statusCode: number | string;
  responseSize: number;
}

/**
 * What `/ping/stats` shows per URL, the original learnathon's fields first. v2 adds `responseSize`
 * and reports a network error by its code; v1 reports it as -1, as the original did.
 */
export interface UrlStats {
  url: string;
  total: number;
  success: number;
  /** Latency of the latest probe in milliseconds; null until the first probe. */
  latency: number | null;
  statusCode: number | string | null;
  responseSize?: number | null;
}

/** The `/ping/stats` body: one entry per URL, keyed by `statsKey(url)`, in list order. */
type StatsByKey = Record<string, UrlStats>;

/** Status code v1 reports for a probe that got no HTTP answer (refused, timed out, ...). */
const NETWORK_ERROR_STATUS = -1;

/** The key of a URL's entry in `/ping/stats`: the SHA-256 hex of the URL, as in the original app. */
export function statsKey(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

interface Entry {
  total: number;
  success: number;
  last?: ProbeResult;
}

/** Running counts per URL, shaped for the answering version. */
export class StatsStore {
  private readonly entries = new Map<string, Entry>();
  private changes = 0;

  constructor(private readonly version: PingerVersion) {}

  /** Grows with every recorded probe: lets readers reuse what they built from an unchanged store. */
  get revision(): number {
    return this.changes;
  }

  record(result: ProbeResult): void {
    this.changes += 1;
    const entry = this.entries.get(result.url) ?? { total: 0, success: 0 };
    entry.total += 1;
    if (result.ok) entry.success += 1;
    entry.last = result;
    this.entries.set(result.url, entry);
  }

  /** Stats for `urls`, keyed by `statsKey` in list order; URLs not yet probed show zero counts. */
  snapshot(urls: readonly string[]): StatsByKey {
    return Object.fromEntries(urls.map((url) => [statsKey(url), this.view(url, this.entries.get(url))]));
  }

  private view(url: string, entry: Entry | undefined): UrlStats {
    const last = entry?.last;
    const stats: UrlStats = {
      url,
      total: entry?.total ?? 0,
      success: entry?.success ?? 0,
      latency: last ? Math.round(last.latencyMs * 10) / 10 : null,
      statusCode: last ? this.statusCodeOf(last) : null,
    };
    if (this.version === 'v2') stats.responseSize = last ? last.responseSize : null;
    return stats;
  }

  private statusCodeOf(result: ProbeResult): number | string {
    if (typeof result.statusCode === 'number') return result.statusCode;
    return this.version === 'v2' ? result.statusCode : NETWORK_ERROR_STATUS;
  }
}
