import dns from 'node:dns/promises';
import net from 'node:net';
import type { AddressGuard } from './address-guard';
import { forbiddenAddress, upstreamUnreachable } from './fetch-errors';
import { bareHostname } from './target-url';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Turns a hostname into all its addresses; injectable so tests resolve names without DNS. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const addresses = await dns.lookup(hostname, { all: true, verbatim: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

async function resolveHost(host: string, resolver: HostResolver): Promise<ResolvedAddress[]> {
  const literal = net.isIP(host);
  if (literal) return [{ address: host, family: literal === 6 ? 6 : 4 }];
  try {
    return await resolver(host);
  } catch (error) {
    throw upstreamUnreachable(host, (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND');
  }
}

/**
 * Resolves the URL's host and checks every address it resolves to: if any one is denied the whole
 * host is, since a later connection (or a resolver's round robin) could pick that one. The caller
 * must connect only to the returned addresses.
 */
export async function resolveAllowedAddresses(
  url: URL,
  guard: AddressGuard,
  resolver: HostResolver,
): Promise<ResolvedAddress[]> {
  const host = bareHostname(url);
  const addresses = await resolveHost(host, resolver);
  if (addresses.length === 0) throw upstreamUnreachable(host, 'ENOTFOUND');
  const denied = addresses.find(({ address }) => !guard.isAllowed(address));
  if (denied) throw forbiddenAddress(host, denied.address);
  return addresses;
}
