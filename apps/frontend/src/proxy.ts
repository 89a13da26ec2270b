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
  timeoutMs: number;
}

/** The proxied routes answer a few kilobytes; anything far larger is a broken upstream, not data. */
export const MAX_UPSTREAM_BODY_BYTES = 1024 * 1024;

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
  return { name, client, timeoutMs };
}

interface Failure {
  status: number;
  body: ErrorBody;
}

/** What the browser is told when the upstream gave no usable answer; undefined for our own bugs. */
function describeFailure({ name, timeoutMs }: Upstream, error: unknown): Failure | undefined {
  if (!(error instanceof UpstreamError)) return undefined;
  if (error.code === 'ETIMEDOUT') {
    return {
      status: 504,
      body: { error: 'upstream_timeout', message: `${name} did not answer within ${timeoutMs} ms` },
    };
  }
  if (error.code === 'ERR_BODY_TOO_LARGE') {
    return {
      status: 502,
      body: {
        error: 'upstream_invalid_response',
        message: `${name} sent an unreadable response (${error.message})`,
      },
    };
  }
  return {
    status: 502,
    body: { error: 'upstream_unavailable', message: `${name} is unreachable (${error.code})` },
  };
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
 * Forwards the upstream's status and JSON body unchanged, with the version of the instance that
 * answered: during a canary, `x-service-version` is how a client tells pinger v1 from v2.
 * Nothing else of the upstream's headers is passed on (no cookies, no hop-by-hop headers).
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
  const version: unknown = response.headers['x-service-version'];
  if (typeof version === 'string') res.setHeader('x-service-version', version);
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
    res.setHeader('x-upstream-service', name);
    res.setHeader('cache-control', 'no-store');
    let response: UpstreamResponse;
    try {
      response = await call(req.body);
    } catch (error) {
      const failure = describeFailure(upstream, error);
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
