import net, { BlockList } from 'node:net';
import { parseCidr, type Cidr } from './cidr';

/**
 * Refused unless allowed explicitly: addresses that reach the machine's own link or the cloud
 * provider's metadata service, where credentials live. Loopback is deliberately not here: the local
 * stack runs on 127.0.0.1; the Kubernetes manifests add 127.0.0.0/8 through DETAILS_DENY_CIDRS.
 */
export const DEFAULT_DENIED_CIDRS: readonly string[] = [
  '169.254.0.0/16', // IPv4 link-local, incl. 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
  '0.0.0.0/8', // "this network": connecting to 0.0.0.0 reaches the local host on Linux
  '100.100.100.200/32', // Alibaba Cloud metadata
  'fe80::/10', // IPv6 link-local
  'fd00:ec2::254/128', // AWS metadata over IPv6
  '::/128', // unspecified address, the IPv6 0.0.0.0
];

export interface AddressGuardOptions {
  /** Denied on top of DEFAULT_DENIED_CIDRS. */
  deny?: readonly Cidr[];
  /** Allowed even if denied: allow wins. */
  allow?: readonly Cidr[];
}

interface AddressForm {
  address: string;
  family: 'ipv4' | 'ipv6';
}

/** IPv6 prefixes (canonical spelling) whose last 32 bits are an IPv4 address that is what gets reached. */
const EMBEDDED_IPV4_PREFIXES = [
  /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/, // IPv4-mapped
  /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/, // NAT64 well-known prefix
  /^::([1-9a-f][0-9a-f]{0,3}):([0-9a-f]{1,4})$/, // IPv4-compatible (deprecated); the first group is non-zero so ::1 stays loopback
];

function hexPairToIPv4(high: string, low: string): string {
  const value = (parseInt(high, 16) << 16) | parseInt(low, 16);
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

/** The IPv4 address an IPv6 address stands for, if it embeds one (`::ffff:169.254.169.254` → `169.254.169.254`). */
export function embeddedIPv4(ipv6: string): string | undefined {
  // The WHATWG URL parser gives every spelling one canonical form (lower case, compressed, hex tail).
  const canonical = new URL(`http://[${ipv6}]/`).hostname.slice(1, -1);
  for (const pattern of EMBEDDED_IPV4_PREFIXES) {
    const match = pattern.exec(canonical);
    if (match?.[1] && match[2]) return hexPairToIPv4(match[1], match[2]);
  }
  return undefined;
}

/** Every form an address is matched in: itself, plus the IPv4 address it embeds. Empty if not an IP. */
function addressForms(address: string): AddressForm[] {
  const bare = address.split('%')[0] ?? ''; // scope ids (fe80::1%eth0) do not change the network
  const version = net.isIP(bare);
  if (version === 4) return [{ address: bare, family: 'ipv4' }];
  if (version !== 6) return [];
  const ipv4 = embeddedIPv4(bare);
  return ipv4
    ? [
        { address: bare, family: 'ipv6' },
        { address: ipv4, family: 'ipv4' },
      ]
    : [{ address: bare, family: 'ipv6' }];
}

function blockListOf(cidrs: readonly Cidr[]): BlockList {
  const list = new BlockList();
  for (const { address, prefix, family } of cidrs) list.addSubnet(address, prefix, family);
  return list;
}

/** Decides which resolved IP addresses the service may connect to (see DEFAULT_DENIED_CIDRS). */
export class AddressGuard {
  private readonly denied: BlockList;
  private readonly allowed: BlockList;

  constructor({ deny = [], allow = [] }: AddressGuardOptions = {}) {
    const defaults = DEFAULT_DENIED_CIDRS.map((text) => parseCidr(text) as Cidr);
    this.denied = blockListOf([...defaults, ...deny]);
    this.allowed = blockListOf(allow);
  }

  /** True if a connection to `address` (an IP literal) is allowed; anything that is not an IP is refused. */
  isAllowed(address: string): boolean {
    const forms = addressForms(address);
    if (forms.length === 0) return false;
    if (forms.some(({ address: form, family }) => this.allowed.check(form, family))) return true;
    return !forms.some(({ address: form, family }) => this.denied.check(form, family));
  }
}
