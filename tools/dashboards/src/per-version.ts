import { timeseries, type TimeseriesOptions } from './panels';

/**
 * One colour per app version on every panel of every dashboard, so v1 and v2 read the same in
 * the RED rows, the canary's Envoy panels (`pinger-v1`) and the percentiles (`p99 v2`).
 */
export const VERSION_COLORS: Readonly<Record<string, string>> = Object.freeze({
  v1: 'blue',
  v2: 'orange',
});

/** Grafana matches a field's display name against this (anchored): any name that mentions the version. */
export const versionPattern = (version: string): string => `.*\\b${version}\\b.*`;

/** A time series panel whose series are versions (the legend names them), coloured per version. */
export function perVersionPanel(options: Omit<TimeseriesOptions, 'seriesColors'>) {
  if (!options.queries.every((query) => /v\d|\{\{\s*(version|envoy_cluster_name)\s*\}\}/.test(query.legend)))
    throw new Error(`panel "${options.title}": every legend must name the version, so its colour applies`);
  return timeseries({
    ...options,
    seriesColors: Object.fromEntries(
      Object.entries(VERSION_COLORS).map(([version, color]) => [versionPattern(version), color]),
    ),
  });
}
