import { startClientSpan } from '@learnathon/tracing';
import { checkUserUrl, HttpError } from '@learnathon/service-runtime';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AddressGuard } from './address-guard';
import { invalidRedirect, tooManyRedirects, upstreamTimeout, upstreamUnreachable } from './fetch-errors';
import { resolveAllowedAddresses, type HostResolver, type ResolvedAddress } from './resolve';
import { bareHostname } from './target-url';

export interface GuardedFetchOptions {
  guard: AddressGuard;
  resolveHost: HostResolver;
  /** Deadline for the whole fetch: DNS, every hop, and the body. */
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  userAgent: string;
}

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

export interface FetchedPage {
  finalUrl: string;
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** At most `maxBodyBytes` of the final response's body. */
  body: Buffer;
  /** True if the body went on beyond `maxBodyBytes` and reading stopped there. */
  bodyTruncated: boolean;
  redirects: RedirectHop[];
  /** The peer address of the final connection. */
  resolvedAddress: string | null;
  responseTimeMs: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Makes the HTTP client connect only to addresses that were already checked, whatever DNS says by
 * then: a second lookup could be answered differently (DNS rebinding) and reach a denied address.
 */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(
        null,
        addresses.map(({ address, family }) => ({ address, family })),
      );
      return;
    }
    const [first] = addresses;
    if (!first) callback(Object.assign(new Error('no checked address'), { code: 'ENOTFOUND' }), '');
    else callback(null, first.address, first.family);
  };
}

/** Rejects with the signal's reason as soon as it aborts; DNS lookups cannot be cancelled otherwise. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function readCapped(
  response: IncomingMessage,
  maxBytes: number,
): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      response.destroy(); // stop downloading: nothing past the cap is read
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

/**
 * Fetches a user-supplied URL without letting it reach denied addresses (SSRF): every hop's host is
 * resolved here, every address checked, and the connection pinned to the checked addresses; redirects
 * are followed by hand so each one goes through the same checks.
 *
 * node:http rather than axios: the guard needs a per-request `lookup`, a fresh connection per hop
 * (no keep-alive pool shared across hosts), and direct control of the body stream for the byte cap;
 * axios would add its own redirect handling and a decompression layer to switch off.
 *
 * No trace headers are sent: the target is an arbitrary third party, and `traceparent` would leak
 * our trace ids to it. The hop still shows up in our traces as a client span.
 */
export class GuardedFetcher {
  constructor(private readonly options: GuardedFetchOptions) {}

  /** `cancel` aborts the fetch early (the client went away); the timeout applies regardless. */
  async fetch(url: URL, cancel?: AbortSignal): Promise<FetchedPage> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
    const started = process.hrtime.bigint();
    let current = url;
    try {
      const redirects: RedirectHop[] = [];
      for (;;) {
        const addresses = await untilAborted(
          resolveAllowedAddresses(current, this.options.guard, this.options.resolveHost),
          signal,
        );
        const response = await this.request(current, addresses, signal);
        const next = this.redirectTarget(current, response);
        if (!next) return await this.finish(current, response, redirects, started);
        response.destroy();
        redirects.push({ url: current.href, status: response.statusCode ?? 0, location: next.href });
        if (redirects.length > this.options.maxRedirects) throw tooManyRedirects(this.options.maxRedirects);
        current = next;
      }
    } catch (error) {
      if (deadline.aborted) throw upstreamTimeout(this.options.timeoutMs);
      if (error instanceof HttpError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code) throw upstreamUnreachable(bareHostname(current), code);
      throw error;
    }
  }

  /** The next URL if the response is a redirect with a Location header; it must pass the same rules. */
  private redirectTarget(current: URL, response: IncomingMessage): URL | undefined {
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || !location) return undefined;
    const parsed = checkUserUrl(location, current);
    if ('problem' in parsed) {
      response.destroy();
      throw invalidRedirect(parsed.problem);
    }
    return parsed.url;
  }

  private async finish(
    url: URL,
    response: IncomingMessage,
    redirects: RedirectHop[],
    started: bigint,
  ): Promise<FetchedPage> {
    const resolvedAddress = response.socket?.remoteAddress ?? null;
    const { body, truncated } = await readCapped(response, this.options.maxBodyBytes);
    return {
      finalUrl: url.href,
      status: response.statusCode ?? 0,
      statusText: response.statusMessage ?? '',
      headers: response.headers,
      body,
      bodyTruncated: truncated,
      redirects,
      resolvedAddress,
      responseTimeMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
    };
  }

  private request(
    url: URL,
    addresses: readonly ResolvedAddress[],
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const transport = url.protocol === 'https:' ? https : http;
    const span = startClientSpan('target', 'GET', url.href);
    let spanEnded = false;
    const endSpan = (status: string) => {
      if (!spanEnded) span.end(status);
      spanEnded = true;
    };
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method: 'GET',
          agent: false,
          lookup: pinnedLookup(addresses),
          signal,
          headers: {
            'user-agent': this.options.userAgent,
            accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
            // Compressed bodies would make the byte cap meaningless (a small body can inflate hugely).
            'accept-encoding': 'identity',
          },
        },
        (response) => {
          endSpan(String(response.statusCode ?? 0));
          resolve(response);
        },
      );
      // `on`, not `once`: an abort after the response arrived can emit a late error that must not crash.
      request.on('error', (error: NodeJS.ErrnoException) => {
        endSpan(error.code ?? 'ERROR');
        reject(error);
      });
      request.end();
    });
  }
}
