import type { AnalysisOptions, MetricSource } from './args';
import { serviceOfCluster } from './split';

/**
 * Judging the new version between steps, as Flagger and Argo Rollouts do: request count, error ratio
 * and p99 over the step's interval. No data or NaN is "inconclusive", never healthy.
 */

export type Verdict = 'healthy' | 'failed' | 'inconclusive';

export interface Measurement {
  name: 'requests' | 'error ratio' | 'p99';
  query: string;
  /** undefined: Prometheus returned no series (or NaN). */
  value: number | undefined;
  unit: '' | 'ratio' | 'ms';
  /** Why this value passes or not, e.g. `0.4% <= 1%`. */
  judgement: string;
  verdict: Verdict;
}

export interface Analysis {
  verdict: Verdict;
  measurements: Measurement[];
  /** One line for the progress output. */
  summary: string;
}

/** Error ratio queries add `or vector(0)`: no 5xx series yet means no errors, while no requests at all still gives no value. */
export interface Queries {
  requests: string;
  errorRatio: string;
  p99Ms: string;
}

/** Probes and scrapes are not traffic: only the app's routes count. */
const NOT_TRAFFIC = '/healthz|/readyz|/metrics';

/** `pinger-v2` → service `pinger`, version `v2`. */
function versionOf(cluster: string): { service: string; version: string } {
  const service = serviceOfCluster(cluster);
  return { service, version: cluster.slice(service.length + 1) };
}

export function buildQueries(source: MetricSource, cluster: string, intervalMs: number): Queries {
  const window = `${Math.max(1, Math.round(intervalMs / 1000))}s`;
  if (source === 'app') {
    const { service, version } = versionOf(cluster);
    const selector = `service="${service}",version="${version}",route!~"${NOT_TRAFFIC}"`;
    const count = `http_request_duration_seconds_count{${selector}}`;
    return {
      requests: `sum(increase(${count}[${window}]))`,
      errorRatio: `(sum(rate(http_request_duration_seconds_count{${selector},status_code=~"5.."}[${window}])) or vector(0)) / sum(rate(${count}[${window}]))`,
      p99Ms: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[${window}]))) * 1000`,
    };
  }
  // Flagger's Envoy queries (envoy_cluster_upstream_rq by response code, _time_bucket in ms) for the
  // frontend sidecar's cluster of the new version.
  const selector = `envoy_cluster_name="${cluster}"`;
  const all = `envoy_cluster_upstream_rq{${selector}}`;
  return {
    requests: `sum(increase(${all}[${window}]))`,
    errorRatio: `(sum(rate(envoy_cluster_upstream_rq{${selector},envoy_response_code=~"5.*"}[${window}])) or vector(0)) / sum(rate(${all}[${window}]))`,
    p99Ms: `histogram_quantile(0.99, sum by (le) (rate(envoy_cluster_upstream_rq_time_bucket{${selector}}[${window}])))`,
  };
}

interface PrometheusSample {
  metric?: Record<string, string>;
  value?: [number, string];
}

interface PrometheusAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: PrometheusSample[] };
}

/** Thrown when Prometheus can't be asked at all (unreachable, bad query): not a verdict. */
export class PrometheusError extends Error {}

async function queryVector(
  prometheusUrl: string,
  query: string,
  timeoutMs: number,
): Promise<PrometheusSample[]> {
  let response: Response;
  try {
    response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query })}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new PrometheusError(`cannot reach Prometheus at ${prometheusUrl} (${cause})`);
  }
  let answer: PrometheusAnswer;
  try {
    answer = (await response.json()) as PrometheusAnswer;
  } catch {
    throw new PrometheusError(`${prometheusUrl} answered ${response.status} without JSON: is it Prometheus?`);
  }
  if (answer.status !== 'success')
    throw new PrometheusError(`Prometheus rejected the query (${answer.error ?? response.status}): ${query}`);
  return answer.data?.result ?? [];
}

/** One instant query; undefined when there is no series or the value is NaN/Inf. */
export async function queryScalar(
  prometheusUrl: string,
  query: string,
  timeoutMs = 10_000,
): Promise<number | undefined> {
  const values = (await queryVector(prometheusUrl, query, timeoutMs)).map((sample) =>
    Number(sample.value?.[1]),
  );
  if (values.length !== 1) return undefined;
  const [value] = values as [number];
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The config hash a pod's sidecar reports in force, as Prometheus last scraped it
 * (`envoy_sidecar_config_info{hash}` = 1): the way to see it when the API server's pod proxy
 * can't reach the sidecar (e.g. a NetworkPolicy that admits only Prometheus). Lags by a scrape.
 */
export async function scrapedConfigHash(
  prometheusUrl: string,
  namespace: string,
  pod: string,
): Promise<string | undefined> {
  const samples = await queryVector(
    prometheusUrl,
    `max by (hash) (envoy_sidecar_config_info{namespace="${namespace}",pod="${pod}"} == 1)`,
    10_000,
  );
  return samples.length === 1 ? samples[0]?.metric?.['hash'] : undefined;
}

/** Fails when Prometheus is not there or not answering queries, before anything is written. */
export async function checkPrometheus(prometheusUrl: string): Promise<void> {
  if ((await queryScalar(prometheusUrl, 'vector(1)')) !== 1)
    throw new PrometheusError(`${prometheusUrl} did not evaluate vector(1): is it Prometheus?`);
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(2).replace(/\.?0+$/, '')}%`;

export function judge(
  values: { requests?: number; errorRatio?: number; p99Ms?: number },
  queries: Queries,
  options: AnalysisOptions,
): Analysis {
  const { requests, errorRatio, p99Ms } = values;
  const enough = requests !== undefined && requests >= options.minRequests;
  const requestsMeasurement: Measurement = {
    name: 'requests',
    query: queries.requests,
    value: requests,
    unit: '',
    judgement:
      requests === undefined
        ? 'no data'
        : `${Math.round(requests)} ${enough ? '>=' : '<'} ${options.minRequests} (--min-requests)`,
    verdict: enough ? 'healthy' : 'inconclusive',
  };
  const bounded = (
    name: 'error ratio' | 'p99',
    query: string,
    value: number | undefined,
    limit: number,
    unit: 'ratio' | 'ms',
    option: string,
  ): Measurement => {
    const show = (n: number) => (unit === 'ratio' ? percent(n) : `${Math.round(n)} ms`);
    if (value === undefined)
      return { name, query, value, unit, judgement: 'no data (or NaN)', verdict: 'inconclusive' };
    const ok = value <= limit;
    return {
      name,
      query,
      value,
      unit,
      judgement: `${show(value)} ${ok ? '<=' : '>'} ${show(limit)} (${option})`,
      verdict: ok ? 'healthy' : 'failed',
    };
  };
  const measurements = [
    requestsMeasurement,
    bounded(
      'error ratio',
      queries.errorRatio,
      errorRatio,
      options.maxErrorRatio,
      'ratio',
      '--max-error-ratio',
    ),
    bounded('p99', queries.p99Ms, p99Ms, options.maxP99Ms, 'ms', '--max-p99'),
  ];
  // Too few requests makes any ratio noise: inconclusive, even if a failing value is in there.
  const verdict: Verdict = !enough
    ? 'inconclusive'
    : measurements.some((m) => m.verdict === 'failed')
      ? 'failed'
      : measurements.some((m) => m.verdict === 'inconclusive')
        ? 'inconclusive'
        : 'healthy';
  return { verdict, measurements, summary: measurements.map((m) => `${m.name} ${m.judgement}`).join(', ') };
}

/** Runs the three queries for `cluster` (the new version) over the options' interval and judges them. */
export async function analyse(cluster: string, options: AnalysisOptions): Promise<Analysis> {
  const queries = buildQueries(options.source, cluster, options.intervalMs);
  const [requests, errorRatio, p99Ms] = await Promise.all([
    queryScalar(options.prometheusUrl, queries.requests),
    queryScalar(options.prometheusUrl, queries.errorRatio),
    queryScalar(options.prometheusUrl, queries.p99Ms),
  ]);
  return judge({ requests, errorRatio, p99Ms }, queries, options);
}
