import type { HttpClientMetrics } from '@learnathon/metrics';
import { startClientSpan, type ClientSpan } from '@learnathon/tracing';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { ErrorBody } from './errors';

/** What a caller chooses about a client (`service.upstream(options)`); the service adds the metrics. */
export interface UpstreamOptions {
  /** Name of the service called: the `upstream` label of the client metrics, the span name, and the subject of error messages. */
  name: string;
  baseURL: string;
  /** Bound on the whole call: connecting, waiting for the answer and reading its body. */
  timeoutMs: number;
  /** Bodies larger than this are refused: between our services they mean a broken upstream. */
  maxBodyBytes?: number;
}

export interface UpstreamClientOptions extends UpstreamOptions {
  metrics: HttpClientMetrics;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, unparsed: a proxy can check it and pass the same bytes on. */
  body: string;
}

/** The largest body accepted from an upstream unless `maxBodyBytes` says otherwise: 1 MiB. */
export const DEFAULT_UPSTREAM_MAX_BODY_BYTES = 1024 * 1024;

/** The `error` codes of `UpstreamError.body`, one per way a call can fail. */
export type UpstreamFailure = 'upstream_timeout' | 'upstream_unavailable' | 'upstream_invalid_response';

/**
 * A call that got no usable answer. `code` is what happened on the wire (ETIMEDOUT,
 * ERR_BODY_TOO_LARGE or the socket error: ECONNREFUSED, ECONNRESET, ...), also the metrics label.
 * `message` names the upstream and is written for the person at the other end: a proxy answers
 * its own client with `status` and `body` as they are.
 */
export class UpstreamError extends Error {
  /** 504 when the upstream took too long, 502 for every other failure. */
  readonly status: 502 | 504;
  readonly failure: UpstreamFailure;

  constructor(
    readonly upstream: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
    this.status = code === 'ETIMEDOUT' ? 504 : 502;
    this.failure =
      code === 'ETIMEDOUT'
        ? 'upstream_timeout'
        : code === 'ERR_BODY_TOO_LARGE'
          ? 'upstream_invalid_response'
          : 'upstream_unavailable';
  }

  /** The JSON answer for whoever asked for this call: `{ error, message }`. */
  get body(): ErrorBody & { error: UpstreamFailure } {
    return { error: this.failure, message: this.message };
  }
}

/**
 * Shared keep-alive agents: reusing connections spares a TCP handshake per call. Idle sockets are
 * closed after 30 s, before the servers' 65 s keep-alive timeout, so the client closes first.
 */
const agents = {
  'http:': new http.Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 64,
    scheduling: 'lifo',
    timeout: 30_000,
  }),
  'https:': new https.Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 64,
    scheduling: 'lifo',
    timeout: 30_000,
  }),
};

/**
 * A client for calls between our own services, on node:http: keep-alive, no redirects, one
 * deadline for the whole call, a body size cap, client metrics and W3C trace context.
 *
 * Why not axios (used for the pinger's probes): on the frontend's proxied route, axios' per-call
 * overhead (config merging, interceptors, adapters) cost half the throughput; see docs/benchmarks.md.
 */
export class UpstreamClient {
  private readonly base: URL;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;

  constructor(private readonly options: UpstreamClientOptions) {
    this.base = new URL(options.baseURL);
    const protocol = this.base.protocol === 'https:' ? 'https:' : 'http:';
    this.transport = protocol === 'https:' ? https : http;
    this.agent = agents[protocol];
  }

  /** The upstream's name, as in metrics, spans and error messages. */
  get name(): string {
    return this.options.name;
  }

  /** GET or POST `path` (with `body` as JSON). Resolves with any HTTP answer; rejects with UpstreamError. */
  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<UpstreamResponse> {
    const started = performance.now();
    const span = startClientSpan(this.options.name, method, `${this.base.origin}${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let outcome = 'ERROR';
    try {
      const response = await this.attempt(method, path, payload, span.inject);
      outcome = String(response.status);
      return response;
    } catch (error) {
      outcome = error instanceof UpstreamError ? error.code : 'ERROR';
      throw error;
    } finally {
      this.options.metrics.observe(
        { upstream: this.options.name, method, status_code: outcome },
        (performance.now() - started) / 1000,
      );
      span.end(outcome);
    }
  }

  /**
   * One call; a GET whose reused keep-alive socket turns out to be closed by the server is retried
   * once (the race Node's docs describe for `request.reusedSocket`). Only a GET: it is safe to send
   * twice, while a POST may have reached the upstream and been acted on before the socket broke.
   */
  private async attempt(
    method: string,
    path: string,
    payload: string | undefined,
    inject: ClientSpan['inject'],
  ): Promise<UpstreamResponse> {
    try {
      return await this.send(method, path, payload, inject);
    } catch (error) {
      if (!(error instanceof StaleSocketError && method === 'GET')) throw unwrapStale(error);
    }
    // The pool can hold more sockets the server has closed (it restarted): the retry may meet one.
    return this.send(method, path, payload, inject).catch((error: unknown) => {
      throw unwrapStale(error);
    });
  }

  private send(
    method: string,
    path: string,
    payload: string | undefined,
    inject: ClientSpan['inject'],
  ): Promise<UpstreamResponse> {
    const { name, timeoutMs, maxBodyBytes = DEFAULT_UPSTREAM_MAX_BODY_BYTES } = this.options;
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      inject((key, value) => (headers[key] = value));
      const request = this.transport.request({
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port,
        path: `${this.base.pathname.replace(/\/$/, '')}${path}`,
        method,
        headers,
        agent: this.agent,
      });

      let settled = false;
      const settle = (outcome: UpstreamResponse | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome instanceof Error) {
          request.destroy();
          reject(outcome);
        } else {
          resolve(outcome);
        }
      };
      const timer = setTimeout(
        () => settle(new UpstreamError(name, 'ETIMEDOUT', `${name} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );

      request.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? 'ERROR';
        const failure = new UpstreamError(name, code, `${name} is unreachable (${code})`);
        settle(request.reusedSocket && code === 'ECONNRESET' ? new StaleSocketError(failure) : failure);
      });
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes)
            settle(
              new UpstreamError(name, 'ERR_BODY_TOO_LARGE', `${name} sent more than ${maxBodyBytes} bytes`),
            );
          else chunks.push(chunk);
        });
        response.on('error', (error: NodeJS.ErrnoException) =>
          settle(
            new UpstreamError(
              name,
              error.code ?? 'ERROR',
              `${name} broke off its answer (${error.code ?? 'ERROR'})`,
            ),
          ),
        );
        response.once('end', () =>
          settle({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      request.end(payload);
    });
  }
}

/** Marks a failure on a reused socket, which is safe to retry for idempotent calls. */
class StaleSocketError extends Error {
  constructor(override readonly cause: UpstreamError) {
    super(cause.message);
  }
}

const unwrapStale = (error: unknown) => (error instanceof StaleSocketError ? error.cause : error);
