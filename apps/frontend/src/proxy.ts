import {
  UpstreamError,
  type ErrorBody,
  type Logger,
  type UpstreamClient,
  type UpstreamResponse,
} from '@learnathon/service-runtime';
import type { RequestHandler, Response } from 'express';

/**
 * The upstream's headers a client needs, passed on when present: the version that answered (during
 * a canary, how a client tells pinger v1 from v2) and pinger's probe interval.
 */
const FORWARDED_HEADERS = ['x-service-version', 'x-probe-interval-ms'] as const;

const JSON_UTF8 = 'application/json; charset=utf-8';
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

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
function forward(res: Response, name: string, response: UpstreamResponse): void {
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
 * The body is forwarded as the very bytes the upstream sent, checked to be JSON but not
 * re-serialised, which saves a parse-and-serialise round per request.
 */
export function proxyTo(
  client: UpstreamClient,
  method: 'GET' | 'POST',
  path: string,
  logger: Logger,
): RequestHandler {
  const { name } = client;
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
      // Anything but an UpstreamError is our own bug: the shared error handler answers a 500.
      if (!(error instanceof UpstreamError)) throw error;
      logger.warn(
        { upstream: name, path, error: error.failure, reason: error.message },
        'upstream call failed',
      );
      sendJson(res, error.status, JSON.stringify(error.body));
      return;
    }
    forward(res, name, response);
  };
}
