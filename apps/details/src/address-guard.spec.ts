import { AddressGuard, embeddedIPv4 } from './address-guard';
import { parseCidrList } from './cidr';

const guardWith = (deny = '', allow = '') =>
  new AddressGuard({ deny: parseCidrList(deny), allow: parseCidrList(allow) });

describe('AddressGuard defaults', () => {
  const guard = new AddressGuard();

  it.each([
    '169.254.169.254',
    '169.254.0.1',
    '169.254.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '100.100.100.200',
    'fe80::1',
    'febf:ffff::1',
    'fe80::1%eth0',
    'fd00:ec2::254',
    'fd00:ec2:0:0:0:0:0:254',
    '::',
    '0:0:0:0:0:0:0:0',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::FFFF:A9FE:A9FE',
    '0:0:0:0:0:ffff:169.254.169.254',
    '::ffff:0.0.0.0',
    '::ffff:100.100.100.200',
    '64:ff9b::169.254.169.254',
    '::169.254.169.254',
  ])('denies %s', (address) => {
    expect(guard.isAllowed(address)).toBe(false);
  });

  it.each([
    '127.0.0.1',
    '127.255.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '10.1.2.3',
    '192.168.0.1',
    '8.8.8.8',
    '100.100.100.201',
    '169.253.255.255',
    '169.255.0.0',
    '2001:db8::1',
    'fec0::1',
    'fd00:ec2::253',
  ])('allows %s', (address) => {
    expect(guard.isAllowed(address)).toBe(true);
  });

  it.each(['', 'localhost', 'example.com', '2852039166', '0xA9.0xFE.0xA9.0xFE', '[::1]', '169.254.169.254.'])(
    'refuses %j, which is not an IP literal (names must be resolved first)',
    (address) => {
      expect(guard.isAllowed(address)).toBe(false);
    },
  );
});

describe('AddressGuard lists', () => {
  it.each([
    {
      rule: 'adds DETAILS_DENY_CIDRS to the defaults',
      deny: '127.0.0.0/8,10.0.0.0/8',
      allow: '',
      denied: ['127.0.0.1', '10.200.0.1', '169.254.169.254'],
      allowed: ['192.168.1.1'],
    },
    {
      rule: 'matches IPv4 deny rules against IPv4-mapped IPv6 spellings',
      deny: '127.0.0.0/8',
      allow: '',
      denied: ['::ffff:127.0.0.1', '::ffff:7f00:1'],
      allowed: [],
    },
    {
      rule: 'matches IPv6 deny rules',
      deny: '::1/128,fc00::/7',
      allow: '',
      denied: ['::1', 'fd12:3456::1'],
      allowed: ['2001:db8::1'],
    },
    {
      rule: 'lets DETAILS_ALLOW_CIDRS win over the defaults',
      deny: '',
      allow: '169.254.10.0/24',
      denied: ['169.254.169.254'],
      allowed: ['169.254.10.7', '::ffff:169.254.10.7'],
    },
    {
      rule: 'lets DETAILS_ALLOW_CIDRS win over DETAILS_DENY_CIDRS',
      deny: '127.0.0.0/8',
      allow: '127.0.0.1/32',
      denied: ['127.0.0.2'],
      allowed: ['127.0.0.1'],
    },
    {
      rule: 'can deny everything but an allowed range',
      deny: '0.0.0.0/0,::/0',
      allow: '203.0.113.0/24',
      denied: ['8.8.8.8', '2001:db8::1'],
      allowed: ['203.0.113.9'],
    },
  ])('$rule', ({ deny, allow, denied, allowed }) => {
    const guard = guardWith(deny, allow);
    expect(denied.filter((address) => guard.isAllowed(address))).toEqual([]);
    expect(allowed.filter((address) => !guard.isAllowed(address))).toEqual([]);
  });
});

describe('embeddedIPv4', () => {
  it.each([
    ['::ffff:169.254.169.254', '169.254.169.254'],
    ['::ffff:a9fe:a9fe', '169.254.169.254'],
    ['0000:0000:0000:0000:0000:ffff:7f00:0001', '127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254'],
    ['::a9fe:a9fe', '169.254.169.254'],
  ])('finds the IPv4 address in %s', (ipv6, ipv4) => {
    expect(embeddedIPv4(ipv6)).toBe(ipv4);
  });

  it.each(['::1', '::', '2001:db8::a9fe:a9fe', 'fe80::1'])('finds none in %s', (ipv6) => {
    expect(embeddedIPv4(ipv6)).toBeUndefined();
  });
});
