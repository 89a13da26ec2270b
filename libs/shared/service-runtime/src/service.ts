import {
  createHttpClientMetrics,
  createHttpServerMetrics,
  createRegistry,
  metricsHandler,
  type HttpClientMetrics,
  type Registry,
} from '@learnathon/metrics';
import { startTracing, tracingMiddleware, type Tracing } from '@learnathon/tracing';
import express, { type Express, type RequestHandler } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjection, LogLevel } from './config';
import { errorHandler, notFoundHandler } from './errors';
import { faultsEnabled, injectFaults, warnFaultsEnabled } from './fault-injection';
import { Health } from './health';
import { createLogger, type Logger } from './logger';
import { observeRequests, PROBE_AND_SCRAPE_PATHS } from './observe-requests';
import { drainAndStop } from './shutdown';
import { UpstreamClient, type UpstreamOptions } from './upstream-client';

export interface ServiceOptions {
  name: string;
  version: string;
  port: number;
  host: string;
  logLevel: LogLevel;
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
  /** Deliberate errors and delays for drills (`FAULT_*` in commonConfig); none when omitted. */
  faults?: FaultInjection;
  /** Largest accepted JSON body; larger ones get 413. */
  bodyLimit?: string;
  /** Replace the stdout logger (tests capture lines this way). */
  logger?: Logger;
  /** Install SIGTERM/SIGINT handlers that drain and exit the process (off in tests). */
  handleSignals?: boolean;
}

export interface RunningService {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  url: string;
  /** Drains and stops the server, runs the shutdown hooks; resolves with the exit code. */
  stop(): Promise<number>;
}

/** Methods whose requests carry no body by convention; the JSON parser is skipped for them. */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** JSON body parsing, skipped for GET and HEAD: the bulk of traffic has no body to look for. */
function jsonBodies(limit: string): RequestHandler {
  const parse = express.json({ limit, strict: true });
  return (req, res, next) => (BODILESS_METHODS.has(req.method) ? next() : parse(req, res, next));
}

/**
 * Everything a service of this repo has in common, in one place: JSON logging, RED metrics,
 * tracing, health and readiness, JSON errors, `x-service-version`, and graceful shutdown.
 * An app creates a Service, adds its routes to `service.app`, then calls `listen()`.
 */
export class Service {
  readonly app: Express;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly health = new Health();
  readonly tracing: Tracing;
  private readonly clientMetrics: HttpClientMetrics;
  private readonly shutdownHooks: Array<() => Promise<void> | void> = [];

  constructor(private readonly options: ServiceOptions) {
    const { name, version } = options;
    this.tracing = startTracing({ service: name, version });
    this.logger = options.logger ?? createLogger({ service: name, version, level: options.logLevel });
    this.registry = createRegistry({ service: name, version });
    this.clientMetrics = createHttpClientMetrics(this.registry);
    const serverMetrics = createHttpServerMetrics(this.registry);

    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.set('trust proxy', false);
    if (this.tracing.enabled) app.use(tracingMiddleware({ untracedPaths: PROBE_AND_SCRAPE_PATHS }));
    app.use(observeRequests({ version, metrics: serverMetrics, logger: this.logger }));
    if (options.faults && faultsEnabled(options.faults)) {
      warnFaultsEnabled(this.logger, options.faults);
      app.use(injectFaults(options.faults));
    }
    app.use(jsonBodies(options.bodyLimit ?? '16kb'));
    this.app = app;
  }

  /** A client for another of our services: keep-alive, no redirects, a deadline, client metrics and trace propagation. */
  upstream(options: UpstreamOptions): UpstreamClient {
    return new UpstreamClient({ ...options, metrics: this.clientMetrics });
  }

  /** Registers cleanup to run after the server has drained (in registration order). */
  onShutdown(hook: () => Promise<void> | void): void {
    this.shutdownHooks.push(hook);
  }

  async listen(): Promise<RunningService> {
    const { options, app, logger } = this;
    // After the app's routes, so the busy routes are matched first; probes and scrapes are rare.
    app.get('/healthz', this.health.livenessHandler);
    app.get('/readyz', this.health.readinessHandler);
    app.get('/metrics', metricsHandler(this.registry));
    app.use(notFoundHandler);
    app.use(errorHandler(logger));

    const server = http.createServer(app);
    server.keepAliveTimeout = 65_000; // longer than typical proxy idle timeouts, so proxies close first
    server.headersTimeout = 66_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const displayHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
    const url = `http://${displayHost}:${port}`;
    logger.info(
      { port, host: options.host, tracing: this.tracing.enabled, exporting: this.tracing.exporting },
      `listening on ${url}`,
    );

    let stopping: Promise<number> | undefined;
    const stop = () => {
      stopping ??= drainAndStop({
        server,
        health: this.health,
        logger,
        delayMs: options.shutdownDelayMs,
        timeoutMs: options.shutdownTimeoutMs,
        hooks: [...this.shutdownHooks, () => this.tracing.shutdown()],
      });
      return stopping;
    };

    if (options.handleSignals ?? true) this.exitOnSignals(stop);
    return { port, url, stop };
  }

  private exitOnSignals(stop: () => Promise<number>): void {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        this.logger.warn({ signal }, 'second signal: exiting now');
        this.logger.flush();
        process.exit(1);
      }
      received = true;
      this.logger.info({ signal }, 'shutting down');
      void stop().then((code) => {
        this.logger.info({ exit_code: code }, 'stopped');
        this.logger.flush(() => process.exit(code));
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
}
