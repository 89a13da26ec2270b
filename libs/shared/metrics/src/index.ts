export { createRegistry, type ServiceIdentity } from './registry';
export {
  createHttpServerMetrics,
  routeTemplate,
  LATENCY_BUCKETS,
  UNMATCHED_ROUTE,
  type HttpServerMetrics,
} from './http-server-metrics';
export { createHttpClientMetrics, type HttpClientMetrics } from './http-client-metrics';
export { metricsHandler } from './metrics-handler';
export type { Registry } from 'prom-client';
