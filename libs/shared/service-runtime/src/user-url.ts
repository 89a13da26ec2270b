/** Long enough for any real URL, short enough to log and echo back safely. */
export const MAX_URL_LENGTH = 2048;

export type UserUrlResult = { url: URL } | { problem: string };

/**
 * The rules every URL a user hands to a service must pass (a URL to probe, a URL to describe, and
 * each redirect it leads to): absolute, http or https, no credentials, bounded length.
 * `base` resolves relative redirect locations. Returns the parsed URL or the problem, in words.
 */
export function checkUserUrl(value: string, base?: URL): UserUrlResult {
  const text = value.trim();
  if (text === '') return { problem: 'url must not be empty' };
  if (text.length > MAX_URL_LENGTH) return { problem: `url must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return { problem: `url is not a valid absolute URL: '${text.slice(0, 100)}'` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `url must use http or https, got '${url.protocol.replace(/:$/, '')}'` };
  }
  if (url.username || url.password) return { problem: 'url must not contain credentials' };
  if (url.href.length > MAX_URL_LENGTH)
    return { problem: `url must be at most ${MAX_URL_LENGTH} characters` };
  return { url };
}
