export {
  startTracing,
  tracingMiddleware,
  activeTraceIds,
  startClientSpan,
  type Tracing,
  type ClientSpan,
  type TracingMiddlewareOptions,
} from './tracing';
