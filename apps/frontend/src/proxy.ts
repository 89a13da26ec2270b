import {
  UpstreamError,
  type ErrorBody,
  type Logger,
  type Service,
  type UpstreamClient,
  type UpstreamResponse,
} from '@learnathon/service-runtime';
import type { RequestHandler, Response } from 'express';

export type UpstreamName = 'pinger' | 'details';

export interface Upstream {
  name: UpstreamName;
  client: UpstreamClient;
}

/** The proxied routes answer a few kilobytes; anything far larger is a broken upstream, not data. */
export const MAX_UPSTREAM_BODY_BYTES = 1024 * 1024;

/**
 * The upstream's headers a client needs, passed on when present: the version that answered (during
 * a canary, how a client tells pinger v1 from v2) and pinger's probe interval.
 */
export const FORWARDED_HEADERS = ['x-service-version', 'x-probe-interval-ms'] as const;

const JSON_UTF8 = 'application/json; charset=utf-8';
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * A client for one upstream. It hands back the raw body text: the proxy checks that it is JSON
 * and forwards the very bytes, which saves a parse-and-serialise round per request.
 */
export function createUpstream(
  service: Service,
  name: UpstreamName,
  baseURL: string,
  timeoutMs: number,
): Upstream {
  const client = service.upstream({ name, baseURL, timeoutMs, maxBodyBytes: MAX_UPSTREAM_BODY_BYTES });
  return { name, client };
}

interface Failure {
  status: number;
  body: ErrorBody;
}

/**
 * What the browser is told when the upstream gave no usable answer, in the words of the client's
 * UpstreamError; undefined for our own bugs.
 */
function describeFailure(error: unknown): Failure | undefined {
  if (!(error instanceof UpstreamError)) return undefined;
  const { message } = error;
  if (error.code === 'ETIMEDOUT') return { status: 504, body: { error: 'upstream_timeout', message } };
  if (error.code === 'ERR_BODY_TOO_LARGE')
    return { status: 502, body: { error: 'upstream_invalid_response', message } };
  return { status: 502, body: { error: 'upstream_unavailable', message } };
}

function isJsonBody(response: UpstreamResponse): boolean {
  const contentType: unknown = response.headers['content-type'];
  if (typeof contentType !== 'string' || !JSON_MEDIA_TYPE.test(contentType)) return false;
  try {
    JSON.parse(response.body);
    return true;
  } catch {
    return false;
  }
}

function sendJson(res: Response, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', JSON_UTF8);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * Forwards the upstream's status and JSON body unchanged, with its FORWARDED_HEADERS. Nothing
 * else of the upstream's headers is passed on (no cookies, no hop-by-hop headers).
 */
function forward(res: Response, name: UpstreamName, response: UpstreamResponse): void {
  if (!isJsonBody(response)) {
    const failure: ErrorBody = {
      error: 'upstream_invalid_response',
      message: `${name} answered ${response.status} without a JSON body`,
    };
    sendJson(res, 502, JSON.stringify(failure));
    return;
  }
  for (const header of FORWARDED_HEADERS) {
    const value: unknown = response.headers[header];
    if (typeof value === 'string') res.setHeader(header, value);
  }
  sendJson(res, response.status, response.body);
}

/**
 * A handler that relays a request to `path` on the upstream. Only the parsed JSON body travels
 * (never the browser's cookies or other headers); the trace context is added by the client.
 */
export function proxyTo(
  upstream: Upstream,
  method: 'GET' | 'POST',
  path: string,
  logger: Logger,
): RequestHandler {
  const { name, client } = upstream;
  const call =
    method === 'GET'
      ? () => client.request('GET', path)
      : (body: unknown) => client.request('POST', path, body ?? {});
  return async (req, res) => {
    // The version on a proxied answer is the upstream's or none: the frontend's own would pass for
    // the answer of an upstream that sent none (the original pinger) or never answered.
    res.removeHeader('x-service-version');
    res.setHeader('x-upstream-service', name);
    res.setHeader('cache-control', 'no-store');
    let response: UpstreamResponse;
    try {
      response = await call(req.body);
    } catch (error) {
      const failure = describeFailure(error);
      if (!failure) throw error;
      logger.warn(
        { upstream: name, path, error: failure.body.error, reason: failure.body.message },
        'upstream call failed',
      );
      sendJson(res, failure.status, JSON.stringify(failure.body));
      return;
    }
    forward(res, name, response);
  };
}
