import { aptMirror } from './base-image';

describe('aptMirror', () => {
  it('reads the mirror from a deb822 .sources file, skipping the security archive', () => {
    const security = 'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n';
    const main = 'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n';
    expect(aptMirror([security, main])).toBe('http://mirror.example/debian');
  });

  it('reads a classic sources.list line, options included', () => {
    expect(aptMirror(['deb [arch=amd64] http://ftp.example/debian bookworm main\n'])).toBe(
      'http://ftp.example/debian',
    );
  });

  it('falls back to deb.debian.org', () => {
    expect(aptMirror([])).toBe('http://deb.debian.org/debian');
  });
});
