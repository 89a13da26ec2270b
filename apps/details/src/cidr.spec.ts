import { formatCidr, parseCidr, parseCidrList } from './cidr';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    [' 127.0.0.0/8 ', { address: '127.0.0.0', prefix: 8, family: 'ipv4' }],
    ['0.0.0.0/0', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
    ['192.168.1.10', { address: '192.168.1.10', prefix: 32, family: 'ipv4' }],
    ['fd00::/8', { address: 'fd00::', prefix: 8, family: 'ipv6' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
    ['::ffff:169.254.0.0/112', { address: '::ffff:169.254.0.0', prefix: 112, family: 'ipv6' }],
  ])('accepts %s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each([
    '',
    'abc',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0/8',
    '256.0.0.0/8',
    'fd00::/129',
    'fe80::1%eth0/64',
    '10.0.0.0/0x8',
    'example.com/24',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('parseCidrList', () => {
  it('parses a comma-separated list, ignoring blanks', () => {
    expect(parseCidrList('10.0.0.0/8, ,fd00::/8,').map(formatCidr)).toEqual(['10.0.0.0/8', 'fd00::/8']);
  });

  it('is empty for an empty string', () => {
    expect(parseCidrList('')).toEqual([]);
  });

  it('names the first bad entry', () => {
    expect(() => parseCidrList('10.0.0.0/8,10.0.0.0/99,nope')).toThrow(
      "'10.0.0.0/99' is not an IPv4 or IPv6 CIDR",
    );
  });
});
