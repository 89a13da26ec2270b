import { badRequest, checkUserUrl } from '@learnathon/service-runtime';

/**
 * Validates a URL a user wants probed (see `checkUserUrl` for the rules) and returns its normalised
 * form, so `HTTP://Example.com` and `http://example.com/` are one entry. Throws a 400 saying why.
 */
export function parseTargetUrl(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '')
    throw badRequest('Body must be JSON like {"url": "https://example.com"}');
  const checked = checkUserUrl(input);
  if ('problem' in checked) throw badRequest(checked.problem);
  return checked.url.toString();
}

/** The probed URLs, in insertion order, without duplicates and with a size limit. */
export class UrlList {
  private readonly urls = new Set<string>();
  private changes = 0;

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
    if (this.urls.size >= this.maxSize)
      throw badRequest(`the list already holds the maximum of ${this.maxSize} URLs`);
    this.urls.add(url);
    this.changes += 1;
    return true;
  }

  /** Grows with every change of the list. */
  get revision(): number {
    return this.changes;
  }

  toArray(): string[] {
    return [...this.urls];
  }

  get size(): number {
    return this.urls.size;
  }
}
