import { bareHostname } from './target-url';

describe('bareHostname', () => {
  it('drops the brackets of IPv6 literals only', () => {
    expect(bareHostname(new URL('http://[::1]:8080/'))).toBe('::1');
    expect(bareHostname(new URL('http://example.com/'))).toBe('example.com');
    expect(bareHostname(new URL('http://0xA9.0xFE.0xA9.0xFE/'))).toBe('169.254.169.254');
  });
});
