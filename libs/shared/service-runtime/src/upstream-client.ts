import { startClientSpan, type ClientSpan, type HttpClientMetrics } from '@learnathon/metrics';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface UpstreamClientOptions {
  /** Name of the service called: the `upstream` label of the client metrics and the span name. */
  name: string;
  baseURL: string;
  /** Bound on the whole call: connecting, waiting for the answer and reading its body. */
  timeoutMs: number;
  /** Bodies larger than this are refused: between our services they mean a broken upstream. */
  maxBodyBytes?: number;
  metrics: HttpClientMetrics;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, unparsed: a proxy can check it and pass the same bytes on. */
  body: string;
}

/** A call that got no usable answer; `code` is ETIMEDOUT, ERR_BODY_TOO_LARGE or the socket error (ECONNREFUSED, ...). */
export class UpstreamError extends Error {
  constructor(
    readonly upstream: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

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
   * once on a fresh socket (the race Node's docs describe for `request.reusedSocket`).
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
      const stale = error instanceof StaleSocketError;
      if (stale && method === 'GET') return this.send(method, path, payload, inject);
      throw stale ? error.cause : error;
    }
  }

  private send(
    method: string,
    path: string,
    payload: string | undefined,
    inject: ClientSpan['inject'],
  ): Promise<UpstreamResponse> {
    const { name, timeoutMs, maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = this.options;
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
          settle(new UpstreamError(name, error.code ?? 'ERROR', `${name} broke off its answer`)),
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
