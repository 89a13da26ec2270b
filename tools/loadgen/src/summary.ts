import type autocannon from 'autocannon';
import type { LoadgenOptions } from './args';
import { mixShares } from './mix';
import { isGoodStatus } from './progress';
import { VERSION_HEADER, type VersionShare } from './version-share';

export const EXIT_CODES = { ok: 0, failed: 1, badInput: 2, errorRateExceeded: 3, interrupted: 130 } as const;

/** The summary printed at the end; with `--json` this exact shape goes to stdout for scripts. */
export interface Summary {
  target: string;
  interrupted: boolean;
  durationSeconds: number;
  connections: number;
  /** Requested overall rate in req/s, or null for "as fast as possible". */
  rate: number | null;
  mix: Array<{ route: string; share: number }>;
  requests: { responses: number; perSecond: number };
  bytes: { total: number; perSecond: number };
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Responses per HTTP status code; adds up to `requests.responses`. */
  statusCodes: Record<string, number>;
  /** Connection errors and timeouts: requests that got no response at all. */
  errors: number;
  timeouts: number;
  /** (non-2xx/3xx responses + errors) / (responses + errors), 0..1. */
  errorRate: number;
  /** Responses per `x-service-version` value; counts add up to `requests.responses`. */
  versions: VersionCounts;
  /** The same per mix route (`"GET /ping/stats"`), in mix order: where a canary split really shows. */
  versionsByRoute: Record<string, VersionCounts>;
}

export type VersionCounts = Record<string, { count: number; share: number }>;

type SummaryOptions = Pick<LoadgenOptions, 'url' | 'connections' | 'rate' | 'mix'>;

/** The part of autocannon's result the summary reads. */
export type SummaryStats = Pick<autocannon.Result, 'duration' | 'errors' | 'timeouts' | 'statusCodeStats'> & {
  latency: Pick<autocannon.Histogram, 'mean' | 'p50' | 'p90' | 'p99' | 'max'>;
  throughput: Pick<autocannon.Histogram, 'total'>;
};

export interface SummaryInput {
  stats: SummaryStats;
  versions: VersionShare[];
  versionsByRoute: Record<string, VersionShare[]>;
  interrupted: boolean;
}

export function buildSummary(options: SummaryOptions, outcome: SummaryInput): Summary {
  const { stats } = outcome;
  const statusCodes = statusCounts(stats.statusCodeStats);
  const responses = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
  const badResponses = Object.entries(statusCodes).reduce(
    (sum, [code, count]) => (isGoodStatus(Number(code)) ? sum : sum + count),
    0,
  );
  const attempts = responses + stats.errors;
  const perSecond = (value: number) => (stats.duration > 0 ? value / stats.duration : 0);
  return {
    target: options.url.href,
    interrupted: outcome.interrupted,
    durationSeconds: stats.duration,
    connections: options.connections,
    rate: options.rate ?? null,
    mix: mixShares(options.mix),
    requests: { responses, perSecond: perSecond(responses) },
    bytes: { total: stats.throughput.total, perSecond: perSecond(stats.throughput.total) },
    latencyMs: {
      mean: stats.latency.mean,
      p50: stats.latency.p50,
      p90: stats.latency.p90,
      p99: stats.latency.p99,
      max: stats.latency.max,
    },
    statusCodes,
    errors: stats.errors,
    timeouts: stats.timeouts,
    errorRate: attempts === 0 ? 0 : (badResponses + stats.errors) / attempts,
    versions: versionCounts(outcome.versions),
    versionsByRoute: Object.fromEntries(
      Object.entries(outcome.versionsByRoute).map(([route, shares]) => [route, versionCounts(shares)]),
    ),
  };
}

function versionCounts(shares: VersionShare[]): VersionCounts {
  return Object.fromEntries(shares.map(({ version, count, share }) => [version, { count, share }]));
}

function statusCounts(stats: Record<string, { count?: number }> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(stats ?? {}).map(([code, { count }]) => [code, count ?? 0]));
}

/** 3 when the error rate is over the limit (even if interrupted: the limit is what scripts check), 130 when interrupted. */
export function exitCodeFor(summary: Summary, maxErrorRate: number | undefined): number {
  if (maxErrorRate !== undefined && summary.errorRate > maxErrorRate) return EXIT_CODES.errorRateExceeded;
  if (summary.interrupted) return EXIT_CODES.interrupted;
  return EXIT_CODES.ok;
}

export function formatSummary(summary: Summary, maxErrorRate?: number): string {
  const rows: Array<[string, string]> = [
    [
      'Target',
      `${summary.target}  ${count(summary.connections)} connection${summary.connections === 1 ? '' : 's'}${summary.rate ? ` at ${count(summary.rate)} req/s` : ''}, ${summary.durationSeconds} s${summary.interrupted ? ' (interrupted)' : ''}`,
    ],
    [
      'Requests',
      `${count(summary.requests.responses)} responses, ${decimal(summary.requests.perSecond)} req/s, ${bytes(summary.bytes.perSecond)}/s`,
    ],
    [
      'Latency',
      `p50 ${ms(summary.latencyMs.p50)}  p90 ${ms(summary.latencyMs.p90)}  p99 ${ms(summary.latencyMs.p99)}  max ${ms(summary.latencyMs.max)}`,
    ],
    [
      'Status',
      Object.entries(summary.statusCodes)
        .map(([code, n]) => `${code}: ${count(n)}`)
        .join('  ') || 'no responses',
    ],
    [
      'Errors',
      `${count(summary.errors)} (${count(summary.timeouts)} timeouts), error rate ${percent(summary.errorRate)}${errorLimitNote(summary, maxErrorRate)}`,
    ],
    ['Versions', `${versionShares(summary.versions)}  (${VERSION_HEADER})`],
    ...routeVersionRows(summary),
    ['Mix', summary.mix.map(({ route, share }) => `${route} ${percent(share)}`).join('  ')],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}`).join('\n') + '\n';
}

/** `v1 94.8%  v2 5.2%`: how the split looks from the client side. */
export function versionShares(versions: VersionCounts): string {
  const entries = Object.entries(versions);
  if (entries.length === 0) return 'no responses';
  return entries.map(([version, { share }]) => `${version} ${percent(share)}`).join('  ');
}

/** One indented line per route, only when the mix has more than one and anything came back. */
function routeVersionRows(summary: Summary): Array<[string, string]> {
  const routes = Object.entries(summary.versionsByRoute);
  if (routes.length < 2 || Object.keys(summary.versions).length === 0) return [];
  const width = Math.max(...routes.map(([route]) => route.length)) + 2;
  return routes.map(([route, versions]) => ['', `  ${route.padEnd(width)}${versionShares(versions)}`]);
}

function errorLimitNote(summary: Summary, maxErrorRate: number | undefined): string {
  if (maxErrorRate === undefined) return '';
  return summary.errorRate > maxErrorRate
    ? ` ABOVE the limit ${percent(maxErrorRate)}`
    : ` (limit ${percent(maxErrorRate)})`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function decimal(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function ms(value: number): string {
  return `${decimal(value)} ms`;
}

function bytes(value: number): string {
  if (value >= 1024 * 1024) return `${decimal(value / (1024 * 1024))} MB`;
  if (value >= 1024) return `${decimal(value / 1024)} kB`;
  return `${decimal(value)} B`;
}
