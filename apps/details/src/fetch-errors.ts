import { HttpError } from '@learnathon/service-runtime';

/**
 * Failures of the outbound fetch, as the JSON errors clients get. A redirect chain that is too long
 * is a 502 (the upstream misbehaved, like any other bad upstream answer) rather than 508, which is
 * WebDAV's "loop detected" and unknown to many clients and proxies.
 */
export function forbiddenAddress(host: string, address: string): HttpError {
  const subject = host === address ? address : `${host} resolves to ${address}, which`;
  return new HttpError(403, 'forbidden_address', `${subject} is an address this service may not connect to`);
}

export const upstreamUnreachable = (host: string, code: string) =>
  new HttpError(502, 'upstream_unreachable', `could not reach ${host}: ${code}`);

export const upstreamTimeout = (timeoutMs: number) =>
  new HttpError(504, 'upstream_timeout', `no complete answer within ${timeoutMs} ms`);

export const tooManyRedirects = (maxRedirects: number) =>
  new HttpError(502, 'too_many_redirects', `more than ${maxRedirects} redirects`);

export const invalidRedirect = (problem: string) =>
  new HttpError(502, 'invalid_redirect', `refused to follow a redirect: ${problem}`);
