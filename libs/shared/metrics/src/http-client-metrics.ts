import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './http-server-metrics';
import { startClientSpan, type ClientSpan } from './tracing';

/** Outcome label for calls that got no HTTP response at all (refused, timed out, reset). */
export function errorStatusCode(error: AxiosError): string {
  return error.response ? String(error.response.status) : (error.code ?? 'ERROR');
}

/**
 * Latency of calls to other services, labelled by `upstream`: the caller's view of a dependency,
 * which is what tells a slow network or proxy apart from a slow server.
 */
export function createHttpClientMetrics(registry: Registry) {
  return new Histogram({
    name: 'http_client_request_duration_seconds',
    help: 'Duration of outbound HTTP requests to other services.',
    labelNames: ['upstream', 'method', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

export type HttpClientMetrics = ReturnType<typeof createHttpClientMetrics>;

interface Timed {
  startedAt: bigint;
  span: ClientSpan;
}
const timings = new WeakMap<InternalAxiosRequestConfig, Timed>();

/**
 * Times every call of an axios instance and propagates the W3C trace context in its headers,
 * so each hop shows up both in `http_client_request_duration_seconds` and in the trace.
 */
export function instrumentAxios(client: AxiosInstance, upstream: string, metrics: HttpClientMetrics): AxiosInstance {
  const finish = (config: InternalAxiosRequestConfig | undefined, statusCode: string) => {
    const timed = config && timings.get(config);
    if (!config || !timed) return;
    timings.delete(config);
    const seconds = Number(process.hrtime.bigint() - timed.startedAt) / 1e9;
    metrics.observe({ upstream, method: (config.method ?? 'get').toUpperCase(), status_code: statusCode }, seconds);
    timed.span.end(statusCode);
  };

  client.interceptors.request.use((config) => {
    const span = startClientSpan(upstream, (config.method ?? 'get').toUpperCase(), config.url ?? '');
    span.inject((key, value) => config.headers.set(key, value));
    timings.set(config, { startedAt: process.hrtime.bigint(), span });
    return config;
  });
  client.interceptors.response.use(
    (response) => {
      finish(response.config, String(response.status));
      return response;
    },
    (error: AxiosError) => {
      finish(error.config, errorStatusCode(error));
      return Promise.reject(error);
    },
  );
  return client;
}
