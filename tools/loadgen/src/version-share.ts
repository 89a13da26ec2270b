/**
 * Counts responses per `x-service-version` header value: how a user sees a canary split
 * (e.g. `v1 94.8%  v2 5.2%`) from the client side, without Grafana.
 */

export const VERSION_HEADER = 'x-service-version';
/** Key for responses without the header (a proxy's own error page, a service that lacks it). */
export const NO_VERSION = '(none)';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface VersionShare {
  version: string;
  count: number;
  /** Fraction of all counted responses, 0..1. */
  share: number;
}

/** The header's value; header names compare case-insensitively, as HTTP says. */
export function versionOf(headers: ResponseHeaders | undefined): string {
  if (!headers) return NO_VERSION;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== VERSION_HEADER || value === undefined) continue;
    const text = (Array.isArray(value) ? value.join(',') : value).trim();
    return text === '' ? NO_VERSION : text;
  }
  return NO_VERSION;
}

export class VersionTally {
  private readonly counts = new Map<string, number>();

  record(headers: ResponseHeaders | undefined): void {
    const version = versionOf(headers);
    this.counts.set(version, (this.counts.get(version) ?? 0) + 1);
  }

  total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Shares sorted by version name, so `v1` comes before `v2` whatever arrived first. */
  shares(): VersionShare[] {
    const total = this.total();
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([version, count]) => ({ version, count, share: count / total }));
  }
}

/**
 * Version shares overall and per route. Per route matters: through the frontend only the pinger
 * routes take part in a canary, while `/` and `/url/info` always answer with their own version.
 */
export class VersionSplit {
  readonly overall = new VersionTally();
  private readonly perRoute = new Map<string, VersionTally>();

  /** Routes named up front keep that order in `byRoute()`, and show up even without responses. */
  constructor(routes: string[] = []) {
    for (const route of routes) this.perRoute.set(route, new VersionTally());
  }

  record(route: string, headers: ResponseHeaders | undefined): void {
    this.overall.record(headers);
    let tally = this.perRoute.get(route);
    if (!tally) {
      tally = new VersionTally();
      this.perRoute.set(route, tally);
    }
    tally.record(headers);
  }

  byRoute(): Record<string, VersionShare[]> {
    return Object.fromEntries([...this.perRoute.entries()].map(([route, tally]) => [route, tally.shares()]));
  }
}
