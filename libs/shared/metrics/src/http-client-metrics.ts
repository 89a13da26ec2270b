import { Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './http-server-metrics';

/**
 * Latency of calls to other services, labelled by `upstream`: the caller's view of a dependency,
 * which is what tells a slow network or proxy apart from a slow server. `status_code` is the HTTP
 * status, or the error code of a call that got no response (ECONNREFUSED, ETIMEDOUT, ...).
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
