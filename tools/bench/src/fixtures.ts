import express from 'express';
import http from 'node:http';

/**
 * The helper servers of a bench run. Each runs in its own child process (this same bundle, picked
 * by `BENCH_ROLE`), so none of them shares an event loop with the load generator.
 */
export const FIXTURE_ROLES = ['baseline', 'otlp-sink', 'targets'] as const;
export type FixtureRole = (typeof FIXTURE_ROLES)[number];

export function isFixtureRole(value: string | undefined): value is FixtureRole {
  return FIXTURE_ROLES.some((role) => role === value);
}

/**
 * The baseline the services are held to: the bare Express route a user would write, answering
 * the same JSON object as pinger's `/ping/stats` (serialised per request, same bytes). Like the
 * services it sends no ETag and no x-powered-by, so the comparison isolates what the shared
 * runtime adds: metrics, tracing, logging, health and error handling.
 */
function baselineServer(env: NodeJS.ProcessEnv): http.Server {
  const body: unknown = JSON.parse(env['BENCH_BASELINE_BODY'] ?? 'null');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/ping/stats', (_req, res) => {
    res.json(body);
  });
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready' });
  });
  return http.createServer(app);
}

/** Counts the spans in one OTLP/HTTP JSON export request. */
export function countOtlpSpans(payload: unknown): number {
  const resourceSpans =
    (payload as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }> })?.resourceSpans ??
    [];
  let spans = 0;
  for (const resource of resourceSpans)
    for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
  return spans;
}

/** A stand-in for an OpenTelemetry collector: accepts `POST /v1/traces`, answers 200 and counts what arrived. */
function otlpSinkServer(): http.Server {
  const received = { exportRequests: 0, spans: 0, unreadable: 0 };
  return http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/readyz' || req.url === '/stats')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/stats' ? received : { status: 'ready' }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.statusCode = 404;
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.exportRequests += 1;
      try {
        received.spans += countOtlpSpans(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        received.unreadable += 1;
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
}

/** Probe targets that answer at once: any GET path gets a small 200. */
function targetsServer(): http.Server {
  return http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('ok\n');
  });
}

/** Runs the fixture named by `role` on 127.0.0.1:`PORT` until it is killed. */
export function serveFixture(role: FixtureRole, env: NodeJS.ProcessEnv = process.env): void {
  const server =
    role === 'baseline' ? baselineServer(env) : role === 'otlp-sink' ? otlpSinkServer() : targetsServer();
  server.keepAliveTimeout = 65_000;
  server.listen(Number(env['PORT']), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
