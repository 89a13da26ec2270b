import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { routeTemplate, type ServiceIdentity } from '@learnathon/metrics';

const tracer = trace.getTracer('@learnathon/tracing');

export interface Tracing {
  /** False when `OTEL_SDK_DISABLED=true`: no spans, no trace ids, no propagation. */
  readonly enabled: boolean;
  /** True when spans leave the process (an OTLP endpoint is configured). */
  readonly exporting: boolean;
  /** Flushes pending spans; call during graceful shutdown. */
  shutdown(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/** Set once the SDK runs; until then client spans are skipped outright instead of built as no-ops. */
let tracingStarted = false;

/**
 * Starts the OpenTelemetry SDK with W3C trace context propagation.
 *
 * Spans are exported over OTLP/HTTP only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces-specific
 * variant) is set; otherwise spans are still created so every log line carries a trace id, but
 * nothing leaves the process. No auto-instrumentation is loaded: the HTTP server middleware and
 * `startClientSpan` below create the spans, which keeps start-up fast and the hot path cheap.
 */
export function startTracing({ service, version }: ServiceIdentity, env: Env = process.env): Tracing {
  if (isTrue(env['OTEL_SDK_DISABLED'])) {
    return { enabled: false, exporting: false, shutdown: async () => undefined };
  }
  tracingStarted = true;
  const exporting = Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  const spanProcessor: SpanProcessor = exporting
    ? new BatchSpanProcessor(new OTLPTraceExporter())
    : new NoopSpanProcessor();
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service, [ATTR_SERVICE_VERSION]: version }),
    autoDetectResources: false,
    spanProcessors: [spanProcessor],
    logRecordProcessors: [],
    instrumentations: [],
    textMapPropagator: new W3CTraceContextPropagator(),
  });
  sdk.start();
  return { enabled: true, exporting, shutdown: () => sdk.shutdown() };
}

/** Ids of the active span, for log correlation; undefined outside a traced request. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

function endSpan(span: Span, statusCode: number | string): void {
  span.setAttribute('http.response.status_code', statusCode);
  const failed = typeof statusCode === 'string' || statusCode >= 500;
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

export interface TracingMiddlewareOptions {
  /**
   * Paths answered without a span, e.g. the kubelet's probes and Prometheus' scrapes: one every few
   * seconds per pod would bury the requests in Jaeger.
   */
  untracedPaths?: ReadonlySet<string>;
}

/**
 * A server span per request, continuing the caller's trace from its `traceparent` header.
 * The handler chain runs inside the span's context, so logs and outbound calls join the trace.
 */
export function tracingMiddleware({
  untracedPaths = new Set(),
}: TracingMiddlewareOptions = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (untracedPaths.has(req.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    res.once('finish', () => {
      const route = routeTemplate(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
      endSpan(span, res.statusCode);
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

export interface ClientSpan {
  /** Writes the trace context headers for the outbound request. */
  inject(setHeader: (name: string, value: string) => void): void;
  /** Ends the span with the HTTP status or the network error code. */
  end(statusCode: string): void;
}

const NO_CLIENT_SPAN: ClientSpan = { inject: () => undefined, end: () => undefined };

/** A client span for one outbound call, child of the current request's span; a no-op while tracing is off. */
export function startClientSpan(upstream: string, method: string, url: string): ClientSpan {
  if (!tracingStarted) return NO_CLIENT_SPAN;
  const span = tracer.startSpan(`${method} ${upstream}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'http.request.method': method, 'url.full': url, 'peer.service': upstream },
  });
  const spanContext = trace.setSpan(context.active(), span);
  return {
    inject: (setHeader) =>
      propagation.inject(spanContext, undefined, { set: (_carrier, key, value) => setHeader(key, value) }),
    end: (statusCode) => endSpan(span, /^\d+$/.test(statusCode) ? Number(statusCode) : statusCode),
  };
}
