/**
 * PromQL building blocks the dashboards share, so every panel spells a rate, a ratio or a
 * percentile the same way. Matchers are PromQL text (`service="$service"`), Grafana variables included.
 */

/** Grafana's interval for rate(): at least four scrape intervals, whatever the zoom. */
export const RATE_INTERVAL = '$__rate_interval';

export const selector = (metric: string, matchers: readonly string[] = []): string =>
  matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;

export const rate = (metric: string, matchers: readonly string[] = [], window = RATE_INTERVAL): string =>
  `rate(${selector(metric, matchers)}[${window}])`;

export const sumBy = (labels: readonly string[], expr: string): string => {
  if (labels.length === 0) throw new Error(`sumBy needs at least one label to group by: ${expr}`);
  return `sum by (${labels.join(', ')}) (${expr})`;
};

export interface RatioOfRates {
  metric: string;
  /** The whole population, e.g. every request of the selected service. */
  matchers: readonly string[];
  /** What narrows the population to the part, e.g. `status_code=~"5.."`. */
  partMatchers: readonly string[];
  by: readonly string[];
}

/**
 * part / whole by the given labels. A group with traffic but no matching part reads 0, not "no
 * data": the part's series may not exist yet (a counter appears with its first increment), and
 * a missing error series must not look like a missing service.
 */
export function ratioOfRates({ metric, matchers, partMatchers, by }: RatioOfRates): string {
  const whole = sumBy(by, rate(metric, matchers));
  const part = sumBy(by, rate(metric, [...matchers, ...partMatchers]));
  return `(${part} or 0 * ${whole}) / ${whole}`;
}

/** The q-quantile of a histogram by the given labels (`le` is added). */
export function quantile(
  q: number,
  by: readonly string[],
  bucketMetric: string,
  matchers: readonly string[],
) {
  if (!(q > 0 && q < 1)) throw new Error(`a quantile lies between 0 and 1, got ${q}`);
  if (!bucketMetric.endsWith('_bucket'))
    throw new Error(`${bucketMetric} is not a histogram's _bucket series`);
  return `histogram_quantile(${q}, ${sumBy([...by, 'le'], rate(bucketMetric, matchers))})`;
}

/** Each group's share of the total rate, e.g. the share of pinger requests each version gets. */
export function shareOfRate(label: string, metric: string, matchers: readonly string[]): string {
  const total = rate(metric, matchers);
  return `${sumBy([label], total)} / ignoring(${label}) group_left sum(${total})`;
}
