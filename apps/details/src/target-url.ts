/** The URL's host as an IP literal or DNS name: IPv6 without its brackets. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
