import net from 'node:net';

/** One IPv4 or IPv6 network, as `net.BlockList.addSubnet` takes it. */
export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Parses `10.0.0.0/8`, `fd00::/8` or a bare address (meaning just that address, /32 or /128).
 * Returns undefined for anything else, including zone ids (`fe80::1%eth0`) and out-of-range prefixes.
 */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || address.includes('%')) return undefined;
  const version = net.isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const maxPrefix = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: maxPrefix, family };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= maxPrefix ? { address, prefix, family } : undefined;
}

/** A comma-separated list of CIDRs (blanks ignored); throws naming the first entry that is not one. */
export function parseCidrList(text: string): Cidr[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.map((item) => {
    const cidr = parseCidr(item);
    if (!cidr) throw new Error(`'${item}' is not an IPv4 or IPv6 CIDR`);
    return cidr;
  });
}

export const formatCidr = ({ address, prefix }: Cidr): string => `${address}/${prefix}`;
