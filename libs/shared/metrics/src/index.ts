export { createRegistry, type ServiceIdentity } from './registry';
export {
  createHttpServerMetrics,
  routeTemplate,
  LATENCY_BUCKETS,
  UNMATCHED_ROUTE,
  type HttpServerMetrics,
} from './http-server-metrics';
export { createHttpClientMetrics, type HttpClientMetrics } from './http-client-metrics';
export { createProbeMetrics, type ProbeMetrics } from './probe-metrics';
export { metricsHandler } from './metrics-handler';
export {
  startTracing,
  tracingMiddleware,
  activeTraceIds,
  startClientSpan,
  type Tracing,
  type ClientSpan,
} from './tracing';
export type { Registry } from 'prom-client';
