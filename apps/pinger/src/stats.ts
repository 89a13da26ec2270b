import type { PingerVersion } from './config';

/** One probe's outcome. `statusCode` is the HTTP status, or a network error code such as ECONNREFUSED. */
export interface ProbeResult {
  url: string;
  ok: boolean;
  latencyMs: number;
  statusCode: number | string;
  responseSize: number;
}

/** What `/ping/stats` shows per URL. v2 adds `responseSize` and keeps network error codes. */
export interface UrlStats {
  url: string;
  total: number;
  success: number;
  /** Latency of the latest probe in milliseconds; null until the first probe. */
  latency: number | null;
  statusCode: number | string | null;
  responseSize?: number | null;
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

  /** Stats for `urls` in order; URLs not yet probed show zero counts. */
  snapshot(urls: readonly string[]): UrlStats[] {
    return urls.map((url) => this.view(url, this.entries.get(url)));
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

  private statusCodeOf(result: ProbeResult): number | string | null {
    if (typeof result.statusCode === 'number') return result.statusCode;
    return this.version === 'v2' ? result.statusCode : null;
  }
}
