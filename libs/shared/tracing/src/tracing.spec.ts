import { context, propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { activeTraceIds, startTracing, tracingMiddleware } from './tracing';

/**
 * The SDK as `startTracing` sets it up (W3C propagation, no instrumentations), with an in-memory
 * exporter standing in for the OTLP one, so the spans the middleware ends can be read back.
 */
const exporter = new InMemorySpanExporter();
const sdk = new NodeSDK({
  autoDetectResources: false,
  spanProcessors: [new SimpleSpanProcessor(exporter)],
  logRecordProcessors: [],
  instrumentations: [],
  textMapPropagator: new W3CTraceContextPropagator(),
});
beforeAll(() => sdk.start());
afterAll(() => sdk.shutdown());

const PROBE_AND_SCRAPE = new Set(['/healthz', '/readyz', '/metrics']);
const CALLER_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN_ID = 'b7ad6b7169203331';

interface Seen {
  traceIds: ReturnType<typeof activeTraceIds>;
  outbound: Record<string, string>;
}

async function withApp(run: (url: string, seen: Seen[]) => Promise<void>): Promise<void> {
  const seen: Seen[] = [];
  const app = express();
  app.use(tracingMiddleware({ untracedPaths: PROBE_AND_SCRAPE }));
  const record: express.RequestHandler = (_req, res) => {
    const outbound: Record<string, string> = {};
    propagation.inject(context.active(), outbound);
    seen.push({ traceIds: activeTraceIds(), outbound });
    res.send('ok');
  };
  app.get('/healthz', record);
  app.get('/readyz', record);
  app.get('/metrics', record);
  app.get('/items/:id', record);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

beforeEach(() => exporter.reset());

describe('tracingMiddleware', () => {
  it('makes no span for probes and scrapes', async () => {
    await withApp(async (url, seen) => {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        expect((await fetch(`${url}${path}`)).status).toBe(200);
      }
      expect(seen.map((request) => request.traceIds)).toEqual([undefined, undefined, undefined]);
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('makes a server span for an app route, named by its route template', async () => {
    await withApp(async (url) => {
      expect((await fetch(`${url}/items/42`)).status).toBe(200);
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['GET /items/:id']);
    expect(spans[0]?.attributes).toMatchObject({
      'http.route': '/items/:id',
      'http.response.status_code': 200,
    });
  });

  it("continues the caller's trace and hands it on to outbound calls", async () => {
    await withApp(async (url, seen) => {
      await fetch(`${url}/items/7`, {
        headers: { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` },
      });
      const [span] = exporter.getFinishedSpans();
      expect(span?.spanContext().traceId).toBe(CALLER_TRACE_ID);
      expect(span?.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
      expect(seen[0]?.traceIds).toEqual({ trace_id: CALLER_TRACE_ID, span_id: span?.spanContext().spanId });
      expect(seen[0]?.outbound['traceparent']).toBe(`00-${CALLER_TRACE_ID}-${span?.spanContext().spanId}-01`);
    });
  });

  it('keeps tracing paths that only start like a probe', async () => {
    await withApp(async (url) => {
      await fetch(`${url}/healthz/extra`);
    });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});

describe('startTracing', () => {
  it('is off with OTEL_SDK_DISABLED=true: no spans, no export', async () => {
    const disabled = startTracing({ service: 'demo', version: 'v1' }, { OTEL_SDK_DISABLED: 'true' });
    expect(disabled).toMatchObject({ enabled: false, exporting: false });
    await disabled.shutdown();
  });
});
