import { badRequest } from '@learnathon/service-runtime';

/** Long enough for any real URL, short enough that a list of them stays small. */
export const MAX_URL_LENGTH = 2048;

/**
 * Validates a URL a user wants probed: a string, http or https, no credentials, bounded length.
 * Returns its normalised form (so `HTTP://Example.com` and `http://example.com/` are one entry).
 */
export function parseTargetUrl(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '') throw badRequest("Body must be JSON like {\"url\": \"https://example.com\"}");
  const value = input.trim();
  if (value.length > MAX_URL_LENGTH) throw badRequest(`url must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`url is not a valid absolute URL: '${value.slice(0, 100)}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest(`url must use http or https, got '${url.protocol.replace(':', '')}'`);
  if (url.username || url.password) throw badRequest('url must not contain credentials');
  return url.toString();
}

/** The probed URLs, in insertion order, without duplicates and with a size limit. */
export class UrlList {
  private readonly urls = new Set<string>();

  /** `initial` must already be validated and normalised (see `parseTargetUrl`). */
  constructor(
    initial: readonly string[],
    readonly maxSize: number,
  ) {
    for (const url of initial.slice(0, maxSize)) this.urls.add(url);
  }

  /** Adds a URL; false if it was already there. Throws 400 when the list is full. */
  add(url: string): boolean {
    if (this.urls.has(url)) return false;
    if (this.urls.size >= this.maxSize) throw badRequest(`the list already holds the maximum of ${this.maxSize} URLs`);
    this.urls.add(url);
    return true;
  }

  toArray(): string[] {
    return [...this.urls];
  }

  get size(): number {
    return this.urls.size;
  }
}
